/// The last-number fallback, and numbers as people write them in running text.
extension AnswerExtractor {
    /// The last number (`-1,234.5`, `3/4`, `2 500`, `350,75`, `.25`) or `$...$` / `\(...\)` span, whichever ends
    /// later.
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
                if let fraction = bareFraction(s, at: i) {
                    // An undelimited `\frac{7}{3}` (or `2 \frac{1}{3}`) is one number, not its last digit.
                    lastNumber = fraction
                    i = fraction.upperBound
                    continue
                }
                i += 2
                continue
            }
            if c.isDigit && (i == 0 || !(s[i - 1].isLetter || s[i - 1].isDigit)) {
                let number = numberRange(s, at: i)
                lastNumber = number
                i = number.upperBound
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

    /// The number whose first digit is at `i`, with a leading `-` or `.` (`.25`), thousands groups after a
    /// comma or a space (ASCII, no-break or thin: `2 500`), a decimal point or a decimal comma (`350,75`, not
    /// a list `1,2,3`), and a `/denominator` or the fraction of a mixed number (`2 1/3`).
    static func numberRange(_ s: UnsafeBufferPointer<UInt8>, at i: Int) -> Range<Int> {
        let n = s.count
        var a = i
        if a > 0 && s[a - 1] == .dot && (a < 2 || !s[a - 2].isDigit) { a -= 1 }
        if a > 0 && s[a - 1] == .minus { a -= 1 }
        var b = i
        while b < n && s[b].isDigit { b += 1 }
        let leadLength = b - i
        while let separator = groupSeparatorLength(s, at: b), b + separator + 3 <= n,
              s[b] == .comma || (leadLength <= 3 && s[i] != UInt8(ascii: "0")),
              (0..<3).allSatisfy({ s[b + separator + $0].isDigit }),
              b + separator + 3 >= n || !s[b + separator + 3].isDigit
        {
            b += separator + 3
        }
        if b + 1 < n && s[b] == .dot && s[b + 1].isDigit {
            b += 1
            while b < n && s[b].isDigit { b += 1 }
        } else if b + 1 < n && s[b] == .comma && s[b + 1].isDigit
            && !(i >= 2 && s[i - 1] == .comma && s[i - 2].isDigit)
        {
            // A decimal comma, unless this number is in a comma-separated list (`1,2,3`).
            var q = b + 1
            while q < n && s[q].isDigit { q += 1 }
            if !(q + 1 < n && s[q] == .comma && s[q + 1].isDigit) { b = q }
        }
        if b + 1 < n && s[b] == .slash && s[b + 1].isDigit {
            b += 1
            while b < n && s[b].isDigit { b += 1 }
        } else if b == i + leadLength, let fractionEnd = mixedFractionEnd(s, at: b) {
            b = fractionEnd  // `2 1/3`
        }
        return a..<b
    }

    static let fractionCommands: [[UInt8]] = ["frac", "dfrac", "tfrac"].map { Array($0.utf8) }

    /// The range of `\frac{a}{b}` at `i` (also `\dfrac`, `\tfrac`; with a leading `-` or a whole part `2 `)
    /// when both arguments are short and hold no braces; nil otherwise.
    static func bareFraction(_ s: UnsafeBufferPointer<UInt8>, at i: Int) -> Range<Int>? {
        guard let name = fractionCommands.first(where: { ByteScanner.matches(s, at: i + 1, $0) }) else { return nil }
        var q = i + 1 + name.count
        for _ in 0..<2 {
            guard q < s.count, s[q] == .openBrace else { return nil }
            let open = q
            q += 1
            while q < s.count && q - open <= 32 && s[q] != .closeBrace && s[q] != .openBrace { q += 1 }
            guard q < s.count, s[q] == .closeBrace, q > open + 1 else { return nil }
            q += 1
        }
        var a = i
        while a > 0 && s[a - 1] == .space { a -= 1 }
        if a > 0 && s[a - 1].isDigit {
            while a > 0 && s[a - 1].isDigit { a -= 1 }
        } else {
            a = i
        }
        if a > 0 && s[a - 1] == .minus { a -= 1 }
        return a..<q
    }

    /// The end of ` 1/3` (one space, integer, slash, integer) at `i`: the fraction of a mixed number `2 1/3`.
    static func mixedFractionEnd(_ s: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        guard i + 4 <= s.count, s[i] == .space, s[i + 1].isDigit else { return nil }
        var q = i + 1
        while q < s.count && s[q].isDigit { q += 1 }
        guard q + 1 < s.count, s[q] == .slash, s[q + 1].isDigit else { return nil }
        q += 1
        while q < s.count && s[q].isDigit { q += 1 }
        return q
    }

    /// The length of a thousands separator at `i` in running text: `,`, a space, U+00A0, U+2009 or U+202F.
    static func groupSeparatorLength(_ s: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        guard i < s.count else { return nil }
        if s[i] == .comma || s[i] == .space { return 1 }
        if s[i] == 0xC2 && i + 1 < s.count && s[i + 1] == 0xA0 { return 2 }
        if s[i] == 0xE2 && i + 2 < s.count && s[i + 1] == 0x80 && (s[i + 2] == 0x89 || s[i + 2] == 0xAF) { return 3 }
        return nil
    }
}
