/// Plain-text answers (`\text{odd}`, `Tuesday`, `no solution`) and the folded form they compare by.
enum TextAnswer {
    /// The folded text when the normalised answer is words rather than math: letters, spaces and light
    /// punctuation only (no digits, no commands besides `\text`-like wrappers), with at least one English word
    /// (three or more letters with a vowel, not a function name) — or a whole `\text{...}` of two or more letters.
    static func detect(_ bytes: [UInt8]) -> String? {
        // A digit anywhere makes it math (the loop below would refuse it); most answers stop here, unallocated.
        if bytes.contains(where: \.isDigit) { return nil }
        let (content, wrapped) = stripTextCommands(bytes)
        guard let content else { return nil }
        var letters = 0, hasWord = false
        var run: [UInt8] = []
        for b in content + [UInt8.space] {
            if b.isLetter {
                letters += 1
                run.append(b.lowercased)
                continue
            }
            if run == Self.no {
                hasWord = true
            } else if run.count >= 3 && MathParser.isWord(run[...]) {
                let word = String(decoding: run, as: UTF8.self)
                if word != "and" && MathFunction(commandName: word) == nil && !MathParser.knownNames.contains(word) {
                    hasWord = true
                }
            }
            run.removeAll(keepingCapacity: true)
            guard b == .space || b == .minus || b == .quote || b == .dot || b == .comma || b == .bang
                || b == UInt8(ascii: "?")
            else { return nil }
        }
        guard hasWord || (wrapped && letters >= 2) else { return nil }
        return fold(content)
    }

    static let no = Array("no".utf8)

    /// The value a text answer names, when it names one: a number word ("five", "twenty-one", "a hundred")
    /// or "all real numbers" (ℝ, as an interval). Nil for other text.
    static func meaning(_ folded: String) -> MathExpression? {
        if realLine.contains(folded) {
            return .interval(lower: .negate(.infinity), upper: .infinity, lowerClosed: false, upperClosed: false)
        }
        return NumberWords.value(folded).map { .number(Rational($0)) }
    }

    static let realLine: Set<String> = [
        "all real numbers", "all reals", "all real values", "every real number", "the set of all real numbers",
        "all real x", "real numbers",
    ]

    /// Lower-case letters and digits, words separated by single spaces, punctuation dropped.
    static func fold<C: Collection<UInt8>>(_ bytes: C) -> String {
        var out: [UInt8] = []
        var pendingSpace = false
        for b in bytes {
            if b.isLetter || b.isDigit {
                if pendingSpace && !out.isEmpty { out.append(.space) }
                pendingSpace = false
                out.append(b.lowercased)
            } else if b == .space {
                pendingSpace = true
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes with `\text{...}`-like wrappers (and their braces) removed, and whether any was present; nil
    /// content if another command remains (then it is math, not text).
    static func stripTextCommands(_ bytes: [UInt8]) -> (content: [UInt8]?, wrapped: Bool) {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var wrapped = false
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == .backslash {
                var q = i + 1
                while q < bytes.count && bytes[q].isLetter { q += 1 }
                let name = String(decoding: bytes[(i + 1)..<q], as: UTF8.self)
                if MathParser.textCommands.contains(name) || name == "textsf" || name == "texttt" {
                    wrapped = true
                    i = q
                    continue
                }
                if name.isEmpty && q < bytes.count && (bytes[q] == .space || bytes[q] == .comma) {
                    out.append(.space)
                    i = q + 1
                    continue
                }
                return (nil, wrapped)
            }
            if b == .openBrace || b == .closeBrace {
                i += 1
                continue
            }
            out.append(b)
            i += 1
        }
        return (out, wrapped)
    }
}
