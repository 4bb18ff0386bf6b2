/// Numbers as people write them, and layout commands that carry an argument.
extension AnswerNormalizer {
    /// Rewrites the numbers of a normalised answer the way their writer means them:
    ///
    /// - `{,}` (LaTeX's comma without a space) is a thousands separator before exactly three digits after a
    ///   1–3 digit group that does not start with 0 (`1{,}000`), else a decimal comma (`0{,}75`, `7{,}5`).
    /// - `1.234,56` (dots between groups of three, then a comma) is 1234.56.
    /// - `,` `\,` `\ ` `~` `\;` `\!` and a single space between a 1–3 digit group that does not start with 0
    ///   and following groups of exactly three digits are thousands separators (`30,552`, `2 500`, `1\,000`);
    ///   after space-separated groups a comma is decimal (`2 500,5`).
    /// - Any other comma between digits (`3,5`, `0,125`) is left for `MathParser`, which reads it both ways.
    /// - In a bracketed answer (`(1,234)` is a pair) only `{,}` is rewritten, and when its items are separated
    ///   by `;` its commas between digits are decimal commas (`(1,5; 2)` is (1.5, 2)).
    static func normalizeNumbers(_ bytes: [UInt8]) -> [UInt8] {
        guard mayHoldFormattedNumber(bytes) else { return bytes }
        let bracketed = isBracketed(bytes)
        let semicolonItems = bracketed && bytes.contains(.semicolon)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        let n = bytes.count
        while i < n {
            let c = bytes[i]
            guard c.isDigit, i == 0 || !(bytes[i - 1].isDigit || bytes[i - 1] == .dot) else {
                out.append(c)
                i += 1
                continue
            }
            var q = i
            while q < n && bytes[q].isDigit { q += 1 }
            let thousandsLead = (1...3).contains(q - i) && c != UInt8(ascii: "0")
            if !bracketed, thousandsLead, let end = germanNumberEnd(bytes, from: q) {
                appendGerman(bytes[i..<end], to: &out)
                i = end
                continue
            }
            out.append(contentsOf: bytes[i..<q])
            i = q
            var spaceGrouped = false
            while thousandsLead, let separator = separatorLength(bytes, at: i), !bracketed || separator == 3,
                  i + separator + 3 <= n, bytes[(i + separator)..<(i + separator + 3)].allSatisfy(\.isDigit),
                  i + separator + 3 == n || !bytes[i + separator + 3].isDigit
            {
                if bytes[i] != .comma && separator != 3 { spaceGrouped = true }
                out.append(contentsOf: bytes[(i + separator)..<(i + separator + 3)])
                i += separator + 3
            }
            if i + 3 < n && bytes[i] == .openBrace && bytes[i + 1] == .comma && bytes[i + 2] == .closeBrace
                && bytes[i + 3].isDigit
            {
                out.append(.dot)
                i += 3
            } else if i + 1 < n && bytes[i] == .comma && bytes[i + 1].isDigit && (spaceGrouped || semicolonItems) {
                out.append(.dot)
                i += 1
            }
        }
        return out
    }

    /// Whether a digit is followed by a byte that can start a separator or a decimal part (`,` space `~` `\` `{`
    /// `.`): without one there is nothing to rewrite (the common case, checked without allocating).
    static func mayHoldFormattedNumber(_ bytes: [UInt8]) -> Bool {
        var previousIsDigit = false
        for b in bytes {
            if previousIsDigit
                && (b == .comma || b == .space || b == .tilde || b == .backslash || b == .openBrace || b == .dot)
            {
                return true
            }
            previousIsDigit = b.isDigit
        }
        return false
    }

    /// Whether the answer opens with a bracket (a tuple, interval, set or `\left(`).
    static func isBracketed(_ bytes: [UInt8]) -> Bool {
        guard let first = bytes.first else { return false }
        return first == .openParen || first == .openBracket || first == .openBrace
            || (first == .backslash && bytes.count > 1 && (bytes[1] == .openBrace || bytes[1] == UInt8(ascii: "l")))
    }

    /// Length of a thousands separator at `i` (`,` `\,` `\ ` `~` `\;` `\!` a single space, or 3 for `{,}`).
    static func separatorLength(_ s: [UInt8], at i: Int) -> Int? {
        guard i < s.count else { return nil }
        if s[i] == .comma && i + 2 < s.count && s[i + 1] == .backslash && s[i + 2] == .bang { return 3 }  // `1,\!260`
        if s[i] == .comma || s[i] == .tilde { return 1 }
        if s[i] == .space { return i + 1 < s.count && s[i + 1].isDigit ? 1 : nil }
        if s[i] == .openBrace && i + 2 < s.count && s[i + 1] == .comma && s[i + 2] == .closeBrace { return 3 }
        if s[i] == .backslash && i + 1 < s.count
            && (s[i + 1] == .comma || s[i + 1] == .space || s[i + 1] == .semicolon || s[i + 1] == .bang)
        {
            return 2
        }
        return nil
    }

