import ArgumentParser
import Foundation

/// `grpo-bench tokenizer --tokenizer FILE --text FILE`: encode bytes/s on one thread.
struct TokenizerSuite: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenizer", abstract: "Encode throughput of a tokenizer.json on one thread (bench/tokenizers_peer.py is the peer).")

    @OptionGroup var common: CommonBenchOptions
    @Option(help: "tokenizer.json (or a model directory holding one).") var tokenizer: String
    @Option(help: "Text file to encode, line by line (bench/make_tokenizer_text.py makes one).") var text: String

    func run() throws {
        var result = try TokenizerBenchmark.run(tokenizerPath: tokenizer, textPath: text, repeats: common.repeats)
        result["suite"] = "tokenizer"
        try emitJSON(result)
    }
}
