import Foundation

/// A Hugging Face model directory as `save_pretrained` (or a hub download) leaves it: `config.json`, the
/// weights (`model.safetensors`, or shards with `model.safetensors.index.json`), `tokenizer.json` (with
/// `tokenizer_config.json`), and optionally `generation_config.json`.
///
/// Opening reads and validates the config and maps the weights; the model and the tokenizer are loaded on
/// request. Point it at e.g. a Qwen2.5-0.5B or Llama-3.2-1B snapshot directory.
public struct ModelDirectory: Sendable {
    public let url: URL
    public let config: ModelConfig
    public let weights: SafetensorsArchive
    /// Token ids that end generation: `config.json`'s `eos_token_id` and `generation_config.json`'s (a number or
    /// a list in either file), in that order, without duplicates.
    public let stopTokenIDs: [Int32]

    /// Reads `config.json` and `generation_config.json` and maps the weights of the directory at `url`.
    ///
    /// Throws `ModelConfigError` for a missing or unsupported config, `SafetensorsError` for missing or malformed
    /// weights.
    public init(url: URL) throws {
        self.url = url
        config = try ModelConfig(huggingFaceConfigURL: url.appendingPathComponent("config.json"))
        weights = try SafetensorsArchive(url: url)
        var stops = config.eosTokenIDs.map(Int32.init)
        let generation = url.appendingPathComponent("generation_config.json")
        if let data = try? Data(contentsOf: generation),
           let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            let value = object["eos_token_id"]
            let ids = (value as? [Int]) ?? (value as? Int).map { [$0] } ?? []
            for id in ids where !stops.contains(Int32(truncatingIfNeeded: id)) {
                stops.append(Int32(truncatingIfNeeded: id))
            }
        }
        stopTokenIDs = stops
    }

    /// The model with the directory's weights (F32/BF16/F16 converted to Float32).
    public func loadModel() throws -> Transformer {
        try Transformer(config: config, weights: weights)
    }

    /// The directory's `tokenizer.json` (with `tokenizer_config.json` and a chat template when present).
    public func loadTokenizer() throws -> BPETokenizer {
        try BPETokenizer(url: url)
    }
}
