/// A pre-tokenizer split pattern, recognised from its regex text and run as a hand-written scanner.
///
/// Byte-level BPE tokenizers split text into pieces with one of a few well-known regexes before BPE. Instead of
/// a regex engine, each known pattern is implemented as a scanner over the UTF-8 bytes that reproduces the
/// regex's leftmost-first alternation, greedy runs and backtracking exactly (derivations beside each branch).
/// A pattern text that is not one of these is refused when the tokenizer is loaded.
struct PreTokenizerPattern: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// GPT-2 (`ByteLevel(use_regex: true)`):
        /// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
        case gpt2
        /// Qwen2 (`maxDigits` 1), Llama-3 (`maxDigits` 3) and Qwen3.5 (`marksAreLetters`):
        /// `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,maxDigits}| ?[^\s\p{L}\p{N}]+[\r\n]*|`
        /// `\s*[\r\n]+|\s+(?!\S)|\s+` (with `[\p{L}\p{M}]` for letters in the Qwen3.5 variant).
        case llama3(maxDigits: Int, marksAreLetters: Bool)
    }

    let kind: Kind

    /// GPT-2's pattern, which `ByteLevel(use_regex: true)` applies.
    static let gpt2 = PreTokenizerPattern(kind: .gpt2)

    /// The pattern texts recognised, as they appear in tokenizer.json (`Split.pattern.Regex`).
    static let known: [String: PreTokenizerPattern] = [
        #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#: .gpt2,
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#:
            PreTokenizerPattern(kind: .llama3(maxDigits: 1, marksAreLetters: false)),
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#:
            PreTokenizerPattern(kind: .llama3(maxDigits: 3, marksAreLetters: false)),
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?[\p{L}\p{M}]+|\p{N}| ?[^\s\p{L}\p{M}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#:
            PreTokenizerPattern(kind: .llama3(maxDigits: 1, marksAreLetters: true)),
    ]

    /// Calls `body` with the byte range of each piece of `text` (valid UTF-8), in order; the pieces tile it.
    @inline(__always)
    /// `classes` is `ScalarClass.basicPlane`, passed in so the hot loop does not re-check a lazy global.
    func forEachPiece(in text: UnsafeBufferPointer<UInt8>, classes: [ScalarClass],
                      _ body: (Range<Int>) throws -> Void) rethrows {
        var scanner = Scanner(bytes: text, classes: classes)
        var start = 0
        switch kind {
        case .gpt2:
            while start < text.count {
                let end = scanner.gpt2PieceEnd(from: start)
                try body(start..<end)
                start = end
            }
        case let .llama3(maxDigits, marksAreLetters):
            scanner.marksAreLetters = marksAreLetters
            while start < text.count {
                let end = scanner.llama3PieceEnd(from: start, maxDigits: maxDigits)
                try body(start..<end)
                start = end
            }
        }
    }
}

/// The scanner behind `PreTokenizerPattern`: UTF-8 decoding plus one function per pattern family.
private struct Scanner {
    let bytes: UnsafeBufferPointer<UInt8>
    let classes: [ScalarClass]
    var marksAreLetters = false

    init(bytes: UnsafeBufferPointer<UInt8>, classes: [ScalarClass]) {
        self.bytes = bytes
        self.classes = classes
    }

