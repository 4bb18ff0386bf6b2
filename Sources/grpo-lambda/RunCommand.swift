import ArgumentParser
import Foundation
import Logging
import Runs
import ServiceLifecycle

/// `grpo-lambda run`: the main job — the whole fleet on this machine as separate processes (or, with
/// `--colocated`, the single-process loop of `train`).
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Train with the whole fleet on this machine: coordinator, learner, verifier and N workers as processes.",
        discussion: """
            Warm-starts the built-in model (or reuses DIR/warm_start), evaluates it, starts the services over \
            ipc:// with DIR as their run directory, prints one line per learner step and the coordinator's fleet \
            summaries, evaluates the learner's checkpoints every `eval_every` steps, and when the learner has \
            completed `steps` steps stops them, evaluates the final checkpoint and writes DIR/summary.json \
            (printed on stdout). Ctrl-C stops every service cleanly; the same command \
            resumes. Every event of every process is one JSON line in DIR/log.jsonl; the lease ledger is \
            DIR/ledger.jsonl (`grpo-lambda ledger DIR` audits it).
            """)

    @OptionGroup var run: RunOptions
    @Option(help: "Rollout worker processes (default 2; also the `workers` field).")
    var workers: Int?
    @Flag(help: "Everything in this process (sampler, verifier, learner), as `train` does.")
    var colocated = false
    @Option(help: "Serve each service's Prometheus metrics on 127.0.0.1 from this port up: coordinator, learner, verifier, then the workers.")
    var metricsPort: Int?
    @OptionGroup var service: ServiceOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        var options = run
        if let workers { options.assignments.append("workers=\(workers)") }
        _ = try service.codecOptions()
        if service.metricsListen != nil {
            throw ValidationError("run starts several services, each with its own endpoint: use --metrics-port FIRST_PORT")
        }
        let (configuration, directory, logger) = try options.start("run", logging: logging, quietConsole: !colocated)
        if colocated {
            let summary = try await ColocatedRun(configuration: configuration, directory: directory, logger: logger).run()
            print(String(decoding: try summary.jsonData(), as: UTF8.self))
            return
        }
        let fleet = FleetRun(configuration: configuration, directory: directory, executable: try Self.executable(),
                             serviceArguments: service.arguments, metricsPort: metricsPort, logger: logger,
                             console: { line in FileHandle.standardError.write(Data((line + "\n").utf8)) })
        do {
            try await ServiceGroup.runUntilDone(fleet, logger: logger)
        } catch {
            logger.critical("run failed", metadata: ["event": "run_failed", "error": "\(error)"])
            throw error
        }
        guard let summary = fleet.summary else { throw ExitCode(130) }
        print(String(decoding: try summary.jsonData(), as: UTF8.self))
    }

    /// This executable (the services run from the same binary).
    static func executable() throws -> URL {
        let link = URL(fileURLWithPath: "/proc/self/exe")
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: link.path) {
            return URL(fileURLWithPath: resolved)
        }
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
    }
}

extension ServiceOptions {
    /// The same flags, for the services a run starts.
    var arguments: [String] {
        var out: [String] = []
        if let secretFile { out += ["--secret-file", secretFile] }
        if let tlsCertificateKey { out += ["--tls-certificate-key", tlsCertificateKey] }
        if let tlsCAFile { out += ["--tls-ca-file", tlsCAFile] }
        if let tlsServerName { out += ["--tls-server-name", tlsServerName] }
        if payloadChecksum != .unlessLinkProtects { out += ["--payload-checksum", payloadChecksum.rawValue] }
        return out
    }
}
