/// Finds the final answer in a completion, by precedence:
///
/// 1. the last complete `\boxed{...}` / `\fbox{...}` (balanced braces, escaped braces ignored; `\boxed 5` too).
///    If the last box is never closed the completion was cut off mid-answer: no answer, no fallback.
/// 2. the text after the last `####` on its line (GSM8K);
/// 3. the text after the last answer phrase ("the answer is", "final answer:", "answer:" ...), to the end of
///    its `$...$` span, line or sentence;
/// 4. when the gold is a choice letter: the last "(C)" of the completion;
/// 5. the last number or `$...$` span (the fallback; it can be turned off in `RewardShaping`).
///
/// Works on the completion's UTF-8 bytes in linear time.
enum AnswerExtractor {
    /// What the extractor found.
    enum Outcome: Equatable {
        case found(Range<Int>, ExtractionMethod)
        /// The last `\boxed{` is never closed.
        case unterminatedBox
        case none
    }

    static func extract(_ s: UnsafeBufferPointer<UInt8>, choiceMode: Bool, lastNumberFallback: Bool,
                        budget: WorkBudget) throws(MathFailure) -> Outcome
    {
        try budget.spendScan(s.count * 3)
        switch lastBox(s) {
        case .some(.none): return .unterminatedBox
        case .some(.some(let range)): return .found(range, .boxed)
        case .none: break
        }
        if let range = afterHashMarker(s) { return .found(range, .hashMarker) }
        if let range = afterAnswerPhrase(s) { return .found(range, .answerPhrase) }
        if choiceMode, let range = lastChoiceLetter(s, in: 0..<s.count) { return .found(range, .choiceLetter) }
        if lastNumberFallback, let range = lastNumberOrMath(s) { return .found(range, .lastNumber) }
        return .none
    }

    // MARK: - Boxes

    static let boxed = Array("boxed".utf8)
    static let fbox = Array("fbox".utf8)

    /// nil: no box; .some(nil): the last box is unterminated; .some(range): the last box's content.
    static func lastBox(_ s: UnsafeBufferPointer<UInt8>) -> Range<Int>?? {
        var last: Range<Int>?
        var i = 0
        let n = s.count
        while i < n {
            guard s[i] == .backslash else {
                i += 1
                continue
            }
            var nameEnd = -1
            if ByteScanner.matches(s, at: i + 1, boxed) {
                nameEnd = i + 1 + boxed.count
            } else if ByteScanner.matches(s, at: i + 1, fbox) {
                nameEnd = i + 1 + fbox.count
            }
            guard nameEnd > 0, nameEnd >= n || !s[nameEnd].isLetter else {
                i += 2
                continue
            }
            var j = nameEnd
            while j < n && s[j] == .space { j += 1 }
            if j < n && s[j] == .openBrace {
                guard let close = ByteScanner.matchingBrace(s, from: j, end: n) else { return .some(nil) }
                last = (j + 1)..<close
                i = close + 1
            } else {
                // `\boxed 5`: one token, up to a space, `$` or the end.
                var k = j
                while k < n && !s[k].isWhitespace && s[k] != .dollar { k += 1 }
                if k > j { last = j..<k }
                i = max(k, j + 1)
            }
        }
        return last.map { .some($0) }
    }

    // MARK: - Markers and phrases

    /// The rest of the line after the last `####`.
    static func afterHashMarker(_ s: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        var i = s.count - 4
        while i >= 0 {
            if s[i] == .hash && s[i + 1] == .hash && s[i + 2] == .hash && s[i + 3] == .hash {
                var a = i + 4
                while a < s.count && s[a] == .hash { a += 1 }
                var b = a
                while b < s.count && s[b] != .newline { b += 1 }
                let r = trimmed(s, a..<b)
                return r.isEmpty ? nil : r
            }
            i -= 1
        }
        return nil
    }

    static let answer = Array("answer".utf8)

    /// The answer after the last "answer:", "answer is", "answer =" (so "the answer is", "final answer:",
    /// "**Answer:**" ...): a `$...$` / `\(...\)` / `\[...\]` span if one starts there, else the text up to the
    /// end of the line or sentence (or a comma followed by words).
    static func afterAnswerPhrase(_ s: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        let n = s.count
        var start: Int?
        var i = 0
        while i + answer.count <= n {
            guard s[i].lowercased == UInt8(ascii: "a"), ByteScanner.matches(s, at: i, answer, ignoringCase: true) else {
                i += 1
                continue
            }
            var j = i + answer.count
            if j < n && s[j].isLetter {  // "answers", "answered"
                i = j
                continue
            }
            while j < n && (s[j] == .space || s[j] == .star) { j += 1 }
            var valid = false
            if j < n && (s[j] == .colon || s[j] == .equals) {
                j += 1
                valid = true
            } else if j + 1 < n && s[j].lowercased == UInt8(ascii: "i") && s[j + 1].lowercased == UInt8(ascii: "s")
                && (j + 2 >= n || !s[j + 2].isLetter)
            {
                j += 2
                if j < n && s[j] == .colon { j += 1 }
                valid = true
            }
            if valid { start = j }
            i = j
        }
        guard var a = start else { return nil }
        while a < n && (s[a] == .space || s[a] == .star || s[a] == .colon || s[a] == .tab) { a += 1 }
        if a < n && s[a] == .newline {
            a += 1
            while a < n && (s[a].isWhitespace || s[a] == .star) { a += 1 }
        }
        guard a < n else { return nil }
        if let span = mathSpan(s, at: a), !isProse(s, span) { return span }
        var b = a
        while b < n {
            let c = s[b]
            if c == .newline { break }
            if c == .dot && (b + 1 >= n || s[b + 1].isWhitespace) { break }
            if (c == .comma || c == .semicolon) && wordFollows(s, b + 1) { break }
            b += 1
        }
        let r = trimmed(s, a..<b)
        return r.isEmpty ? nil : r
    }

