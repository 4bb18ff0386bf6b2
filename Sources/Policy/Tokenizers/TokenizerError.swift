/// Why a tokenizer file could not be loaded. Field names are dotted paths into the JSON
/// (`model.merges[12]`, `pre_tokenizer.pretokenizers[0].pattern`), so a message points at the exact spot.
public enum TokenizerError: Error, Sendable, Equatable {
    /// The file could not be read.
    case cannotRead(path: String, reason: String)
    /// The bytes are not a JSON object.
    case notJSON(file: String, reason: String)
    /// A required field is absent.
    case missingField(String)
    /// A field has the wrong JSON type (`expected` e.g. "an object").
    case wrongType(field: String, expected: String)
    /// A tokenizer model other than byte-level BPE (`WordPiece`, `Unigram`, `WordLevel`).
    case unsupportedModel(type: String)
    /// A component or option this implementation does not provide (a normalizer, pre-tokenizer, regex, decoder,
    /// post-processor, or a BPE option such as `byte_fallback`), named by field and value.
    case unsupported(field: String, value: String)
    /// A merge, the unknown token, or a special token names a token the vocabulary lacks.
    case tokenNotInVocabulary(field: String, token: String)
    /// An id is negative or used by two different tokens.
    case invalidID(field: String, id: Int)
}

extension TokenizerError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .cannotRead(path, reason): "\(path): cannot read: \(reason)"
        case let .notJSON(file, reason): "\(file) is not a JSON object: \(reason)"
        case let .missingField(field): "tokenizer: required field '\(field)' is missing"
        case let .wrongType(field, expected): "tokenizer: '\(field)' must be \(expected)"
        case let .unsupportedModel(type): "tokenizer: model type '\(type)' is not supported (only byte-level BPE)"
        case let .unsupported(field, value): "tokenizer: '\(field)' = \(value) is not supported"
        case let .tokenNotInVocabulary(field, token): "tokenizer: '\(field)' names '\(token)', which is not in the vocabulary"
        case let .invalidID(field, id): "tokenizer: '\(field)': invalid or duplicate id \(id)"
        }
    }
}
