/// Turns a question into the text the model continues, and a worked solution into its SFT target.
///
/// `{question}` in `prompt` is replaced by the question. The built-in character model uses `.plain`; chat
/// models use the chat markup they were trained with (`.qwenChat`, `.llama3Chat`).
public struct PromptTemplate: Sendable, Equatable {
    public var name: String
    public var prompt: String
    /// Appended to a worked solution to form the SFT target (the model learns to stop after the answer).
    public var completionSuffix: String

    public init(name: String, prompt: String, completionSuffix: String = "") {
        precondition(prompt.contains("{question}"), "a prompt template needs a {question} placeholder")
        self.name = name
        self.prompt = prompt
        self.completionSuffix = completionSuffix
    }

    public func render(_ question: String) -> String {
        prompt.replacingOccurrences(of: "{question}", with: question)
    }

    /// "Q: 7+2-5=?\nA: " — the built-in curriculum's format; the model answers with the chain and \boxed{}.
    public static let plain = PromptTemplate(name: "plain", prompt: "Q: {question}\nA: ")

    /// Qwen2.5 chat markup with the usual math instruction.
    public static let qwenChat = PromptTemplate(
        name: "qwen_chat",
        prompt: "<|im_start|>system\nPlease reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n"
            + "<|im_start|>user\n{question}<|im_end|>\n<|im_start|>assistant\n",
        completionSuffix: "<|im_end|>")

    /// Llama-3 instruct markup with the usual math instruction.
    public static let llama3Chat = PromptTemplate(
        name: "llama3_chat",
        prompt: "<|start_header_id|>user<|end_header_id|>\n\n{question}\nPlease reason step by step, and put your final "
            + "answer within \\boxed{}.<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
        completionSuffix: "<|eot_id|>")

    /// The built-in templates by name (what a run configuration's `template` field names).
    public enum Preset: String, Sendable, Codable, CaseIterable {
        case plain
        case qwenChat = "qwen_chat"
        case llama3Chat = "llama3_chat"

        public var template: PromptTemplate {
            switch self {
            case .plain: .plain
            case .qwenChat: .qwenChat
            case .llama3Chat: .llama3Chat
            }
        }
    }

    /// A preset by name.
    public static func named(_ name: String) throws -> PromptTemplate {
        guard let preset = Preset(rawValue: name) else { throw TasksError.unknownTemplate(name) }
        return preset.template
    }
}
