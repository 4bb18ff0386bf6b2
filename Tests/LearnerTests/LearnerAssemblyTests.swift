import Foundation
import Logging
import Policy
import Primitives
import Protocol
import Testing
@testable import Learner

/// One assembly for every learner: a restart resumes the checkpoint's step, version, staleness bound and used
/// prompts, and a configuration that contradicts the checkpoint is refused by name.
@Suite struct LearnerAssemblyTests {
    static func settings(_ loss: LossConfiguration = .grpo(), maxStaleness: UInt64 = 2, epochs: Int = 1) -> LearnerAssembly.Settings {
        .init(trainer: TrainerConfiguration(loss: loss, epochs: epochs), groupSize: ToyTask.groupSize, groupsPerStep: 1,
              maxStaleness: maxStaleness, threads: 1)
    }

    @Test func aRestartResumesVersionStalenessAndUsedPrompts() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("grpo-assembly-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let logger = Logger(label: "assembly-test")
        let first = try LearnerAssembly(model: try Transformer(config: ToyTask.config, seed: 1), settings: Self.settings(),
                                        checkpoints: CheckpointStore(directory: directory), logger: logger)
        #expect(first.resumedFrom == nil && first.core.version == 0)
        for index in 0..<3 as Range<UInt64> {
            var g = try ToyTask.groups(model: first.core.trainer.model, version: first.core.version, seed: index)[0]
            g.promptIndex = index
            g.leaseID = 10 + index
            first.core.submit(g)
            _ = try first.core.stepIfReady()
        }
        _ = try first.core.checkpoint(first.core.trainerState(progress: RunProgress(warmStartAccuracy: 0.25)),
                                      to: first.checkpoints)

        let second = try LearnerAssembly(model: try Transformer(config: ToyTask.config, seed: 99), settings: Self.settings(),
                                         checkpoints: CheckpointStore(directory: directory), logger: logger)
        let state = try #require(second.resumedFrom?.state)
        #expect(second.core.version == 3 && second.core.trainer.step == 3)
        #expect(second.core.staleness.maxStaleness == 2 && state.maxStaleness == 2)
        #expect(state.dataCursor == 3 && second.core.usedPrompts == IndexRangeSet([0, 1, 2]))
        #expect(state.leasesToReport == [10, 11, 12] && state.progress.warmStartAccuracy == 0.25)
        #expect(second.core.trainer.model.parameters.withUnsafeBufferPointer { Array($0) }
                == first.core.trainer.model.parameters.withUnsafeBufferPointer { Array($0) })

        // A contradicting configuration is refused with the fields named, never silently merged.
        for (settings, field) in [(Self.settings(maxStaleness: 0), "max_staleness"), (Self.settings(.dapo()), "method"),
                                  (Self.settings(epochs: 2), "epochs")] {
            do {
                _ = try LearnerAssembly(model: try Transformer(config: ToyTask.config, seed: 1), settings: settings,
                                        checkpoints: CheckpointStore(directory: directory), logger: logger)
                Issue.record("a checkpoint with other \(field) was accepted")
            } catch let LearnerError.checkpointMismatch(_, reason) {
                #expect(reason.contains(field), "\(reason)")
            }
        }
    }

    @Test func checkpointsWrittenBeforeTypedResumeFieldsStillLoad() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let model = String(decoding: try encoder.encode(ToyTask.config), as: UTF8.self)
        let trainer = String(decoding: try encoder.encode(TrainerConfiguration(loss: .grpo())), as: UTF8.self)
            .replacingOccurrences(of: #","shuffleRewards":false"#, with: "")
        #expect(!trainer.contains("shuffleRewards"))
        let legacy = """
        {"step": 4, "weightVersion": 4, "lengthPreferenceLambda": 0, "random": [1, 2, 3, 4], "dataCursor": 32,
         "maxStaleness": 0, "notes": {"warm_start_accuracy": "0.375", "method": "grpo"},
         "modelConfig": \(model), "trainer": \(trainer)}
        """
        let state = try JSONDecoder().decode(TrainerState.self, from: Data(legacy.utf8))
        #expect(state.usedPrompts.isEmpty && state.leasesToReport.isEmpty)
        #expect(state.progress.warmStartAccuracy == 0.375 && !state.trainer.shuffleRewards)
    }
}
