import Foundation
import Testing
@testable import Policy

/// The real-size vocabulary: Qwen's 151,643 BPE ranks converted by transformers' TikTokenConverter, with the
/// NFC normalizer and 208 special tokens of the published Qwen2 files. Expected ids and decodings come from
/// Hugging Face `tokenizers` (Fixtures/make_qwen_tokenizer_fixture.py).
@Suite struct BPETokenizerQwenTests {
    private struct Expected: Decodable {
        let vocab_size: Int
        let cases: [TokenizerCase]
    }

    private static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/qwen-tokenizer")

    /// Loaded once for the whole suite (a 19 MB tokenizer.json).
    private static let shared = Result { () throws -> BPETokenizer in try loadTokenizer(in: ScratchDirectory()) }

    /// tokenizer.json is committed zstd-compressed; decompress it with the zstd CLI beside the other fixture files.
    private static func loadTokenizer(in scratch: ScratchDirectory) throws -> BPETokenizer {
        let compressed = fixtures.appendingPathComponent("tokenizer.json.zst")
        let output = scratch.file("tokenizer.json")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["zstd", "-d", "-q", "-f", compressed.path, "-o", output.path]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TokenizerError.cannotRead(path: compressed.path, reason: "zstd -d failed: is the zstd CLI installed?")
        }
        for name in ["tokenizer_config.json", "chat_template.jinja"] {
            try FileManager.default.copyItem(at: fixtures.appendingPathComponent(name), to: scratch.file(name))
        }
        return try BPETokenizer(url: scratch.url)
    }

    @Test func encodingsMatchHuggingFaceOnVariedText() throws {
        let tokenizer = try Self.shared.get()
        let expected = try JSONDecoder().decode(Expected.self,
                                                from: Data(contentsOf: Self.fixtures.appendingPathComponent("expected.json")))
        #expect(tokenizer.vocabSize == expected.vocab_size)
        #expect(expected.cases.count > 100)
        var mismatches = 0
        for item in expected.cases {
            let ids = tokenizer.encode(item.text)
            if ids != item.ids {
                mismatches += 1
                Issue.record("encode \(item.text.debugDescription): \(ids) != \(item.ids)")
            }
            #expect(tokenizer.decode(item.ids) == item.decoded, "decode \(item.text.debugDescription)")
        }
        #expect(mismatches == 0)
        // Everything at once (one call, cache already warm) equals the concatenation when pieces can't merge
        // across case boundaries: join with a special token, which always separates.
        let joined = expected.cases.map(\.text).joined(separator: "<|endoftext|>")
        let endOfText: Int32 = 151_643
        let together = expected.cases.map(\.ids).joined(separator: [endOfText])
        #expect(tokenizer.encode(joined) == Array(together))
    }

    @Test func configRolesChatTemplateAndSpecials() throws {
        let tokenizer = try Self.shared.get()
        #expect(tokenizer.specialTokens.eos == tokenizer.id(for: "<|im_end|>"))
        #expect(tokenizer.specialTokens.pad == 151_643)
        #expect(tokenizer.specialTokens.bos == nil)
        let template = try String(contentsOf: Self.fixtures.appendingPathComponent("chat_template.jinja"), encoding: .utf8)
        #expect(tokenizer.chatTemplate == template)
        #expect(tokenizer.addedTokens.count == 208)
        #expect(tokenizer.addedTokens.allSatisfy { $0.special })
        #expect(tokenizer.id(for: "<|extra_204|>") == Int32(151_643 + 207))
        #expect(tokenizer.encode("a<|extra_204|>b").count == 3)
        #expect(tokenizer.templatePrefix.isEmpty && tokenizer.templateSuffix.isEmpty)
    }
}
