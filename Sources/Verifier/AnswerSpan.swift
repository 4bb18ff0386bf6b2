/// Where the final answer lies in a completion: one range of bytes, or several boxes given together as one
/// answer (`\boxed{2}` and `\boxed{5}`), each with the `x =` label written just before it, if any.
struct AnswerSpan: Equatable {
    /// One box of a run (or the whole answer when there is one range).
    struct Piece: Equatable {
        /// `x = ` or `x_2=` before the box, when the answer is several boxes (kept so that `x = \boxed{2}` and
        /// `y = \boxed{3}` stay labelled); nil otherwise.
        var label: Range<Int>?
        var content: Range<Int>
    }

    var pieces: [Piece]

    /// The range when the answer is one range without a label (a plain answer, not a run of boxes).
    var single: Range<Int>? { pieces.count == 1 && pieces[0].label == nil ? pieces[0].content : nil }

    /// A single answer range.
    init(_ range: Range<Int>) {
        pieces = [Piece(label: nil, content: range)]
    }

    init(pieces: [Piece]) {
        precondition(!pieces.isEmpty)
        self.pieces = pieces
    }

    /// The same span moved by `offset` bytes (from a sub-buffer's indices to the whole buffer's).
    func shifted(by offset: Int) -> AnswerSpan {
        AnswerSpan(pieces: pieces.map { p in
            Piece(label: p.label.map { ($0.lowerBound + offset)..<($0.upperBound + offset) },
                  content: (p.content.lowerBound + offset)..<(p.content.upperBound + offset))
        })
    }

    /// Bytes covered, labels included.
    var byteCount: Int { pieces.reduce(0) { $0 + $1.content.count + ($1.label?.count ?? 0) } }

    /// The answer's text for logs and tests: the content, or the pieces (with labels) joined by ", "; at most
    /// `maxBytes` bytes of it, cut on a character boundary.
    func text(in s: UnsafeBufferPointer<UInt8>, maxBytes: Int = .max) -> String {
        if let range = single {
            let content = UnsafeBufferPointer(rebasing: s[range])
            var cut = min(content.count, maxBytes)
            while cut < content.count && cut > 0 && content[cut] & 0xC0 == 0x80 { cut -= 1 }  // UTF-8 boundary
            return String(decoding: UnsafeBufferPointer(rebasing: content[..<cut]), as: UTF8.self)
        }
        var out: [UInt8] = []
        for (k, p) in pieces.enumerated() {
            if k > 0 { out.append(contentsOf: [.comma, .space]) }
            for range in [p.label, p.content].compactMap({ $0 }) {
                let room = maxBytes - min(maxBytes, out.count)
                out.append(contentsOf: UnsafeBufferPointer(rebasing: s[range]).prefix(room))
            }
            if out.count >= maxBytes { break }
        }
        var cut = min(out.count, maxBytes)
        while cut < out.count && cut > 0 && out[cut] & 0xC0 == 0x80 { cut -= 1 }  // UTF-8 boundary
        return String(decoding: out.prefix(cut), as: UTF8.self)
    }
}
