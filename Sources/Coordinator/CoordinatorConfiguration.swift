import Foundation
import Protocol

/// Everything the coordinator is told: where to listen, the timing contract with workers, how much work may be
/// in flight, how weights are broadcast, and where the ledger lives.
public struct CoordinatorConfiguration: Sendable {
    /// Workers' REQ endpoint (register, heartbeat, leases, weight info and chunks).
    public var workersURL: String
    /// The learner's REQ endpoint (lease reports, metrics, new weight versions).
    public var learnerURL: String
    /// PUB endpoint for weight announcements.
    public var announceURL: String
    public var codec: FrameCodec.Options
    public var tls: TLSConfiguration?
    /// The append-only lease ledger (replayed on restart).
    public var ledgerURL: URL

    /// Completions per group (G), written into every lease.
    public var groupSize: Int
    /// Groups leased but not yet used by the learner, at most (throttles workers that outrun the learner).
    public var leaseWindow: Int
    /// Workers' lease requests may sample with weights this many versions behind the newest, no more.
    public var maxStaleness: UInt64
    public var heartbeatInterval: Duration
    /// A worker silent this long is declared dead; its leases are re-issued.
    public var failureTimeout: Duration
    /// An issued lease lapses this long after its last heartbeat extension (heartbeats extend the leases a worker
    /// is working on, so this only has to outlast a few heartbeats).
    public var leaseTimeout: Duration
    /// A prompt whose leases fail this many times is dropped (`too_many_attempts`).
    public var maxAttempts: Int

    public var precision: WeightCodec.Precision
    public var chunkSize: Int
    /// A full snapshot is made at every version divisible by this (others on first request).
    public var fullSnapshotEvery: UInt64
    /// A fleet summary line this often.
    public var summaryInterval: Duration
    /// Test-only fault injection (`corrupt_chunk@N`: flip one byte of the N-th weight chunk served).
    public var faultInjection: String?

    public init(workersURL: String, learnerURL: String, announceURL: String, ledgerURL: URL, groupSize: Int,
                leaseWindow: Int, maxStaleness: UInt64 = 1, codec: FrameCodec.Options = .init(), tls: TLSConfiguration? = nil,
                heartbeatInterval: Duration = .seconds(1), failureTimeout: Duration = .seconds(10),
                leaseTimeout: Duration = .seconds(30), maxAttempts: Int = 10, precision: WeightCodec.Precision = .bfloat16,
                chunkSize: Int = 1 << 20, fullSnapshotEvery: UInt64 = 10, summaryInterval: Duration = .seconds(10),
                faultInjection: String? = nil) {
        self.workersURL = workersURL
        self.learnerURL = learnerURL
        self.announceURL = announceURL
        self.ledgerURL = ledgerURL
        self.groupSize = groupSize
        self.leaseWindow = leaseWindow
        self.maxStaleness = maxStaleness
        self.codec = codec
        self.tls = tls
        self.heartbeatInterval = heartbeatInterval
        self.failureTimeout = failureTimeout
        self.leaseTimeout = leaseTimeout
        self.maxAttempts = maxAttempts
        self.precision = precision
        self.chunkSize = chunkSize
        self.fullSnapshotEvery = fullSnapshotEvery
        self.summaryInterval = summaryInterval
        self.faultInjection = faultInjection
    }
}
