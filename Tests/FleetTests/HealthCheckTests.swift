import Coordinator
import Foundation
import Logging
import Protocol
import Tasks
import TestSupport
import Testing

/// `grpo-lambda health URL` — what systemd and Kubernetes probes run — against real services over their own
/// sockets: exit 0 for a ready service, 1 for one that answers but is not ready (unless `--live`) or does not
/// answer at all.
@Suite struct HealthCheckTests {
    struct Answer: Sendable {
        let status: Int32
        let json: String
        var output: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]) ?? [:] }
    }

    static func health(_ arguments: [String]) async throws -> Answer {
        let run = try await CommandRun.run(try BuiltProduct.path("grpo-lambda"), ["health"] + arguments)
        return Answer(status: run.status, json: run.output)
    }

    @Test func aCoordinatorAnswersOnItsWorkerEndpoint() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("grpo-health-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let configuration = CoordinatorConfiguration(workersURL: IPCAddress.unique("w"),
                                                     learnerURL: IPCAddress.unique("l"), announceURL: IPCAddress.unique("a"),
                                                     ledgerURL: directory.appendingPathComponent("ledger.jsonl"),
                                                     groupSize: 4, leaseWindow: 4)
        let coordinator = try CoordinatorService(configuration: configuration, problems: SyntheticCurriculum(seed: 1, level: 1),
                                                 logger: Logger(label: "health-test"))
        let serving = ServiceThreads.start { try await coordinator.run() }
        defer { serving.cancel() }
        let answer = try await Self.health([configuration.workersURL, "--timeout", "30"])
        let output = answer.output
        #expect(answer.status == 0)
        #expect(output["service"] as? String == "coordinator" && output["ready"] as? Bool == true)
        #expect((output["detail"] as? [String: Any])?["workers"] as? Int == 0)
    }

    @Test func aWorkerWithoutWeightsIsAliveButNotReadyAndNobodyIsNeither() async throws {
        let healthURL = IPCAddress.unique("worker-health")
        let worker = Process()
        worker.executableURL = try BuiltProduct.path("grpo-lambda")
        worker.arguments = ["worker", "--coordinator", IPCAddress.unique("nobody"),
                            "--announce", IPCAddress.unique("nobody"), "--learner", IPCAddress.unique("nobody"),
                            "--health", healthURL, "--worker-id", "lonely",
                            "--run-dir", FileManager.default.temporaryDirectory.appendingPathComponent("grpo-health-w-\(UUID().uuidString)").path,
                            "--threads", "1"]
        // The worker's log, shown if it never answers (a person needs to see why).
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("grpo-health-w-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let logHandle = try FileHandle(forWritingTo: log)
        defer { try? logHandle.close(); try? FileManager.default.removeItem(at: log) }
        worker.standardOutput = FileHandle.nullDevice
        worker.standardError = logHandle
        try worker.run()
        defer { kill(worker.processIdentifier, SIGKILL); worker.waitUntilExit() }

        // Alive (it answers) but not ready: no coordinator, so no weights. Asked until it answers: while the fleet
        // tests run beside it, a 2-core runner can take more than a second to carry one exchange (seen once with
        // `--timeout 1` for 100 tries in a row).
        var live = Answer(status: 1, json: "{}")
        let deadline = ContinuousClock.now + .seconds(180)
        while live.status != 0 && ContinuousClock.now < deadline {
            live = try await Self.health([healthURL, "--live", "--timeout", "5"])
        }
        #expect(live.status == 0 && live.output["service"] as? String == "worker" && live.output["ready"] as? Bool == false,
                "no health answer; worker running: \(worker.isRunning); its log ends: \(String((try? String(contentsOf: log, encoding: .utf8))?.suffix(2000) ?? ""))")
        let ready = try await Self.health([healthURL, "--timeout", "2"])
        #expect(ready.status == 1)
        // Nothing listening at all: no answer, status 1.
        let nobody = try await Self.health([IPCAddress.unique("silence"), "--live", "--timeout", "0.5"])
        #expect(nobody.status == 1)
    }
}