    /// The whole math span (delimiters included) starting at `a`: `$$...$$`, `$...$`, `\(...\)`, `\[...\]`.
    static func mathSpan(_ s: UnsafeBufferPointer<UInt8>, at a: Int) -> Range<Int>? {
        let n = s.count
        if s[a] == .dollar {
            let double = a + 1 < n && s[a + 1] == .dollar
            var q = a + (double ? 2 : 1)
            while q < n {
                if s[q] == .backslash {
                    q += 2
                    continue
                }
                if s[q] == .dollar {
                    if double {
                        if q + 1 < n && s[q + 1] == .dollar { return a..<(q + 2) }
                    } else {
                        return a..<(q + 1)
                    }
                }
                q += 1
            }
            return nil
        }
        if s[a] == .backslash && a + 1 < n && (s[a + 1] == .openParen || s[a + 1] == .openBracket) {
            let closer = s[a + 1] == .openParen ? UInt8.closeParen : UInt8.closeBracket
            var q = a + 2
            while q + 1 < n {
                if s[q] == .backslash {
                    if s[q + 1] == closer { return a..<(q + 2) }
                    q += 2
                    continue
                }
                q += 1
            }
        }
        return nil
    }

    /// Whether a `$...$` span holds prose — a run of three or more letters that is not a command name — as
    /// when `$` is a currency sign: "she makes $18 and spends $5".
    static func isProse(_ s: UnsafeBufferPointer<UInt8>, _ span: Range<Int>) -> Bool {
        var i = span.lowerBound
        while i < span.upperBound {
            guard s[i].isLetter else {
                i += 1
                continue
            }
            let start = i
            while i < span.upperBound && s[i].isLetter { i += 1 }
            let commandName = start > 0 && s[start - 1] == .backslash
            let textArgument = start > 0 && s[start - 1] == .openBrace
            if i - start >= 3 && !commandName && !textArgument { return true }
        }
        return false
    }

    /// Whether spaces and then a run of two or more letters follow `i` (", which is ...").
    static func wordFollows(_ s: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        var q = i
        while q < s.count && s[q] == .space { q += 1 }
        var letters = 0
        while q < s.count && s[q].isLetter {
            letters += 1
            q += 1
        }
        return letters >= 2
    }

    // MARK: - Fallbacks

    /// The last "(X)" with X an upper-case letter A–J inside `range`.
    static func lastChoiceLetter(_ s: UnsafeBufferPointer<UInt8>, in range: Range<Int>) -> Range<Int>? {
        var i = range.upperBound - 3
        while i >= range.lowerBound {
            if s[i] == .openParen && s[i + 2] == .closeParen && s[i + 1] >= UInt8(ascii: "A")
                && s[i + 1] <= UInt8(ascii: "J")
            {
                return i..<(i + 3)
            }
            i -= 1
        }
        return nil
    }

    /// The last number (`-1,234.5`, `3/4`) or `$...$` / `\(...\)` span, whichever ends later.
    static func lastNumberOrMath(_ s: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        let n = s.count
        var lastNumber: Range<Int>?, lastMath: Range<Int>?
        // Once a kind of opener finds no closer, no later opener of that kind can: skip them, so that a long
        // run of unterminated `\(` is not rescanned from each one.
        var unterminated: Set<UInt8> = []
        var i = 0
        while i < n {
            let c = s[i]
            if c == .dollar || (c == .backslash && i + 1 < n && (s[i + 1] == .openParen || s[i + 1] == .openBracket)) {
                let kind = c == .dollar ? (i + 1 < n && s[i + 1] == .dollar ? UInt8.hash : c) : s[i + 1]
                if !unterminated.contains(kind) {
                    if let span = mathSpan(s, at: i) {
                        if !isProse(s, span) {
                            lastMath = span
                            i = span.upperBound
                            continue
                        }
                    } else {
                        unterminated.insert(kind)
                    }
                }
                i += c == .dollar ? 1 : 2
                continue
            }
            if c == .backslash {
                i += 2
                continue
            }
            if c.isDigit && (i == 0 || !(s[i - 1].isLetter || s[i - 1].isDigit)) {
                var a = i
                if a > 0 && s[a - 1] == .minus { a -= 1 }
                var b = i
                while b < n && s[b].isDigit { b += 1 }
                while b + 3 < n && s[b] == .comma && s[b + 1].isDigit && s[b + 2].isDigit && s[b + 3].isDigit
                    && (b + 4 >= n || !s[b + 4].isDigit)
                {
                    b += 4
                }
                if b + 1 < n && s[b] == .dot && s[b + 1].isDigit {
                    b += 1
                    while b < n && s[b].isDigit { b += 1 }
                }
                if b + 1 < n && s[b] == .slash && s[b + 1].isDigit {
                    b += 1
                    while b < n && s[b].isDigit { b += 1 }
                }
                lastNumber = a..<b
                i = b
                continue
            }
            i += 1
        }
        switch (lastNumber, lastMath) {
        case (let num?, let math?): return num.upperBound > math.upperBound ? num : math
        case (let num?, nil): return num
        case (nil, let math?): return math
        default: return nil
        }
    }

    static func trimmed(_ s: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Range<Int> {
        var a = r.lowerBound, b = r.upperBound
        while a < b && s[a].isWhitespace { a += 1 }
        while b > a && s[b - 1].isWhitespace { b -= 1 }
        return a..<b
    }
}
