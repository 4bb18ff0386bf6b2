import Foundation
import Learner
import Policy

/// One run, every field with a default: the built-in tiny model, an SFT warm start on the synthetic
/// curriculum, then GRPO-λ on-policy, evaluated on a held-out split. Loaded from a JSON file (`--config`),
/// overridden by flags, and written to `<run>/config.json` as the effective configuration.
public struct RunConfiguration: Sendable, Equatable, Codable {
    /// The policy-gradient method: grpo, dapo, drgrpo, lambda_grpo, grpo_lambda.
    public var method = "grpo_lambda"
    public var seed: UInt64 = 1
    /// Curriculum level (1…5) for warm start, RL and evaluation.
    public var level = 4
    /// A Hugging Face model directory instead of the built-in tiny model (config.json, safetensors, tokenizer.json).
    public var modelDirectory: String?
    /// Prompt template preset: plain (built-in model), qwen_chat, llama3_chat.
    public var template = "plain"

    // Supervised warm start (skipped when a warm-start checkpoint exists or steps = 0).
    public var warmStartSteps = 300
    public var warmStartBatchSize = 32
    public var warmStartLearningRate: Float = 1e-3

    // Reinforcement learning.
    public var steps = 60
    /// Prompts per step (B) and completions per prompt (G).
    public var groupsPerStep = 8
    public var groupSize = 16
    public var temperature: Float = 1
    public var topP: Float = 1
    public var maxNewTokens = 48
    public var learningRate: Float = 3e-5
    public var warmupSteps = 0
    public var epochs = 2
    public var minibatches = 1
    public var clipLow = 0.2
    public var clipHigh = 0.2
    public var klCoefficient = 0.0
    public var maxGradientNorm: Float = 1
    /// GRPO-λ: trace λ, γ, style (recent/early/both), ε-trace floor and advantage clamp (nil = none).
    public var traceLambda = 0.99
    public var traceGamma = 1.0
    public var traceStyle = "recent"
    public var traceFloor = 0.05
    public var advantageClampMin: Double? = -0.1
    /// λ-GRPO: initial λ and its learning rate.
    public var lengthPreferenceLambda = 0.0
    public var lengthPreferenceLearningRate = 0.01
    /// DAPO's soft overlong penalty: the last N of `max_new_tokens` cost reward linearly (0 = off).
    public var overlongPenaltyCache = 0
    /// Groups sampled by weights more than this many versions old are dropped (0 = on-policy).
    public var maxStaleness = 0

    // Evaluation, checkpoints, logs.
    public var heldOutProblems = 300
    /// Evaluate every N steps (0 = only before and after).
    public var evalEvery = 20
    /// Samples per problem for mean@k / pass@k at each evaluation (0 = greedy only).
    public var evalSamples = 0
    public var checkpointEvery = 20
    public var keepCheckpoints = 3
    /// Log a few sampled completions with their rewards every N steps.
    public var sampleLogEvery = 10
    /// Threads for the engine (BLAS and the rest); 0 = all cores.
    public var threads = 0

    public init() {}

    /// The loss this configuration asks for.
    public func lossConfiguration() throws -> LossConfiguration {
        var loss: LossConfiguration
        switch method {
        case "grpo": loss = .grpo(clip: clipLow, klCoefficient: klCoefficient)
        case "dapo": loss = .dapo(clipLow: clipLow, clipHigh: clipHigh, klCoefficient: klCoefficient)
        case "drgrpo": loss = .drGRPO(maxLength: maxNewTokens, clip: clipLow, klCoefficient: klCoefficient)
        case "lambda_grpo":
            loss = .lambdaGRPO(.init(initialLambda: lengthPreferenceLambda, learningRate: lengthPreferenceLearningRate),
                               clip: clipLow, klCoefficient: klCoefficient)
        case "grpo_lambda":
            guard let style = LossConfiguration.EligibilityTrace.Style(rawValue: traceStyle) else {
                throw RunError.invalidConfiguration("trace_style must be recent, early or both, got \(traceStyle)")
            }
            loss = .grpoLambda(lambda: traceLambda, gamma: traceGamma, style: style, traceFloor: traceFloor,
                               advantageClampMin: advantageClampMin, clip: clipLow, klCoefficient: klCoefficient)
        default:
            throw RunError.invalidConfiguration("method must be grpo, dapo, drgrpo, lambda_grpo or grpo_lambda, got \(method)")
        }
        if method != "dapo" { loss.clipHigh = clipHigh }
        if overlongPenaltyCache > 0 {
            loss.overlongPenalty = .init(maxLength: maxNewTokens, cacheLength: overlongPenaltyCache)
        }
        if let problem = loss.validationError() { throw RunError.invalidConfiguration(problem) }
        return loss
    }

    public func trainerConfiguration() throws -> TrainerConfiguration {
        let config = TrainerConfiguration(
            loss: try lossConfiguration(), optimizer: .init(weightDecay: 0),
            schedule: .init(peak: learningRate, minimum: learningRate, warmupSteps: warmupSteps,
                            totalSteps: max(steps * epochs * minibatches, 1)),
            maxGradientNorm: maxGradientNorm, epochs: epochs, minibatches: minibatches, seed: seed)
        if let problem = config.validationError() { throw RunError.invalidConfiguration(problem) }
        return config
    }

    /// Checks the fields no other component checks.
    public func validate() throws {
        if !(1...5).contains(level) { throw RunError.invalidConfiguration("level must be 1…5, got \(level)") }
        if groupSize < 2 { throw RunError.invalidConfiguration("group_size must be ≥ 2 (a group baseline needs company)") }
        if groupsPerStep < 1 || steps < 0 || warmStartSteps < 0 || heldOutProblems < 1 {
            throw RunError.invalidConfiguration("groups_per_step, held_out_problems must be ≥ 1; steps ≥ 0")
        }
        if maxNewTokens < 1 { throw RunError.invalidConfiguration("max_new_tokens must be ≥ 1") }
        _ = try trainerConfiguration()
    }

    /// Reads a JSON config file; absent fields keep their defaults, unknown fields are an error.
    public static func load(_ url: URL) throws -> RunConfiguration {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw RunError.invalidConfiguration("cannot read \(url.path): \(error.localizedDescription)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw RunError.invalidConfiguration("\(url.path) is not a JSON object")
        }
        let known = Set(Mirror(reflecting: RunConfiguration()).children.compactMap(\.label))
        let snake = Dictionary(uniqueKeysWithValues: known.map { (RunConfiguration.snakeCase($0), $0) })
        if let unknown = object.keys.first(where: { snake[$0] == nil }) {
            throw RunError.invalidConfiguration("\(url.path): unknown field \"\(unknown)\"")
        }
        // Merge over the defaults so missing fields keep them.
        var merged = try JSONSerialization.jsonObject(with: RunConfiguration().jsonData()) as! [String: Any]
        for (k, v) in object { merged[k] = v }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(RunConfiguration.self, from: JSONSerialization.data(withJSONObject: merged))
        } catch {
            throw RunError.invalidConfiguration("\(url.path): \(error)")
        }
    }

    /// The configuration as pretty JSON with snake_case keys.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    static func snakeCase(_ s: String) -> String {
        var out = ""
        for c in s {
            if c.isUppercase { out += "_" + c.lowercased() } else { out.append(c) }
        }
        return out
    }
}

/// Errors of a run: configuration, model loading, the run directory.
public enum RunError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidConfiguration(String)
    case runDirectory(String)

    public var description: String {
        switch self {
        case let .invalidConfiguration(why): "invalid run configuration: \(why)"
        case let .runDirectory(why): "run directory: \(why)"
        }
    }
}
