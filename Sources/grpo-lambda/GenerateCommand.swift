import ArgumentParser
import Foundation
import Policy

/// `grpo-lambda generate`: one completion of a prompt by a Hugging Face model directory, as plain text or as a
/// JSON object with the token ids and their log-probs.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate a completion with a model directory (config.json, model.safetensors, tokenizer.json).")

    @Option(help: "The model directory.")
    var model: String

    @Option(help: "The prompt text (special tokens such as <|im_start|> are recognised).")
    var prompt: String

    @Option(help: "The most tokens to generate.")
    var maxNewTokens: Int = 128

    @Option(help: "Sampling temperature; 0 decodes greedily.")
    var temperature: Float = 0

    @Option(help: "Nucleus sampling mass in (0, 1].")
    var topP: Float = 1

    @Option(help: "Keep only the k most likely tokens (0: all).")
    var topK: Int = 0

    @Option(help: "Seed of the sampler's random stream.")
    var seed: UInt64 = 0

    @Option(help: "Engine threads (0 = all cores).")
    var threads = 0

    @Flag(help: "Print {\"prompt_ids\", \"ids\", \"text\", \"logprobs\"} (log-probs at temperature 1) as JSON.")
    var json = false

    func run() throws {
        let directory = try ModelDirectory(url: URL(fileURLWithPath: model))
        let tokenizer = try directory.loadTokenizer()
        let transformer = try directory.loadModel()
        guard threads >= 0 else { throw ValidationError("--threads must be ≥ 0 (0 = all cores)") }
        let threads = self.threads > 0 ? self.threads : ProcessInfo.processInfo.activeProcessorCount
        let promptIDs = tokenizer.encode(prompt, addSpecialTokens: true)
        let options = SamplingOptions(temperature: temperature, topP: topP, topK: topK, maxNewTokens: maxNewTokens,
                                      stopTokenIDs: Set(directory.stopTokenIDs))
        let completion = try Sampler(model: transformer, threads: threads)
            .sample(prompts: [promptIDs], options: options, seed: seed)[0]
        let text = tokenizer.decode(completion.tokens, skipSpecialTokens: true)
        guard json else {
            print(text)
            return
        }
        let object: [String: Any] = [
            "prompt_ids": promptIDs.map(Int.init), "ids": completion.tokens.map(Int.init), "text": text,
            "logprobs": completion.policyLogProbs.map(Double.init),
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }
}
