import Foundation
import Logging
import Policy
import Protocol
import Testing
@testable import Learner

/// The learner service over real ipc:// sockets: bad input is refused without stopping it, good groups train,
/// and the coordinator receives the new weights and the lease report.
@Suite struct LearnerServiceTests {
    @Test func malformedAndInvalidGroupsAreRefusedAndTheServiceKeepsServing() async throws {
        let model = try Transformer(config: ToyTask.config, seed: 3)
        let trainer = try GRPOTrainer(model: model, configuration: TrainerConfiguration(loss: .grpo()), threads: 1)
        let logger = Logger(label: "learner-test")
        let core = LearnerCore(trainer: trainer, validator: GroupValidator(vocabularySize: 16, maxPositions: 64),
                               staleness: StalenessPolicy(maxStaleness: 0), groupsPerStep: 2, logger: logger)
        let dir = NSTemporaryDirectory()
        let rolloutsURL = "ipc://\(dir)grpo-learner-\(UUID().uuidString.prefix(8)).ipc"
        let coordinatorURL = "ipc://\(dir)grpo-coord-\(UUID().uuidString.prefix(8)).ipc"
        let coordinator = try MessageChannel(.pull)
        defer { coordinator.close() }
        try coordinator.socket.listen(coordinatorURL)
        let service = LearnerService(core: core, configuration: .init(rolloutsURL: rolloutsURL, coordinatorURL: coordinatorURL,
                                                                      checkpointEvery: 0, weightChunkBytes: 10_000, maxSteps: 1),
                                     checkpoints: nil, metrics: nil, logger: logger) { _ in
            fatalError("no checkpoints in this test")
        }
        let running = Task { try await service.run() }

        let worker = try MessageChannel(.push)
        defer { worker.close() }
        try worker.socket.dial(rolloutsURL)
        try await Self.sendGoodAndBadGroups(model: model, over: worker)

        #expect(try await running.value == 1)
        #expect(service.malformedFrameCount == 2)
        #expect(core.counters.received == 4 && core.counters.rejected == 2 && core.counters.trained == 2)
        #expect(core.counters.rejectedByReason == ["token_out_of_vocabulary": 1, "unknown_policy_version": 1])
        #expect(core.version == 1)

        // The coordinator sees the returned leases, the new version with its chunks, and the consumed leases.
        let (returned, consumed, announcement, chunks) = try await Self.readCoordinatorReports(from: coordinator)
        #expect(Set(returned) == [100, 101])
        #expect(Set(consumed) == [1, 2])
        let version = try #require(announcement)
        #expect(version.version == 1 && version.parameterCount == UInt64(model.layout.count))
        let bytes = chunks.sorted { $0.chunkIndex < $1.chunkIndex }.flatMap(\.bytes.array)
        #expect(bytes.withUnsafeBytes { SHA256Digest.of($0) } == version.sha256)
        let current = model.parameters.withUnsafeBufferPointer { Array(UnsafeRawBufferPointer($0)) }
        #expect(bytes == current)
    }

    /// Two malformed frames, two groups the validator refuses (leases 100 and 101), two good groups (leases 1, 2).
    private static func sendGoodAndBadGroups(model: Transformer, over worker: MessageChannel) async throws {
        var good = try ToyTask.groups(model: model, version: 0, seed: 1)
        good[0].leaseID = 1
        good[1].leaseID = 2
        var outOfVocabulary = good[2]
        outOfVocabulary.leaseID = 100
        outOfVocabulary.completions[0].tokens = WireArray([99] + outOfVocabulary.completions[0].tokens.dropFirst())
        var fromTheFuture = good[2]
        fromTheFuture.leaseID = 101
        fromTheFuture.policyVersion = 5

        try await worker.socket.send(NNGMessage(copying: Array("garbage, not a frame at all".utf8)), timeout: .seconds(10))
        let truncated = try FrameCodec().encodeBytes(good[0]).dropLast(7)
        try await worker.socket.send(NNGMessage(copying: truncated), timeout: .seconds(10))
        try await worker.send(outOfVocabulary, timeout: .seconds(10))
        try await worker.send(fromTheFuture, timeout: .seconds(10))
        try await worker.send(good[0], timeout: .seconds(10))
        try await worker.send(good[1], timeout: .seconds(10))
    }

    /// What the learner sends the coordinator for one step: lease reports, the version announcement and its chunks.
    private static func readCoordinatorReports(from coordinator: MessageChannel) async throws
        -> (returned: [UInt64], consumed: [UInt64], announcement: NewWeightVersion?, chunks: [WeightChunk]) {
        var returned: [UInt64] = [], consumed: [UInt64] = []
        var announcement: NewWeightVersion?
        var chunks: [WeightChunk] = []
        while announcement == nil || chunks.count < Int(announcement!.chunkCount) || consumed.isEmpty {
            switch try await coordinator.receive(timeout: .seconds(20)) {
            case let .leasesConsumed(report):
                returned += report.returned
                consumed += report.consumed
            case let .newWeightVersion(v): announcement = v
            case let .weightChunk(c): chunks.append(c)
            case let other: Issue.record("unexpected \(other.type)")
            }
        }
        return (returned, consumed, announcement, chunks)
    }
}
