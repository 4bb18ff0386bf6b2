import Coordinator
import Foundation
import Learner
import Protocol
import TestSupport
import Testing

/// The fleet survives kill -9 of any process, refuses what it must refuse, and counts every prompt once — with
/// real processes (`grpo-lambda run` and the services it supervises) and real sockets.
@Suite(.serialized) struct FleetFaultTests {
    @Test func killingAWorkerTheLearnerAndTheCoordinatorLosesNoPromptAndCountsNoneTwice() async throws {
        let fleet = try Fleet()
        #expect(await fleet.wait { fleet.step() >= 2 }, "the fleet never trained")

        // A worker holding leases dies: its leases go back in the queue; the supervisor starts it again.
        kill(try #require(fleet.pid(of: "worker-1")), SIGKILL)
        #expect(await fleet.wait { fleet.starts(of: "worker-1") == 2 && !fleet.events("worker_restarted").isEmpty
                    || !fleet.events("worker_timed_out").isEmpty })
        #expect(await fleet.wait { fleet.step() >= 10 })

        // The learner dies: it resumes from its newest checkpoint (same version, same staleness bound).
        kill(try #require(fleet.pid(of: "learner")), SIGKILL)
        #expect(await fleet.wait { fleet.starts(of: "learner") == 2 && fleet.events("resumed").count >= 1 })
        let resumed = try #require(fleet.events("resumed").last)
        #expect((resumed["max_staleness"] as? Double) == 1)
        #expect((resumed["version"] as? Double) == (resumed["step"] as? Double))

        // The coordinator dies: it replays its ledger; workers and the learner attach to the new one.
        #expect(await fleet.wait { fleet.step() >= 18 })
        kill(try #require(fleet.pid(of: "coordinator")), SIGKILL)
        #expect(await fleet.wait { fleet.starts(of: "coordinator") == 2 && !fleet.events("ledger_replayed").isEmpty })

        #expect(await fleet.exitStatus() == 0)
        let summary = try fleet.summary()
        #expect(summary["steps"] as? Int == Fleet.steps)
        let audit = try fleet.audit()
        #expect(audit.exactlyOnce && audit.consumedTwice.isEmpty, "\(audit)")
        // Every step's 2 groups trained exactly once, and exactly the prompts in the final weights.
        #expect(audit.consumed == 2 * Fleet.steps)
        let checkpoint = try #require(try fleet.finalCheckpoint())
        #expect(checkpoint.step == Fleet.steps && checkpoint.weightVersion == UInt64(Fleet.steps) && checkpoint.maxStaleness == 1)
        #expect(checkpoint.usedPrompts == audit.consumedPrompts)
        #expect(Set(fleet.events("process_died").compactMap { $0["process"] as? String }) == ["worker-1", "learner", "coordinator"])
        fleet.keepDirectory = false
    }

    @Test func interruptingARunStopsEveryServiceAndTheSameCommandResumesIt() async throws {
        let first = try Fleet()
        #expect(await first.wait { first.step() >= 3 })
        kill(first.process.processIdentifier, SIGINT)  // Ctrl-C
        #expect(await first.exitStatus() != nil)
        #expect(!first.anyServiceAlive(), "a service outlived the interrupted run")
        let stoppedAt = first.step()
        #expect(stoppedAt < Fleet.steps)

        let second = try Fleet(directory: first.directory)
        #expect(await second.exitStatus() == 0)
        #expect(try second.summary()["steps"] as? Int == Fleet.steps)
        // Held-out evaluations across both invocations: the warm start, learner checkpoints at multiples of
        // eval_every (those not pruned before the run read them: this fleet checkpoints every 2 steps and keeps
        // 3), the end; each step once, in order.
        let evaluated = (try second.summary()["evaluations"] as? [[String: Any]] ?? []).compactMap { $0["step"] as? Int }
        #expect(evaluated.first == 0 && evaluated.last == Fleet.steps && evaluated == evaluated.sorted() && Set(evaluated).count == evaluated.count,
                "\(evaluated)")
        #expect(evaluated.dropFirst().dropLast().allSatisfy { $0 % 20 == 0 }, "\(evaluated)")
        // The second run went on from the first one's checkpoint, and the ledger counts every prompt once.
        let resumed = try #require(second.events("resumed").last)
        #expect((resumed["step"] as? Double).map(Int.init) ?? 0 > 0)
        let audit = try second.audit()
        #expect(audit.exactlyOnce && audit.consumed == 2 * Fleet.steps, "\(audit)")
        first.keepDirectory = false
        second.keepDirectory = false
    }

