/// Finds added tokens in text the way Hugging Face's `AddedVocabulary::find_matches` does.
///
/// Matching is leftmost-longest and non-overlapping (its Aho-Corasick `LeftmostLongest` search): at the first
/// position where any token matches, the longest one there wins, and the search resumes after it. A
/// `singleWord` match next to a word character is skipped (its text is not searched again); `lstrip`/`rstrip`
/// widen a match over neighbouring whitespace. Tokens are bucketed by first byte, so plain text costs one table
/// load per byte.
struct AddedTokenMatcher: Sendable {
    /// One piece of the split: text to tokenize further, or an added token's id.
    enum Piece {
        case text(Range<Int>)
        case token(Int32)
    }

    private struct Entry: Sendable {
        let bytes: [UInt8]
        let token: AddedToken
    }

    /// Entries by first byte, longest first.
    private let buckets: [[Entry]]
    /// Whether any token starts with this byte.
    private let starts: [Bool]
    let isEmpty: Bool

    init(_ tokens: [AddedToken]) {
        var buckets = [[Entry]](repeating: [], count: 256)
        for token in tokens where !token.content.isEmpty {
            let bytes = Array(token.content.utf8)
            buckets[Int(bytes[0])].append(Entry(bytes: bytes, token: token))
        }
        for index in buckets.indices { buckets[index].sort { $0.bytes.count > $1.bytes.count } }
        self.buckets = buckets
        starts = buckets.map { !$0.isEmpty }
        isEmpty = tokens.allSatisfy(\.content.isEmpty)
    }

    /// Calls `body` with the pieces of `text` in order: the added tokens found and the text between them.
    func split(_ text: UnsafeBufferPointer<UInt8>, _ body: (Piece) throws -> Void) rethrows {
        guard !isEmpty else {
            if !text.isEmpty { try body(.text(0..<text.count)) }
            return
        }
        var pieceStart = 0
        var search = 0
        while let (matchStart, entry) = nextMatch(in: text, from: search) {
            var start = matchStart
            var stop = matchStart + entry.bytes.count
            search = stop
            let token = entry.token
            if token.singleWord {
                let wordBefore = start > 0 && Self.isWordCharacter(Self.scalar(endingAt: start, in: text))
                let wordAfter = stop < text.count && Self.isWordCharacter(Self.scalar(startingAt: stop, in: text))
                if wordBefore || wordAfter { continue }
            }
            if token.lstrip {
                var newStart = start
                while newStart > 0 {
                    let scalar = Self.scalar(endingAt: newStart, in: text)
                    guard scalar.properties.isWhitespace else { break }
                    newStart -= UTF8.width(scalar)
                }
                start = max(newStart, pieceStart)
            }
            if token.rstrip {
                while stop < text.count {
                    let scalar = Self.scalar(startingAt: stop, in: text)
                    guard scalar.properties.isWhitespace else { break }
                    stop += UTF8.width(scalar)
                }
            }
            if pieceStart < start { try body(.text(pieceStart..<start)) }
            try body(.token(token.id))
            pieceStart = stop
        }
        if pieceStart < text.count { try body(.text(pieceStart..<text.count)) }
    }

    /// The leftmost position at or after `from` where a token matches, with the longest token there.
    private func nextMatch(in text: UnsafeBufferPointer<UInt8>, from: Int) -> (Int, Entry)? {
        var position = from
        while position < text.count {
            let first = Int(text[position])
            if starts[first] {
                let remaining = text.count - position
                for entry in buckets[first] where entry.bytes.count <= remaining {
                    let matches = entry.bytes.withUnsafeBufferPointer { candidate in
                        var index = 1
                        while index < candidate.count, candidate[index] == text[position + index] { index += 1 }
                        return index == candidate.count
                    }
                    if matches { return (position, entry) }
                }
            }
            position += 1
        }
        return nil
    }

    /// Rust's `char::is_alphanumeric() || c == '_'`.
    private static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "_" || scalar.properties.isAlphabetic { return true }
        switch scalar.properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber: return true
        default: return false
        }
    }

    /// The scalar whose UTF-8 encoding starts at byte `index` (the text is valid UTF-8).
    private static func scalar(startingAt index: Int, in text: UnsafeBufferPointer<UInt8>) -> Unicode.Scalar {
        var iterator = text[index...].makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let scalar) = decoder.decode(&iterator) { return scalar }
        return "\u{FFFD}"
    }

    /// The scalar whose UTF-8 encoding ends just before byte `index`.
    private static func scalar(endingAt index: Int, in text: UnsafeBufferPointer<UInt8>) -> Unicode.Scalar {
        var start = index - 1
        while start > 0, text[start] & 0xC0 == 0x80 { start -= 1 }
        return scalar(startingAt: start, in: text)
    }
}
