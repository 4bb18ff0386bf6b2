import ArgumentParser
import Foundation
import Logging
import Runs

/// `grpo-lambda train`: the whole loop in one process on the built-in default — SFT warm start, then GRPO-λ
/// (or another method) on the synthetic curriculum, evaluated on a held-out split. Resumes a run directory.
struct TrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Warm-start and RL-train the built-in model in one process; resumes an existing run directory.",
        discussion: """
            Writes DIR/config.json, log.jsonl, metrics.jsonl, checkpoints/ and summary.json, and prints the summary \
            as JSON on stdout. Every field of the run configuration has a default; --config FILE (JSON with \
            snake_case fields) overrides them, --set FIELD=VALUE overrides any field, and the named flags override both.
            """)

    @OptionGroup var run: RunOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let (configuration, directory, logger) = try run.start("train", logging: logging)
        do {
            let summary = try await ColocatedRun(configuration: configuration, directory: directory, logger: logger).run()
            print(String(decoding: try summary.jsonData(), as: UTF8.self))
        } catch {
            logger.critical("run failed", metadata: ["event": "run_failed", "error": "\(error)"])
            throw error
        }
    }
}
