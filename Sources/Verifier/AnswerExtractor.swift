/// Finds the final answer in a completion, by precedence:
///
/// 0. the completion's own last turn only (`CompletionScope`: chat-template tokens end it, `<think>` sections
///    are skipped, a `<think>` never closed means no answer);
/// 1. the last complete `\boxed{...}` / `\fbox{...}` (balanced braces, escaped braces ignored; `\boxed 5` too),
///    together with the boxes just before it when only "and", "or", commas, `$`, spacing or `x =` labels
///    separate them (`\boxed{2} and \boxed{5}` is one answer, `2, 5`). If the last box is never closed the
///    completion was cut off mid-answer: no answer, no fallback.
/// 2. the text after the last `####` on its line (GSM8K);
/// 3. the text after the last answer phrase ("the answer is", "final answer:", "answer:" ...), to the end of
///    its `$...$` span, line or sentence; a sentence answer ("the answer is that the train left 5 hours ago")
///    is read as its last number or math span;
/// 4. when the gold is a choice letter: the last "(C)" of the completion;
/// 5. the last number or `$...$` span (the fallback; it can be turned off in `RewardShaping`).
///
/// Works on the completion's UTF-8 bytes in linear time.
enum AnswerExtractor {
    /// What the extractor found.
    enum Outcome: Equatable {
        case found(AnswerSpan, ExtractionMethod)
        /// The last `\boxed{` is never closed, or a `<think>` is never closed.
        case unterminatedBox
        case none

        /// The outcome with its ranges moved by `offset` (from the scope's indices to the completion's).
        func shifted(by offset: Int) -> Outcome {
            guard case .found(let span, let method) = self else { return self }
            return .found(span.shifted(by: offset), method)
        }
    }

    static func extract(_ s: UnsafeBufferPointer<UInt8>, choiceMode: Bool, lastNumberFallback: Bool,
                        budget: WorkBudget) throws(MathFailure) -> Outcome
    {
        try budget.spendScan(s.count * 4)
        guard case .scope(let scope) = CompletionScope.find(s) else { return .unterminatedBox }
        let t = UnsafeBufferPointer(rebasing: s[scope])
        return extractInScope(t, choiceMode: choiceMode, lastNumberFallback: lastNumberFallback)
            .shifted(by: scope.lowerBound)
    }

    /// The precedence above, inside the completion's scope.
    static func extractInScope(_ s: UnsafeBufferPointer<UInt8>, choiceMode: Bool, lastNumberFallback: Bool)
        -> Outcome
    {
        switch lastBoxes(s) {
        case .unterminated: return .unterminatedBox
        case .run(let pieces): return .found(AnswerSpan(pieces: pieces), .boxed)
        case .none: break
        }
        if let range = afterHashMarker(s) { return .found(AnswerSpan(range), .hashMarker) }
        if let range = afterAnswerPhrase(s) { return .found(AnswerSpan(range), .answerPhrase) }
        if choiceMode, let range = lastChoiceLetter(s, in: 0..<s.count) {
            return .found(AnswerSpan(range), .choiceLetter)
        }
        if lastNumberFallback, let range = lastNumberOrMath(s) { return .found(AnswerSpan(range), .lastNumber) }
        return .none
    }

