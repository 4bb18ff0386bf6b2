/// Errors from loading problem files.
public enum TasksError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadableFile(path: String, reason: String)
    /// A line that is not a JSON object, or lacks a field.
    case malformedLine(path: String, line: Int, reason: String)
    /// The gold answer could not be extracted from the answer field.
    case missingGold(path: String, line: Int, field: String)
    case emptyDataset(path: String)
    case unknownTemplate(String)
    /// A chat template of a family `ChatTemplate` does not render.
    case unsupportedChatTemplate(String)

    public var description: String {
        switch self {
        case let .unreadableFile(path, reason): "cannot read \(path): \(reason)"
        case let .malformedLine(path, line, reason): "\(path):\(line): \(reason)"
        case let .missingGold(path, line, field): "\(path):\(line): no gold answer in field \"\(field)\""
        case let .emptyDataset(path): "\(path) holds no problems"
        case let .unsupportedChatTemplate(start): "the model's chat template is not one grpo-lambda renders (Qwen2/2.5 ChatML, Llama 3.x, DeepSeek-R1); use --set template=plain or a fixed preset. It starts: \(start)"
        case let .unknownTemplate(name): "unknown prompt template \"\(name)\" (known: \(PromptTemplate.Preset.allCases.map(\.rawValue).joined(separator: ", ")))"
        }
    }
}
