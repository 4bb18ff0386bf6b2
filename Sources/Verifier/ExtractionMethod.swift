/// Where in a completion the graded answer was found, in the order of precedence the extractor applies.
public enum ExtractionMethod: String, Sendable, CaseIterable, Codable {
    /// The last complete `\boxed{...}` / `\fbox{...}` (or `\boxed 5`), with the boxes given together with it.
    case boxed
    /// The text after the last `####` on its line (GSM8K style).
    case hashMarker = "hash_marker"
    /// The text after the last "the answer is", "final answer:", "answer:" ...
    case answerPhrase = "answer_phrase"
    /// The last "(C)"-style letter, used only when the gold answer is a choice letter.
    case choiceLetter = "choice_letter"
    /// The last number or `$...$` span of the completion (no explicit final-answer marker).
    case lastNumber = "last_number"
    /// Nothing was extracted.
    case none
}