    /// The end of a German-style number's tail at `i` (after its lead group): one or more `.ddd` groups, then
    /// `,` and digits; nil if the bytes are not that.
    static func germanNumberEnd(_ s: [UInt8], from i: Int) -> Int? {
        var q = i, groups = 0
        while q + 3 < s.count && s[q] == .dot && s[(q + 1)...(q + 3)].allSatisfy(\.isDigit)
            && (q + 4 == s.count || !s[q + 4].isDigit)
        {
            q += 4
            groups += 1
        }
        guard groups > 0, q + 1 < s.count, s[q] == .comma, s[q + 1].isDigit else { return nil }
        q += 1
        while q < s.count && s[q].isDigit { q += 1 }
        return q
    }

    /// `1.234,56` as `1234.56`.
    static func appendGerman(_ number: ArraySlice<UInt8>, to out: inout [UInt8]) {
        for b in number where b != .dot { out.append(b == .comma ? .dot : b) }
    }

    /// The end of a `{\%}` / `{%}` argument (spaces allowed) at `i`, or nil.
    static func textPercentEnd(_ s: [UInt8], from i: Int) -> Int? {
        var q = i
        while q < s.count && s[q] == .space { q += 1 }
        guard q < s.count, s[q] == .openBrace else { return nil }
        q += 1
        while q < s.count && s[q] == .space { q += 1 }
        if q < s.count && s[q] == .backslash { q += 1 }
        guard q < s.count, s[q] == .percentSign else { return nil }
        q += 1
        while q < s.count && s[q] == .space { q += 1 }
        return q < s.count && s[q] == .closeBrace ? q + 1 : nil
    }

    // MARK: - Layout commands with arguments

    static let layoutWithArgument: Set<String> = [
        "hspace", "vspace", "phantom", "hphantom", "vphantom", "color", "mspace", "kern", "hskip", "textcolor",
    ]
    static let fontSwitches: Set<String> = [
        "bf", "rm", "it", "sf", "tt", "mathstrut", "strut", "small", "large", "Large", "normalsize", "boldmath",
    ]

    /// Drops `\hspace{...}`, `\phantom{...}`, `\color{...}` (with their argument; `\textcolor{c}{x}` keeps `{x}`)
    /// and old font switches (`{\bf 7}`), which only change how an answer looks; `\text{\%}` becomes `\%`. An
    /// answer with none of these is returned as it is, without a copy.
    static func removeLayoutCommands(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8]?
        var copied = 0
        func replace(_ range: Range<Int>, with replacement: [UInt8]) {
            if out == nil { out = []; out?.reserveCapacity(bytes.count) }
            out?.append(contentsOf: bytes[copied..<range.lowerBound])
            out?.append(contentsOf: replacement)
            copied = range.upperBound
        }
        var i = 0
        while i < bytes.count {
            guard bytes[i] == .backslash, i + 1 < bytes.count, bytes[i + 1].isLetter else {
                i += 1
                continue
            }
            var q = i + 1
            while q < bytes.count && bytes[q].isLetter { q += 1 }
            let name = String(decoding: bytes[(i + 1)..<q], as: UTF8.self)
            if fontSwitches.contains(name) {
                replace(i..<q, with: [])
            } else if MathParser.textCommands.contains(name), let end = textPercentEnd(bytes, from: q) {
                replace(i..<end, with: [.backslash, .percentSign])
                q = end
            } else if layoutWithArgument.contains(name) {
                var k = q
                if k < bytes.count && bytes[k] == .star { k += 1 }
                while k < bytes.count && bytes[k] == .space { k += 1 }
                // Layout arguments are short (`1mm`, `red`, `0`); a bounded search keeps this linear.
                if k < bytes.count && bytes[k] == .openBrace,
                   let close = ByteScanner.matchingBrace(bytes, from: k, end: min(bytes.count, k + 64))
                {
                    replace(i..<(close + 1), with: [])
                    q = close + 1
                }
            }
            i = q
        }
        guard var result = out else { return bytes }
        result.append(contentsOf: bytes[copied...])
        return result
    }
}