    /// Where the first explicit answer (a box, `####`, an answer phrase) in `range` starts, if there is one.
    static func firstExplicitAnswer(_ s: UnsafeBufferPointer<UInt8>, in range: Range<Int>) -> Int? {
        var i = range.lowerBound
        while i < range.upperBound {
            let c = s[i]
            if c == .backslash && boxNameEnd(s, at: i) != nil { return i }
            if c == .hash && i + 3 < range.upperBound && s[i + 1] == .hash && s[i + 2] == .hash && s[i + 3] == .hash {
                return i
            }
            if c.lowercased == UInt8(ascii: "a"), let end = phraseEnd(s, at: i), end <= range.upperBound { return i }
            i += 1
        }
        return nil
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

    /// The end of an answer phrase whose word "answer" starts at `i` ("answer:", "answer is", "answer ="), or
    /// nil when "answer" is not followed that way ("answers", "Answer $4$").
    static func phraseEnd(_ s: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        let n = s.count
        guard ByteScanner.matches(s, at: i, answer, ignoringCase: true), i == 0 || !s[i - 1].isLetter else {
            return nil
        }
        var j = i + answer.count
        if j < n && s[j].isLetter { return nil }  // "answers", "answered"
        while j < n && (s[j] == .space || s[j] == .star) { j += 1 }
        if j < n && (s[j] == .colon || s[j] == .equals) { return j + 1 }
        if j + 1 < n && s[j].lowercased == UInt8(ascii: "i") && s[j + 1].lowercased == UInt8(ascii: "s")
            && (j + 2 >= n || !s[j + 2].isLetter)
        {
            j += 2
            if j < n && s[j] == .colon { j += 1 }
            return j
        }
        return nil
    }

    /// The answer after the last "answer:", "answer is", "answer =" (so "the answer is", "final answer:",
    /// "**Answer:**" ...): a `$...$` / `\(...\)` / `\[...\]` span if one starts there, else the text up to the
    /// end of the line or sentence (or a comma followed by words). A sentence ("that the train left 5 hours
    /// ago") is narrowed to its last number or math span.
    static func afterAnswerPhrase(_ s: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        let n = s.count
        var start: Int?
        var i = 0
        while i + answer.count <= n {
            if s[i].lowercased == UInt8(ascii: "a"), let end = phraseEnd(s, at: i) {
                start = end
                i = end
            } else {
                i += 1
            }
        }
        guard var a = start else { return nil }
        while a < n && (s[a] == .space || s[a] == .star || s[a] == .colon || s[a] == .tab) { a += 1 }
        if a < n && s[a] == .newline {
            a += 1
            while a < n && (s[a].isWhitespace || s[a] == .star) { a += 1 }
        }
        guard a < n else { return nil }
        if let span = mathSpan(s, at: a), !isProse(s, span) { return joinedSpans(s, from: span) }
        var b = a
        while b < n {
            let c = s[b]
            if c == .newline { break }
            if c == .dot && (b + 1 >= n || s[b + 1].isWhitespace) { break }
            if (c == .comma || c == .semicolon) && wordFollows(s, b + 1) { break }
            b += 1
        }
        let r = trimmed(s, a..<b)
        guard !r.isEmpty else { return nil }
        if startsWithProse(s, r), !isNegated(s, r), r.contains(where: { s[$0].isDigit }),
           let inner = lastNumberOrMath(UnsafeBufferPointer(rebasing: s[r]))
        {
            return (inner.lowerBound + r.lowerBound)..<(inner.upperBound + r.lowerBound)
        }
        return r
    }

    /// `span` extended over the math spans that follow it joined only by connectors ("$x = 3$ and $y = 4$",
    /// "$\frac{5}{2}$ or $2.5$"): one answer of several parts.
    static func joinedSpans(_ s: UnsafeBufferPointer<UInt8>, from span: Range<Int>) -> Range<Int> {
        var whole = span
        while true {
            var q = whole.upperBound
            while q < s.count && q - whole.upperBound <= 80 && s[q] != .dollar && s[q] != .backslash
                && s[q] != .newline
            {
                q += 1
            }
            guard q < s.count, q > whole.upperBound, let next = mathSpan(s, at: q), !isProse(s, next),
                  isConnector(s, whole.upperBound..<q), containsConnectorWord(s, whole.upperBound..<q)
            else { return whole }
            whole = whole.lowerBound..<next.upperBound
        }
    }

    /// Whether `gap` holds "and", "or" or a comma (bare spaces between two spans join nothing).
    static func containsConnectorWord(_ s: UnsafeBufferPointer<UInt8>, _ gap: Range<Int>) -> Bool {
        gap.contains {
            s[$0] == .comma || s[$0].lowercased == UInt8(ascii: "a") || s[$0].lowercased == UInt8(ascii: "o")
        }
    }

    static let negations: [[UInt8]] = ["not", "n't", "never", "cannot"].map { Array($0.utf8) }

    /// Whether a sentence answer denies rather than states ("the answer is not 10, ..."): it is then not read
    /// by its number.
    static func isNegated(_ s: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool {
        var i = r.lowerBound
        while i < r.upperBound {
            if s[i].isDigit { return false }  // only words before the first number count
            for word in negations where ByteScanner.matches(s, at: i, word, ignoringCase: true) {
                // "n't" ends a word ("isn't"); the others are words of their own.
                let starts = word[1] == .quote || i == r.lowerBound || !s[i - 1].isLetter
                let ends = i + word.count >= s.count || !s[i + word.count].isLetter
                if starts && ends { return true }
            }
            i += 1
        }
        return false
    }

    /// Whether `r` opens with an English word rather than math: "that the train ...", "there are ...",
    /// "Sam will have ..." (not `x = 5`, `sqrt(2)`, `pi/2`).
    static func startsWithProse(_ s: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool {
        var q = r.lowerBound
        while q < r.upperBound && s[q].isLetter { q += 1 }
        let word = s[r.lowerBound..<q].map(\.lowercased)
        if word.count == 2 { return shortWords.contains(word) }
        guard word.count >= 3, MathParser.isWord(word[...]) else { return false }
        let text = String(decoding: word, as: UTF8.self)
        return MathFunction(commandName: text) == nil && !MathParser.knownNames.contains(text)
    }

    static let shortWords: Set<[UInt8]> = Set(["it", "we", "so", "he", "if", "in", "on", "at"].map { Array($0.utf8) })

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

    static func trimmed(_ s: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Range<Int> {
        var a = r.lowerBound, b = r.upperBound
        while a < b && s[a].isWhitespace { a += 1 }
        while b > a && s[b - 1].isWhitespace { b -= 1 }
        return a..<b
    }
}
