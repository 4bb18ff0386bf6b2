import Seeding

/// Where every parameter tensor lives in the one contiguous Float32 buffer, under its Hugging Face name.
///
/// Built from a `ModelConfig`; the parameters, their gradients and the optimizer's moments all use the same
/// layout, so zeroing, AdamW, norms and checkpoint writes are flat loops over one buffer. Tensors that the
/// engine multiplies together are adjacent on purpose: a layer's q, k and v projections form one
/// `[H·D + 2·KV·D, C]` matrix (one `sgemm` instead of three), and gate and up form one `[2·I, C]` matrix.
///
/// Order: `model.embed_tokens.weight`, then per layer `input_layernorm`, `q/k/v_proj.weight`, `q/k/v_proj.bias`
/// (Qwen2), `o_proj`, `post_attention_layernorm`, `gate_proj`, `up_proj`, `down_proj`, then `model.norm.weight`
/// and `lm_head.weight` (absent when the head is tied to the embedding).
public struct ParameterLayout: Sendable, Equatable {
    /// One named tensor: its row-major shape (Hugging Face convention, `[out, in]` for projections) and where its
    /// first element sits in the buffer.
    public struct Tensor: Sendable, Equatable, Hashable {
        public let name: String
        public let shape: [Int]
        /// Index of the first element in the flat buffer.
        public let offset: Int
        /// Number of elements (the product of `shape`).
        public var count: Int { shape.reduce(1, *) }
        /// The tensor's elements in the flat buffer.
        public var range: Range<Int> { offset..<(offset + count) }
    }

    /// The offsets the engine uses for one decoder layer (elements into the flat buffer).
    struct Layer: Sendable, Equatable {
        /// `input_layernorm.weight` `[C]`.
        let inputNorm: Int
        /// `q_proj`, `k_proj`, `v_proj` weights stacked: `[H·D + 2·KV·D, C]`.
        let qkvWeight: Int
        /// The three biases stacked `[H·D + 2·KV·D]`, when the architecture has them.
        let qkvBias: Int?
        /// `o_proj.weight` `[C, H·D]`.
        let outputWeight: Int
        /// `post_attention_layernorm.weight` `[C]`.
        let postNorm: Int
        /// `gate_proj` and `up_proj` weights stacked: `[2·I, C]`.
        let gateUpWeight: Int
        /// `down_proj.weight` `[C, I]`.
        let downWeight: Int
    }

    /// Every tensor, in buffer order.
    public let tensors: [Tensor]
    /// Total number of Float32 elements.
    public let count: Int
    /// `model.embed_tokens.weight` `[V, C]`.
    let embedding: Int
    let layers: [Layer]
    /// `model.norm.weight` `[C]`.
    let finalNorm: Int
    /// The LM head `[V, C]`: `lm_head.weight`, or the embedding's offset when tied.
    let lmHead: Int
    private let indexByName: [String: Int]

    /// The layout of `config`'s parameters.
    public init(config: ModelConfig) {
        let c = config.hiddenSize
        let q = config.numHeads * config.headDim
        let kv = config.numKVHeads * config.headDim
        let i = config.intermediateSize
        var tensors: [Tensor] = []
        var next = 0
        func add(_ name: String, _ shape: [Int]) -> Int {
            let offset = next
            tensors.append(Tensor(name: name, shape: shape, offset: offset))
            next += shape.reduce(1, *)
            return offset
        }
        embedding = add("model.embed_tokens.weight", [config.vocabSize, c])
        var layers: [Layer] = []
        for index in 0..<config.numLayers {
            let prefix = "model.layers.\(index)."
            let inputNorm = add(prefix + "input_layernorm.weight", [c])
            let qkvWeight = add(prefix + "self_attn.q_proj.weight", [q, c])
            _ = add(prefix + "self_attn.k_proj.weight", [kv, c])
            _ = add(prefix + "self_attn.v_proj.weight", [kv, c])
            var qkvBias: Int?
            if config.attentionBias {
                qkvBias = add(prefix + "self_attn.q_proj.bias", [q])
                _ = add(prefix + "self_attn.k_proj.bias", [kv])
                _ = add(prefix + "self_attn.v_proj.bias", [kv])
            }
            let outputWeight = add(prefix + "self_attn.o_proj.weight", [c, q])
            let postNorm = add(prefix + "post_attention_layernorm.weight", [c])
            let gateUpWeight = add(prefix + "mlp.gate_proj.weight", [i, c])
            _ = add(prefix + "mlp.up_proj.weight", [i, c])
            let downWeight = add(prefix + "mlp.down_proj.weight", [c, i])
            layers.append(Layer(inputNorm: inputNorm, qkvWeight: qkvWeight, qkvBias: qkvBias,
                                outputWeight: outputWeight, postNorm: postNorm, gateUpWeight: gateUpWeight,
                                downWeight: downWeight))
        }
        self.layers = layers
        finalNorm = add("model.norm.weight", [c])
        lmHead = config.tieWordEmbeddings ? embedding : add("lm_head.weight", [config.vocabSize, c])
        self.tensors = tensors
        count = next
        indexByName = Dictionary(uniqueKeysWithValues: tensors.enumerated().map { ($1.name, $0) })
    }

    /// The tensor called `name`, or `nil`.
    public subscript(name: String) -> Tensor? {
        indexByName[name].map { tensors[$0] }
    }

    /// Names in buffer order.
    public var names: [String] { tensors.map(\.name) }

    public static func == (lhs: ParameterLayout, rhs: ParameterLayout) -> Bool {
        lhs.tensors == rhs.tensors
    }
}

extension ParameterLayout {
    /// A stable fingerprint of the layout — FNV-1a over "name:d0xd1;..." for every tensor in order — that weight
    /// versions carry, so weights for another model are refused before they are loaded.
    public var fingerprint: UInt64 {
        StableHash.fnv1a(tensors.map { "\($0.name):\($0.shape.map(String.init).joined(separator: "x"));" }.joined())
    }
}
