/// Multiple-choice answers: a gold that is one letter A–J (`C`, `(C)`, `\text{(C)}`) switches the grader to
/// comparing letters.
enum ChoiceLetter {
    /// The letter when the whole normalised gold is a choice letter.
    static func gold(_ bytes: [UInt8]) -> UInt8? {
        guard bytes.count <= 32 else { return nil }  // `\textbf{\text{(C)}}` is 19 bytes
        let s = compact(bytes)
        switch s.count {
        case 1: return isChoice(s[0]) ? s[0] : nil
        case 2: return isChoice(s[0]) && (s[1] == .closeParen || s[1] == .dot) ? s[0] : nil
        case 3: return s[0] == .openParen && s[2] == .closeParen && isChoice(s[0 + 1]) ? s[1] : nil
        default: return nil
        }
    }

    /// The letter a prediction names: a leading "C", "(C)", "C)", "C." or "(c)" (followed by nothing or by the
    /// option's text), else the last "(C)" inside it.
    static func prediction(_ bytes: [UInt8]) -> UInt8? {
        let s = compactKeepingSpaces(bytes)
        if s.count >= 3 && s[0] == .openParen && s[2] == .closeParen && s[1].isLetter {
            let letter = s[1] & ~0x20
            if isChoice(letter) { return letter }
        }
        if let first = s.first, isChoice(first), s.count == 1 || [.closeParen, .dot, .colon, .space].contains(s[1]) {
            return first
        }
        var i = s.count - 3
        while i >= 0 {
            if s[i] == .openParen && s[i + 2] == .closeParen && isChoice(s[i + 1]) { return s[i + 1] }
            i -= 1
        }
        return nil
    }

    static func isChoice(_ b: UInt8) -> Bool { b >= UInt8(ascii: "A") && b <= UInt8(ascii: "J") }

    /// Without `\text`-like wrappers, braces and spaces.
    static func compact(_ bytes: [UInt8]) -> [UInt8] {
        compactKeepingSpaces(bytes).filter { $0 != .space }
    }

    static func compactKeepingSpaces(_ bytes: [UInt8]) -> [UInt8] {
        let (content, _) = TextAnswer.stripTextCommands(bytes)
        let kept = content ?? bytes
        var out: [UInt8] = []
        for b in kept where b != .openBrace && b != .closeBrace {
            if b == .space && (out.isEmpty || out.last == .space) { continue }
            out.append(b)
        }
        return out
    }
}
