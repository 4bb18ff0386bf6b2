import Foundation
import Learner
import Logging
import Policy
import Protocol
import RolloutWorker
import Tasks
import Yams

/// One run, every field with a default: the built-in tiny model, an SFT warm start on the synthetic
/// curriculum, then GRPO-λ, evaluated on a held-out split. Built by `load(file:overrides:)` — defaults, then a
/// JSON or YAML file (`--config`), then flags — and written to `<run>/config.json` as the effective configuration, with
/// every method default resolved.
///
/// Fields that are `nil` by default take the method's own default (`resolved()`): DAPO's clip-higher of 0.28
/// and its dynamic sampling apply unless the user sets `clip_high` or `dynamic_sampling`.
public struct RunConfiguration: Sendable, Equatable, Codable {
    /// The policy-gradient methods (one loss, configured as data; see LossConfiguration).
    public enum Method: String, Sendable, Codable, CaseIterable {
        case grpo, dapo, drgrpo
        case lambdaGRPO = "lambda_grpo"
        case grpoLambda = "grpo_lambda"
        case gspo
    }

    public var method: Method = .grpoLambda
    public var seed: UInt64 = 1
    /// Curriculum level (1…5) for warm start, RL and evaluation. 3 (three operations, a third as word problems):
    /// a 0.75 M-parameter model learns its worked chains in half a minute of SFT and still has room for RL (about 45%
    /// greedy after the warm start); at level 4 the warm start reaches ~36% and RL gains were smaller and noisier.
    public var level = 3
    /// A Hugging Face model directory (config.json, safetensors, tokenizer.json) instead of the built-in tiny model:
    /// its weights are trained (BF16/F16 read into Float32 master weights), its tokenizer and stop tokens used, and
    /// the warm start is skipped unless `warm_start_steps` is set.
    public var modelDirectory: String?
    /// How a question becomes the prompt: `plain` ("Q: …\nA: "), `chat` (the model directory's own chat template,
    /// with `system_prompt` and `instruction`), or a fixed preset. nil: `chat` for a model directory, else `plain`.
    public var template: PromptTemplate.Preset?
    /// The system message of a chat prompt. nil: none is sent, so the template's own default applies (Qwen2.5's
    /// "You are Qwen, …"; Llama-3 and DeepSeek-R1 have none).
    public var systemPrompt: String?
    /// Appended to the question in a chat prompt's user message (a blank line between).
    public var instruction = "Please reason step by step, and put your final answer within \\boxed{}."

    /// A JSONL file of problems for RL (and SFT) instead of the built-in curriculum: GSM8K-style
    /// (`question`, `answer` ending in `#### n`) or MATH-style (`problem`, `solution` with `\boxed{}`).
    public var dataset: String?
    /// `gsm8k`, `math`, or `auto` (by the fields of the file's first line).
    public var datasetFormat: DatasetFormat = .auto
    /// Field names when a file uses its own (nil: the format's).
    public var questionField: String?
    public var answerField: String?
    /// Problems for held-out evaluation; nil: the last `held_out_problems` problems of `dataset` (at most a
    /// quarter of it), which RL then never sees.
    public var evalDataset: String?

    // Supervised warm start (skipped when a warm-start checkpoint exists or steps = 0).
    public var warmStartSteps = 300
    public var warmStartBatchSize = 32
    public var warmStartLearningRate: Float = 1e-3

