/// Why a Hugging Face `config.json` could not become a `ModelConfig`.
///
/// Field names are spelled as in the file, dotted for nested ones (`rope_scaling.rope_type`), so a message
/// points at the exact key to look at.
public enum ModelConfigError: Error, Sendable, Equatable {
    /// The file could not be read.
    case cannotRead(path: String, reason: String)
    /// The bytes are not a JSON object.
    case notJSON(reason: String)
    /// A required field is absent (or `null`).
    case missingField(String)
    /// A field has the wrong JSON type (`expected` is e.g. "a non-negative integer").
    case wrongType(field: String, expected: String)
    /// A field's value is out of range or inconsistent with another (`reason` says which).
    case invalidValue(field: String, value: String, reason: String)
    /// `architectures` or `model_type` names a model family the engine does not implement.
    case unsupportedArchitecture(field: String, value: String)
    /// A RoPE scaling type other than none/default and `llama3`.
    case unsupportedRopeType(field: String, value: String)
    /// A feature the engine does not implement (e.g. `hidden_act` other than silu, `mlp_bias`).
    case unsupportedFeature(field: String, value: String)
}

extension ModelConfigError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .cannotRead(path, reason): "\(path): cannot read config: \(reason)"
        case let .notJSON(reason): "config.json is not a JSON object: \(reason)"
        case let .missingField(field): "config.json: required field '\(field)' is missing"
        case let .wrongType(field, expected): "config.json: '\(field)' must be \(expected)"
        case let .invalidValue(field, value, reason): "config.json: '\(field)' = \(value): \(reason)"
        case let .unsupportedArchitecture(field, value):
            "config.json: '\(field)' = \(value) is not supported (LlamaForCausalLM/llama, Qwen2ForCausalLM/qwen2)"
        case let .unsupportedRopeType(field, value):
            "config.json: '\(field)' = \(value) is not supported (none, default, llama3)"
        case let .unsupportedFeature(field, value): "config.json: '\(field)' = \(value) is not supported"
        }
    }
}
