import Foundation
import Logging
import Policy
import Primitives
import Protocol
import Testing
@testable import Learner

/// The lease accounting of `LearnerCore`: every submitted group is trained, dropped as uniform, returned
/// (refused or stale) or closed as a duplicate, and used leases wait for a checkpoint.
@Suite struct LearnerCoreTests {
    static func core(loss: LossConfiguration = .grpo(), maxStaleness: UInt64, groupsPerStep: Int = 1) throws -> LearnerCore {
        let trainer = try GRPOTrainer(model: try Transformer(config: ToyTask.config, seed: 11),
                                      configuration: TrainerConfiguration(loss: loss), threads: 1)
        return LearnerCore(trainer: trainer, validator: GroupValidator(vocabularySize: 16, maxPositions: 64),
                           staleness: StalenessPolicy(maxStaleness: maxStaleness), groupsPerStep: groupsPerStep,
                           logger: Logger(label: "core-test"))
    }

    /// A group with distinct rewards for prompt `index`, sampled as `version`.
    static func group(_ index: UInt64, version: UInt64, model: Transformer, seed: UInt64 = 1) throws -> RolloutGroup {
        var g = try ToyTask.groups(model: model, version: version, seed: seed)[0]
        g.leaseID = 1000 + index
        g.promptIndex = index
        for i in g.completions.indices { g.completions[i].reward = Float(i % 3) }
        return g
    }

    @Test func groupsWithinTheStalenessBoundTrainAndOlderOnesAreReturned() throws {
        let core = try Self.core(maxStaleness: 1)
        let model = core.trainer.model
        core.submit(try Self.group(0, version: 0, model: model))
        #expect(try core.stepIfReady() != nil && core.version == 1)
        core.submit(try Self.group(1, version: 0, model: model))  // one version behind: allowed
        let metrics = try #require(try core.stepIfReady())
        #expect(metrics.stalenessMax == 1 && core.version == 2)
        core.submit(try Self.group(2, version: 0, model: model))  // two behind: returned for re-issue
        #expect(try core.stepIfReady() == nil)
        #expect(core.counters.stale == 1 && core.takeImmediateReport().returned == [1002])
        #expect(core.trainerState().leasesToReport == [1000, 1001])
        #expect(core.usedPrompts == IndexRangeSet([0, 1]))
    }

    @Test func uniformGroupsAreConsumedNotReturned() throws {
        let core = try Self.core(loss: .dapo(), maxStaleness: 0)
        var uniform = try Self.group(5, version: 0, model: core.trainer.model)
        for i in uniform.completions.indices { uniform.completions[i].reward = 1 }
        core.submit(uniform)
        #expect(core.counters.uniformDropped == 1 && core.pendingCount == 0)
        let report = core.takeImmediateReport()
        #expect(report.received == [1005] && report.used == [1005] && report.returned.isEmpty && report.duplicates.isEmpty)
        let state = core.trainerState()
        #expect(state.leasesToReport == [1005] && state.usedPrompts.contains(5))
    }

    @Test func aPromptUsedUnderOneLeaseIsADuplicateUnderAnother() throws {
        let core = try Self.core(maxStaleness: 0, groupsPerStep: 2)
        let model = core.trainer.model
        core.submit(try Self.group(7, version: 0, model: model))
        var reissued = try Self.group(7, version: 0, model: model, seed: 2)  // same prompt, re-issued lease
        reissued.leaseID = 2007
        core.submit(reissued)  // pending under lease 1007 already
        #expect(core.counters.duplicates == 1 && core.pendingCount == 1)
        core.submit(try Self.group(8, version: 0, model: model))
        #expect(try core.stepIfReady() != nil)
        var late = try Self.group(8, version: 1, model: model)
        late.leaseID = 3008
        core.submit(late)  // already trained
        #expect(core.counters.duplicates == 2)
        #expect(core.takeImmediateReport().duplicates == [2007, 3008])
    }

    @Test func checkpointingHandsOverTheLeasesItCovers() throws {
        let core = try Self.core(maxStaleness: 0)
        core.submit(try Self.group(0, version: 0, model: core.trainer.model))
        _ = try core.stepIfReady()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("grpo-core-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (_, consumed) = try core.checkpoint(core.trainerState(), to: CheckpointStore(directory: directory))
        #expect(consumed == [1000] && core.unreportedLeaseCount == 0)
        #expect(core.trainerState().leasesToReport.isEmpty)
    }
}
