/// The shape of a Llama/Qwen2-family decoder: everything the engine needs to lay out parameters and run.
///
/// Hugging Face `config.json` files are read into this type by `ModelConfig(huggingFaceConfig:)`; the
/// built-in presets below need no file. Dimensions are counts, not bytes.
public struct ModelConfig: Sendable, Equatable, Hashable, Codable {
    /// The model families the engine implements. Anything else in `architectures` is refused.
    public enum Architecture: String, Sendable, Codable, CaseIterable {
        case llama = "LlamaForCausalLM"
        case qwen2 = "Qwen2ForCausalLM"
    }

    /// How rotary position frequencies are scaled. Only the schemes the engine computes exactly are listed.
    public enum RopeScaling: Sendable, Equatable, Hashable, Codable {
        case none
        /// Llama 3.1/3.2 frequency-dependent scaling (`rope_type: "llama3"`).
        case llama3(factor: Double, lowFrequencyFactor: Double, highFrequencyFactor: Double,
                    originalMaxPositionEmbeddings: Int)
    }

    public var architecture: Architecture
    public var vocabSize: Int
    public var hiddenSize: Int
    public var intermediateSize: Int
    public var numLayers: Int
    public var numHeads: Int
    /// Grouped-query attention: `numHeads` must be a multiple of `numKVHeads`.
    public var numKVHeads: Int
    /// Per-head dimension; `hiddenSize / numHeads` unless the checkpoint says otherwise.
    public var headDim: Int
    public var rmsNormEps: Float
    public var ropeTheta: Double
    public var ropeScaling: RopeScaling
    /// The LM head reuses the token embedding matrix.
    public var tieWordEmbeddings: Bool
    /// Bias on the q/k/v projections (Qwen2).
    public var attentionBias: Bool
    public var maxPositionEmbeddings: Int
    public var bosTokenID: Int?
    /// Token ids that end a generation (config.json's `eos_token_id`, a number or a list).
    public var eosTokenIDs: [Int]

    public init(architecture: Architecture = .llama, vocabSize: Int, hiddenSize: Int, intermediateSize: Int,
                numLayers: Int, numHeads: Int, numKVHeads: Int, headDim: Int? = nil, rmsNormEps: Float = 1e-6,
                ropeTheta: Double = 10_000, ropeScaling: RopeScaling = .none, tieWordEmbeddings: Bool = false,
                attentionBias: Bool? = nil, maxPositionEmbeddings: Int = 2048, bosTokenID: Int? = nil,
                eosTokenIDs: [Int] = []) {
        self.architecture = architecture
        self.vocabSize = vocabSize
        self.hiddenSize = hiddenSize
        self.intermediateSize = intermediateSize
        self.numLayers = numLayers
        self.numHeads = numHeads
        self.numKVHeads = numKVHeads
        self.headDim = headDim ?? hiddenSize / numHeads
        self.rmsNormEps = rmsNormEps
        self.ropeTheta = ropeTheta
        self.ropeScaling = ropeScaling
        self.tieWordEmbeddings = tieWordEmbeddings
        self.attentionBias = attentionBias ?? (architecture == .qwen2)
        self.maxPositionEmbeddings = maxPositionEmbeddings
        self.bosTokenID = bosTokenID
        self.eosTokenIDs = eosTokenIDs
    }
}

extension ModelConfig {
    /// The benchmark's TINY shape (../shared/bench/torch_peer.py), about 0.8 M parameters.
    public static let benchTiny = ModelConfig(vocabSize: 64, hiddenSize: 128, intermediateSize: 352, numLayers: 4,
                                              numHeads: 4, numKVHeads: 2, maxPositionEmbeddings: 256)
    /// The benchmark's SMALL shape (../shared/bench/torch_peer.py), about 10 M parameters.
    public static let benchSmall = ModelConfig(vocabSize: 512, hiddenSize: 384, intermediateSize: 1024, numLayers: 6,
                                               numHeads: 6, numKVHeads: 2, maxPositionEmbeddings: 512)
}
