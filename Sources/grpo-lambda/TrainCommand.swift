import ArgumentParser
import Foundation
import Logging
import Runs

/// `grpo-lambda train`: the whole loop in one process on the built-in default — SFT warm start, then GRPO-λ
/// (or another method) on the synthetic curriculum, evaluated on a held-out split. Resumes a run directory.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Warm-start and RL-train the built-in model in one process; resumes an existing run directory.",
        discussion: """
            Writes DIR/config.json, log.jsonl, metrics.jsonl, checkpoints/ and summary.json, and prints the summary \
            as JSON on stdout. Every field of the run configuration has a default; --config FILE (JSON with \
            snake_case fields) overrides them and the flags below override the file.
            """)

    @Option(help: "Run directory (created; resumed if it holds checkpoints).")
    var runDir: String = "runs/default"

    @Option(help: "JSON run configuration; fields not given keep their defaults.")
    var config: String?

    @Option(help: "grpo, dapo, drgrpo, lambda_grpo or grpo_lambda.") var method: String?
    @Option(help: "RL steps.") var steps: Int?
    @Option(help: "Random seed.") var seed: UInt64?
    @Option(help: "Curriculum level 1…5.") var level: Int?
    @Option(help: "SFT warm-start steps (0 = none).") var warmStartSteps: Int?
    @Option(help: "Prompts per RL step.") var groupsPerStep: Int?
    @Option(help: "Completions per prompt.") var groupSize: Int?
    @Option(help: "RL learning rate.") var learningRate: Float?
    @Option(help: "GRPO-λ trace λ.") var traceLambda: Double?
    @Option(help: "GRPO-λ trace style: recent, early, both.") var traceStyle: String?
    @Option(help: "Held-out problems per evaluation.") var heldOutProblems: Int?
    @Option(help: "Evaluate every N steps (0 = before and after only).") var evalEvery: Int?
    @Option(help: "Engine threads (0 = all cores).") var threads: Int?

    @OptionGroup var logging: LoggingOptions

    func effectiveConfiguration() throws -> RunConfiguration {
        var c = try config.map { try RunConfiguration.load(URL(fileURLWithPath: $0)) } ?? RunConfiguration()
        if let method { c.method = method }
        if let steps { c.steps = steps }
        if let seed { c.seed = seed }
        if let level { c.level = level }
        if let warmStartSteps { c.warmStartSteps = warmStartSteps }
        if let groupsPerStep { c.groupsPerStep = groupsPerStep }
        if let groupSize { c.groupSize = groupSize }
        if let learningRate { c.learningRate = learningRate }
        if let traceLambda { c.traceLambda = traceLambda }
        if let traceStyle { c.traceStyle = traceStyle }
        if let heldOutProblems { c.heldOutProblems = heldOutProblems }
        if let evalEvery { c.evalEvery = evalEvery }
        if let threads { c.threads = threads }
        return c
    }

    func run() throws {
        let directory = URL(fileURLWithPath: runDir)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try logging.bootstrap(file: directory.appendingPathComponent("log.jsonl"))
        let logger = Logger(label: "train")
        do {
            let summary = try ColocatedRun(configuration: try effectiveConfiguration(), directory: directory, logger: logger).run()
            let encoder = JSONEncoder()
            encoder.keyEncodingStrategy = .convertToSnakeCase
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
        } catch {
            logger.critical("run failed", metadata: ["event": "run_failed", "error": "\(error)"])
            throw error
        }
    }
}
