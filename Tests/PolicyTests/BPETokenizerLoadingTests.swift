import Foundation
import Testing
import TestSupport
@testable import Policy

/// Malformed and unsupported tokenizer files, each made by editing the shared qwen2-style tokenizer.json.
@Suite struct BPETokenizerLoadingTests {
    private func reference() throws -> [String: Any] {
        let url = try SharedReference.url("models/tokenizers/qwen2-style/tokenizer.json")
        return try #require(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    /// The error loading `json` throws (failing the test if it loads).
    private func loadError(_ json: [String: Any], config: String? = nil,
                           sourceLocation: SourceLocation = #_sourceLocation) throws -> TokenizerError? {
        let data = try JSONSerialization.data(withJSONObject: json)
        return #expect(throws: TokenizerError.self, sourceLocation: sourceLocation) {
            _ = try BPETokenizer(tokenizerJSON: data, tokenizerConfigJSON: config.map { Data($0.utf8) })
        }
    }

    private func edited(_ edit: (inout [String: Any]) -> Void) throws -> [String: Any] {
        var json = try reference()
        edit(&json)
        return json
    }

    private func editedModel(_ edit: (inout [String: Any]) -> Void) throws -> [String: Any] {
        try edited { json in
            var model = json["model"] as! [String: Any]
            edit(&model)
            json["model"] = model
        }
    }

    @Test func otherModelTypesAreRefused() throws {
        for type in ["WordPiece", "Unigram", "WordLevel"] {
            let json = try editedModel { $0["type"] = type }
            #expect(try loadError(json) == .unsupportedModel(type: type))
        }
    }

