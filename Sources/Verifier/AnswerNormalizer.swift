/// Turns the raw bytes of an extracted answer (or a gold answer) into the ASCII LaTeX that `MathParser` reads.
///
/// - Unicode math symbols become LaTeX (`−` → `-`, `×` → `\times`, `π` → `\pi`, `√` → `\sqrt`, `°` → `^\circ`,
///   `½` → `\frac{1}{2}` ...); control bytes (NUL included) become spaces; currency symbols vanish.
/// - Wrappers are peeled repeatedly: `$...$`, `$$...$$`, `\(...\)`, `\[...\]`, a whole `\boxed{...}`, redundant
///   outer braces (`{{{3}}}` → `3`, in one linear pass however deep), surrounding spaces and markdown `**`,
///   trailing `.` `,` `;`.
/// - Layout commands with arguments (`\hspace{1mm}`, `\phantom{0}`, `\color{red}`) and old font switches
///   (`\bf`) are dropped.
/// - `$` and `\$` are dropped; numbers are rewritten as people mean them (`AnswerNormalizer+Numbers`):
///   thousands separators removed (`30,552`, `2 500`, `1{,}000`), decimal commas read (`0{,}75`, `1.234,56`).
/// - A whole answer in plain braces holding a comma list (`{2,5}`) is a set, `\{2,5\}`.
enum AnswerNormalizer {
    /// The normalised bytes of `raw`.
    static func normalize<C: Collection<UInt8>>(_ raw: C, budget: WorkBudget) throws(MathFailure) -> [UInt8] {
        try budget.spendScan(raw.count * 5)
        var out = removeLayoutCommands(transcode(raw))
        out = try unwrap(out, budget: budget)
        out = removeDollars(out)
        out = try unwrap(out, budget: budget)
        out = bracesAsSet(out)
        out = normalizeNumbers(out)
        return out
    }