    // Reinforcement learning.
    /// 100: held-out mean@k was still climbing at 60 (docs/RESULTS.md); 100 fits the 10-minute budget.
    public var steps = 100
    /// Stop after the step at which this many completions have been sampled (0 = `steps` alone). Comparisons
    /// at an equal budget need it: DAPO's dynamic sampling draws more than B × G completions per step.
    public var sampleBudget = 0
    /// Prompts per step (B) and completions per prompt (G). 8 × 16 (the old default) lowered held-out accuracy: a
    /// quarter to a half of so few groups had all-equal rewards. 32 × 16 gave +6 to +8 points; 64 × 8, the same
    /// 512 completions over twice the prompts, gave more on the seed that gained least (docs/RESULTS.md).
    public var groupsPerStep = 64
    public var groupSize = 8
    /// 0.7: at 1 a quarter of sampled chains are garbled by a tail token (mean@8 25% against 50% greedy), and the
    /// reward is mostly noise; 0.7 keeps the group diverse (pass@8 ~78%) with cleaner samples.
    public var temperature: Float = 0.7
    public var topP: Float = 1
    public var maxNewTokens = 48
    /// 3e-5: 6e-5 and 1e-4 lowered held-out accuracy in the first 20 steps.
    public var learningRate: Float = 3e-5
    /// 10 warm-up steps: a fresh Adam moves every parameter by ±lr on step 1 and flipped the warm start's
    /// near-tie greedy choices.
    public var warmupSteps = 10
    /// 1 epoch (strictly on-policy, ratio 1): a second pass over the same batch gained nothing per sample.
    public var epochs = 1
    public var minibatches = 1
    /// Clip range [1 − clip_low, 1 + clip_high] of the importance ratio (nil: the method's, 0.2 / 0.2, DAPO 0.2 / 0.28,
    /// GSPO's sequence ratio 3e-4 / 4e-4).
    public var clipLow: Double?
    public var clipHigh: Double?
    public var klCoefficient = 0.0
    public var maxGradientNorm: Float = 1
    /// Token positions the learner forwards and backwards at once; a larger batch is scored in pieces (one extra
    /// forward, bounded memory). 0: as many as the machine's available memory allows (`TrainingMemory`).
    public var microBatchTokens = 0
    /// GRPO-λ: trace λ, γ, style, ε-trace floor and advantage clamp (nil = none).
    public var traceLambda = 0.99
    public var traceGamma = 1.0
    public var traceStyle: LossConfiguration.EligibilityTrace.Style = .recent
    public var traceFloor = 0.05
    public var advantageClampMin: Double? = -0.1
    /// λ-GRPO: initial λ and its learning rate.
    public var lengthPreferenceLambda = 0.0
    public var lengthPreferenceLearningRate = 0.01
    /// DAPO's soft overlong penalty: the last N of `max_new_tokens` cost reward linearly (0 = off).
    public var overlongPenaltyCache = 0
    /// Drop groups whose rewards are all equal and refill the batch (nil: the method's; on for DAPO only).
    public var dynamicSampling: Bool?
    /// Groups sampled by weights more than this many versions old are dropped (0 = strictly on-policy).
    public var maxStaleness = 1
    /// Control arm: permute rewards across each batch before the loss, so updates keep their size but lose
    /// their signal. Never on in a real run.
    public var shuffleRewards = false
    /// What earns the RL reward: `answer` (the verifier's verdict, as evaluation grades), `boxed` (a right answer
    /// in `\boxed{}`), `chain` (a right boxed answer whose worked chain checks; the built-in curriculum).
    /// Default `chain`: the `answer` rule paid garbled completions whose last number happened to match.
    /// nil: `chain` on the built-in curriculum, `answer` on a dataset (whose solutions are not our worked chains).
    public var trainReward: TrainingRewardGrader.Rule?

    // Evaluation, checkpoints, logs.
    public var heldOutProblems = 300
    /// Evaluate every N steps (0 = only before and after).
    public var evalEvery = 20
    /// Samples per problem for mean@k / pass@k at each evaluation (0 = greedy only).
    public var evalSamples = 8
    /// Checkpoint every N steps (0 = only at the end); a fleet reports leases consumed at checkpoints.
    public var checkpointEvery = 20
    public var keepCheckpoints = 3
    /// Log a few sampled completions with their rewards every N steps.
    public var sampleLogEvery = 10
    /// Rewrite RUN_DIR/report.html every N steps (0 = only at the end).
    public var reportEvery = 20
    /// Diagnostics of a colocated run: after every step, greedy accuracy and mean@k (k = `probe_samples`, at the
    /// training temperature) on the first `probe_problems` held-out problems, in the step's metrics line (0 = off).
    public var probeProblems = 0
    public var probeSamples = 8
    /// Threads for the engine (BLAS and the rest); 0 = all cores.
    public var threads = 0

    // The fleet (`grpo-lambda run` and the services it starts).
    /// Rollout worker processes `run` starts.
    public var workers = 2
    /// Groups a worker leases and samples at once.
    public var workerSlots = 4
    /// Precision of the weights broadcast to workers: bfloat16 (deltas a fraction of the size) or float32 (bit-exact).
    public var weightPrecision: WeightCodec.Precision = .bfloat16
    /// A full weight snapshot every N versions (others on demand); deltas in between.
    public var fullSnapshotEvery = 10
    public var heartbeatIntervalMs = 1000
    /// A worker silent this long is declared dead and its leases re-issued.
    public var failureTimeoutMs = 10_000
    /// An issued lease lapses this long after its worker last listed it in a heartbeat.
    public var leaseTimeoutMs = 30_000
    /// Groups leased but not yet used by the learner, at most (0: groups_per_step × (max_staleness + 1)).
    public var leaseWindow = 0
    /// A prompt whose leases fail this many times is dropped with a reason.
    public var maxLeaseAttempts = 10
    /// The coordinator's fleet summary line every N seconds.
    public var summaryIntervalS = 10

