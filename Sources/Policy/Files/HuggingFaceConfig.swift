import Foundation

private typealias Fields = JSONObject<ModelConfigError>

/// A Hugging Face `config.json` for `LlamaForCausalLM` or `Qwen2ForCausalLM`, read into a `ModelConfig`
/// plus the fields that are not part of the model's shape.
///
/// Both spellings in use are accepted: published checkpoints carry `rope_theta`, `rope_scaling` and
/// `torch_dtype`; files written by current transformers carry `rope_parameters` (with `rope_theta` and
/// `rope_type` inside) and `dtype`. Fields absent from the file take the defaults of transformers'
/// `LlamaConfig`/`Qwen2Config`; the five shape fields (`vocab_size`, `hidden_size`, `intermediate_size`,
/// `num_hidden_layers`, `num_attention_heads`) are required. Anything the engine would compute differently
/// from transformers (another rope type, activation, sliding window, MLP or output-projection bias) is refused.
public struct HuggingFaceConfig: Sendable, Equatable {
    /// The model's shape and options.
    public var model: ModelConfig
    /// `model_type` (`"llama"` or `"qwen2"`), from the file or implied by `architectures`.
    public var modelType: String
    /// The stored parameter dtype the file names (`dtype` or `torch_dtype`, e.g. `"bfloat16"`), if any.
    public var dtype: String?
    /// `pad_token_id`, if the file gives one.
    public var padTokenID: Int?

    /// Parses the bytes of a `config.json`.
    public init(data: Data) throws {
        let fields = try Fields.parse(data, notObject: ModelConfigError.notJSON(reason:))

        let architecture = try Self.architecture(fields)
        modelType = architecture == .llama ? "llama" : "qwen2"
        dtype = try fields.string("dtype") ?? fields.string("torch_dtype")
        padTokenID = try fields.naturals("pad_token_id")?.first

        let hidden = try fields.requiredInt("hidden_size")
        let heads = try fields.requiredInt("num_attention_heads")
        let kvHeads = try fields.int("num_key_value_heads") ?? heads
        let headDim: Int
        if let given = try fields.int("head_dim") {
            headDim = given
        } else {
            guard heads > 0, hidden % heads == 0 else {
                throw ModelConfigError.invalidValue(field: "num_attention_heads", value: "\(heads)",
                                                    reason: "does not divide hidden_size \(hidden) and no head_dim")
            }
            headDim = hidden / heads
        }
        guard kvHeads > 0, heads % kvHeads == 0 else {
            throw ModelConfigError.invalidValue(field: "num_key_value_heads", value: "\(kvHeads)",
                                                reason: "must divide num_attention_heads \(heads)")
        }
        for (field, value) in [("hidden_size", hidden), ("num_attention_heads", heads), ("head_dim", headDim)]
        where value <= 0 {
            throw ModelConfigError.invalidValue(field: field, value: "\(value)", reason: "must be positive")
        }
        let vocab = try fields.requiredInt("vocab_size")
        let intermediate = try fields.requiredInt("intermediate_size")
        let layers = try fields.requiredInt("num_hidden_layers")
        for (field, value) in [("vocab_size", vocab), ("intermediate_size", intermediate),
                               ("num_hidden_layers", layers)] where value <= 0 {
            throw ModelConfigError.invalidValue(field: field, value: "\(value)", reason: "must be positive")
        }

        let epsilon = try fields.double("rms_norm_eps") ?? 1e-6
        guard epsilon > 0, epsilon.isFinite else {
            throw ModelConfigError.invalidValue(field: "rms_norm_eps", value: "\(epsilon)", reason: "must be positive")
        }
        let maxPositions = try fields.int("max_position_embeddings") ?? (architecture == .llama ? 2048 : 32768)
        let (theta, scaling) = try Self.rope(fields, maxPositions: maxPositions)

        if let activation = try fields.string("hidden_act"), activation != "silu" {
            throw ModelConfigError.unsupportedFeature(field: "hidden_act", value: activation)
        }
        if try fields.bool("mlp_bias") == true {
            throw ModelConfigError.unsupportedFeature(field: "mlp_bias", value: "true")
        }
        if try fields.bool("use_sliding_window") == true {
            throw ModelConfigError.unsupportedFeature(field: "use_sliding_window", value: "true")
        }
        for type in try fields.strings("layer_types") ?? [] where type != "full_attention" {
            throw ModelConfigError.unsupportedFeature(field: "layer_types", value: type)
        }
        // Llama's attention_bias also puts a bias on o_proj, which the engine does not have; Qwen2 always has
        // q/k/v biases and no o_proj bias whatever the file says.
        if architecture == .llama, try fields.bool("attention_bias") == true {
            throw ModelConfigError.unsupportedFeature(field: "attention_bias", value: "true")
        }

        model = ModelConfig(
            architecture: architecture, vocabSize: vocab, hiddenSize: hidden, intermediateSize: intermediate,
            numLayers: layers, numHeads: heads, numKVHeads: kvHeads, headDim: headDim, rmsNormEps: Float(epsilon),
            ropeTheta: theta, ropeScaling: scaling,
            tieWordEmbeddings: try fields.bool("tie_word_embeddings") ?? false,
            attentionBias: architecture == .qwen2, maxPositionEmbeddings: maxPositions,
            bosTokenID: try fields.naturals("bos_token_id")?.first,
            eosTokenIDs: try fields.naturals("eos_token_id") ?? [])
    }

