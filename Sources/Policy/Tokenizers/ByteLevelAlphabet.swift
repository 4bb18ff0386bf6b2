/// GPT-2's byte ↔ unicode map, which byte-level BPE vocabularies are written in.
///
/// Each of the 256 byte values stands for one printable character: the printable Latin-1 bytes
/// (`!`…`~`, `¡`…`¬`, `®`…`ÿ`) for themselves, the other 68 bytes for U+0100 onwards in byte order. So the
/// vocabulary entry `Ġthe` is the bytes ` the`.
enum ByteLevelAlphabet {
    /// `scalarForByte[b]` is the character standing for byte `b`.
    static let scalarForByte: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: " ", count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            let printable = (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
            if printable {
                table[byte] = Unicode.Scalar(UInt8(byte))
            } else {
                table[byte] = Unicode.Scalar(next)!
                next += 1
            }
        }
        return table
    }()

    /// The byte a character stands for, or nil if it is not one of the 256.
    static func byte(for scalar: Unicode.Scalar) -> UInt8? {
        let value = scalar.value
        switch value {
        case 0x21...0x7E, 0xA1...0xAC, 0xAE...0xFF: return UInt8(value)
        case 0x100..<0x144: return byteForOffset[Int(value - 0x100)]
        default: return nil
        }
    }

    /// The bytes that `vocabularyString` stands for, or nil if any of its characters is outside the alphabet.
    static func bytes(of vocabularyString: String) -> [UInt8]? {
        var out: [UInt8] = []
        return append(vocabularyString, to: &out) ? out : nil
    }

    /// Appends the bytes `vocabularyString` stands for to `output` and returns true, or returns false (leaving
    /// `output` partly extended) if a character is outside the alphabet. Works on the UTF-8 directly: every
    /// alphabet character is printable ASCII or a two-byte sequence led by 0xC2…0xC5.
    static func append(_ vocabularyString: String, to output: inout [UInt8]) -> Bool {
        var spelling = vocabularyString
        return spelling.withUTF8 { utf8 in
            var index = 0
            while index < utf8.count {
                let lead = utf8[index]
                if lead < 0x80 {
                    guard lead >= 0x21, lead <= 0x7E else { return false }
                    output.append(lead)
                    index += 1
                    continue
                }
                guard index + 1 < utf8.count else { return false }
                let value = UInt32(lead & 0x1F) << 6 | UInt32(utf8[index + 1] & 0x3F)
                guard lead >= 0xC2, lead <= 0xC5, let byte = byte(for: Unicode.Scalar(value)!) else { return false }
                output.append(byte)
                index += 2
            }
            return true
        }
    }

    /// The vocabulary spelling of raw `bytes` (e.g. ` the` → `Ġthe`).
    static func string(of bytes: some Sequence<UInt8>) -> String {
        var out = String.UnicodeScalarView()
        for byte in bytes { out.append(scalarForByte[Int(byte)]) }
        return String(out)
    }

    /// Bytes for U+0100…U+0143, in order: the 68 non-printable byte values.
    private static let byteForOffset: [UInt8] = (0..<256).compactMap { byte -> UInt8? in
        let printable = (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
        return printable ? nil : UInt8(byte)
    }
}
