import Foundation
import Policy
import Seeding
import Primitives

/// `grpo-bench engine`: training and sampling throughput of the policy engine on the shapes of
/// `../shared/bench/torch_peer.py`, with the same keys, so the two JSON objects compare key by key.
///
/// Training: forward + backward + AdamW on `batch` sequences of `seq` positions (sequences of `seq + 1`
/// tokens, every next token scored, mean cross-entropy), one untimed warm-up step then `trainSteps` timed
/// steps per repeat, each repeat on a fresh model and optimizer. Sampling: `batch` random prompts of
/// `promptLength` tokens, `newTokens` new tokens each at temperature 1 with the KV cache and both log-probs
/// kept, prefill included. Model FLOPs are 6·N per trained token and 2·N per sampled token (N = parameters),
/// divided by the sgemm peak measured in the same run for the MFU figures. Peak RSS is measured per config
/// (the kernel's high-water mark is reset before each config).
enum EngineBenchmark {
    struct Options: Sendable {
        /// `tiny`, `small` or `all`.
        var config = "all"
        var repeats = 3
        var threads = ProcessInfo.processInfo.activeProcessorCount
        var batch = 16
        var seq = 128
        var trainSteps = 3
        var promptLength = 16
        var newTokens = 64
        /// `train`, `sample` or `both` (profiling one half alone).
        var only = "both"
    }

    static let configs: [(name: String, config: ModelConfig)] = [("tiny", .benchTiny), ("small", .benchSmall)]

    /// Runs the benchmark and returns a JSON-serialisable dictionary (progress goes to stderr).
    static func run(_ options: Options) throws -> [String: Any] {
        let selected = configs.filter { options.config == "all" || $0.name == options.config }
        guard !selected.isEmpty else {
            throw EngineError.invalidOption(name: "config", value: options.config, reason: "use tiny, small or all")
        }
        let peak = BLAS.measureSgemmGFLOPS(size: 1024, repeats: 5, threads: options.threads)
        progress("sgemm peak \(String(format: "%.1f", peak)) GFLOP/s on \(options.threads) threads")
        var results: [String: Any] = [:]
        for (name, config) in selected {
            resetPeakRSS()
            let parameters = ParameterLayout(config: config).count
            var train: [Double] = [], sample: [Double] = []
            for repeat_ in 0..<options.repeats where options.only != "sample" {
                train.append(try trainTokensPerSecond(config, options, seed: UInt64(repeat_)))
                progress("\(name) train \(repeat_): \(Int(train.last!)) tokens/s")
            }
            for repeat_ in 0..<options.repeats where options.only != "train" {
                sample.append(try sampleTokensPerSecond(config, options, seed: UInt64(repeat_)))
                progress("\(name) sample \(repeat_): \(Int(sample.last!)) new tokens/s")
            }
            var result: [String: Any] = ["params": parameters, "peak_rss_mib": peakRSSMiB()]
            if !train.isEmpty {
                let stats = BenchmarkStatistics(train)
                result["train_tokens_per_s"] = stats.json
                result["train_mfu"] = 6 * Double(parameters) * stats.median / (peak * 1e9)
            }
            if !sample.isEmpty {
                let stats = BenchmarkStatistics(sample)
                result["sample_new_tokens_per_s"] = stats.json
                result["sample_mfu"] = 2 * Double(parameters) * stats.median / (peak * 1e9)
            }
            results[name] = result
        }
        return ["engine": "grpo-lambda Policy (Swift + OpenBLAS)", "threads": options.threads,
                "sgemm_peak_gflops": peak, "configs": results, "peak_rss_mib": processPeakRSSMiB()]
    }

    private static func trainTokensPerSecond(_ config: ModelConfig, _ options: Options, seed: UInt64) throws
        -> Double {
        let model = try Transformer(config: config, seed: 1 + seed)
        let scorer = SequenceScorer(model: model, threads: options.threads)
        let gradients = ParameterStore(layout: model.layout)
        let optimizer = try AdamW(layout: model.layout, configuration: .init(weightDecay: 0.01, decayVectors: true),
                                  threads: options.threads)
        var generator = SeededGenerator(seed: 100 + seed)
        let batch = TokenBatch(sequences: (0..<options.batch).map { _ in
            .init(tokens: (0...options.seq).map { _ in Int32(generator.next() % UInt64(config.vocabSize)) },
                  scoreStart: 1)
        })
        let gradient = [Float](repeating: -1 / Float(batch.scoredTokenCount), count: batch.scoredTokenCount)
        func step() throws {
            _ = try scorer.forward(batch)
            gradients.zero()
            try scorer.backward(logProbGradients: gradient, into: gradients)
            try optimizer.update(parameters: model.parameters, gradients: gradients, learningRate: 1e-4)
        }
        try step()
        let start = ContinuousClock.now
        for _ in 0..<options.trainSteps { try step() }
        return Double(options.batch * options.seq * options.trainSteps) / seconds(since: start)
    }

    private static func sampleTokensPerSecond(_ config: ModelConfig, _ options: Options, seed: UInt64) throws
        -> Double {
        let model = try Transformer(config: config, seed: 1 + seed)
        let sampler = Sampler(model: model, threads: options.threads)
        var generator = SeededGenerator(seed: 200 + seed)
        let prompts = (0..<options.batch).map { _ in
            (0..<options.promptLength).map { _ in Int32(generator.next() % UInt64(config.vocabSize)) }
        }
        let start = ContinuousClock.now
        let completions = try sampler.sample(prompts: prompts,
                                             options: SamplingOptions(maxNewTokens: options.newTokens), seed: seed)
        let elapsed = seconds(since: start)
        return Double(completions.reduce(0) { $0 + $1.tokens.count }) / elapsed
    }

    // MARK: - Helpers

    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        (ContinuousClock.now - start).seconds
    }

    /// Resets the kernel's peak-RSS counter (VmHWM) of this process (Linux ≥ 4.0; silently kept elsewhere).
    private static func resetPeakRSS() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }

    /// VmHWM since the last reset, in MiB.
    private static func peakRSSMiB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kib = Double(line.split(separator: " ").dropFirst().first ?? "") else {
            return processPeakRSSMiB()
        }
        return kib / 1024
    }

    /// The process's peak RSS over its whole life (getrusage), in MiB.
    private static func processPeakRSSMiB() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}
