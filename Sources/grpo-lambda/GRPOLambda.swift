import ArgumentParser
import Foundation
import Policy

/// `grpo-lambda`: one executable, one subcommand per job. Each parses flags into a configuration and calls a
/// library; nothing here computes anything itself.
struct GRPOLambda: AsyncParsableCommand {
    /// The release of this build (what `--version` prints).
    static let version = "0.2.0"

    static let configuration = CommandConfiguration(
        commandName: "grpo-lambda",
        abstract: "Post-train language models for math reasoning with GRPO-λ and the GRPO family.",
        discussion: "Start with `grpo-lambda run`: the built-in tiny model, warm-started and trained on the synthetic curriculum by the whole fleet on this machine.",
        version: version,
        subcommands: [RunCommand.self, TrainCommand.self, SFTCommand.self, EvalCommand.self, CoordinatorCommand.self, LearnerCommand.self,
                      WorkerCommand.self, VerifierCommand.self, HealthCommand.self, LedgerCommand.self, ReportCommand.self, WatchCommand.self, ExperimentCommand.self, ExportCommand.self, MachineCommand.self, GenerateCommand.self, TokenizeCommand.self])
}

/// The entry point: the OpenBLAS core is chosen before anything else runs (it may restart the process with
/// `OPENBLAS_CORETYPE` set; see `BLASCore`), then the command line is parsed and run.
@main
enum GRPOLambdaMain {
    static func main() async {
        BLASCore.selectAtStartup()
        await GRPOLambda.main()
    }
}
