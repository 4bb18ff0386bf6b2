/// Turns a question into the text the model continues, and a worked solution into its SFT target.
///
/// `{question}` in `prompt` is replaced by the question. The built-in character model uses `.plain`; chat
/// models use the chat markup they were trained with (`.qwenChat`, `.llama3Chat`).
public struct PromptTemplate: Sendable, Equatable {
    public var name: String
    public var prompt: String
    /// Appended to a worked solution to form the SFT target (the model learns to stop after the answer).
    public var completionSuffix: String
    /// Whitespace trimmed off the question first, as chat templates that `|trim` message content do.
    public var questionTrim: QuestionTrim

    public enum QuestionTrim: Sendable, Equatable {
        case none
        /// The question opens the trimmed content and text follows it.
        case leading
        /// The question is the whole trimmed content.
        case both
    }

    public init(name: String, prompt: String, completionSuffix: String = "", questionTrim: QuestionTrim = .none) {
        precondition(prompt.contains("{question}"), "a prompt template needs a {question} placeholder")
        self.name = name
        self.prompt = prompt
        self.completionSuffix = completionSuffix
        self.questionTrim = questionTrim
    }

    public func render(_ question: String) -> String {
        var q = Substring(question)
        if questionTrim != .none { q = q.drop { $0.isWhitespace } }
        if questionTrim == .both { while q.last?.isWhitespace == true { q = q.dropLast() } }
        return prompt.replacingOccurrences(of: "{question}", with: q)
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

    /// The templates by name (what a run configuration's `template` field names).
    public enum Preset: String, Sendable, Codable, CaseIterable {
        case plain
        /// The model directory's own chat template (`ChatTemplate`), rendered with a system prompt and instruction.
        case chat
        case qwenChat = "qwen_chat"
        case llama3Chat = "llama3_chat"

        /// The fixed template; nil for `chat`, which needs the model directory's template.
        public var fixedTemplate: PromptTemplate? {
            switch self {
            case .plain: .plain
            case .chat: nil
            case .qwenChat: .qwenChat
            case .llama3Chat: .llama3Chat
            }
        }
    }

    /// A fixed preset by name (`chat` needs a model directory's template: see `ChatTemplate`).
    public static func named(_ name: String) throws -> PromptTemplate {
        guard let template = Preset(rawValue: name)?.fixedTemplate else { throw TasksError.unknownTemplate(name) }
        return template
    }
}