    public init() {}

    /// The lease window in groups (`lease_window`, or its automatic value).
    public var effectiveLeaseWindow: Int { leaseWindow > 0 ? leaseWindow : groupsPerStep * (maxStaleness + 1) }

    /// The engine threads to use: `threads`, or every core when it is 0.
    public var engineThreads: Int { threads > 0 ? threads : ProcessInfo.processInfo.activeProcessorCount }

    /// The configuration with every method-dependent default filled in (what config.json records).
    public func resolved() -> RunConfiguration {
        var c = self
        c.clipLow = clipLow ?? (method == .gspo ? 3e-4 : 0.2)
        c.clipHigh = clipHigh ?? (method == .dapo ? 0.28 : method == .gspo ? 4e-4 : 0.2)
        c.dynamicSampling = dynamicSampling ?? (method == .dapo)
        c.template = effectiveTemplate
        c.trainReward = effectiveTrainReward
        return c
    }

    /// The prompt template, its default resolved.
    public var effectiveTemplate: PromptTemplate.Preset { template ?? (modelDirectory == nil ? .plain : .chat) }

    /// The RL reward rule, its default resolved.
    public var effectiveTrainReward: TrainingRewardGrader.Rule { trainReward ?? (dataset == nil ? .chain : .answer) }

    /// The loss this configuration asks for.
    public func lossConfiguration() throws -> LossConfiguration {
        let c = resolved()
        let clipLow = c.clipLow!, klCoefficient = c.klCoefficient
        var loss: LossConfiguration
        switch method {
        case .grpo: loss = .grpo(clip: clipLow, klCoefficient: klCoefficient)
        case .dapo: loss = .dapo(clipLow: clipLow, clipHigh: c.clipHigh!, klCoefficient: klCoefficient)
        case .drgrpo: loss = .drGRPO(maxLength: maxNewTokens, clip: clipLow, klCoefficient: klCoefficient)
        case .lambdaGRPO:
            loss = .lambdaGRPO(.init(initialLambda: lengthPreferenceLambda, learningRate: lengthPreferenceLearningRate),
                               clip: clipLow, klCoefficient: klCoefficient)
        case .grpoLambda:
            loss = .grpoLambda(lambda: traceLambda, gamma: traceGamma, style: traceStyle, traceFloor: traceFloor,
                               advantageClampMin: advantageClampMin, clip: clipLow, klCoefficient: klCoefficient)
        case .gspo: loss = .gspo(clipLow: clipLow, clipHigh: c.clipHigh!, klCoefficient: klCoefficient)
        }
        loss.clipHigh = c.clipHigh!
        loss.dropUniformGroups = c.dynamicSampling!
        if overlongPenaltyCache > 0 {
            loss.overlongPenalty = .init(maxLength: maxNewTokens, cacheLength: overlongPenaltyCache)
        }
        if let problem = loss.validationError() { throw RunError.invalidConfiguration(problem) }
        return loss
    }

    public func trainerConfiguration() throws -> TrainerConfiguration {
        var config = TrainerConfiguration(
            loss: try lossConfiguration(), optimizer: .init(weightDecay: 0),
            schedule: .init(peak: learningRate, minimum: learningRate, warmupSteps: warmupSteps,
                            totalSteps: max(steps * epochs * minibatches, 1)),
            maxGradientNorm: maxGradientNorm, epochs: epochs, minibatches: minibatches, seed: seed)
        config.shuffleRewards = shuffleRewards
        if let problem = config.validationError() { throw RunError.invalidConfiguration(problem) }
        return config
    }

    /// What the learner is asked to be (one assembly for `train`, `run` and the learner service).
    /// `microBatchTokens`: the size `checkedMicroBatchTokens` chose (nil: `micro_batch_tokens` if set).
    public func learnerSettings(microBatchTokens chosen: Int? = nil) throws -> LearnerAssembly.Settings {
        var trainer = try trainerConfiguration()
        if let chosen { trainer.microBatchTokens = chosen }
        else if microBatchTokens > 0 { trainer.microBatchTokens = microBatchTokens }
        return .init(trainer: trainer, groupSize: groupSize, groupsPerStep: groupsPerStep,
                     maxStaleness: UInt64(maxStaleness), threads: engineThreads)
    }

