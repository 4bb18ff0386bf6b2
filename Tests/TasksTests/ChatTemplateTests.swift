import Foundation
import Testing
@testable import Tasks

/// The chat templates that Qwen2, Qwen2.5, Llama-3.x and DeepSeek-R1-distill directories ship, rendered by
/// `ChatTemplate` and compared byte for byte with transformers' `apply_chat_template` on the same messages
/// (Tests/PolicyTests/Fixtures/chat-templates: the real templates and the strings, made by
/// make_chat_template_fixtures.py outside CI).
@Suite struct ChatTemplateTests {
    struct Case: Decodable {
        struct Message: Decodable { let role: String; let content: String }
        let template: String
        let messages: [Message]
        let add_generation_prompt: Bool
        let text: String
        let kwargs: [String: String]?
        /// Cases that pass tools: the renderer does not render tool definitions (runs never send any).
        let tools: [JSONValueStub]?
    }

    struct JSONValueStub: Decodable {
        init(from decoder: any Decoder) throws {}
    }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("PolicyTests/Fixtures/chat-templates")

    static func template(_ name: String) throws -> ChatTemplate {
        let data = try Data(contentsOf: fixtures.appendingPathComponent("\(name)/tokenizer_config.json"))
        let object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        func token(_ key: String) -> String? {
            (object[key] as? String) ?? ((object[key] as? [String: Any])?["content"] as? String)
        }
        return try ChatTemplate(jinja: object["chat_template"] as! String, bosToken: token("bos_token"))
    }

    static func cases() throws -> [Case] {
        try JSONDecoder().decode([Case].self, from: Data(contentsOf: fixtures.appendingPathComponent("expected.json")))
    }

    @Test func everyCaseMatchesTransformersByteForByte() throws {
        let cases = try Self.cases()
        #expect(Set(cases.map(\.template)).count >= 4 && cases.filter { $0.tools == nil }.count >= 40, "fixtures for every template family")
        for c in cases where c.tools == nil {
            let template = try Self.template(c.template)
            let text = template.render(c.messages.map { .init(role: $0.role, content: $0.content) },
                                       addGenerationPrompt: c.add_generation_prompt,
                                       dateString: c.kwargs?["date_string"] ?? "26 Jul 2024")
            #expect(text == c.text, "\(c.template), \(c.messages.count) messages, generation prompt \(c.add_generation_prompt)")
        }
    }

    @Test func familiesAndTheirStringsAreReadFromTheTemplates() throws {
        #expect(try Self.template("qwen2.5").family
            == .chatML(defaultSystem: "You are Qwen, created by Alibaba Cloud. You are a helpful assistant."))
        #expect(try Self.template("qwen2").family == .chatML(defaultSystem: "You are a helpful assistant."))
        #expect(try Self.template("llama3").family == .llama3(dated: true))
        guard case .deepSeekR1 = try Self.template("deepseek-r1-distill").family else {
            Issue.record("DeepSeek-R1 template not recognised")
            return
        }
        #expect(throws: TasksError.self) { try ChatTemplate(jinja: "{{ messages[0]['content'] }}", bosToken: nil) }
    }

    /// The run's prompt: the question in the user message with the instruction after it, ready for the answer;
    /// the template's `{question}` placeholder renders exactly what the whole conversation would.
    @Test func aRunPromptIsTheRenderedConversation() throws {
        for name in ["qwen2.5", "llama3", "deepseek-r1-distill"] {
            let template = try Self.template(name)
            let prompt = template.promptTemplate(systemPrompt: "Be brief.", instruction: "Put the answer in \\boxed{}.")
            let question = "  What is 2+3?"
            let direct = template.render([.init(role: "system", content: "Be brief."),
                                          .init(role: "user", content: question + "\n\nPut the answer in \\boxed{}.")],
                                         addGenerationPrompt: true)
            #expect(prompt.render(question) == direct, "\(name)")
            #expect(prompt.completionSuffix == template.endOfTurn)
        }
    }
}
