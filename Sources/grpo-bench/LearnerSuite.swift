import ArgumentParser
import Foundation
import Learner
import Policy
import Protocol
import Seeding
import Primitives

/// `grpo-bench learner`: seconds per learner step, split into forward/backward, loss, optimizer and
/// bookkeeping, on the SMALL config with B prompts × G completions × T tokens.
struct LearnerSuite: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learner", abstract: "Seconds per learner step by phase (SMALL config, 8 × 8 × 64 tokens by default).")

    @OptionGroup var common: CommonBenchOptions
    @Option(help: "tiny or small.") var config = "small"
    @Option(help: "Prompts per step.") var prompts = 8
    @Option(help: "Completions per prompt.") var completions = 8
    @Option(help: "Tokens per completion.") var tokens = 64
    @Option(help: "Prompt tokens.") var promptTokens = 16
    @Option(help: "grpo, dapo, drgrpo, lambda_grpo, gspo or grpo_lambda.") var method = "grpo_lambda"
    @Option(help: "Engine threads.") var threads = ProcessInfo.processInfo.activeProcessorCount

    func run() throws {
        let modelConfig: ModelConfig = config == "tiny" ? .benchTiny : .benchSmall
        let model = try Transformer(config: modelConfig, seed: 1)
        let loss: LossConfiguration = switch method {
        case "grpo": .grpo()
        case "dapo": .dapo()
        case "drgrpo": .drGRPO(maxLength: tokens)
        case "lambda_grpo": .lambdaGRPO(.init(initialLambda: 0.5))
        case "gspo": .gspo()
        default: .grpoLambda()
        }
        let trainer = try GRPOTrainer(model: model, configuration: TrainerConfiguration(
            loss: loss, schedule: .init(peak: 1e-5, totalSteps: 1_000), epochs: 1, seed: 1), threads: threads)
        let groups = try syntheticGroups(model: model, vocabulary: modelConfig.vocabSize)
        progress("learner bench: \(config), \(prompts) × \(completions) × \(tokens) tokens, \(method)")
        _ = try trainer.train(on: groups)  // warm-up: grows the engine's buffers
        var phases: [StepMetrics.PhaseSeconds] = []
        for _ in 0..<max(1, common.repeats) { phases.append(try trainer.train(on: groups).seconds) }
        func stats(_ f: (StepMetrics.PhaseSeconds) -> Double) -> [String: Double] { BenchmarkStatistics(phases.map(f)).json }
        let total = BenchmarkStatistics(phases.map(\.total)).median
        let overhead = BenchmarkStatistics(phases.map { $0.loss + $0.bookkeeping }).median
        try emitJSON([
            "suite": "learner", "config": config, "method": method, "params": model.layout.count,
            "prompts": prompts, "completions_per_prompt": completions, "tokens_per_completion": tokens,
            "step_seconds": [
                "forward_backward": stats(\.forwardBackward), "loss": stats(\.loss), "optimizer": stats(\.optimizer),
                "bookkeeping": stats(\.bookkeeping), "total": stats(\.total),
            ],
            "loss_plus_bookkeeping_fraction": overhead / total,
        ])
    }

    /// Groups of random completions whose sampler log-probs are the model's own (ratios near 1, as on-policy).
    private func syntheticGroups(model: Transformer, vocabulary: Int) throws -> [RolloutGroup] {
        var rng = SeededGenerator(seed: 7)
        let scorer = SequenceScorer(model: model, threads: threads)
        return try (0..<prompts).map { p in
            let prompt = (0..<promptTokens).map { _ in Int32(rng.next() % UInt64(vocabulary)) }
            let samples = (0..<completions).map { _ in (0..<tokens).map { _ in Int32(rng.next() % UInt64(vocabulary)) } }
            let scores = try scorer.forward(TokenBatch(prompts: Array(repeating: prompt, count: completions), completions: samples),
                                            keepActivations: false)
            return RolloutGroup(
                leaseID: UInt64(p), promptIndex: UInt64(p), workerID: "bench", policyVersion: 0, prompt: "", promptTokens: WireArray(prompt),
                goldAnswer: "", temperature: 1, topP: 1, topK: 0, maxNewTokens: UInt32(tokens), generationSeconds: 0,
                completions: samples.enumerated().map { i, s in
                    let lp = Array(scores.logProbs(ofSequence: i))
                    return ScoredCompletion(tokens: WireArray(s), samplerLogProbs: WireArray(lp), policyLogProbs: WireArray(lp), finishReason: .length,
                                            reward: Float(rng.next() % 2), correct: false, verdict: "bench", text: "")
                })
        }
    }
}