    /// The learner's memory check and its micro-batch size, from one reading of the memory available, logged:
    /// what a person reads when a big model is slow or refused.
    public func checkedMicroBatchTokens(logger: Logger) throws -> Int {
        let memory = TrainingMemory(config: try modelConfig(), klCoefficient: klCoefficient)
        let available = TrainingMemory.availableBytes()
        try memory.check(available: available)
        let tokens = memory.microBatchTokens(requested: microBatchTokens, available: available)
        logger.info("training memory", metadata: [
            "event": "training_memory", "parameters": .stringConvertible(memory.parameters),
            "parameter_state_bytes": .stringConvertible(memory.parameterStateBytes),
            "activation_bytes_per_token": .stringConvertible(memory.activationBytesPerToken),
            "micro_batch_tokens": .stringConvertible(tokens),
            "available_bytes": "\(available.map(String.init) ?? "unknown")",
        ])
        return tokens
    }

    /// Checks every field; called before any directory or log file is created.
    public func validate() throws {
        func require(_ ok: Bool, _ why: @autoclosure () -> String) throws {
            if !ok { throw RunError.invalidConfiguration(why()) }
        }
        try require((1...5).contains(level), "level must be 1…5, got \(level)")
        try require(groupSize >= 2, "group_size must be ≥ 2 (a group baseline needs company), got \(groupSize)")
        try require(groupsPerStep >= 1, "groups_per_step must be ≥ 1, got \(groupsPerStep)")
        try require(steps >= 0 && warmStartSteps >= 0, "steps and warm_start_steps must be ≥ 0")
        try require(dataset != nil || evalDataset == nil, "eval_dataset needs a dataset to train on")
        try require(modelDirectory != nil || effectiveTemplate != .chat,
                    "template chat renders a model directory's chat template: set model_directory")
        try require(microBatchTokens >= 0, "micro_batch_tokens must be ≥ 0 (0 = sized to the memory), got \(microBatchTokens)")
        try require(sampleBudget >= 0, "sample_budget must be ≥ 0 (0 = steps alone), got \(sampleBudget)")
        try require(warmStartBatchSize >= 1, "warm_start_batch_size must be ≥ 1")
        try require(warmStartLearningRate > 0, "warm_start_learning_rate must be > 0")
        try require(heldOutProblems >= 1, "held_out_problems must be ≥ 1, got \(heldOutProblems)")
        try require(maxNewTokens >= 1, "max_new_tokens must be ≥ 1, got \(maxNewTokens)")
        try require(temperature >= 0 && temperature.isFinite, "temperature must be ≥ 0, got \(temperature)")
        try require(topP > 0 && topP <= 1, "top_p must be in (0, 1], got \(topP)")
        try require(maxStaleness >= 0, "max_staleness must be ≥ 0, got \(maxStaleness)")
        try require(evalEvery >= 0 && evalSamples >= 0 && checkpointEvery >= 0 && sampleLogEvery >= 0 && reportEvery >= 0,
                    "eval_every, eval_samples, checkpoint_every, sample_log_every and report_every must be ≥ 0")
        try require(keepCheckpoints >= 1, "keep_checkpoints must be ≥ 1, got \(keepCheckpoints)")
        try require(threads >= 0, "threads must be ≥ 0 (0 = all cores), got \(threads)")
        try require(overlongPenaltyCache >= 0 && overlongPenaltyCache < maxNewTokens,
                    "overlong_penalty_cache must be in [0, max_new_tokens)")
        try require(workers >= 1 && workerSlots >= 1, "workers and worker_slots must be ≥ 1")
        try require(fullSnapshotEvery >= 1 && maxLeaseAttempts >= 1 && leaseWindow >= 0,
                    "full_snapshot_every and max_lease_attempts must be ≥ 1, lease_window ≥ 0")
        try require(heartbeatIntervalMs >= 50 && failureTimeoutMs > heartbeatIntervalMs && leaseTimeoutMs >= failureTimeoutMs,
                    "need heartbeat_interval_ms ≥ 50 < failure_timeout_ms ≤ lease_timeout_ms")
        try require(summaryIntervalS >= 1, "summary_interval_s must be ≥ 1")
        try require(probeProblems >= 0 && probeSamples >= 1, "probe_problems must be ≥ 0 and probe_samples ≥ 1")
        _ = try trainerConfiguration()
    }

