/// The ids of the special tokens a tokenizer knows by role; nil where the files do not say.
public struct SpecialTokenIDs: Sendable, Equatable, Hashable {
    /// Beginning of sequence.
    public var bos: Int32?
    /// End of sequence: generation stops here.
    public var eos: Int32?
    /// Padding.
    public var pad: Int32?
    /// Stands for input the vocabulary cannot represent.
    public var unk: Int32?

    public init(bos: Int32? = nil, eos: Int32? = nil, pad: Int32? = nil, unk: Int32? = nil) {
        self.bos = bos
        self.eos = eos
        self.pad = pad
        self.unk = unk
    }
}
