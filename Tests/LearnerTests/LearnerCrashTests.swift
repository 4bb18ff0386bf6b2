import Foundation
import Logging
import Policy
import Primitives
import Protocol
import TestSupport
import Testing
@testable import Learner

/// Exactly once across a crash, with the real `grpo-lambda learner` process killed (exit 137, as `kill -9`)
/// between a step and its checkpoint, and between the checkpoint and its lease report.
@Suite(.serialized) struct LearnerCrashTests {
    /// A valid group for the built-in model: G = 2 completions with different rewards.
    static func group(lease: UInt64, prompt: UInt64, version: UInt64) -> RolloutGroup {
        let completions = (0..<2).map { (i: Int) -> ScoredCompletion in
            let tokens: [Int32] = [10, 11, 12, Int32(13 + i)]
            let sampler: [Float] = [-1, -1, -1, -1], policy: [Float] = [-1.5, -2, -1, -0.5]
            return ScoredCompletion(tokens: WireArray(tokens), samplerLogProbs: WireArray(sampler),
                                    policyLogProbs: WireArray(policy), finishReason: .length, reward: Float(i),
                                    correct: i == 1, verdict: i == 1 ? "correct" : "wrong", text: "")
        }
        return RolloutGroup(leaseID: lease, promptIndex: prompt, workerID: "crash-test", policyVersion: version,
                            prompt: "1+1=?", promptTokens: WireArray([5, 6, 7]), goldAnswer: "2", temperature: 1, topP: 1,
                            topK: 0, maxNewTokens: 4, generationSeconds: 0, completions: completions)
    }

    struct Learner {
        let process: Process
        let directory: URL

        /// Starts `grpo-lambda learner` (B = 1, G = 2, a checkpoint every step).
        static func start(directory: URL, rollouts: String, coordinator: String, fault: String? = nil) throws -> Learner {
            let process = Process()
            process.executableURL = try BuiltProduct.path("grpo-lambda")
            process.arguments = ["learner", "--rollouts", rollouts, "--coordinator", coordinator,
                                 "--run-dir", directory.path, "--set", "group_size=2", "--groups-per-step", "1",
                                 "--checkpoint-every", "1", "--steps", "10", "--threads", "1", "--log-format", "json"]
            var environment = ProcessInfo.processInfo.environment
            environment["GRPO_LAMBDA_FAULT"] = fault
            process.environment = environment
            // Its log goes to the run directory; the test's own output stays clean and no pipe outlives the test.
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            return Learner(process: process, directory: directory)
        }

        /// Waits for the process to end (up to 60 s, then kills it); its exit status, nil if it had to be killed.
        func exitStatus() async -> Int32? {
            let deadline = ContinuousClock.now + .seconds(60)
            while process.isRunning {
                if ContinuousClock.now >= deadline {
                    kill(process.processIdentifier, SIGKILL)
                    process.waitUntilExit()
                    return nil
                }
                try? await Task.sleep(for: .milliseconds(20))
            }
            return process.terminationStatus
        }

        /// Kills the process if it is still running (a failed test never leaves a learner behind).
        func stop() {
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }

        func newestCheckpoint() throws -> TrainerState? {
            let store = CheckpointStore(directory: directory.appendingPathComponent("checkpoints"))
            return try store.checkpoints().first.map { try store.verify($0) }
        }
    }

    /// A run directory, a stand-in coordinator, and a worker's PUSH socket dialing the learner's rollout URL.
    final class Setup {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("grpo-crash-\(UUID().uuidString)")
        let rollouts = IPCAddress.unique("rollouts")
        let coordinator: FakeCoordinator
        let worker: MessageChannel

        init() throws {
            coordinator = try FakeCoordinator(url: IPCAddress.unique("coordinator"))
            worker = try MessageChannel.dialing(.push, url: rollouts)
        }

        func start(fault: String? = nil) throws -> Learner {
            try Learner.start(directory: directory, rollouts: rollouts, coordinator: coordinator.url, fault: fault)
        }

        func push(lease: UInt64, prompt: UInt64, version: UInt64) async throws {
            try await worker.send(LearnerCrashTests.group(lease: lease, prompt: prompt, version: version), timeout: .seconds(30))
        }

        deinit {
            worker.close()
            coordinator.close()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    @Test func killedAfterTheCheckpointItsLeasesAreReportedByTheNextProcess() async throws {
        let setup = try Setup()
        let coordinator = setup.coordinator
        let first = try setup.start(fault: "after_checkpoint_before_report@1")
        defer { first.stop() }
        try await setup.push(lease: 1, prompt: 0, version: 0)
        #expect(await first.exitStatus() == 137)
        // The checkpoint holding lease 1's update is durable, but nobody was told.
        let checkpoint = try #require(try first.newestCheckpoint())
        #expect(checkpoint.step == 1 && checkpoint.leasesToReport == [1])
        #expect(!coordinator.reports.contains { $0.consumed.contains(1) })

        // The next process reports it, then refuses the same prompt under a re-issued lease, and trains on.
        let second = try setup.start()
        defer { second.stop() }
        #expect(await coordinator.wait { $0.reports.contains { $0.resync && $0.consumed == [1] } })
        // Wait for the second process's resync: by then the worker's pipe to the dead one is gone (a PUSH into a
        // pipe whose peer just died is lost, as it would be in a fleet, where the lease would lapse and return).
        #expect(await coordinator.wait { $0.reports.filter(\.resync).count == 2 })
        try await setup.push(lease: 2, prompt: 0, version: 1)
        try await setup.push(lease: 3, prompt: 1, version: 1)
        #expect(await coordinator.wait { $0.reports.contains { $0.consumed.contains(3) } })
        kill(second.process.processIdentifier, SIGTERM)
        #expect(await second.exitStatus() == 0)
        let final = try #require(try second.newestCheckpoint())
        #expect(final.step == 2 && final.weightVersion == 2 && final.usedPrompts == IndexRangeSet([0, 1]))
        let reports = coordinator.reports
        #expect(reports.flatMap(\.duplicates) == [2])
        #expect(reports.flatMap(\.consumed).sorted() == [1, 3])
    }

    @Test func killedBeforeTheCheckpointItsPromptsAreTrainedAgain() async throws {
        let setup = try Setup()
        let coordinator = setup.coordinator
        let first = try setup.start(fault: "before_checkpoint@1")
        defer { first.stop() }
        try await setup.push(lease: 1, prompt: 0, version: 0)
        #expect(await first.exitStatus() == 137)
        #expect(try first.newestCheckpoint() == nil)

        // The restarted learner resyncs with nothing consumed (the coordinator re-issues prompt 0), and trains the
        // re-issued lease as new: the lost update is redone, and counted once.
        let second = try setup.start()
        defer { second.stop() }
        #expect(await coordinator.wait { $0.reports.filter(\.resync).count == 2 })
        try await setup.push(lease: 2, prompt: 0, version: 0)
        #expect(await coordinator.wait { $0.reports.contains { $0.consumed.contains(2) } })
        kill(second.process.processIdentifier, SIGTERM)
        #expect(await second.exitStatus() == 0)
        let final = try #require(try second.newestCheckpoint())
        #expect(final.step == 1 && final.usedPrompts == IndexRangeSet([0]))
        #expect(coordinator.reports.flatMap(\.consumed) == [2] && coordinator.reports.flatMap(\.duplicates).isEmpty)
    }
}