    @Test func wrongSecretsGarbageAndCorruptWeightsAreRefusedWhileTheFleetTrains() async throws {
        let secret = FileManager.default.temporaryDirectory.appendingPathComponent("grpo-secret-\(UUID().uuidString)")
        let wrong = FileManager.default.temporaryDirectory.appendingPathComponent("grpo-wrong-\(UUID().uuidString)")
        try "the fleet's shared secret, long enough".write(to: secret, atomically: true, encoding: .utf8)
        try "somebody else's secret, long enough too".write(to: wrong, atomically: true, encoding: .utf8)
        defer {
            try? FileManager.default.removeItem(at: secret)
            try? FileManager.default.removeItem(at: wrong)
        }
        // The coordinator corrupts the third weight chunk it serves.
        let fleet = try Fleet(extraArguments: ["--secret-file", secret.path], environment: ["GRPO_LAMBDA_FAULT": "corrupt_chunk@3"])
        #expect(await fleet.wait { fleet.step() >= 1 })
        let started = try #require(fleet.events("coordinator_started").last)
        let workersURL = try #require(started["workers_url"] as? String)
        let announceURL = try #require(started["announce_url"] as? String)
        let learnerStarted = try #require(fleet.events("learner_started").first { $0["rollouts_url"] != nil })
        let rolloutsURL = try #require(learnerStarted["rollouts_url"] as? String)

        // A worker with the wrong secret: every frame it sends fails authentication; it never joins.
        let rogue = Process()
        rogue.executableURL = try BuiltProduct.path("grpo-lambda")
        rogue.arguments = ["worker", "--coordinator", workersURL, "--announce", announceURL, "--learner", rolloutsURL,
                           "--worker-id", "rogue", "--secret-file", wrong.path, "--run-dir", fleet.directory.path,
                           "--threads", "1", "--log-format", "json"]
        rogue.standardOutput = FileHandle.nullDevice
        rogue.standardError = FileHandle.nullDevice
        try rogue.run()
        defer { kill(rogue.processIdentifier, SIGKILL) }

        // Garbage at the coordinator and at the learner.
        let requester = try MessageChannel(.request)
        defer { requester.close() }
        try requester.socket.dial(workersURL)
        let context = try requester.socket.makeContext()
        defer { context.close() }
        try await context.send(NNGMessage(copying: Array(String(repeating: "not a frame; ", count: 8).utf8)), timeout: .seconds(10))
        // The coordinator answers garbage with an error reply (and keeps serving).
        let reply = try await context.receive(timeout: .seconds(10))
        let fleetCodec = FrameCodec(options: .init(secret: try SharedSecret.load(path: secret.path)))
        guard case let .error(answer) = try fleetCodec.decode(reply) else {
            Issue.record("garbage was not answered with an error reply")
            return
        }
        #expect(answer.code == "bad_magic")
        let pusher = try MessageChannel(.push)
        defer { pusher.close() }
        try pusher.socket.dial(rolloutsURL)
        try await pusher.socket.send(NNGMessage(copying: Array(repeating: 0xAB, count: 64)), timeout: .seconds(10))

        #expect(await fleet.exitStatus() == 0, "the fleet stopped training")
        let refused = fleet.events("frame_refused").compactMap { $0["reason"] as? String }
        #expect(refused.contains("authentication_failed"))
        #expect(refused.contains("bad_magic"))
        #expect(!fleet.events("worker_joined").contains { $0["worker_id"] as? String == "rogue" })
        // The corrupted download was refused, then the worker fetched the weights again and went on.
        let refusal = try #require(fleet.events("weights_refused").first)
        let refusedVersion = try #require(refusal["version"] as? Double)
        #expect(fleet.events("weights_loaded").contains {
            $0["worker_id"] as? String == refusal["worker_id"] as? String && ($0["version"] as? Double ?? -1) >= refusedVersion
        })
        #expect(try fleet.summary()["steps"] as? Int == Fleet.steps)
        #expect(try fleet.audit().exactlyOnce)
        fleet.keepDirectory = false
    }
}
