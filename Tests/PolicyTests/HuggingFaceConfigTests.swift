import Foundation
import Testing
import TestSupport
@testable import Policy

/// The path of a fixture beside this test file.
private func fixture(_ name: String) -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
}

private func config(_ json: String) throws -> HuggingFaceConfig { try HuggingFaceConfig(data: Data(json.utf8)) }

/// Throws unless `json` is refused with exactly `expected`.
private func expectRefused(_ json: String, _ expected: ModelConfigError,
                           sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(throws: expected, sourceLocation: sourceLocation) { _ = try config(json) }
}

/// A published-style Llama-3.2-1B config.json (the `rope_theta` / `rope_scaling` / `torch_dtype` spelling).
private let llama32Published = """
{"architectures": ["LlamaForCausalLM"], "attention_bias": false, "attention_dropout": 0.0,
 "bos_token_id": 128000, "eos_token_id": [128001, 128008, 128009], "head_dim": 64, "hidden_act": "silu",
 "hidden_size": 2048, "initializer_range": 0.02, "intermediate_size": 8192, "max_position_embeddings": 131072,
 "mlp_bias": false, "model_type": "llama", "num_attention_heads": 32, "num_hidden_layers": 16,
 "num_key_value_heads": 8, "pretraining_tp": 1, "rms_norm_eps": 1e-05,
 "rope_scaling": {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                  "original_max_position_embeddings": 8192, "rope_type": "llama3"},
 "rope_theta": 500000.0, "tie_word_embeddings": true, "torch_dtype": "bfloat16",
 "transformers_version": "4.45.0.dev0", "use_cache": true, "vocab_size": 128256}
"""

/// A published-style Qwen2.5-0.5B config.json.
private let qwen25Published = """
{"architectures": ["Qwen2ForCausalLM"], "attention_dropout": 0.0, "bos_token_id": 151643,
 "eos_token_id": 151643, "hidden_act": "silu", "hidden_size": 896, "initializer_range": 0.02,
 "intermediate_size": 4864, "max_position_embeddings": 32768, "max_window_layers": 24, "model_type": "qwen2",
 "num_attention_heads": 14, "num_hidden_layers": 24, "num_key_value_heads": 2, "rms_norm_eps": 1e-06,
 "rope_theta": 1000000.0, "sliding_window": 32768, "tie_word_embeddings": true, "torch_dtype": "bfloat16",
 "transformers_version": "4.40.1", "use_cache": true, "use_sliding_window": false, "vocab_size": 151936}
"""

@Suite struct HuggingFaceConfigTests {
    @Test(arguments: ["llama-tiny", "qwen2-tiny"])
    func referenceConfigsMatchTheirJSON(model: String) throws {
        let url = try SharedReference.url("models/\(model)/config.json")
        let json = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let parsed = try HuggingFaceConfig(url: url)
        let config = parsed.model
        #expect(config.architecture.rawValue == (json["architectures"] as? [String])?.first)
        #expect(parsed.modelType == json["model_type"] as? String)
        #expect(config.vocabSize == json["vocab_size"] as? Int)
        #expect(config.hiddenSize == json["hidden_size"] as? Int)
        #expect(config.intermediateSize == json["intermediate_size"] as? Int)
        #expect(config.numLayers == json["num_hidden_layers"] as? Int)
        #expect(config.numHeads == json["num_attention_heads"] as? Int)
        #expect(config.numKVHeads == json["num_key_value_heads"] as? Int)
        #expect(config.headDim * config.numHeads == config.hiddenSize)
        #expect(config.rmsNormEps == Float(try #require(json["rms_norm_eps"] as? Double)))
        #expect(config.ropeTheta == json["rope_theta"] as? Double)
        #expect(config.ropeScaling == .none)
        #expect(config.tieWordEmbeddings == json["tie_word_embeddings"] as? Bool)
        #expect(config.attentionBias == (model == "qwen2-tiny"))
        #expect(config.maxPositionEmbeddings == json["max_position_embeddings"] as? Int)
        #expect(parsed.dtype == json["torch_dtype"] as? String)
        // The directory form reads the same file.
        #expect(try ModelConfig(huggingFaceConfigURL: url.deletingLastPathComponent()) == config)
    }

