import Foundation
import Testing
@testable import Tasks

@Suite struct JSONLProblemSetTests {
    func write(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("grpo-\(UUID().uuidString).jsonl")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// A stand-in for the Verifier's GSM8K adapter: the text after "####".
    let afterHashes: (String) -> String? = { $0.components(separatedBy: "####").dropFirst().last?.trimmingCharacters(in: .whitespaces) }

    @Test func loadsGSM8KStyleFiles() throws {
        let url = try write("""
        {"question": "Natalia sold 48 clips in April and half as many in May. How many altogether?", "answer": "48/2 = 24\\n48+24 = 72\\n#### 72"}

        {"question": "2+2?", "answer": "#### 4", "extra": 1}
        """)
        defer { try? FileManager.default.removeItem(at: url) }
        let set = try JSONLProblemSet(contentsOf: url, fields: .gsm8k, extractGold: afterHashes)
        #expect(set.count == 2)
        #expect(set.problem(at: 0).goldAnswer == "72")
        #expect(set.problem(at: 1).id.hasSuffix(":3"))
        #expect(set.problem(at: 2) == set.problem(at: 0))  // cursor wraps around
    }

    @Test func namesTheBadLine() throws {
        let url = try write("{\"problem\": \"x\", \"solution\": \"\\\\boxed{1}\"}\nnot json\n")
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(throws: TasksError.malformedLine(path: url.path, line: 2, reason: "not a JSON object")) {
            try JSONLProblemSet(contentsOf: url, fields: .math, extractGold: { _ in "1" })
        }
        let missing = try write("{\"question\": \"x\", \"answer\": \"no hashes here\"}\n")
        defer { try? FileManager.default.removeItem(at: missing) }
        #expect(throws: TasksError.missingGold(path: missing.path, line: 1, field: "answer")) {
            try JSONLProblemSet(contentsOf: missing, fields: .gsm8k, extractGold: afterHashes)
        }
        #expect(throws: TasksError.self) {
            try JSONLProblemSet(contentsOf: URL(fileURLWithPath: "/nonexistent.jsonl"), fields: .gsm8k, extractGold: afterHashes)
        }
    }

    @Test func templatesRenderAndUnknownNamesAreRefused() throws {
        #expect(try PromptTemplate.named("qwen_chat").render("1+1?").contains("<|im_start|>user\n1+1?<|im_end|>"))
        #expect(throws: TasksError.unknownTemplate("nope")) { try PromptTemplate.named("nope") }
    }
}
