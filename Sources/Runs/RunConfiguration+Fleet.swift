import Coordinator
import Foundation
import Protocol

extension RunConfiguration {
    /// The coordinator's settings for this run.
    public func coordinatorConfiguration(workersURL: String, learnerURL: String, announceURL: String, ledger: URL,
                                         codec: FrameCodec.Options, tls: TLSConfiguration?,
                                         faultInjection: String? = nil) -> CoordinatorConfiguration {
        CoordinatorConfiguration(
            workersURL: workersURL, learnerURL: learnerURL, announceURL: announceURL, ledgerURL: ledger,
            groupSize: groupSize, leaseWindow: effectiveLeaseWindow, maxStaleness: UInt64(maxStaleness), codec: codec,
            tls: tls, heartbeatInterval: .milliseconds(heartbeatIntervalMs), failureTimeout: .milliseconds(failureTimeoutMs),
            leaseTimeout: .milliseconds(leaseTimeoutMs), maxAttempts: maxLeaseAttempts, precision: weightPrecision,
            fullSnapshotEvery: UInt64(fullSnapshotEvery), summaryInterval: .seconds(summaryIntervalS),
            faultInjection: faultInjection)
    }
}
