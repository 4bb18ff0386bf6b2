import Foundation

/// A model directory's chat template, rendered natively.
///
/// Hugging Face directories ship a Jinja `chat_template`; there is no Jinja engine for Swift on our package
/// mirror, and the templates of the models people post-train for math fall into three families whose output is
/// fixed by a few strings. `init(jinja:bosToken:)` recognises the family and reads those strings from the template
/// itself (Qwen2.5's default system prompt, DeepSeek-R1's generation prompt); `render` then produces what
/// transformers' `apply_chat_template(messages, tokenize=False)` produces for plain text messages (no tools),
/// byte for byte (Tests/PolicyTests/Fixtures/chat-templates/expected.json). A template of another family is an
/// error that says so, rather than a silently different prompt.
public struct ChatTemplate: Sendable, Equatable {
    public struct Message: Sendable, Equatable {
        public var role: String
        public var content: String
        public init(role: String, content: String) {
            self.role = role
            self.content = content
        }
    }

    public enum Family: Sendable, Equatable {
        /// Qwen2 / Qwen2.5 ChatML: `<|im_start|>role\ncontent<|im_end|>\n` per message, with the template's default
        /// system message first when the conversation has none (nil: the template has no default).
        case chatML(defaultSystem: String?)
        /// Llama 3.x: a header per message, content trimmed, `bos_token` first. 3.1 and later open with a system
        /// block carrying the knowledge cutoff and a date (`dated`); 3.0 renders a system message like any other.
        case llama3(dated: Bool)
        /// DeepSeek-R1 and its distills: the system text right after `bos_token`, `<｜User｜>` / `<｜Assistant｜>`
        /// turns, earlier answers without their `<think>` part, and the template's own generation prompt.
        case deepSeekR1(generationPrompt: String)
    }

    public let family: Family
    public let bosToken: String
    /// The token that ends an assistant turn (what SFT targets end with).
    public var endOfTurn: String {
        switch family {
        case .chatML: "<|im_end|>"
        case .llama3: "<|eot_id|>"
        case .deepSeekR1: "<｜end▁of▁sentence｜>"
        }
    }

    public init(family: Family, bosToken: String = "") {
        self.family = family
        self.bosToken = bosToken
    }

    /// Recognises `jinja` (the `chat_template` string of tokenizer_config.json or chat_template.jinja).
    public init(jinja: String, bosToken: String?) throws(TasksError) {
        self.bosToken = bosToken ?? ""
        if jinja.contains("<｜User｜>") && jinja.contains("<｜Assistant｜>") {
            let thinking = jinja.contains(#"'<｜Assistant｜><think>\n'"#)
            family = .deepSeekR1(generationPrompt: thinking ? "<｜Assistant｜><think>\n" : "<｜Assistant｜>")
        } else if jinja.contains("<|start_header_id|>") && jinja.contains("<|eot_id|>") {
            family = .llama3(dated: jinja.contains("Cutting Knowledge Date"))
        } else if jinja.contains("<|im_start|>") && jinja.contains("<|im_end|>") {
            family = .chatML(defaultSystem: Self.literalDefaultSystem(in: jinja))
        } else {
            throw .unsupportedChatTemplate(String(jinja.prefix(120)))
        }
    }

    /// The text of a quoted literal `'<|im_start|>system\n…<|im_end|>` in the template (the default system
    /// message), unescaped; nil when the template has none (`'<|im_start|>system\n' + messages[0]…` is not one).
    static func literalDefaultSystem(in jinja: String) -> String? {
        // Qwen2.5 writes the newline as an escape (`\n`), Qwen2 as a real newline inside the quotes.
        for opener in [#"<|im_start|>system\n"#, "<|im_start|>system\n"] {
            var search = jinja.startIndex..<jinja.endIndex
            while let start = jinja.range(of: opener, range: search) {
                search = start.upperBound..<jinja.endIndex
                guard let end = jinja.range(of: "<|im_end|>", range: search) else { break }
                let body = jinja[start.upperBound..<end.lowerBound]
                if !body.contains("'") && !body.contains("\"") && !body.contains("{") && !body.isEmpty {
                    return unescape(body)
                }
            }
        }
        return nil
    }

    /// A Jinja string literal's escapes: `\n`, `\t`, `\'`, `\"`, `\\`.
    static func unescape(_ s: Substring) -> String {
        var out = ""
        var escaped = false
        for c in s {
            if escaped {
                switch c {
                case "n": out.append("\n")
                case "t": out.append("\t")
                default: out.append(c)
                }
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                out.append(c)
            }
        }
        return out
    }

    /// The conversation as the model reads it. `dateString` is what Llama-3.1+ templates print as "Today Date"
    /// (their own fallback when no date is given is 26 Jul 2024; transformers passes today's date only when the
    /// template calls `strftime_now`, which would make prompts change by the day).
    public func render(_ messages: [Message], addGenerationPrompt: Bool, dateString: String = "26 Jul 2024") -> String {
        var out = ""
        switch family {
        case let .chatML(defaultSystem):
            if let defaultSystem, messages.first?.role != "system" {
                out += "<|im_start|>system\n\(defaultSystem)<|im_end|>\n"
            }
            for m in messages { out += "<|im_start|>\(m.role)\n\(m.content)<|im_end|>\n" }
            if addGenerationPrompt { out += "<|im_start|>assistant\n" }
        case let .llama3(dated):
            out += bosToken
            var rest = messages[...]
            if dated {
                var system = ""
                if let first = rest.first, first.role == "system" {
                    system = Self.trim(first.content)
                    rest = rest.dropFirst()
                }
                out += "<|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\n"
                    + "Today Date: \(dateString)\n\n\(system)<|eot_id|>"
            }
            for m in rest { out += "<|start_header_id|>\(m.role)<|end_header_id|>\n\n\(Self.trim(m.content))<|eot_id|>" }
            if addGenerationPrompt { out += "<|start_header_id|>assistant<|end_header_id|>\n\n" }
        case let .deepSeekR1(generationPrompt):
            // Every system message sets the prompt; the last one wins, printed once after bos.
            out += bosToken + (messages.last { $0.role == "system" }?.content ?? "")
            for m in messages {
                switch m.role {
                case "user": out += "<｜User｜>" + m.content
                case "assistant":
                    var content = m.content[...]
                    if let think = content.range(of: "</think>", options: .backwards) { content = content[think.upperBound...] }
                    out += "<｜Assistant｜>" + content + "<｜end▁of▁sentence｜>"
                default: break
                }
            }
            if addGenerationPrompt { out += generationPrompt }
        }
        return out
    }

    /// Jinja's `|trim`: whitespace off both ends.
    static func trim(_ s: String) -> String { s.trimmingCharacters(in: .whitespacesAndNewlines) }

    /// The prompt template a run uses: an optional system message, then the user's question with `instruction`
    /// after a blank line, ready for the assistant's answer.
    public func promptTemplate(systemPrompt: String?, instruction: String) -> PromptTemplate {
        var messages: [Message] = []
        if let systemPrompt { messages.append(Message(role: "system", content: systemPrompt)) }
        messages.append(Message(role: "user", content: instruction.isEmpty ? "{question}" : "{question}\n\n\(instruction)"))
        var trim = PromptTemplate.QuestionTrim.none
        if case .llama3 = family { trim = instruction.isEmpty ? .both : .leading }
        return PromptTemplate(name: "chat", prompt: render(messages, addGenerationPrompt: true), completionSuffix: endOfTurn,
                              questionTrim: trim)
    }
}
