import Foundation
import Testing
@testable import Policy

/// Small tokenizers written by Hugging Face `tokenizers` (Fixtures/make_tokenizer_variants_fixture.py) for
/// the Llama-3 and Qwen3.5 split patterns, GPT-2's add_prefix_space, legacy merges, a TemplateProcessing
/// post-processor and added tokens with lstrip / rstrip / single_word / normalized.
@Suite struct BPETokenizerVariantsTests {
    private struct Case: Decodable {
        let text: String
        let ids: [Int32]
        let ids_with_specials: [Int32]
        let decoded: String
        let decoded_skipping_specials: String
    }

    private struct Expected: Decodable {
        let vocab_size: Int
        let cases: [Case]
    }

    private static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/tokenizer-variants")

    @Test(arguments: ["llama3-template", "qwen35-marks", "gpt2-prefix-legacy"])
    func encodingsMatchHuggingFace(variant: String) throws {
        let directory = Self.fixtures.appendingPathComponent(variant)
        let tokenizer = try BPETokenizer(url: directory)
        let expected = try JSONDecoder().decode(Expected.self,
                                                from: Data(contentsOf: directory.appendingPathComponent("expected.json")))
        #expect(tokenizer.vocabSize == expected.vocab_size)
        for item in expected.cases {
            #expect(tokenizer.encode(item.text) == item.ids, "\(variant): \(item.text.debugDescription)")
            #expect(tokenizer.encode(item.text, addSpecialTokens: true) == item.ids_with_specials,
                    "\(variant) with specials: \(item.text.debugDescription)")
            #expect(tokenizer.decode(item.ids) == item.decoded, "\(variant) decode: \(item.text.debugDescription)")
            #expect(tokenizer.decode(item.ids, skipSpecialTokens: true) == item.decoded_skipping_specials,
                    "\(variant) decode skipping: \(item.text.debugDescription)")
        }
    }

    @Test func addedTokenFlagsAreRead() throws {
        let tokenizer = try BPETokenizer(url: Self.fixtures.appendingPathComponent("llama3-template"))
        let mask = try #require(tokenizer.addedTokens.first { $0.content == "[MASK]" })
        #expect(mask.lstrip && mask.rstrip && !mask.special && !mask.normalized)
        let foo = try #require(tokenizer.addedTokens.first { $0.content == "foo" })
        #expect(foo.singleWord)
        #expect(tokenizer.addedTokens.first { $0.content == "bar" }?.normalized == true)
        #expect(tokenizer.templatePrefix == [0])
        #expect(tokenizer.templateSuffix == [1])
        #expect(tokenizer.isSpecial(0) && tokenizer.isSpecial(1) && !tokenizer.isSpecial(mask.id))
    }
}
