import ArgumentParser
import Foundation

/// `grpo-lambda`: one executable, one subcommand per job. Each parses flags into a configuration and calls a
/// library; nothing here computes anything itself.
@main
struct GRPOLambda: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grpo-lambda",
        abstract: "Post-train language models for math reasoning with GRPO-λ and the GRPO family.",
        discussion: "Start with `grpo-lambda train`: the built-in tiny model, warm-started and trained on the synthetic curriculum.",
        subcommands: [TrainCommand.self, LearnerCommand.self, VerifierCommand.self, GenerateCommand.self, TokenizeCommand.self])
}

/// Logging flags every long-running command takes.
struct LoggingOptions: ParsableArguments {
    @Option(help: "Log format on stderr: json (one object per line) or text.")
    var logFormat: LogFormatArgument = .text

    @Option(help: "Lowest level logged: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"
}

enum LogFormatArgument: String, ExpressibleByArgument, CaseIterable {
    case json, text
}