    @Test func notJSONOrMissingModel() throws {
        #expect(throws: TokenizerError.self) { _ = try BPETokenizer(tokenizerJSON: Data("{\"model\": ".utf8)) }
        #expect(throws: TokenizerError.notJSON(file: "tokenizer.json", reason: "not an object")) {
            _ = try BPETokenizer(tokenizerJSON: Data("[1]".utf8))
        }
        #expect(try loadError(edited { $0["model"] = nil }) == .missingField("model"))
        #expect(try loadError(editedModel { $0["vocab"] = nil }) == .missingField("model.vocab"))
        #expect(try loadError(editedModel { $0["vocab"] = ["a": "zero"] })
            == .wrongType(field: "model.vocab[a]", expected: "a non-negative integer"))
    }

    @Test func mergesNamingTokensOutsideTheVocabulary() throws {
        let json = try editedModel { model in
            var merges = model["merges"] as! [Any]
            merges.insert(["Ġ", "Ω"], at: 3)
            model["merges"] = merges
        }
        #expect(try loadError(json) == .tokenNotInVocabulary(field: "model.merges[3]", token: "Ω"))
        let noResult = try editedModel { model in
            var merges = model["merges"] as! [Any]
            merges.insert("z q", at: 0)  // both parts exist, "zq" does not
            model["merges"] = merges
        }
        #expect(try loadError(noResult) == .tokenNotInVocabulary(field: "model.merges[0]", token: "zq"))
        let malformed = try editedModel { $0["merges"] = ["a b c"] }
        #expect(try loadError(malformed)
            == .wrongType(field: "model.merges[0]", expected: "\"left right\" or [left, right]"))
    }

    @Test func unsupportedComponentsAreNamed() throws {
        #expect(try loadError(editedModel { $0["byte_fallback"] = true })
            == .unsupported(field: "model.byte_fallback", value: "true"))
        #expect(try loadError(editedModel { $0["continuing_subword_prefix"] = "##" })
            == .unsupported(field: "model.continuing_subword_prefix", value: "##"))
        #expect(try loadError(edited { $0["normalizer"] = ["type": "NFKC"] })
            == .unsupported(field: "normalizer.type", value: "NFKC"))
        #expect(try loadError(edited { $0["decoder"] = ["type": "WordPiece"] })
            == .unsupported(field: "decoder.type", value: "WordPiece"))
        #expect(try loadError(edited { $0["post_processor"] = ["type": "BertProcessing"] })
            == .unsupported(field: "post_processor.type", value: "BertProcessing"))
        #expect(try loadError(edited { $0["pre_tokenizer"] = ["type": "Metaspace"] })
            == .unsupported(field: "pre_tokenizer.type", value: "Metaspace"))
        #expect(try loadError(edited { $0["pre_tokenizer"] = NSNull() })
            == .unsupported(field: "pre_tokenizer", value: "null (byte-level BPE needs ByteLevel)"))
        let otherRegex = try edited { json in
            json["pre_tokenizer"] = ["type": "Sequence", "pretokenizers": [
                ["type": "Split", "pattern": ["Regex": "\\w+|\\s+"], "behavior": "Isolated", "invert": false],
                ["type": "ByteLevel", "add_prefix_space": false, "use_regex": false],
            ]]
        }
        #expect(try loadError(otherRegex)
            == .unsupported(field: "pre_tokenizer.pretokenizers[0].pattern.Regex", value: "\\w+|\\s+"))
        let byteLevelFirst = try edited { json in
            json["pre_tokenizer"] = ["type": "Sequence", "pretokenizers": [
                ["type": "ByteLevel", "add_prefix_space": false, "use_regex": true],
                ["type": "Split", "pattern": ["Regex": PreTokenizerPattern.known.keys.sorted().first!],
                 "behavior": "Isolated"],
            ]]
        }
        #expect(try loadError(byteLevelFirst) == .unsupported(field: "pre_tokenizer", value: "no ByteLevel step at the end"))
    }

    @Test func duplicateIDsAndBadAddedTokens() throws {
        let duplicate = try editedModel { model in
            var vocab = model["vocab"] as! [String: Any]
            vocab["zzzz"] = 5
            model["vocab"] = vocab
        }
        guard case .invalidID(_, 5)? = try loadError(duplicate) else {
            Issue.record("duplicate id 5 not refused")
            return
        }
        let addedWithoutID = try edited { json in
            var added = json["added_tokens"] as! [[String: Any]]
            added[1]["id"] = nil
            json["added_tokens"] = added
        }
        #expect(try loadError(addedWithoutID) == .missingField("added_tokens[1].id"))
        let hugeID = try editedModel { model in
            var vocab = model["vocab"] as! [String: Any]
            vocab["zzzz"] = 2_000_000_000
            model["vocab"] = vocab
        }
        #expect(try loadError(hugeID) == .invalidID(field: "model.vocab[zzzz]", id: 2_000_000_000))
    }

    @Test func tokenizerConfigRolesMustExist() throws {
        let json = try reference()
        #expect(try loadError(json, config: #"{"eos_token": "<|nope|>"}"#)
            == .tokenNotInVocabulary(field: "eos_token", token: "<|nope|>"))
        let data = try JSONSerialization.data(withJSONObject: json)
        let published = #"""
            {"bos_token": null, "eos_token": {"__type": "AddedToken", "content": "<|im_end|>", "special": true},
             "pad_token": "<|endoftext|>", "chat_template": [{"name": "default", "template": "{{ x }}"},
                                                             {"name": "tool_use", "template": "{{ y }}"}]}
            """#
        let tokenizer = try BPETokenizer(tokenizerJSON: data, tokenizerConfigJSON: Data(published.utf8))
        #expect(tokenizer.specialTokens == SpecialTokenIDs(bos: nil, eos: 2, pad: 0, unk: nil))
        #expect(tokenizer.chatTemplate == "{{ x }}")
        #expect(tokenizer.chatTemplates["tool_use"] == "{{ y }}")
    }

    @Test func missingFile() throws {
        let scratch = try ScratchDirectory()
        #expect(throws: TokenizerError.self) { _ = try BPETokenizer(url: scratch.file("absent.json")) }
        #expect(throws: TokenizerError.self) { _ = try BPETokenizer(url: scratch.url) }
    }
}
