import Foundation
import Logging
import Policy
import Primitives
import Protocol
import Seeding

/// The learner without its sockets: validates incoming groups, drops stale and duplicate ones, assembles
/// batches of B informative groups, trains, and keeps the lease accounting that makes every prompt count once.
///
/// The socket service (`LearnerService`) and the colocated run both drive this type, so the accounting is the
/// same in both. Every group handed to `submit` ends up in exactly one of:
/// - a trained batch, or a dynamic-sampling drop (its prompt was used; it only carried no signal): its lease is
///   *used*, and reported consumed only after a checkpoint holding the update is durable (`checkpoint`);
/// - a rejection or a staleness drop: its lease is *returned* at once, for the coordinator to re-issue;
/// - a duplicate (its prompt is already used or pending under another lease, because a lease was re-issued
///   while its first group was in flight): its lease is closed at once and the group is never trained.
/// Not thread-safe: one owner.
public final class LearnerCore {
    /// What happened to submitted groups, cumulatively (since this process started).
    public struct Counters: Sendable, Equatable, Codable {
        public var received = 0
        public var rejected = 0
        public var stale = 0
        public var uniformDropped = 0
        public var duplicates = 0
        public var trained = 0
        public var rejectedByReason: [String: Int] = [:]
    }

    /// Leases to report to the coordinator without waiting for a checkpoint.
    public struct ImmediateReport: Sendable, Equatable {
        /// Every lease whose group reached the learner (whatever became of it): its expiry clock stops.
        public var received: [UInt64] = []
        /// Leases used in a step (or dropped as uniform) since the last report, not yet in a durable checkpoint.
        public var used: [UInt64] = []
        /// Leases whose groups were refused or too stale: re-issue their prompts.
        public var returned: [UInt64] = []
        /// Leases whose prompts were already used under another lease: close them, count nothing.
        public var duplicates: [UInt64] = []
        public var isEmpty: Bool { received.isEmpty && used.isEmpty && returned.isEmpty && duplicates.isEmpty }
    }

    public let trainer: GRPOTrainer
    public let validator: GroupValidator
    public let staleness: StalenessPolicy
    public let groupsPerStep: Int
    public let logger: Logger
    /// The weight version the learner publishes: the initial weights are version `startVersion`, each step adds one.
    public private(set) var version: UInt64
    public private(set) var counters = Counters()
    /// Prompts used so far (restored from the checkpoint, plus those used since).
    public private(set) var usedPrompts: IndexRangeSet
    private var pending: [RolloutGroup] = []
    private var pendingPrompts = Set<UInt64>()
    /// Leases used since the last checkpoint.
    private var leasesUsedSinceCheckpoint: [UInt64]
    private var immediate = ImmediateReport()
    private let instruments: LearnerInstruments

    public init(trainer: GRPOTrainer, validator: GroupValidator, staleness: StalenessPolicy, groupsPerStep: Int,
                startVersion: UInt64 = 0, usedPrompts: IndexRangeSet = IndexRangeSet(), logger: Logger) {
        precondition(groupsPerStep > 0)
        self.trainer = trainer
        self.validator = validator
        self.staleness = staleness
        self.groupsPerStep = groupsPerStep
        self.version = startVersion
        self.usedPrompts = usedPrompts
        self.leasesUsedSinceCheckpoint = []
        self.logger = logger
        instruments = LearnerInstruments(method: trainer.configuration.loss.method)
    }

    /// Groups waiting for a batch.
    public var pendingCount: Int { pending.count }

    /// Leases used since the last checkpoint (waiting for one to be reported).
    public var unreportedLeaseCount: Int { leasesUsedSinceCheckpoint.count }

