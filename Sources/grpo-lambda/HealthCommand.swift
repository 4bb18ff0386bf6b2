import ArgumentParser
import Foundation
import Protocol

/// `grpo-lambda health URL`: asks a service whether it is alive and ready, over its own socket (the coordinator's
/// worker endpoint, the verifier's endpoint, or a learner's or worker's `--health` endpoint). Exit status 0 when
/// it answered (and, unless `--live`, said it is ready), 1 otherwise: what systemd checks and Kubernetes probes run.
struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Ask a service whether it is alive and ready; exit 0 if so. Prints its answer as JSON.")

    @Argument(help: "The service's URL (coordinator --workers, verifier --listen, learner/worker --health).")
    var url: String
    @Flag(help: "Only check that the service answers (liveness), not that it is ready for work.")
    var live = false
    @Option(help: "Seconds to wait for the answer.")
    var timeout: Double = 5
    @OptionGroup var service: ServiceOptions

    func run() async throws {
        let channel = try MessageChannel.dialing(.request, url: url, codec: FrameCodec(options: try service.codecOptions()),
                                                 tls: service.tls)
        defer { channel.close() }
        let reply: HealthReply
        do {
            reply = try await channel.request(HealthRequest(), expecting: HealthReply.self,
                                              timeout: .milliseconds(Int64(timeout * 1000)))
        } catch {
            FileHandle.standardError.write(Data("no answer from \(url): \(error)\n".utf8))
            throw ExitCode(1)
        }
        let detail = (try? JSONSerialization.jsonObject(with: Data(reply.detail.utf8))) ?? [:]
        try printJSON(["service": reply.service, "ready": reply.ready, "detail": detail])
        if !live && !reply.ready { throw ExitCode(1) }
    }
}
