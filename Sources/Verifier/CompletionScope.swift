/// The part of a completion that is the model's own last turn, where its final answer must be:
///
/// - a leading role header (`<|im_start|>assistant`, `<|start_header_id|>assistant<|end_header_id|>`,
///   `<|assistant|>`) is skipped;
/// - the completion ends at its first chat-template token (`<|im_end|>`, `<|eot_id|>`, `<|endoftext|>`,
///   `<｜end▁of▁sentence｜>`, `</s>`, `[INST]`, `<end_of_turn>` ...): what follows is a turn the model invented,
///   not its answer;
/// - after a `</think>` only the text after the last one counts; a `<think>` never closed is a completion cut off
///   while reasoning, which has committed to nothing;
/// - once an explicit answer (a box, `####`, an answer phrase) has been given, a line that opens a new turn or a
///   new few-shot problem ("Human:", "User:", "Problem:", "Question:") ends the completion.
///
/// Linear in the completion's length (one pass over its `<` and `[` bytes, one over its line starts);
/// allocation-free.
enum CompletionScope {
    enum Outcome: Equatable {
        case scope(Range<Int>)
        /// A `<think>` that is never closed.
        case unfinishedThinking
    }

    static func find(_ s: UnsafeBufferPointer<UInt8>) -> Outcome {
        var start = skipRoleHeader(s)
        var end = s.count
        // One pass: the first template token ends the turn; think tags and new-turn lines before it are noted.
        var firstThinkOpen: Int?, lastThinkClose: Int?
        var turns: [Int] = []
        var i = start
        while i < end {
            let c = s[i]
            if c == .newline {
                if startsNewTurn(s, lineAfter: i) { turns.append(i) }
                i += 1
                continue
            }
            guard c == .less || c == .openBracket else {
                i += 1
                continue
            }
            if templateToken(s, at: i) != nil {
                end = i
                break
            }
            if ByteScanner.matches(s, at: i, thinkClose) {
                lastThinkClose = i
                turns.removeAll()  // only lines after the reasoning count
                i += thinkClose.count
                continue
            }
            if firstThinkOpen == nil && ByteScanner.matches(s, at: i, thinkOpen) { firstThinkOpen = i }
            i += 1
        }
        if let close = lastThinkClose {
            start = close + thinkClose.count
        } else if firstThinkOpen != nil {
            return .unfinishedThinking
        }
        // The first new-turn line with an explicit answer before it (each stretch searched once).
        var searched = start
        for turn in turns where turn >= start && turn < end {
            if AnswerExtractor.firstExplicitAnswer(s, in: searched..<turn) != nil {
                end = turn
                break
            }
            searched = turn
        }
        return .scope(start..<end)
    }

    static let thinkOpen = Array("<think>".utf8)
    static let thinkClose = Array("</think>".utf8)
    static let newTurnWords: [[UInt8]] = ["Human:", "User:", "USER:", "Problem:", "Question:"].map { Array($0.utf8) }
    /// Tokens without bars: Llama 2 / Mistral (`</s>`, `[INST]`), Gemma (`<end_of_turn>`, `<start_of_turn>`, `<eos>`).
    static let plainTokens: [[UInt8]] = ["</s>", "[INST]", "<end_of_turn>", "<start_of_turn>", "<eos>"].map {
        Array($0.utf8)
    }
    static let assistant = Array("assistant".utf8)
    /// U+FF5C FULLWIDTH VERTICAL LINE, the bar of DeepSeek's `<｜end▁of▁sentence｜>`.
    static let fullwidthBar: [UInt8] = [0xEF, 0xBD, 0x9C]

    /// After leading whitespace, template tokens and the role word "assistant".
    static func skipRoleHeader(_ s: UnsafeBufferPointer<UInt8>) -> Int {
        var i = 0
        while true {
            while i < s.count && s[i].isWhitespace { i += 1 }
            if let end = templateToken(s, at: i) {
                i = end
            } else if ByteScanner.matches(s, at: i, assistant, ignoringCase: true), i > 0, s[i - 1] != .space {
                i += assistant.count
            } else {
                return i
            }
        }
    }

    /// The end of a template token starting at `i`: `<|name|>` or `<｜name｜>` with at most 40 bytes of name
    /// and no spaces, `</s>` or `[INST]`.
    static func templateToken(_ s: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        guard i < s.count else { return nil }
        if s[i] == .less {
            let bar: [UInt8]
            if i + 1 < s.count && s[i + 1] == .bar {
                bar = [.bar]
            } else if ByteScanner.matches(s, at: i + 1, fullwidthBar) {
                bar = fullwidthBar
            } else {
                return plainToken(s, at: i)
            }
            var q = i + 1 + bar.count
            let limit = min(s.count, q + 48)
            // The search stops at whitespace or at the next `<`, whose own search covers what follows: each byte
            // is looked at by one search at most, so a run of openers `<|<|<|...` costs linear time.
            while q < limit && !s[q].isWhitespace && s[q] != .less {
                if ByteScanner.matches(s, at: q, bar) && q + bar.count < s.count && s[q + bar.count] == .greater {
                    return q + bar.count + 1
                }
                q += 1
            }
            return nil
        }
        return s[i] == .openBracket ? plainToken(s, at: i) : nil
    }

    /// The end of a bar-less template token at `i`, or nil.
    static func plainToken(_ s: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        for token in plainTokens where ByteScanner.matches(s, at: i, token) { return i + token.count }
        return nil
    }

    /// Whether the line after the newline at `i` begins with a new-turn word ("Human:", "Question:" ...).
    static func startsNewTurn(_ s: UnsafeBufferPointer<UInt8>, lineAfter i: Int) -> Bool {
        var q = i + 1
        while q < s.count && (s[q] == .space || s[q] == .star || s[q] == .hash) { q += 1 }
        guard q < s.count, s[q] == UInt8(ascii: "H") || s[q] == UInt8(ascii: "U") || s[q] == UInt8(ascii: "P")
            || s[q] == UInt8(ascii: "Q")
        else { return false }
        return newTurnWords.contains { ByteScanner.matches(s, at: q, $0) }
    }
}
