import Foundation

extension ModelConfig {
    /// Reads a Hugging Face `config.json` (LlamaForCausalLM or Qwen2ForCausalLM, either spelling of the RoPE
    /// fields); throws `ModelConfigError` naming the field for anything unsupported. See `HuggingFaceConfig`.
    public init(huggingFaceConfig data: Data) throws {
        self = try HuggingFaceConfig(data: data).model
    }

    /// Reads the Hugging Face `config.json` at `url` (a file, or a model directory containing one).
    public init(huggingFaceConfigURL url: URL) throws {
        var isDirectory: ObjCBool = false
        let file = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
            ? url.appendingPathComponent("config.json") : url
        self = try HuggingFaceConfig(url: file).model
    }
}
