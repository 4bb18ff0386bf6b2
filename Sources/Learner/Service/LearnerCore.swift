import Foundation
import Logging
import Policy
import Protocol
import Seeding

/// The learner without its sockets: validates incoming groups, drops stale ones, assembles batches of B
/// informative groups, trains, and reports which leases were consumed or returned.
///
/// The socket service (`LearnerService`) and the colocated single-process run both drive this type, so the
/// accounting is the same in both. Every group handed to `submit` ends up in exactly one of: a trained batch
/// (lease consumed), a dynamic-sampling drop (consumed: its prompt was used, it only carried no signal),
/// or a rejection/staleness drop (lease returned for re-issue). Not thread-safe: one owner.
public final class LearnerCore {
    /// What happened to submitted groups, cumulatively.
    public struct Counters: Sendable, Equatable, Codable {
        public var received = 0
        public var rejected = 0
        public var stale = 0
        public var uniformDropped = 0
        public var trained = 0
        public var rejectedByReason: [String: Int] = [:]
    }

    public let trainer: GRPOTrainer
    public let validator: GroupValidator
    public let staleness: StalenessPolicy
    public let groupsPerStep: Int
    public let logger: Logger
    /// The weight version the learner publishes: the initial weights are version `startVersion`, each step adds one.
    public private(set) var version: UInt64
    public private(set) var counters = Counters()
    private var pending: [RolloutGroup] = []
    private var consumed: [UInt64] = []
    private var returned: [UInt64] = []

    public init(trainer: GRPOTrainer, validator: GroupValidator, staleness: StalenessPolicy, groupsPerStep: Int,
                startVersion: UInt64 = 0, logger: Logger) {
        precondition(groupsPerStep > 0)
        self.trainer = trainer
        self.validator = validator
        self.staleness = staleness
        self.groupsPerStep = groupsPerStep
        self.version = startVersion
        self.logger = logger
    }

    /// Groups waiting for a batch.
    public var pendingCount: Int { pending.count }

    /// Accepts a group into the pending pool, or refuses it (counted, logged, lease returned).
    public func submit(_ group: RolloutGroup) {
        counters.received += 1
        if let rejection = validator.rejection(of: group, currentVersion: version) {
            counters.rejected += 1
            counters.rejectedByReason[rejection.code, default: 0] += 1
            returned.append(group.leaseID)
            logger.warning("rejected rollout group", metadata: [
                "event": "group_rejected", "reason": "\(rejection.code)", "detail": "\(rejection)",
                "lease_id": .stringConvertible(group.leaseID), "worker_id": "\(group.workerID)",
            ])
            return
        }
        if trainer.configuration.loss.dropUniformGroups && GRPOLoss.isUniform(group.completions.map { Double($0.reward) }) {
            counters.uniformDropped += 1
            consumed.append(group.leaseID)
            return
        }
        pending.append(group)
    }

    /// Trains on the oldest B fresh pending groups if there are enough; stale ones are dropped on the way.
    /// Returns nil when fewer than B usable groups are waiting.
    public func stepIfReady() throws -> StepMetrics? {
        dropStale()
        guard pending.count >= groupsPerStep else { return nil }
        let batch = Array(pending.prefix(groupsPerStep))
        pending.removeFirst(groupsPerStep)
        var metrics = try trainer.train(on: batch, currentVersion: version)
        counters.trained += batch.count
        consumed.append(contentsOf: batch.map(\.leaseID))
        version += 1
        metrics.uniformGroupsDropped = counters.uniformDropped
        return metrics
    }

    /// Lease ids consumed and returned since the last call (what `leases_consumed` reports to the coordinator).
    public func takeLeaseReport() -> (consumed: [UInt64], returned: [UInt64]) {
        defer {
            consumed.removeAll()
            returned.removeAll()
        }
        return (consumed, returned)
    }

    private func dropStale() {
        pending.removeAll { group in
            guard staleness.isTooStale(group, currentVersion: version) else { return false }
            counters.stale += 1
            returned.append(group.leaseID)
            logger.info("dropped stale rollout group", metadata: [
                "event": "group_stale", "lease_id": .stringConvertible(group.leaseID),
                "policy_version": .stringConvertible(group.policyVersion), "learner_version": .stringConvertible(version),
                "max_staleness": .stringConvertible(staleness.maxStaleness),
            ])
            return true
        }
    }
}
