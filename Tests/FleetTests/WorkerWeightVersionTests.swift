import Coordinator
import Foundation
import Learner
import Logging
import Policy
import Protocol
import Tasks
import TestSupport
import Testing

/// A worker follows the coordinator's newest weight version down as well as up. A learner killed after publishing a
/// version it had not checkpointed resumes one version back and publishes that version again; a worker that kept
/// the lost version would sample groups the learner refuses for ever (seen once in a CI run of the fleet fault
/// tests). Here the interleaving is forced: the worker never hears announcements (its subscriber dials an address
/// nobody publishes on), so the coordinator's heartbeat acknowledgements are its only news of the older version.
@Suite struct WorkerWeightVersionTests {

    @Test func aWorkerTakesTheOlderVersionOfALearnerThatResumedOneVersionBack() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("grpo-worker-version-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let configuration = CoordinatorConfiguration(
            workersURL: IPCAddress.unique("w"), learnerURL: IPCAddress.unique("l"), announceURL: IPCAddress.unique("a"),
            ledgerURL: directory.appendingPathComponent("ledger.jsonl"), groupSize: 2, leaseWindow: 2,
            heartbeatInterval: .milliseconds(200), failureTimeout: .seconds(5), leaseTimeout: .seconds(10))
        let coordinator = try CoordinatorService(configuration: configuration, problems: SyntheticCurriculum(seed: 1, level: 1),
                                                 logger: Logger(label: "worker-version-test"))
        let serving = ServiceThreads.start { try await coordinator.run() }
        defer { serving.cancel() }

        // The learner's side: a PULL socket that takes the worker's groups (a worker holds a group until the learner
        // takes it), and a REQ socket that publishes versions as the learner service does.
        let rolloutsURL = IPCAddress.unique("rollouts")
        let rollouts = try MessageChannel(.pull)
        defer { rollouts.close() }
        try rollouts.socket.listen(rolloutsURL)
        let draining = ServiceThreads.start { while true { _ = try await rollouts.receive() } }
        defer { draining.cancel() }
        let learner = try MessageChannel(.request)
        defer { learner.close() }
        try learner.socket.dial(configuration.learnerURL)
        let parameters = try Transformer(config: .builtinTiny, seed: 1).parameters  // the worker's model: the built-in one
        func publish(_ version: UInt64) async throws {
            let (announcement, chunks) = WeightSnapshot(parameters: parameters, version: version, learnerStep: Int(version))
                .messages(chunkBytes: 1 << 20)
            _ = try await learner.request(announcement, expecting: Ack.self, timeout: .seconds(30))
            for chunk in chunks { _ = try await learner.request(chunk, expecting: Ack.self, timeout: .seconds(30)) }
        }
        try await publish(5)

        let healthURL = IPCAddress.unique("worker-health")
        let log = directory.appendingPathComponent("worker.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let logHandle = try FileHandle(forWritingTo: log)
        defer { try? logHandle.close() }
        let worker = Process()
        worker.executableURL = try BuiltProduct.path("grpo-lambda")
        worker.arguments = ["worker", "--coordinator", configuration.workersURL,
                            "--announce", IPCAddress.unique("silent"),
                            "--learner", rolloutsURL, "--health", healthURL, "--worker-id", "w1",
                            "--run-dir", directory.appendingPathComponent("worker").path, "--threads", "1",
                            "--set", "max_new_tokens=8", "--set", "worker_slots=1"]
        worker.standardOutput = FileHandle.nullDevice
        worker.standardError = logHandle
        try worker.run()
        defer { kill(worker.processIdentifier, SIGKILL); worker.waitUntilExit() }
        let workerLog = { String((try? String(contentsOf: log, encoding: .utf8))?.suffix(3000) ?? "") }

        let health = try MessageChannel(.request)
        defer { health.close() }
        try health.socket.dial(healthURL)
        /// Polls the worker's health endpoint until it holds `version` or `timeout` passes; the version it held last.
        func heldVersion(becomes version: Int, within timeout: Duration) async -> Int? {
            let deadline = ContinuousClock.now + timeout
            var held: Int?
            while ContinuousClock.now < deadline {
                if let reply = try? await health.request(HealthRequest(), expecting: HealthReply.self, timeout: .seconds(5)),
                   let detail = try? JSONSerialization.jsonObject(with: Data(reply.detail.utf8)) as? [String: Any] {
                    held = detail["held_version"] as? Int
                    if held == version { return held }
                }
                try? await Task.sleep(for: .milliseconds(100))
            }
            return held
        }
        let first = await heldVersion(becomes: 5, within: .seconds(180))
        try #require(first == 5, "the worker never held version 5; its log ends: \(workerLog())")

        // The learner restarts from its checkpoint of version 4 (a resync report makes the coordinator forget what
        // it had) and publishes version 4 again. No announcement reaches the worker.
        _ = try await learner.request(LeaseReport(learnerStep: 4, weightVersion: 4, resync: true), expecting: Ack.self,
                                      timeout: .seconds(30))
        try await publish(4)
        let second = await heldVersion(becomes: 4, within: .seconds(120))
        #expect(second == 4, "the worker kept version \(second.map(String.init) ?? "none"); its log ends: \(workerLog())")
    }
}
