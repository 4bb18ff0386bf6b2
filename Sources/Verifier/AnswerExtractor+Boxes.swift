/// Boxes: the last `\boxed{}` / `\fbox{}`, and the boxes given together with it.
extension AnswerExtractor {
    static let boxed = Array("boxed".utf8)
    static let fbox = Array("fbox".utf8)

    /// What the box scan found.
    enum BoxScan: Equatable {
        case none
        /// The last box is never closed.
        case unterminated
        /// The last box and the boxes joined to it, in order.
        case run([AnswerSpan.Piece])
    }

    /// The last run of boxes: the last complete box, with the boxes before it that only connectors separate
    /// (`\boxed{(1,3)} \quad \text{and} \quad \boxed{(4,3)}`, `$x=\boxed{2}$ or $x=\boxed{5}$`). Boxes separated
    /// by other words ("At first I got \boxed{40} but that is wrong ... \boxed{15}") are separate attempts: only
    /// the last counts.
    static func lastBoxes(_ s: UnsafeBufferPointer<UInt8>) -> BoxScan {
        var run: [AnswerSpan.Piece] = []
        var previousEnd = -1
        var i = 0
        let n = s.count
        while i < n {
            guard s[i] == .backslash, let nameEnd = boxNameEnd(s, at: i) else {
                i += 1
                continue
            }
            let boxStart = i
            var j = nameEnd
            while j < n && s[j] == .space { j += 1 }
            let content: Range<Int>
            if j < n && s[j] == .openBrace {
                guard let close = ByteScanner.matchingBrace(s, from: j, end: n) else { return .unterminated }
                content = (j + 1)..<close
                i = close + 1
            } else {
                // `\boxed 5`: one token, up to a space, `$` or the end.
                var k = j
                while k < n && !s[k].isWhitespace && s[k] != .dollar { k += 1 }
                i = max(k, j + 1)
                guard k > j else { continue }
                content = j..<k
            }
            let floor = max(previousEnd, 0)
            let label = labelBefore(s, boxStart, floor: floor)
            let piece = AnswerSpan.Piece(label: label, content: content)
            if !run.isEmpty && isConnector(s, previousEnd..<(label?.lowerBound ?? boxStart)) {
                run.append(piece)
            } else {
                run = [piece]
            }
            previousEnd = i
        }
        if run.isEmpty { return .none }
        if run.count == 1 { run[0].label = nil }
        return .run(run)
    }

    /// The index after `\boxed` / `\fbox` at `i` (not `\boxedx`), or nil.
    static func boxNameEnd(_ s: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        var nameEnd = -1
        if ByteScanner.matches(s, at: i + 1, boxed) {
            nameEnd = i + 1 + boxed.count
        } else if ByteScanner.matches(s, at: i + 1, fbox) {
            nameEnd = i + 1 + fbox.count
        }
        guard nameEnd > 0, nameEnd >= s.count || !s[nameEnd].isLetter else { return nil }
        return nameEnd
    }

    /// A `x =`, `x_1=`, `x_{2} =` label ending right before `boxStart` (spaces allowed), not reaching below
    /// `floor`.
    static func labelBefore(_ s: UnsafeBufferPointer<UInt8>, _ boxStart: Int, floor: Int) -> Range<Int>? {
        var q = boxStart - 1
        while q >= floor && s[q] == .space { q -= 1 }
        guard q >= floor, s[q] == .equals else { return nil }
        q -= 1
        while q >= floor && s[q] == .space { q -= 1 }
        guard q >= floor else { return nil }
        if s[q] == .closeBrace {
            var k = q - 1
            while k >= floor && k > q - 10 && s[k] != .openBrace { k -= 1 }
            guard k - 1 >= floor, s[k] == .openBrace, s[k - 1] == .underscore else { return nil }
            q = k - 2
        } else if (s[q].isDigit || s[q].isLetter) && q - 1 >= floor && s[q - 1] == .underscore {
            q -= 2
        }
        guard q >= floor, s[q].isLetter, q == floor || !(s[q - 1].isLetter || s[q - 1] == .backslash) else {
            return nil
        }
        return q..<boxStart
    }

    static let connectorWords: Set<[UInt8]> = Set(["and", "or"].map { Array($0.utf8) })
    static let connectorCommands: Set<String> = [
        "quad", "qquad", ",", ";", " ", "(", ")", "[", "]", "text", "textrm", "textnormal", "mbox", "mathrm",
    ]

    /// Whether the bytes between two boxes only join them: spaces (one line break at most), `$`, `,`, `;`,
    /// `&`, braces, spacing commands, `\text{ and }`, the words "and" / "or"; 80 bytes at most.
    static func isConnector(_ s: UnsafeBufferPointer<UInt8>, _ gap: Range<Int>) -> Bool {
        guard gap.count <= 80 else { return false }
        var q = gap.lowerBound, newlines = 0
        while q < gap.upperBound {
            let c = s[q]
            if c.isWhitespace || c == .dollar || c == .comma || c == .semicolon || c == .ampersand
                || c == .openBrace || c == .closeBrace
            {
                if c == .newline {
                    newlines += 1
                    if newlines > 1 { return false }
                }
                q += 1
            } else if c == .backslash, q + 1 < gap.upperBound {
                var k = q + 1
                if s[k].isLetter {
                    while k < gap.upperBound && s[k].isLetter { k += 1 }
                } else {
                    k += 1
                }
                guard connectorCommands.contains(String(decoding: s[(q + 1)..<k], as: UTF8.self)) else { return false }
                q = k
            } else if c.isLetter {
                var k = q
                while k < gap.upperBound && s[k].isLetter { k += 1 }
                guard connectorWords.contains(s[q..<k].map(\.lowercased)) else { return false }
                q = k
            } else {
                return false
            }
        }
        return true
    }
}
