import ArgumentParser
import Foundation
import Logging
import Protocol
import Verifier

/// `grpo-lambda verifier`: the verifier service alone. Workers send `verify_request`s over REQ; the service
/// grades each group on a bounded pool of threads and answers `verify_response`.
struct VerifierCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verifier",
        abstract: "Run the verifier service: grade groups of completions against gold answers over REQ/REP.")

    @Option(help: "URL to listen on (ipc:///path, tcp://host:port, tls+tcp://host:port).")
    var listen: String
    @Option(help: "Grading threads (0 = all cores).")
    var threads = 0
    @Option(help: "Largest group accepted in one request.")
    var maxCompletions = 1024
    @Option(help: "Reward for a missing final answer (e.g. -0.1; 0 = no penalty).")
    var formatPenalty = 0.0
    @OptionGroup var service: ServiceOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let codec = try service.codecOptions()
        guard threads >= 0 else { throw ValidationError("--threads must be ≥ 0 (0 = all cores)") }
        try logging.bootstrap()
        let metricsServer = try await self.service.startMetrics(logger: Logger(label: "verifier"))
        var grading = GraderConfiguration()
        grading.reward.missingFinalAnswerPenalty = formatPenalty
        let service = VerifierService(
            configuration: .init(url: listen, threads: threads > 0 ? threads : ProcessInfo.processInfo.activeProcessorCount,
                                 maxCompletionsPerRequest: maxCompletions, codec: codec, tls: self.service.tls),
            grader: Grader(configuration: grading), logger: Logger(label: "verifier"))
        try await service.run()
        await metricsServer?.close()
    }
}
