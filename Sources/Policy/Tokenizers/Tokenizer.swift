/// Text ↔ token ids, as the sampler, the learner and the CLI use it.
///
/// Ids are `Int32` in `0..<vocabSize`. `encode` matches special and added tokens where they appear in the text
/// (so `"<|im_end|>"` in a chat transcript becomes its one id) and adds nothing else: no BOS, no template.
/// Implementations are immutable or internally synchronised, so one instance serves every thread.
public protocol Tokenizer: Sendable {
    /// One past the largest id the tokenizer can produce: the number of rows an embedding matrix needs.
    var vocabSize: Int { get }
    /// Ids of the special tokens known by role (bos, eos, pad, unk).
    var specialTokens: SpecialTokenIDs { get }
    /// The ids of `text`, special/added tokens matched in it.
    func encode(_ text: String) -> [Int32]
    /// The text of `ids`; ids outside the vocabulary are skipped, special tokens dropped when asked.
    /// Bytes that do not form valid UTF-8 (a multi-byte character cut between ids) become U+FFFD.
    func decode(_ ids: [Int32], skipSpecialTokens: Bool) -> String
    /// The vocabulary's spelling of `id` (e.g. `Ġthe` in a byte-level vocabulary), or nil if unassigned.
    func token(for id: Int32) -> String?
    /// The id of a vocabulary spelling or added token, or nil.
    func id(for token: String) -> Int32?
    /// Whether `id` is a special token (dropped by `decode(_:skipSpecialTokens: true)`).
    func isSpecial(_ id: Int32) -> Bool
}

extension Tokenizer {
    /// The text of `ids`, special tokens included.
    public func decode(_ ids: [Int32]) -> String { decode(ids, skipSpecialTokens: false) }
}
