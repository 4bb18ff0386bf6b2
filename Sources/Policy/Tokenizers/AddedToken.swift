/// A token added to the vocabulary and matched in text before pre-tokenization (tokenizer.json's
/// `added_tokens`), e.g. `<|im_end|>`.
public struct AddedToken: Sendable, Equatable, Hashable {
    /// The id the token encodes to.
    public var id: Int32
    /// The exact text that is matched.
    public var content: String
    /// Special tokens are dropped by `decode(_:skipSpecialTokens: true)`.
    public var special: Bool
    /// Whitespace to the left of a match is absorbed into it.
    public var lstrip: Bool
    /// Whitespace to the right of a match is absorbed into it.
    public var rstrip: Bool
    /// Matched only when not adjacent to a word character (alphanumeric or `_`) on either side.
    public var singleWord: Bool
    /// Matched in the normalized text (true) or in the raw input (false).
    public var normalized: Bool

    public init(id: Int32, content: String, special: Bool, lstrip: Bool = false, rstrip: Bool = false,
                singleWord: Bool = false, normalized: Bool = false) {
        self.id = id
        self.content = content
        self.special = special
        self.lstrip = lstrip
        self.rstrip = rstrip
        self.singleWord = singleWord
        self.normalized = normalized
    }
}
