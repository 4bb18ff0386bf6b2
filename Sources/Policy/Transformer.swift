import Seeding

/// A Llama/Qwen2-family decoder: its config, its parameters (one flat buffer) and the fixed tables derived
/// from the config.
///
/// The model holds no per-batch state: `SequenceScorer` (log-probs, gradients) and `Sampler` (generation) own
/// their activations and caches, so several of them can share one model. Changing `parameters` (an optimizer
/// step, a weight update) is seen by all of them on their next call.
///
/// Shapes used throughout the engine: N packed tokens, C = `hiddenSize`, H heads and KV key/value heads of
/// D = `headDim`, I = `intermediateSize`, V = `vocabSize`.
public final class Transformer {
    public let config: ModelConfig
    public let layout: ParameterLayout
    /// The weights, laid out by `layout`.
    public let parameters: ParameterStore
    let rotary: RotaryEmbedding
    let attentionShape: Attention.Shape

    /// A model over existing parameters (not copied: the model and the caller share the store).
    public init(config: ModelConfig, parameters: ParameterStore) throws {
        try Self.validate(config)
        let layout = ParameterLayout(config: config)
        guard parameters.layout == layout else {
            throw EngineError.layoutMismatch(expected: layout.count, found: parameters.count)
        }
        self.config = config
        self.layout = layout
        self.parameters = parameters
        rotary = RotaryEmbedding(config: config)
        attentionShape = Attention.Shape(config: config)
    }

    /// A new model with randomly initialised weights (see `ParameterStore.initializeRandomly`), reproducible
    /// from `seed`.
    public convenience init(config: ModelConfig, seed: UInt64, standardDeviation: Float = 0.02) throws {
        try Self.validate(config)
        let store = ParameterStore(layout: ParameterLayout(config: config))
        var generator = SeededGenerator(seed: seed)
        store.initializeRandomly(standardDeviation: standardDeviation, generator: &generator)
        try self.init(config: config, parameters: store)
    }

    /// A model whose weights are read from `archive` (F32/BF16/F16 converted to Float32).
    ///
    /// Every tensor's presence and shape is checked before the buffer is allocated, so a config that does not
    /// match its weights fails fast with the tensor's name.
    public convenience init(config: ModelConfig, weights archive: SafetensorsArchive) throws {
        try Self.validate(config)
        let layout = ParameterLayout(config: config)
        for tensor in layout.tensors {
            let (_, shape) = try archive.info(tensor.name)
            guard shape == tensor.shape else {
                throw EngineError.tensorShapeMismatch(name: tensor.name, expected: tensor.shape, found: shape)
            }
        }
        let store = ParameterStore(layout: layout)
        try store.load(from: archive)
        try self.init(config: config, parameters: store)
    }

    /// Refuses shapes the engine cannot run, naming the field.
    static func validate(_ config: ModelConfig) throws {
        func check(_ condition: Bool, _ name: String, _ value: Int, _ reason: String) throws {
            if !condition { throw EngineError.invalidOption(name: name, value: "\(value)", reason: reason) }
        }
        try check(config.vocabSize > 0, "vocabSize", config.vocabSize, "must be positive")
        try check(config.vocabSize <= Int(Int32.max), "vocabSize", config.vocabSize, "must fit in Int32")
        try check(config.hiddenSize > 0, "hiddenSize", config.hiddenSize, "must be positive")
        try check(config.intermediateSize > 0, "intermediateSize", config.intermediateSize, "must be positive")
        try check(config.numLayers >= 0, "numLayers", config.numLayers, "must not be negative")
        try check(config.numHeads > 0, "numHeads", config.numHeads, "must be positive")
        try check(config.numKVHeads > 0 && config.numHeads % config.numKVHeads == 0, "numKVHeads",
                  config.numKVHeads, "must divide numHeads")
        try check(config.headDim > 0 && config.headDim % 2 == 0, "headDim", config.headDim,
                  "must be positive and even (RoPE rotates pairs)")
        try check(config.maxPositionEmbeddings > 0, "maxPositionEmbeddings", config.maxPositionEmbeddings,
                  "must be positive")
        // The parameter count in Double (no overflow), so an absurd config fails here rather than trapping in
        // integer arithmetic later.
        let c = Double(config.hiddenSize), i = Double(config.intermediateSize)
        let q = Double(config.numHeads) * Double(config.headDim), kv = Double(config.numKVHeads) * Double(config.headDim)
        let perLayer = c * (q + 2 * kv) + q * c + 3 * c * i + 2 * c + q + 2 * kv
        let total = Double(config.numLayers) * perLayer + 2 * Double(config.vocabSize) * c + c
        guard total <= Double(1 << 40) else {
            throw EngineError.invalidOption(name: "config", value: "\(total) parameters",
                                            reason: "more than 2^40 weights")
        }
    }
}
