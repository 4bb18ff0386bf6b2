import Foundation

/// Writes weights as a Hugging Face model directory that transformers, vLLM and `grpo-lambda generate` load:
/// `model.safetensors` under the Hugging Face tensor names, `config.json`, and the tokenizer files of the
/// directory the model came from.
public enum HuggingFaceExport {
    /// The files of a model directory that travel with its weights (those present are copied).
    public static let companionNames = ["config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json",
                                        "special_tokens_map.json", "chat_template.jinja", "vocab.json", "merges.txt",
                                        "added_tokens.json"]

    /// The companion files present in `directory`.
    public static func companions(of directory: URL) -> [URL] {
        companionNames.map { directory.appendingPathComponent($0) }.filter { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// The dtype a directory's weights are stored in (its first tensor's), nil when unreadable.
    public static func storedDType(of directory: URL) -> SafetensorsDType? {
        guard let archive = try? SafetensorsArchive(url: directory), let name = archive.names.first else { return nil }
        return try? archive.info(name).0
    }

    /// The dtype to write for `requested` (nil: the source's): F32 or BF16, the two the writer produces; F16 sources
    /// are written as F32 (no precision lost).
    public static func writableDType(_ requested: SafetensorsDType?, source: SafetensorsDType?) -> SafetensorsDType {
        switch requested ?? source ?? .f32 {
        case .bf16: .bf16
        default: .f32
        }
    }

    /// Writes `parameters` (laid out for `config`) to `output` as a model directory. With `source`, its tokenizer and
    /// generation files are copied and its config.json kept (with the dtype updated); without, config.json is written
    /// from `config` (the built-in model, which has no Hugging Face tokenizer).
    public static func write(_ parameters: ParameterStore, config: ModelConfig, source: URL?, dtype: SafetensorsDType,
                             to output: URL) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: output, withIntermediateDirectories: true)
        try parameters.write(to: output.appendingPathComponent("model.safetensors"), dtype: dtype)
        let dtypeName = dtype == .bf16 ? "bfloat16" : "float32"
        var configObject = configJSON(config)
        if let source {
            for file in companions(of: source) where file.lastPathComponent != "config.json" {
                let target = output.appendingPathComponent(file.lastPathComponent)
                if file.standardizedFileURL == target.standardizedFileURL { continue }
                if fm.fileExists(atPath: target.path) { try fm.removeItem(at: target) }
                try fm.copyItem(at: file, to: target)
            }
            if let data = try? Data(contentsOf: source.appendingPathComponent("config.json")),
               let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
                configObject = object
            }
        }
        if configObject["dtype"] != nil { configObject["dtype"] = dtypeName }
        configObject["torch_dtype"] = dtypeName
        let data = try JSONSerialization.data(withJSONObject: configObject, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: output.appendingPathComponent("config.json"), options: .atomic)
    }

    /// A transformers `config.json` for `config` (LlamaConfig or Qwen2Config fields).
    public static func configJSON(_ config: ModelConfig) -> [String: Any] {
        var object: [String: Any] = [
            "architectures": [config.architecture.rawValue],
            "model_type": config.architecture == .qwen2 ? "qwen2" : "llama",
            "vocab_size": config.vocabSize, "hidden_size": config.hiddenSize,
            "intermediate_size": config.intermediateSize, "num_hidden_layers": config.numLayers,
            "num_attention_heads": config.numHeads, "num_key_value_heads": config.numKVHeads, "head_dim": config.headDim,
            "rms_norm_eps": Double(config.rmsNormEps), "rope_theta": config.ropeTheta,
            "tie_word_embeddings": config.tieWordEmbeddings, "max_position_embeddings": config.maxPositionEmbeddings,
            "hidden_act": "silu",
        ]
        if config.architecture == .llama { object["attention_bias"] = config.attentionBias }
        if let bos = config.bosTokenID { object["bos_token_id"] = bos }
        if config.eosTokenIDs.count == 1 { object["eos_token_id"] = config.eosTokenIDs[0] }
        if config.eosTokenIDs.count > 1 { object["eos_token_id"] = config.eosTokenIDs }
        if case let .llama3(factor, low, high, original) = config.ropeScaling {
            object["rope_scaling"] = ["rope_type": "llama3", "factor": factor, "low_freq_factor": low,
                                      "high_freq_factor": high, "original_max_position_embeddings": original]
        }
        return object
    }
}