    /// Accepts a group into the pending pool, or refuses it (counted, logged, its lease returned or closed).
    public func submit(_ group: RolloutGroup) {
        counters.received += 1
        immediate.received.append(group.leaseID)
        if let rejection = validator.rejection(of: group, currentVersion: version) {
            instruments.refused(reason: rejection.code)
            counters.rejected += 1
            counters.rejectedByReason[rejection.code, default: 0] += 1
            immediate.returned.append(group.leaseID)
            logger.warning("rejected rollout group", metadata: [
                "event": "group_rejected", "reason": "\(rejection.code)", "detail": "\(rejection)",
                "lease_id": .stringConvertible(group.leaseID), "worker_id": "\(group.workerID)",
            ])
            return
        }
        if usedPrompts.contains(group.promptIndex) || pendingPrompts.contains(group.promptIndex) {
            instruments.refused(reason: "duplicate")
            counters.duplicates += 1
            immediate.duplicates.append(group.leaseID)
            logger.info("dropped duplicate rollout group", metadata: [
                "event": "group_duplicate", "lease_id": .stringConvertible(group.leaseID),
                "prompt_index": .stringConvertible(group.promptIndex), "worker_id": "\(group.workerID)",
            ])
            return
        }
        if trainer.configuration.loss.dropUniformGroups && GRPOLoss.isUniform(group.completions.map { Double($0.reward) }) {
            counters.uniformDropped += 1
            markUsed(group)
            return
        }
        pending.append(group)
        pendingPrompts.insert(group.promptIndex)
    }

    /// Trains on the oldest B fresh pending groups if there are enough; stale ones are dropped on the way.
    /// Returns nil when fewer than B usable groups are waiting.
    public func stepIfReady() throws -> StepMetrics? {
        dropStale()
        guard pending.count >= groupsPerStep else { return nil }
        let batch = Array(pending.prefix(groupsPerStep))
        pending.removeFirst(groupsPerStep)
        for group in batch { pendingPrompts.remove(group.promptIndex) }
        let metrics = try trainer.train(on: batch, currentVersion: version)
        counters.trained += batch.count
        for group in batch { markUsed(group) }
        version += 1
        return metrics
    }

    /// Hands back the groups waiting for a batch (a learner that stops): their leases, for re-issue.
    public func returnPending() -> [UInt64] {
        defer {
            pending.removeAll()
            pendingPrompts.removeAll()
        }
        return pending.map(\.leaseID)
    }

    /// Returned and duplicate leases since the last call: safe to report at once (nothing was trained on them).
    public func takeImmediateReport() -> ImmediateReport {
        defer { immediate = ImmediateReport() }
        return immediate
    }

    /// The state a checkpoint written now records: these weights, the counters, and the leases used since the
    /// previous checkpoint. `dataCursor` defaults to the index after the highest prompt used.
    public func trainerState(dataCursor: UInt64? = nil, progress: RunProgress = RunProgress(),
                             notes: [String: String] = [:]) -> TrainerState {
        TrainerState(step: trainer.step, weightVersion: version, lengthPreferenceLambda: trainer.lengthPreferenceLambda,
                     random: trainer.random, dataCursor: dataCursor ?? usedPrompts.ranges.last?.upperBound ?? 0,
                     maxStaleness: staleness.maxStaleness, modelConfig: trainer.model.config,
                     trainer: trainer.configuration, usedPrompts: usedPrompts, leasesToReport: leasesUsedSinceCheckpoint,
                     progress: progress, notes: notes)
    }

    /// Writes a checkpoint of `state` (from `trainerState`) and, once it is durable, returns the leases it covers:
    /// the caller reports them consumed now (and the restarted learner reports them again, harmlessly).
    public func checkpoint(_ state: TrainerState, to store: CheckpointStore) throws -> (url: URL, consumed: [UInt64]) {
        let url = try store.save(model: trainer.model, optimizer: trainer.optimizer, state: state)
        leasesUsedSinceCheckpoint.removeFirst(min(state.leasesToReport.count, leasesUsedSinceCheckpoint.count))
        return (url, state.leasesToReport)
    }

    private func markUsed(_ group: RolloutGroup) {
        usedPrompts.insert(group.promptIndex)
        leasesUsedSinceCheckpoint.append(group.leaseID)
        immediate.used.append(group.leaseID)
    }

    private func dropStale() {
        pending.removeAll { group in
            guard staleness.isTooStale(group, currentVersion: version) else { return false }
            instruments.refused(reason: "stale")
            counters.stale += 1
            pendingPrompts.remove(group.promptIndex)
            immediate.returned.append(group.leaseID)
            logger.info("dropped stale rollout group", metadata: [
                "event": "group_stale", "lease_id": .stringConvertible(group.leaseID),
                "policy_version": .stringConvertible(group.policyVersion), "learner_version": .stringConvertible(version),
                "max_staleness": .stringConvertible(staleness.maxStaleness),
            ])
            return true
        }
    }
}