    /// The normalised answer of `span`: its one range's, or each box of a run (with its label) normalised and
    /// the results joined by ", " — a list.
    static func normalize(_ span: AnswerSpan, in s: UnsafeBufferPointer<UInt8>, budget: WorkBudget)
        throws(MathFailure) -> [UInt8]
    {
        if let range = span.single { return try normalize(UnsafeBufferPointer(rebasing: s[range]), budget: budget) }
        var out: [UInt8] = []
        for piece in span.pieces {
            try budget.spend(8)  // a piece's own buffers, beyond its bytes' scan
            var bytes: [UInt8] = []
            if let label = piece.label { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: s[label])) }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: s[piece.content]))
            let normalized = try normalize(bytes, budget: budget)
            guard !normalized.isEmpty else { continue }
            if !out.isEmpty { out.append(contentsOf: [.comma, .space]) }
            out.append(contentsOf: normalized)
        }
        return out
    }

    // MARK: - Unicode

    /// ASCII kept, control bytes to spaces, known math symbols to LaTeX, other characters kept as they are.
    static func transcode<C: Collection<UInt8>>(_ raw: C) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count + 8)
        var it = raw.makeIterator()
        var pending: UInt8? = nil
        while let lead = pending ?? it.next() {
            pending = nil
            if lead < 0x80 {
                out.append(lead < 0x20 || lead == 0x7F ? .space : lead)
                continue
            }
            // Decode one UTF-8 scalar (invalid sequences are kept byte by byte).
            let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
            var bytes: [UInt8] = [lead]
            var scalar = UInt32(lead) & (length == 4 ? 0x07 : length == 3 ? 0x0F : 0x1F)
            var valid = length > 1
            for _ in 1..<max(length, 1) {
                guard let b = it.next() else {
                    valid = false
                    break
                }
                if b & 0xC0 != 0x80 {
                    valid = false
                    pending = b
                    break
                }
                bytes.append(b)
                scalar = scalar << 6 | UInt32(b & 0x3F)
            }
            if valid, let replacement = replacement(for: scalar) {
                out.append(contentsOf: replacement.utf8)
            } else {
                out.append(contentsOf: bytes)
            }
        }
        return out
    }

    /// LaTeX for the Unicode scalars an answer commonly carries.
    static func replacement(for scalar: UInt32) -> String? {
        switch scalar {
        case 0x2212, 0x2013, 0x2014, 0x2010, 0x2011, 0xFE63, 0xFF0D: return "-"
        case 0x00D7, 0x2715, 0x2716: return "\\times "
        case 0x00F7: return "\\div "
        case 0x00B7, 0x22C5, 0x2219: return "\\cdot "
        case 0x03C0: return "\\pi "
        case 0x221A: return "\\sqrt"
        case 0x221B: return "\\sqrt[3]"
        case 0x221E: return "\\infty "
        case 0x00B0, 0x2218: return "^\\circ "
        case 0x2264, 0x2A7D: return "\\le "
        case 0x2265, 0x2A7E: return "\\ge "
        case 0x2260: return "\\ne "
        case 0x2248: return "\\approx "
        case 0x222A: return "\\cup "
        case 0x2229: return "\\cap "
        case 0x2208: return "\\in "
        case 0x2205: return "\\emptyset "
        case 0x211D: return "\\mathbb{R}"
        case 0x00B1: return "\\pm "
        case 0x2213: return "\\mp "
        case 0x00BD: return "\\frac{1}{2}"
        case 0x00BC: return "\\frac{1}{4}"
        case 0x00BE: return "\\frac{3}{4}"
        case 0x2153: return "\\frac{1}{3}"
        case 0x2154: return "\\frac{2}{3}"
        case 0x00B9: return "^1"
        case 0x00B2: return "^2"
        case 0x00B3: return "^3"
        case 0x03B1: return "\\alpha "
        case 0x03B2: return "\\beta "
        case 0x03B8: return "\\theta "
        case 0x03BB: return "\\lambda "
        case 0x03C6: return "\\phi "
        case 0x2032, 0x2019: return "'"
        case 0x00A0, 0x2009, 0x202F, 0x2002, 0x2003, 0x2007, 0x2008, 0x200A, 0x3000, 0xFFFD, 0xFFFE, 0xFFFF:
            return " "
        case 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x20AC, 0x00A3, 0x00A5, 0x20B9: return ""
        default: return nil
        }
    }

    // MARK: - Wrappers

    /// Peels delimiters, a whole `\boxed{}`, redundant braces, spaces and trailing punctuation until none is left.
    /// Each round rescans the span, so rounds are charged to the budget (10,000 nested boxes cannot loop long).
    static func unwrap(_ bytes: [UInt8], budget: WorkBudget) throws(MathFailure) -> [UInt8] {
        var a = 0, b = bytes.count
        var changed = true
        while changed {
            try budget.spendScan(b - a)
            changed = false
            // Markdown bold (`**75**`) is stripped with the spaces.
            while a < b && (bytes[a].isWhitespace || bytes[a] == .colon || bytes[a] == .star
                || (bytes[a] == .equals && a == 0))
            {
                a += 1
            }
            while b > a && (bytes[b - 1].isWhitespace || bytes[b - 1] == .dot || bytes[b - 1] == .comma
                || bytes[b - 1] == .semicolon || bytes[b - 1] == .star)
            {
                if b - 2 >= a && bytes[b - 2] == .backslash && !(b - 3 >= a && bytes[b - 3] == .backslash) {
                    // A trailing spacing command (`\,` `\;` `\ `) goes whole; `\.` stays.
                    if bytes[b - 1] == .dot { break }
                    b -= 1
                }
                b -= 1
            }
            // A trailing LaTeX line break.
            if b - a >= 2 && bytes[b - 1] == .backslash && bytes[b - 2] == .backslash {
                b -= 2
                changed = true
                continue
            }
            if b - a >= 4 && bytes[a] == .dollar && bytes[a + 1] == .dollar && bytes[b - 1] == .dollar
                && bytes[b - 2] == .dollar
            {
                a += 2
                b -= 2
                changed = true
                continue
            }
            if b - a >= 2 && bytes[a] == .dollar && bytes[b - 1] == .dollar && !(b - a >= 3 && bytes[b - 2] == .backslash) {
                a += 1
                b -= 1
                changed = true
                continue
            }
            if b - a >= 4 && bytes[a] == .backslash && bytes[b - 2] == .backslash
                && ((bytes[a + 1] == .openParen && bytes[b - 1] == .closeParen)
                    || (bytes[a + 1] == .openBracket && bytes[b - 1] == .closeBracket))
            {
                a += 2
                b -= 2
                changed = true
                continue
            }
            if bytes[a..<b].starts(with: boxedPrefix) || bytes[a..<b].starts(with: fboxPrefix) {
                var q = a + (bytes[a + 1] == UInt8(ascii: "b") ? boxedPrefix.count : fboxPrefix.count)
                while q < b && bytes[q] == .space { q += 1 }
                if q < b && bytes[q] == .openBrace, let close = ByteScanner.matchingBrace(bytes, from: q, end: b),
                   close == b - 1
                {
                    a = q + 1
                    b -= 1
                    changed = true
                    continue
                }
            }
            var k = redundantBraces(bytes, a, b)
            // `{2,5}` is a set: its braces stay (`bracesAsSet` spells them `\{ \}`).
            if k > 0 && hasTopLevelComma(bytes, (a + k)..<(b - k)) { k -= 1 }
            if k > 0 {
                a += k
                b -= k
                changed = true
            }
        }
        return Array(bytes[a..<b])
    }

    /// Whether `bytes[range]` holds a `,` or `;` outside any bracket.
    static func hasTopLevelComma(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        var depth = 0, q = range.lowerBound
        while q < range.upperBound {
            let c = bytes[q]
            if c == .backslash {
                q += 2
                continue
            }
            if c == .openBrace || c == .openParen || c == .openBracket { depth += 1 }
            if c == .closeBrace || c == .closeParen || c == .closeBracket { depth -= 1 }
            if depth == 0 && (c == .comma || c == .semicolon) { return true }
            q += 1
        }
        return false
    }

    /// `{2,5}` (a whole answer in plain braces holding a list) as the set `\{2,5\}`; other answers unchanged.
    static func bracesAsSet(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.first == .openBrace, bytes.last == .closeBrace,
              ByteScanner.matchingBrace(bytes, from: 0, end: bytes.count) == bytes.count - 1,
              hasTopLevelComma(bytes, 1..<(bytes.count - 1))
        else { return bytes }
        return [.backslash] + bytes.dropLast() + [.backslash, .closeBrace]
    }

    static let boxedPrefix = Array("\\boxed".utf8)
    static let fboxPrefix = Array("\\fbox".utf8)

    /// How many outer brace pairs of `bytes[a..<b]` enclose the whole span (0 if none), in one pass: with `L`
    /// leading `{`, `R` trailing `}` and `m` the lowest depth reached between them, it is `min(L, R, m)`.
    static func redundantBraces(_ bytes: [UInt8], _ a: Int, _ b: Int) -> Int {
        var leading = 0
        while a + leading < b && bytes[a + leading] == .openBrace { leading += 1 }
        guard leading > 0 else { return 0 }
        var trailing = 0
        while b - 1 - trailing > a + leading && bytes[b - 1 - trailing] == .closeBrace { trailing += 1 }
        // A trailing "\}" is an escaped brace, not a group end.
        if trailing > 0 && bytes[b - 1 - trailing] == .backslash { trailing -= 1 }
        guard trailing > 0 else { return 0 }
        var depth = leading, lowest = leading
        var q = a + leading
        let stop = b - trailing
        while q < stop {
            let c = bytes[q]
            if c == .backslash {
                q += 2
                continue
            }
            if c == .openBrace { depth += 1 }
            if c == .closeBrace {
                depth -= 1
                if depth < 0 { return 0 }
                lowest = min(lowest, depth)
            }
            q += 1
        }
        guard depth == trailing else { return 0 }
        return min(leading, trailing, lowest)
    }

    // MARK: - Currency and separators

    /// Whether `\(` `\)` `\[` or `\]` occurs (checked before `removeDollars` copies anything).
    static func hasInnerDelimiter(_ bytes: [UInt8]) -> Bool {
        var previous: UInt8 = 0
        for b in bytes {
            if previous == .backslash
                && (b == .openParen || b == .closeParen || b == .openBracket || b == .closeBracket)
            {
                return true
            }
            previous = previous == .backslash && b == .backslash ? 0 : b
        }
        return false
    }

    /// Drops `$` and `\$` (math delimiters left inside, as in "$x = 3$ and $y = 4$", and currency signs), and
    /// inner `\(` `\)` `\[` `\]` delimiters.
    static func removeDollars(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.contains(.dollar) || hasInnerDelimiter(bytes) else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for b in bytes {
            if b == .dollar {
                if out.last == .backslash { out.removeLast() }
                continue
            }
            if (b == .openParen || b == .closeParen || b == .openBracket || b == .closeBracket), out.last == .backslash,
               !(out.count >= 2 && out[out.count - 2] == .backslash)
            {
                out.removeLast()
                continue
            }
            out.append(b)
        }
        return out
    }
}