    /// The scalar starting at byte `i` (input is valid UTF-8) and its class.
    @inline(__always)
    func scalar(at i: Int) -> (value: UInt32, length: Int, kind: ScalarClass) {
        let lead = bytes[i]
        if lead < 0x80 { return (UInt32(lead), 1, classes[Int(lead)]) }
        let value: UInt32
        let length: Int
        if lead < 0xE0 {
            value = UInt32(lead & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F)
            length = 2
        } else if lead < 0xF0 {
            value = UInt32(lead & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F)
            length = 3
        } else {
            value = UInt32(lead & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12 | UInt32(bytes[i + 2] & 0x3F) << 6
                | UInt32(bytes[i + 3] & 0x3F)
            length = 4
        }
        return (value, length, value < 0x1_0000 ? classes[Int(value)] : ScalarClass.of(value))
    }

    @inline(__always)
    func isLetter(_ kind: ScalarClass) -> Bool { kind == .letter || (marksAreLetters && kind == .mark) }

    /// `[^\s\p{L}\p{N}]` (and not `\p{M}` when marks are letters).
    @inline(__always)
    func isOther(_ kind: ScalarClass) -> Bool { kind == .other || (!marksAreLetters && kind == .mark) }

    /// End of the run of scalars from `i` whose class satisfies `accept`.
    @inline(__always)
    func runEnd(from i: Int, _ accept: (ScalarClass) -> Bool) -> Int {
        var j = i
        while j < bytes.count {
            let next = scalar(at: j)
            guard accept(next.kind) else { break }
            j += next.length
        }
        return j
    }

    /// After an apostrophe at `i - 1`: the end of `'s|'t|'re|'ve|'m|'ll|'d`, or nil. Case-insensitive matching
    /// follows Unicode case folding, under which U+017F (ſ) is an `s`.
    @inline(__always)
    func contractionEnd(after i: Int, caseInsensitive: Bool) -> Int? {
        guard i < bytes.count else { return nil }
        let fold: (UInt8) -> UInt8 = { caseInsensitive && $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        let first = fold(bytes[i])
        switch first {
        case UInt8(ascii: "s"), UInt8(ascii: "t"), UInt8(ascii: "m"), UInt8(ascii: "d"):
            return i + 1
        case UInt8(ascii: "r"), UInt8(ascii: "v"):
            return i + 1 < bytes.count && fold(bytes[i + 1]) == UInt8(ascii: "e") ? i + 2 : nil
        case UInt8(ascii: "l"):
            return i + 1 < bytes.count && fold(bytes[i + 1]) == UInt8(ascii: "l") ? i + 2 : nil
        case 0xC5 where caseInsensitive:
            return i + 1 < bytes.count && bytes[i + 1] == 0xBF ? i + 2 : nil
        default:
            return nil
        }
    }

    /// Whitespace run from `i` (which is whitespace), for the trailing alternatives of both families:
    /// `\s*[\r\n]+` (only when `newlineAlternative`) ends after the run's last CR/LF; otherwise
    /// `\s+(?!\S)` takes the whole run at the end of the text, or all but its last scalar when it has two or more;
    /// otherwise `\s+` takes the single scalar.
    @inline(__always)
    func whitespaceEnd(from i: Int, newlineAlternative: Bool) -> Int {
        var j = i
        var lastNewlineEnd = -1
        var lastStart = i
        while j < bytes.count {
            let next = scalar(at: j)
            guard next.kind.isWhitespace else { break }
            if next.kind == .newline { lastNewlineEnd = j + next.length }
            lastStart = j
            j += next.length
        }
        if newlineAlternative, lastNewlineEnd >= 0 { return lastNewlineEnd }
        if j == bytes.count { return j }
        return lastStart > i ? lastStart : j
    }

    /// The end of the piece starting at `i` under the Qwen2 / Llama-3 pattern.
    func llama3PieceEnd(from i: Int, maxDigits: Int) -> Int {
        let first = scalar(at: i)
        // (?i:'s|'t|'re|'ve|'m|'ll|'d)
        if first.value == 0x27, let end = contractionEnd(after: i + 1, caseInsensitive: true) { return end }
        // [^\r\n\p{L}\p{N}]?\p{L}+
        if isLetter(first.kind) { return runEnd(from: i + first.length, isLetter) }
        let afterFirst = i + first.length
        if first.kind != .newline, first.kind != .number, afterFirst < bytes.count {
            let second = scalar(at: afterFirst)
            if isLetter(second.kind) { return runEnd(from: afterFirst + second.length, isLetter) }
        }
        // \p{N}{1,maxDigits}
        if first.kind == .number {
            var end = afterFirst
            var digits = 1
            while digits < maxDigits, end < bytes.count {
                let next = scalar(at: end)
                guard next.kind == .number else { break }
                end += next.length
                digits += 1
            }
            return end
        }
        // ` ?[^\s\p{L}\p{N}]+[\r\n]*`
        var start = i
        if first.kind == .space, afterFirst < bytes.count, isOther(scalar(at: afterFirst).kind) { start = afterFirst }
        if start > i || isOther(first.kind) {
            var end = runEnd(from: start, isOther)
            while end < bytes.count, bytes[end] == 0x0A || bytes[end] == 0x0D { end += 1 }
            return end
        }
        // \s*[\r\n]+|\s+(?!\S)|\s+
        return whitespaceEnd(from: i, newlineAlternative: true)
    }

    /// The end of the piece starting at `i` under GPT-2's pattern.
    func gpt2PieceEnd(from i: Int) -> Int {
        let first = scalar(at: i)
        // 's|'t|'re|'ve|'m|'ll|'d (case-sensitive)
        if first.value == 0x27, let end = contractionEnd(after: i + 1, caseInsensitive: false) { return end }
        // ` ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+`: an optional U+0020, then a run of one class.
        var start = i
        var kind = first.kind
        if first.kind == .space, i + 1 < bytes.count {
            let second = scalar(at: i + 1)
            if !second.kind.isWhitespace {
                start = i + 1
                kind = second.kind
            }
        }
        switch kind {
        case .letter: return runEnd(from: start) { $0 == .letter }
        case .number: return runEnd(from: start) { $0 == .number }
        case .other, .mark: return runEnd(from: start) { $0 == .other || $0 == .mark }
        case .whitespace, .space, .newline: return whitespaceEnd(from: i, newlineAlternative: false)
        }
    }
}
