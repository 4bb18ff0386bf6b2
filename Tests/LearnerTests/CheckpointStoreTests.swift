import Foundation
import Policy
import Protocol
import Seeding
import TestSupport
import Testing
@testable import Learner

@Suite struct CheckpointStoreTests {
    func scratch() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("grpo-ckpt-\(UUID().uuidString)")
    }

    func state(_ t: GRPOTrainer, version: UInt64) -> TrainerState {
        TrainerState(step: t.step, weightVersion: version, lengthPreferenceLambda: t.lengthPreferenceLambda,
                     random: t.random, dataCursor: UInt64(t.step * 3), maxStaleness: 2, modelConfig: t.model.config,
                     trainer: t.configuration)
    }

    /// Kill-and-resume: a trainer rebuilt from a checkpoint takes exactly the step the original would have.
    @Test func resumingReproducesTheNextStepBitForBit() throws {
        let dir = scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = CheckpointStore(directory: dir, keep: 2)
        let config = TrainerConfiguration(loss: .lambdaGRPO(.init(initialLambda: 0.3, learningRate: 0.1)),
                                          schedule: .init(peak: 1e-3, warmupSteps: 2, totalSteps: 100), epochs: 2,
                                          minibatches: 2, seed: 77)
        let original = try GRPOTrainer(model: try Transformer(config: ToyTask.config, seed: 4), configuration: config, threads: 1)
        for step in 0..<3 {
            _ = try original.train(on: try ToyTask.groups(model: original.model, version: UInt64(step), seed: UInt64(step)))
        }
        try store.save(model: original.model, optimizer: original.optimizer, state: state(original, version: 3))
        let nextGroups = try ToyTask.groups(model: original.model, version: 3, seed: 3)
        let expected = try original.train(on: nextGroups)

        // A fresh process would start from a freshly initialised model with another seed.
        let resumed = try GRPOTrainer(model: try Transformer(config: ToyTask.config, seed: 999), configuration: config, threads: 1)
        let (restored, _) = try store.loadLatest(into: resumed.model, optimizer: resumed.optimizer)
        resumed.restore(step: restored.step, lengthPreferenceLambda: restored.lengthPreferenceLambda,
                        random: try #require(restored.randomGenerator))
        #expect(restored.maxStaleness == 2 && restored.dataCursor == 9 && restored.weightVersion == 3)
        let replayed = try resumed.train(on: nextGroups)
        #expect(replayed.loss.bitPattern == expected.loss.bitPattern)
        #expect(replayed.lengthPreferenceLambda == expected.lengthPreferenceLambda)
        #expect(resumed.model.parameters.withUnsafeBufferPointer { Array($0) }
                == original.model.parameters.withUnsafeBufferPointer { Array($0) })
    }

    @Test func corruptOrTruncatedCheckpointsFallBackToThePreviousOne() throws {
        let dir = scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = CheckpointStore(directory: dir, keep: 3)
        let trainer = try GRPOTrainer(model: try Transformer(config: ToyTask.config, seed: 4),
                                      configuration: TrainerConfiguration(loss: .grpo()), threads: 1)
        var saved: [URL] = []
        for step in 0..<3 {
            _ = try trainer.train(on: try ToyTask.groups(model: trainer.model, version: 0, seed: UInt64(step)))
            saved.append(try store.save(model: trainer.model, optimizer: trainer.optimizer, state: state(trainer, version: UInt64(step))))
        }
        #expect(store.checkpoints().map(\.lastPathComponent) == saved.reversed().map(\.lastPathComponent))

        // Truncate the newest model file: its manifest no longer matches.
        let newestModel = saved[2].appendingPathComponent("model.safetensors")
        let bytes = try Data(contentsOf: newestModel)
        try bytes.prefix(bytes.count / 2).write(to: newestModel)
        #expect(throws: LearnerError.self) { try store.verify(saved[2]) }
        // Flip a byte in the middle one's optimizer state.
        let optimizerFile = saved[1].appendingPathComponent("optimizer.safetensors")
        var optimizerBytes = try Data(contentsOf: optimizerFile)
        optimizerBytes[optimizerBytes.count - 5] ^= 0xFF
        try optimizerBytes.write(to: optimizerFile)

        let fresh = try GRPOTrainer(model: try Transformer(config: ToyTask.config, seed: 5),
                                    configuration: TrainerConfiguration(loss: .grpo()), threads: 1)
        let (state, url) = try store.loadLatest(into: fresh.model, optimizer: fresh.optimizer)
        #expect(url.lastPathComponent == saved[0].lastPathComponent)
        #expect(state.step == 1)

        // A half-written checkpoint (no manifest) is never picked up either.
        try FileManager.default.removeItem(at: saved[0].appendingPathComponent("manifest.json"))
        #expect(throws: LearnerError.noCheckpoint(directory: dir.path)) {
            try store.loadLatest(into: fresh.model, optimizer: fresh.optimizer)
        }
    }

    @Test func onlyTheNewestAreKept() throws {
        let dir = scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = CheckpointStore(directory: dir, keep: 2)
        let trainer = try GRPOTrainer(model: try Transformer(config: ToyTask.config, seed: 4),
                                      configuration: TrainerConfiguration(loss: .grpo()), threads: 1)
        for v in 0..<4 {
            _ = try trainer.train(on: try ToyTask.groups(model: trainer.model, version: 0, seed: UInt64(v)))
            try store.save(model: trainer.model, optimizer: trainer.optimizer, state: state(trainer, version: UInt64(v)))
        }
        #expect(store.checkpoints().map(\.lastPathComponent) == ["step-00000004", "step-00000003"])
    }
}

/// Bit-exact training whatever else runs in the process: OpenBLAS stays single-threaded for good, so a trainer
/// on one thread gives the same bits while another, multi-threaded trainer works beside it.
@Suite struct ReproducibilityTests {
    static func train(threads: Int, steps: Int) throws -> [Float] {
        let trainer = try GRPOTrainer(model: try Transformer(config: ToyTask.config, seed: 21),
                                      configuration: TrainerConfiguration(loss: .grpoLambda(), epochs: 2, minibatches: 2, seed: 5),
                                      threads: threads)
        for step in 0..<steps {
            _ = try trainer.train(on: try ToyTask.groups(model: trainer.model, version: UInt64(step), seed: UInt64(step)))
        }
        return trainer.model.parameters.withUnsafeBufferPointer { Array($0) }
    }

    @Test func aTrainerGivesTheSameBitsAloneAndBesideAnother() async throws {
        let alone = try Self.train(threads: 1, steps: 3)
        async let beside = onDedicatedThread { try Self.train(threads: 1, steps: 3) }
        async let neighbour = onDedicatedThread { try Self.train(threads: 2, steps: 6) }
        let (replayed, _) = try await (beside, neighbour)
        #expect(replayed == alone)
    }
}
