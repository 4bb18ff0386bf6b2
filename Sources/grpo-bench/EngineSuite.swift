import ArgumentParser
import Foundation

/// `grpo-bench engine --config tiny|small|all`: training and sampling throughput, peak memory and model-FLOPs
/// utilisation, on the shapes and with the keys of ../shared/bench/torch_peer.py (the PyTorch peer).
struct EngineSuite: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine", abstract: "Policy engine: train and sample tokens/s vs ../shared/bench/torch_peer.py.")

    @OptionGroup var common: CommonBenchOptions
    @Option(help: "tiny, small or all.") var config = "all"
    @Option(help: "Threads.") var threads = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Sequences per training batch and prompts per sampling batch.") var batch = 16
    @Option(help: "Trained positions per sequence.") var seq = 128
    @Option(help: "Timed training steps per repeat.") var trainSteps = 3
    @Option(help: "Prompt tokens when sampling.") var promptLen = 16
    @Option(help: "New tokens per prompt when sampling.") var newTokens = 64
    @Option(help: "train, sample or both.") var only = "both"

    func run() throws {
        var options = EngineBenchmark.Options()
        options.config = config
        options.repeats = common.repeats
        options.threads = threads
        options.batch = batch
        options.seq = seq
        options.trainSteps = trainSteps
        options.promptLength = promptLen
        options.newTokens = newTokens
        options.only = only
        var result = try EngineBenchmark.run(options)
        result["suite"] = "engine"
        try emitJSON(result)
    }
}