    /// Reads and parses the `config.json` at `url`.
    public init(url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ModelConfigError.cannotRead(path: url.path, reason: error.localizedDescription)
        }
        try self.init(data: data)
    }

    /// `architectures[0]` when present, else `model_type`; the two must agree when both are given.
    private static func architecture(_ fields: Fields) throws -> ModelConfig.Architecture {
        let typeByName: [String: ModelConfig.Architecture] = ["llama": .llama, "qwen2": .qwen2]
        var fromList: ModelConfig.Architecture?
        if let names = try fields.strings("architectures") {
            guard let first = names.first else {
                throw ModelConfigError.wrongType(field: "architectures", expected: "a non-empty list of strings")
            }
            guard let known = ModelConfig.Architecture(rawValue: first) else {
                throw ModelConfigError.unsupportedArchitecture(field: "architectures", value: first)
            }
            fromList = known
        }
        if let type = try fields.string("model_type") {
            guard let known = typeByName[type] else {
                throw ModelConfigError.unsupportedArchitecture(field: "model_type", value: type)
            }
            if let fromList, fromList != known {
                throw ModelConfigError.invalidValue(field: "model_type", value: type,
                                                    reason: "disagrees with architectures \(fromList.rawValue)")
            }
            return known
        }
        guard let fromList else { throw ModelConfigError.missingField("architectures") }
        return fromList
    }

    /// RoPE base and scaling from `rope_parameters` (current transformers) or `rope_theta` + `rope_scaling`.
    private static func rope(_ fields: Fields, maxPositions: Int) throws -> (Double, ModelConfig.RopeScaling) {
        // Current transformers nests everything in rope_parameters (rope_type may then be absent: default).
        let parameters: Fields?
        var theta: Double?
        let isNested: Bool
        if let nested = try fields.object("rope_parameters") {
            (parameters, isNested) = (nested, true)
            theta = try nested.double("rope_theta")
        } else {
            (parameters, isNested) = (try fields.object("rope_scaling"), false)
        }
        if theta == nil { theta = try fields.double("rope_theta") }
        let base = theta ?? 10_000
        guard base > 0, base.isFinite else {
            throw ModelConfigError.invalidValue(field: "rope_theta", value: "\(base)", reason: "must be positive")
        }
        guard let parameters else { return (base, .none) }
        // Older files spell the key `type`.
        let typeField = parameters.value("rope_type") != nil ? "rope_type" : "type"
        guard let type = try parameters.string(typeField) else {
            if isNested { return (base, .none) }
            throw ModelConfigError.missingField(parameters.path("rope_type"))
        }
        switch type {
        case "default":
            return (base, .none)
        case "llama3":
            let factor = try parameters.requiredDouble("factor")
            let low = try parameters.requiredDouble("low_freq_factor")
            let high = try parameters.requiredDouble("high_freq_factor")
            let original = try parameters.requiredInt("original_max_position_embeddings")
            guard factor > 0, low > 0, high > low, original > 0 else {
                throw ModelConfigError.invalidValue(
                    field: parameters.path("factor"), value: "\(factor), \(low), \(high), \(original)",
                    reason: "llama3 scaling needs factor > 0, 0 < low_freq_factor < high_freq_factor, original > 0")
            }
            return (base, .llama3(factor: factor, lowFrequencyFactor: low, highFrequencyFactor: high,
                                  originalMaxPositionEmbeddings: original))
        default:
            throw ModelConfigError.unsupportedRopeType(field: parameters.path(typeField), value: type)
        }
    }
}
