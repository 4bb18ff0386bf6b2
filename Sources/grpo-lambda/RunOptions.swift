import ArgumentParser
import Foundation
import Learner
import Logging
import Runs
import Tasks

/// The run configuration's flags, shared by `train`, `sft`, `eval` and `learner`: defaults ← `--config FILE` ←
/// `--set FIELD=VALUE` ← the named flags below. Every field can be set with `--set`; the common ones also have a
/// flag of their own. The result is validated before any directory or log file is created.
struct RunOptions: ParsableArguments {
    @Option(help: "Run directory (created; resumed if it holds checkpoints).")
    var runDir: String = "runs/default"

    @Option(help: "JSON run configuration (snake_case fields); fields not given keep their defaults.")
    var config: String?

    @Option(name: .customLong("set"), help: ArgumentHelp(
        "Set any configuration field, e.g. --set clip_high=0.28 (repeatable; null restores a method default).",
        valueName: "field=value"))
    var assignments: [String] = []

    @Flag(help: "Print the effective configuration as JSON and exit.")
    var printConfig = false

    @Option(help: "A Hugging Face model directory to train (config.json, safetensors, tokenizer.json); default: the built-in model.")
    var model: String?
    @Option(help: "A GSM8K- or MATH-style JSONL file of problems; default: the built-in curriculum.") var dataset: String?
    @Option(help: "A second JSONL file for held-out evaluation (default: the last held_out_problems of --dataset).")
    var evalDataset: String?
    @Option(help: "Prompt template: chat (the model directory's), plain, qwen_chat or llama3_chat.")
    var template: PromptTemplate.Preset?
    @Option(help: "Policy-gradient method.") var method: RunConfiguration.Method?
    @Option(help: "RL steps (the run stops when the learner has completed this many).") var steps: Int?
    @Option(help: "Random seed (model init, curriculum, sampling, shuffles).") var seed: UInt64?
    @Option(help: "Curriculum level 1…5.") var level: Int?
    @Option(help: "SFT warm-start steps (0 = none).") var warmStartSteps: Int?
    @Option(help: "Prompts per RL step (B).") var groupsPerStep: Int?
    @Option(help: "Completions per prompt (G).") var groupSize: Int?
    @Option(help: "RL learning rate (0 = the no-update control).") var learningRate: Float?
    @Option(help: "Sampling temperature.") var temperature: Float?
    @Option(help: "GRPO-λ trace λ.") var traceLambda: Double?
    @Option(help: "GRPO-λ trace style.") var traceStyle: LossConfiguration.EligibilityTrace.Style?
    @Option(help: "Groups more than this many weight versions old are dropped.") var maxStaleness: Int?
    @Option(help: "Held-out problems per evaluation.") var heldOutProblems: Int?
    @Option(help: "Evaluate every N steps (0 = before and after only).") var evalEvery: Int?
    @Option(help: "Samples per held-out problem for mean@k / pass@k (0 = greedy only).") var evalSamples: Int?
    @Option(help: "Checkpoint every N steps (0 = at the end only).") var checkpointEvery: Int?
    @Option(help: "Engine threads (0 = all cores).") var threads: Int?

    var directory: URL { URL(fileURLWithPath: runDir) }

    /// The effective configuration, validated. With `inheritingRecorded`, a run directory's own config.json is
    /// the base when no --config is given (`eval` of a run started with --model needs no flags repeated).
    func configuration(inheritingRecorded: Bool = false) throws -> RunConfiguration {
        var overrides: [String: Any] = [:]
        for assignment in assignments {
            let (field, value) = try RunConfiguration.override(assignment)
            overrides[field] = value
        }
        let named: [(String, Any?)] = [
            ("model_directory", model), ("dataset", dataset), ("eval_dataset", evalDataset), ("template", template?.rawValue),
            ("method", method?.rawValue), ("steps", steps), ("seed", seed), ("level", level),
            ("warm_start_steps", warmStartSteps), ("groups_per_step", groupsPerStep), ("group_size", groupSize),
            ("learning_rate", learningRate), ("temperature", temperature), ("trace_lambda", traceLambda),
            ("trace_style", traceStyle?.rawValue), ("max_staleness", maxStaleness), ("held_out_problems", heldOutProblems),
            ("eval_every", evalEvery), ("eval_samples", evalSamples), ("checkpoint_every", checkpointEvery),
            ("threads", threads),
        ]
        for case let (field, value?) in named { overrides[field] = value }
        let recorded = directory.appendingPathComponent("config.json")
        let base = config.map { URL(fileURLWithPath: $0) }
            ?? (inheritingRecorded && FileManager.default.fileExists(atPath: recorded.path) ? recorded : nil)
        let configuration = try RunConfiguration.load(file: base, overrides: overrides)
        if printConfig {
            print(String(decoding: try configuration.resolved().jsonData(), as: UTF8.self))
            throw ExitCode.success
        }
        return configuration
    }
}

extension RunOptions {
    /// How every command that works in a run directory starts: the effective configuration (validated before
    /// anything is written), the directory prepared (config.json, metrics.jsonl), logging installed (its events
    /// also appended to the directory's log.jsonl), and the configuration logged.
    /// `evaluating`: the command reads a run rather than making one (`eval`): the run's recorded configuration is
    /// the base and config.json is left as the run wrote it.
    func start(_ label: String, logging: LoggingOptions, quietConsole: Bool = false,
               evaluating: Bool = false) throws -> (configuration: RunConfiguration, directory: RunDirectory, logger: Logger) {
        let configuration = try configuration(inheritingRecorded: evaluating)
        let directory = try RunDirectory.prepare(self.directory, configuration: configuration, recordConfiguration: !evaluating)
        try logging.bootstrap(file: directory.log, quietConsole: quietConsole)
        let logger = Logger(label: label)
        configuration.logEffective(logger, service: label)
        return (configuration, directory, logger)
    }
}

extension RunConfiguration {
    /// Logs the effective configuration (every field, method defaults resolved) as a service starts.
    func logEffective(_ logger: Logger, service: String) {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        let json = (try? encoder.encode(resolved())).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        logger.info("effective configuration", metadata: ["event": "config", "service": .string(service), "config": .string(json)])
    }
}

extension RunConfiguration.Method: ExpressibleByArgument {}
extension PromptTemplate.Preset: ExpressibleByArgument {}
extension LossConfiguration.EligibilityTrace.Style: ExpressibleByArgument {}
