import ArgumentParser
import Foundation

/// `grpo-lambda`: one executable, one subcommand per job. Each parses flags into a configuration and calls a
/// library; nothing here computes anything itself.
@main
struct GRPOLambda: AsyncParsableCommand {
    /// The release of this build (what `--version` prints).
    static let version = "0.2.0"

    static let configuration = CommandConfiguration(
        commandName: "grpo-lambda",
        abstract: "Post-train language models for math reasoning with GRPO-λ and the GRPO family.",
        discussion: "Start with `grpo-lambda run`: the built-in tiny model, warm-started and trained on the synthetic curriculum by the whole fleet on this machine.",
        version: version,
        subcommands: [RunCommand.self, TrainCommand.self, SFTCommand.self, EvalCommand.self, CoordinatorCommand.self, LearnerCommand.self,
                      WorkerCommand.self, VerifierCommand.self, HealthCommand.self, LedgerCommand.self, ReportCommand.self, WatchCommand.self, GenerateCommand.self, TokenizeCommand.self])
}
