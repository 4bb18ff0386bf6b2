extension AnswerNormalizer {
    /// The normalised answer with spaces and layout commands removed and `\dfrac`/`\tfrac` spelled `\frac`:
    /// two answers with the same key are the same answer, whether or not they parse.
    static func comparisonKey(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b.isWhitespace {
                i += 1
                continue
            }
            if b == .backslash && i + 1 < bytes.count {
                var q = i + 1
                if bytes[q].isLetter {
                    while q < bytes.count && bytes[q].isLetter { q += 1 }
                } else {
                    q += 1
                }
                let name = String(decoding: bytes[(i + 1)..<q], as: UTF8.self)
                if MathParser.triviaCommands.contains(name) {
                    i = q
                    continue
                }
                if name == "dfrac" || name == "tfrac" {
                    out.append(contentsOf: Array("\\frac".utf8))
                    i = q
                    continue
                }
                out.append(contentsOf: bytes[i..<q])
                i = q
                continue
            }
            out.append(b)
            i += 1
        }
        return out
    }
}
