import Foundation
import Testing
import TestSupport
@testable import Policy

/// One case of an expected.json written by Hugging Face `tokenizers`.
struct TokenizerCase: Decodable {
    let text: String
    let ids: [Int32]
    let decoded: String
}

private struct ExpectedCases: Decodable {
    let cases: [TokenizerCase]
}

@Suite struct BPETokenizerTests {
    @Test(arguments: ["gpt2-style", "qwen2-style"])
    func referenceEncodingsMatchHuggingFaceExactly(style: String) throws {
        let directory = try SharedReference.url("models/tokenizers/\(style)")
        let tokenizer = try BPETokenizer(url: directory.appendingPathComponent("tokenizer.json"))
        let expected = try JSONDecoder().decode(ExpectedCases.self,
                                                from: Data(contentsOf: directory.appendingPathComponent("expected.json")))
        #expect(expected.cases.count >= 10)
        for item in expected.cases {
            #expect(tokenizer.encode(item.text) == item.ids, "\(style): \(item.text.debugDescription)")
            #expect(tokenizer.decode(item.ids) == item.decoded, "\(style): \(item.text.debugDescription)")
        }
        // A second pass is served by the word cache and must agree.
        for item in expected.cases { #expect(tokenizer.encode(item.text) == item.ids) }
    }

    @Test func lookupsAndSpecialTokens() throws {
        let tokenizer = try BPETokenizer(url: SharedReference.url("models/tokenizers/qwen2-style/tokenizer.json"))
        let json = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: SharedReference.url(
            "models/tokenizers/qwen2-style/tokenizer.json"))) as? [String: Any])
        let vocab = try #require((json["model"] as? [String: Any])?["vocab"] as? [String: Int])
        #expect(tokenizer.vocabSize == (vocab.values.max() ?? 0) + 1)
        for (spelling, id) in vocab {
            #expect(tokenizer.id(for: spelling) == Int32(id))
            #expect(tokenizer.token(for: Int32(id)) == spelling)
        }
        #expect(tokenizer.id(for: "<|im_end|>") == 2)
        #expect(tokenizer.isSpecial(2))
        #expect(!tokenizer.isSpecial(100))
        #expect(tokenizer.token(for: -1) == nil)
        #expect(tokenizer.token(for: Int32(tokenizer.vocabSize)) == nil)
        let ids = tokenizer.encode("<|im_start|>user 12<|im_end|>")
        #expect(ids.first == 1)
        #expect(ids.last == 2)
        #expect(tokenizer.decode(ids, skipSpecialTokens: true) == "user 12")
        // Unknown ids are skipped, as Hugging Face does.
        #expect(tokenizer.decode([-5, 99_999] + ids) == "<|im_start|>user 12<|im_end|>")
        // No tokenizer_config.json beside the reference: roles unknown, no chat template.
        #expect(tokenizer.specialTokens == SpecialTokenIDs())
        #expect(tokenizer.chatTemplate == nil)
    }

    @Test func decodingCutsInsideACharacterGiveReplacementCharacters() throws {
        let tokenizer = try BPETokenizer(url: SharedReference.url("models/tokenizers/gpt2-style/tokenizer.json"))
        let ids = tokenizer.encode("数")  // three byte tokens
        #expect(ids.count == 3)
        #expect(tokenizer.decode(ids) == "数")
        #expect(tokenizer.decode(Array(ids.prefix(2))) == "\u{FFFD}")
    }
}

@Suite struct BPETokenizerConcurrencyTests {
    @Test func concurrentEncodersAgreeWithASequentialOne() async throws {
        let url = try SharedReference.url("models/tokenizers/qwen2-style/tokenizer.json")
        let texts = (0..<400).map { index in
            "line \(index): \(index * 7919 % 1000) apples and \(String(repeating: "ab", count: index % 13)) " +
                "<|im_end|> café \(index)\n"
        }
        let expected = try BPETokenizer(url: url)
        let reference = texts.map { expected.encode($0) }
        let shared = try BPETokenizer(url: url)
        let results = await withTaskGroup(of: (Int, [Int32]).self) { group in
            for (index, text) in texts.enumerated() { group.addTask { (index, shared.encode(text)) } }
            var results = [[Int32]](repeating: [], count: texts.count)
            for await (index, ids) in group { results[index] = ids }
            return results
        }
        #expect(results == reference)
    }

    @Test func hostileTextNeverCrashes() throws {
        let tokenizer = try BPETokenizer(url: SharedReference.url("models/tokenizers/gpt2-style/tokenizer.json"))
        let texts = [String(repeating: "<", count: 10_000), String(repeating: "<|im_", count: 2_000),
                     String(repeating: " ", count: 50_000), String(repeating: "\r\n", count: 10_000),
                     String(repeating: "'", count: 5_000) + "s", String(repeating: "9", count: 20_000),
                     String(repeating: "\u{301}", count: 5_000), "\u{0}\u{FFFF}\u{10FFFF}\u{FEFF}"]
        for text in texts {
            let ids = tokenizer.encode(text)
            #expect(tokenizer.decode(ids) == text)
        }
    }
}