    @Test func publishedLlama32WithLlama3Scaling() throws {
        let parsed = try config(llama32Published)
        #expect(parsed.model == ModelConfig(
            architecture: .llama, vocabSize: 128256, hiddenSize: 2048, intermediateSize: 8192, numLayers: 16,
            numHeads: 32, numKVHeads: 8, headDim: 64, rmsNormEps: 1e-5, ropeTheta: 500_000,
            ropeScaling: .llama3(factor: 32, lowFrequencyFactor: 1, highFrequencyFactor: 4,
                                 originalMaxPositionEmbeddings: 8192),
            tieWordEmbeddings: true, attentionBias: false, maxPositionEmbeddings: 131072, bosTokenID: 128000,
            eosTokenIDs: [128001, 128008, 128009]))
        #expect(parsed.dtype == "bfloat16")
    }

    @Test func publishedQwen25() throws {
        let parsed = try config(qwen25Published)
        #expect(parsed.model == ModelConfig(
            architecture: .qwen2, vocabSize: 151936, hiddenSize: 896, intermediateSize: 4864, numLayers: 24,
            numHeads: 14, numKVHeads: 2, rmsNormEps: 1e-6, ropeTheta: 1_000_000, tieWordEmbeddings: true,
            attentionBias: true, maxPositionEmbeddings: 32768, bosTokenID: 151643, eosTokenIDs: [151643]))
        #expect(parsed.model.headDim == 64)
    }

    @Test func filesWrittenByCurrentTransformers() throws {
        // rope_parameters + dtype, written by transformers 5 (make_config_fixtures.py).
        let llama = try HuggingFaceConfig(url: fixture("configs/llama3-transformers5.json"))
        #expect(llama.model.architecture == .llama)
        #expect(llama.model.headDim == 24)
        #expect(llama.model.ropeTheta == 500_000)
        #expect(llama.model.ropeScaling == .llama3(factor: 32, lowFrequencyFactor: 1, highFrequencyFactor: 4,
                                                   originalMaxPositionEmbeddings: 8192))
        #expect(llama.model.eosTokenIDs == [2, 3])
        #expect(llama.model.bosTokenID == 1)
        #expect(llama.model.tieWordEmbeddings)
        #expect(llama.dtype == "bfloat16")
        let qwen = try HuggingFaceConfig(url: fixture("configs/qwen2-transformers5.json"))
        #expect(qwen.model.architecture == .qwen2)
        #expect(qwen.model.ropeTheta == 1_000_000)
        #expect(qwen.model.ropeScaling == .none)
        #expect(qwen.model.attentionBias)
        #expect(qwen.model.bosTokenID == nil)
        #expect(qwen.model.eosTokenIDs == [7])
        #expect(qwen.model.maxPositionEmbeddings == 32768)
    }

    @Test func defaultsForOptionalFields() throws {
        let parsed = try config("""
            {"model_type": "llama", "vocab_size": 10, "hidden_size": 8, "intermediate_size": 16,
             "num_hidden_layers": 1, "num_attention_heads": 2}
            """)
        #expect(parsed.model.numKVHeads == 2)
        #expect(parsed.model.headDim == 4)
        #expect(parsed.model.ropeTheta == 10_000)
        #expect(parsed.model.ropeScaling == .none)
        #expect(parsed.model.rmsNormEps == 1e-6)
        #expect(parsed.model.maxPositionEmbeddings == 2048)
        #expect(!parsed.model.tieWordEmbeddings)
        #expect(parsed.model.eosTokenIDs.isEmpty)
        #expect(parsed.dtype == nil)
        // Old `type` key and rope_type "default" both mean no scaling.
        let oldSpelling = try config("""
            {"model_type": "llama", "vocab_size": 10, "hidden_size": 8, "intermediate_size": 16,
             "num_hidden_layers": 1, "num_attention_heads": 2, "rope_scaling": {"type": "default"}}
            """)
        #expect(oldSpelling.model.ropeScaling == .none)
    }

    @Test func unsupportedRopeTypesAreRefusedNamingTheField() {
        let base = #""model_type": "llama", "vocab_size": 10, "hidden_size": 8, "intermediate_size": 16, "num_hidden_layers": 1, "num_attention_heads": 2"#
        expectRefused("{\(base), \"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 4.0}}",
                      .unsupportedRopeType(field: "rope_scaling.rope_type", value: "yarn"))
        expectRefused("{\(base), \"rope_scaling\": {\"type\": \"linear\", \"factor\": 2.0}}",
                      .unsupportedRopeType(field: "rope_scaling.type", value: "linear"))
        expectRefused("{\(base), \"rope_parameters\": {\"rope_type\": \"dynamic\", \"rope_theta\": 1.0}}",
                      .unsupportedRopeType(field: "rope_parameters.rope_type", value: "dynamic"))
        expectRefused("{\(base), \"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 8.0}}",
                      .missingField("rope_scaling.low_freq_factor"))
        expectRefused("{\(base), \"rope_scaling\": {\"factor\": 8.0}}", .missingField("rope_scaling.rope_type"))
    }

    @Test func unknownArchitecturesAndFeaturesAreRefused() {
        let shape = #""vocab_size": 10, "hidden_size": 8, "intermediate_size": 16, "num_hidden_layers": 1, "num_attention_heads": 2"#
        expectRefused("{\"architectures\": [\"MistralForCausalLM\"], \(shape)}",
                      .unsupportedArchitecture(field: "architectures", value: "MistralForCausalLM"))
        expectRefused("{\"model_type\": \"gemma\", \(shape)}",
                      .unsupportedArchitecture(field: "model_type", value: "gemma"))
        expectRefused("{\(shape)}", .missingField("architectures"))
        expectRefused("{\"model_type\": \"llama\", \"hidden_act\": \"gelu\", \(shape)}",
                      .unsupportedFeature(field: "hidden_act", value: "gelu"))
        expectRefused("{\"model_type\": \"llama\", \"attention_bias\": true, \(shape)}",
                      .unsupportedFeature(field: "attention_bias", value: "true"))
        expectRefused("{\"model_type\": \"llama\", \"mlp_bias\": true, \(shape)}",
                      .unsupportedFeature(field: "mlp_bias", value: "true"))
        expectRefused("{\"model_type\": \"qwen2\", \"use_sliding_window\": true, \(shape)}",
                      .unsupportedFeature(field: "use_sliding_window", value: "true"))
        expectRefused("{\"architectures\": [\"Qwen2ForCausalLM\"], \"model_type\": \"llama\", \(shape)}",
                      .invalidValue(field: "model_type", value: "llama",
                                    reason: "disagrees with architectures Qwen2ForCausalLM"))
    }

    @Test func missingAndMistypedFields() {
        let full = ["\"model_type\": \"qwen2\"", "\"vocab_size\": 10", "\"hidden_size\": 8",
                    "\"intermediate_size\": 16", "\"num_hidden_layers\": 1", "\"num_attention_heads\": 2"]
        for (index, field) in ["vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers",
                               "num_attention_heads"].enumerated() {
            var fields = full
            fields.remove(at: index + 1)
            expectRefused("{\(fields.joined(separator: ","))}", .missingField(field))
        }
        let shape = full.joined(separator: ",")
        expectRefused("{\(shape), \"num_key_value_heads\": 3}",
                      .invalidValue(field: "num_key_value_heads", value: "3", reason: "must divide num_attention_heads 2"))
        expectRefused("{\(shape), \"eos_token_id\": \"2\"}",
                      .wrongType(field: "eos_token_id", expected: "a non-negative integer"))
        expectRefused("{\(shape), \"rope_theta\": \"big\"}", .wrongType(field: "rope_theta", expected: "a number"))
        expectRefused("{\(shape.replacingOccurrences(of: "\"vocab_size\": 10", with: "\"vocab_size\": 10.5"))}",
                      .wrongType(field: "vocab_size", expected: "a non-negative integer"))
        expectRefused("[1, 2]", .notJSON(reason: "not an object"))
        #expect(throws: ModelConfigError.self) { _ = try config("{\"model_type\": ") }
    }
}