    /// A configuration file's fields: JSON, or YAML for `.yaml`/`.yml` files (`3e-5`, which YAML 1.1 reads as a
    /// string, is taken as the number where the field is a number).
    static func configurationObject(_ data: Data, file: URL, defaults: [String: Any]) throws -> [String: Any] {
        guard ["yaml", "yml"].contains(file.pathExtension.lowercased()) else {
            guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw RunError.invalidConfiguration("\(file.path) is not a JSON object")
            }
            return object
        }
        let loaded: Any?
        do { loaded = try Yams.load(yaml: String(decoding: data, as: UTF8.self)) } catch {
            throw RunError.invalidConfiguration("\(file.path) is not valid YAML: \(error)")
        }
        guard let object = loaded as? [String: Any] else {
            throw RunError.invalidConfiguration("\(file.path) is not a YAML mapping of fields")
        }
        return object.reduce(into: [:]) { result, entry in
            let (key, value) = entry
            if let text = value as? String, let number = Double(text), defaults[key] is NSNumber {
                result[key] = number
            } else {
                result[key] = value
            }
        }
    }

    /// The field names a file or `--set` may use (snake_case).
    public static let fieldNames: [String] = Mirror(reflecting: RunConfiguration()).children.compactMap(\.label).map(snakeCase)

    /// Defaults, overridden by the JSON object in `file`, overridden by `overrides` (snake_case field → JSON
    /// value: a number, string, bool or null, as `JSONSerialization` reads it). Unknown fields are an error, and
    /// so is a value of the wrong type; the result is validated.
    public static func load(file: URL? = nil, overrides: [String: Any] = [:]) throws -> RunConfiguration {
        var merged = try JSONSerialization.jsonObject(with: RunConfiguration().jsonData()) as! [String: Any]
        let known = Set(fieldNames)
        var fileObject: [String: Any] = [:]
        if let file {
            let data: Data
            do { data = try Data(contentsOf: file) } catch {
                throw RunError.invalidConfiguration("cannot read \(file.path): \(error.localizedDescription)")
            }
            let object = try configurationObject(data, file: file, defaults: merged)
            if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
                throw RunError.invalidConfiguration("\(file.path): unknown field \"\(unknown)\"")
            }
            merged.merge(object) { $1 }
            fileObject = object
        }
        if let unknown = overrides.keys.sorted().first(where: { !known.contains($0) }) {
            throw RunError.invalidConfiguration("unknown field \"\(unknown)\" (fields: \(fieldNames.joined(separator: ", ")))")
        }
        // null sets an optional field to nil: a method default for clip_low/clip_high/dynamic_sampling, "none"
        // for advantage_clamp_min.
        merged.merge(overrides) { $1 }
        // A model directory brings its own training: no warm start on the built-in curriculum unless asked for.
        if let model = merged["model_directory"], !(model is NSNull), overrides["warm_start_steps"] == nil,
           fileObject["warm_start_steps"] == nil {
            merged["warm_start_steps"] = 0
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let configuration: RunConfiguration
        do {
            configuration = try decoder.decode(RunConfiguration.self, from: JSONSerialization.data(withJSONObject: merged))
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
                let DecodingError.dataCorrupted(context) {
            let field = context.codingPath.map(\.stringValue).map(snakeCase).joined(separator: ".")
            throw RunError.invalidConfiguration("\(field): \(context.debugDescription)")
        } catch {
            throw RunError.invalidConfiguration("\(error)")
        }
        try configuration.validate()
        return configuration
    }

    /// A `--set field=value` argument as an override: the value is read as JSON when it parses as JSON
    /// (numbers, true/false, null, quoted strings), else taken as a plain string.
    public static func override(_ assignment: String) throws -> (String, Any) {
        guard let eq = assignment.firstIndex(of: "="), eq != assignment.startIndex else {
            throw RunError.invalidConfiguration("--set expects FIELD=VALUE, got \"\(assignment)\"")
        }
        let field = String(assignment[..<eq]).replacingOccurrences(of: "-", with: "_")
        let text = String(assignment[assignment.index(after: eq)...])
        let value = (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) ?? text
        return (field, value)
    }

    /// The configuration as pretty JSON with snake_case keys (nil fields omitted).
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

/// The layout of a problem file.
public enum DatasetFormat: String, Sendable, Codable, CaseIterable {
    /// `question`, `answer` ("… #### 72").
    case gsm8k
    /// `problem`, `solution` ("… \boxed{…}").
    case math
    /// GSM8K when the first line has `question`, MATH when it has `problem`.
    case auto
}

/// Errors of a run: configuration, model loading, the run directory.
public enum RunError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidConfiguration(String)
    case runDirectory(String)
    /// Sampling kept producing batches with no usable group.
    case noUsableBatch(String)

    public var description: String {
        switch self {
        case let .invalidConfiguration(why): "invalid run configuration: \(why)"
        case let .runDirectory(why): "run directory: \(why)"
        case let .noUsableBatch(why): "no usable batch: \(why)"
        }
    }
}
