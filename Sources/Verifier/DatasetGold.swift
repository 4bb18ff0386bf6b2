import Foundation

/// Adapters from dataset fields to the gold answer a `Grader` takes.
public enum DatasetGold {
    /// GSM8K's `answer` field: the text after its last `####`, thousands commas removed, trimmed
    /// (`"... #### 1,234"` → `"1234"`).
    public static func gsm8k(answerField field: String, limits: VerifierLimits = VerifierLimits())
        throws(VerifierError) -> String
    {
        try checkLength(field, limits: limits)
        guard let marker = field.range(of: "####", options: .backwards) else {
            throw .missingHashMarker(field: String(field.prefix(80)))
        }
        var rest = field[marker.upperBound...]
        while rest.first == "#" { rest = rest.dropFirst() }
        let line = rest.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let answer = line.filter { $0 != "," }.trimmingCharacters(in: .whitespaces)
        guard !answer.isEmpty else { throw .missingHashMarker(field: String(field.prefix(80))) }
        return answer
    }

    /// MATH's `solution` field: the content of its last complete `\boxed{...}` / `\fbox{...}` (with the boxes
    /// given together with it, `\boxed{2}` and `\boxed{5}`, joined: `2, 5`).
    public static func math(solutionField field: String, limits: VerifierLimits = VerifierLimits())
        throws(VerifierError) -> String
    {
        try checkLength(field, limits: limits)
        let bytes = Array(field.utf8)
        let answer = bytes.withUnsafeBufferPointer { s -> String in
            guard case .run(let pieces) = AnswerExtractor.lastBoxes(s) else { return "" }
            return AnswerSpan(pieces: pieces).text(in: s).trimmingCharacters(in: .whitespaces)
        }
        guard !answer.isEmpty else { throw .missingBoxedAnswer(field: String(field.prefix(80))) }
        return answer
    }

    static func checkLength(_ field: String, limits: VerifierLimits) throws(VerifierError) {
        let bytes = field.utf8.count
        if bytes > limits.maxCompletionBytes {
            throw .fieldTooLong(field: String(field.prefix(80)), bytes: bytes, limit: limits.maxCompletionBytes)
        }
    }
}
