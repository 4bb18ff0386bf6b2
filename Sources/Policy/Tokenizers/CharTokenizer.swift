/// The built-in character tokenizer for the synthetic math curriculum: one id per character, nothing to load.
///
/// Ids (fixed; `CharTokenizer.builtin` has exactly these):
///
/// | id | token |
/// | --- | --- |
/// | 0 | `<pad>` |
/// | 1 | `<bos>` |
/// | 2 | `<eos>` |
/// | 3 | `<unk>`: any character outside the alphabet (tab, `\r`, non-ASCII), one per Unicode scalar |
/// | 4 | `"\n"` |
/// | 5 … 99 | printable ASCII `" "` (0x20) … `"~"` (0x7E), in byte order: id = byte − 27 |
///
/// The four special tokens are matched where their text appears (`"<eos>"` encodes to 2), as added tokens are
/// in `BPETokenizer`; `<unk>` decodes to its own text. Deterministic and allocation-light: encoding is a table
/// lookup per byte.
public struct CharTokenizer: Tokenizer, Equatable {
    public static let padID: Int32 = 0
    public static let bosID: Int32 = 1
    public static let eosID: Int32 = 2
    public static let unknownID: Int32 = 3
    public static let newlineID: Int32 = 4
    /// Id of the first printable character, `" "`.
    public static let firstPrintableID: Int32 = 5

    /// The tokenizer with the table above.
    public static let builtin = CharTokenizer()

    private static let specialSpellings = ["<pad>", "<bos>", "<eos>", "<unk>"]

    /// 100: four special tokens, newline, 95 printable ASCII characters.
    public var vocabSize: Int { Int(Self.firstPrintableID) + 95 }

    public var specialTokens: SpecialTokenIDs {
        SpecialTokenIDs(bos: Self.bosID, eos: Self.eosID, pad: Self.padID, unk: Self.unknownID)
    }

    private init() {}

    /// One id per Unicode scalar (special-token spellings excepted); unknown scalars become `<unk>`.
    public func encode(_ text: String) -> [Int32] {
        var ids: [Int32] = []
        ids.reserveCapacity(text.utf8.count)
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "<", let special = specialID(in: scalars, at: index) {
                ids.append(special)
                index += Self.specialSpellings[Int(special)].unicodeScalars.count
                continue
            }
            ids.append(Self.id(of: scalar))
            index += 1
        }
        return ids
    }

    /// The characters of `ids`; ids outside `0..<vocabSize` are skipped.
    public func decode(_ ids: [Int32], skipSpecialTokens: Bool) -> String {
        var text = ""
        for id in ids {
            if skipSpecialTokens, isSpecial(id) { continue }
            if let token = token(for: id) { text += token }
        }
        return text
    }

    public func token(for id: Int32) -> String? {
        switch id {
        case 0..<Self.newlineID: Self.specialSpellings[Int(id)]
        case Self.newlineID: "\n"
        case Self.firstPrintableID..<Int32(vocabSize): String(UnicodeScalar(UInt8(id - Self.firstPrintableID + 0x20)))
        default: nil
        }
    }

    public func id(for token: String) -> Int32? {
        if let special = Self.specialSpellings.firstIndex(of: token) { return Int32(special) }
        let scalars = Array(token.unicodeScalars)
        guard scalars.count == 1 else { return nil }
        let id = Self.id(of: scalars[0])
        return id == Self.unknownID ? nil : id
    }

    /// `<pad>`, `<bos>`, `<eos>` and `<unk>`.
    public func isSpecial(_ id: Int32) -> Bool { id >= 0 && id < Self.newlineID }

    private static func id(of scalar: Unicode.Scalar) -> Int32 {
        switch scalar.value {
        case 0x0A: newlineID
        case 0x20...0x7E: Int32(scalar.value) - 0x20 + firstPrintableID
        default: unknownID
        }
    }

    /// The special token whose spelling starts at `index`, if any.
    private func specialID(in scalars: [Unicode.Scalar], at index: Int) -> Int32? {
        for (id, spelling) in Self.specialSpellings.enumerated() {
            let candidate = Array(spelling.unicodeScalars)
            if index + candidate.count <= scalars.count, Array(scalars[index..<(index + candidate.count)]) == candidate {
                return Int32(id)
            }
        }
        return nil
    }
}
