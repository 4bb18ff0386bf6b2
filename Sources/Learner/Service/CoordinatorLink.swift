import Foundation
import Logging
import Primitives
import Protocol
import Synchronization

/// The learner's line to the coordinator: lease reports and new weight versions, sent by a task of their own so
/// that training never waits for the coordinator.
///
/// Reports are kept in order and never dropped: each is retried (with backoff) until the coordinator
/// acknowledges it, so a coordinator that is away or restarting gets every report once it is back (it applies
/// them idempotently). Weights and relayed step metrics are newest-only: while one version is being sent or the
/// coordinator is away, a newer version replaces the one waiting, so a slow coordinator costs memory for at most
/// two copies. Order of delivery: reports, then weights, then metrics.
/// Requests go over REQ/REP: every message is acknowledged, unlike a PUSH whose send completes when it is
/// queued locally.
public final class CoordinatorLink: Sendable {
    public let url: String
    private let channel: MessageChannel
    private let logger: Logger
    private let chunkBytes: Int
    private let requestTimeout: Duration
    private let state = Mutex(State())
    /// How long the link may stay silent before it probes the coordinator (so it notices a restarted one, which
    /// has lost the weights, even while the learner has nothing to report).
    private let probeInterval: Duration

    private struct State {
        var reports: [LeaseReport] = []
        var weights: WeightSnapshot?
        var metrics: LearnerMetrics?
        var publishedVersion: UInt64?
        /// The newest version delivered, kept to send again to a coordinator that lost it (a restart).
        var lastDelivered: WeightSnapshot?
        /// The learner's newest step and version, for probes.
        var step: UInt64 = 0
        var version: UInt64 = 0
        var unreachableSince: ContinuousClock.Instant?
    }

    public init(url: String, codec: FrameCodec, tls: TLSConfiguration? = nil, chunkBytes: Int = 4 << 20,
                requestTimeout: Duration = .seconds(10), probeInterval: Duration = .seconds(2), logger: Logger) throws {
        self.url = url
        self.logger = logger
        self.chunkBytes = chunkBytes
        self.requestTimeout = requestTimeout
        self.probeInterval = probeInterval
        channel = try MessageChannel.dialing(.request, url: url, codec: codec, tls: tls)
    }

    /// Queues a lease report (never blocks).
    public func report(_ report: LeaseReport) {
        guard !report.isEmpty else { return }
        state.withLock { s in
            s.reports.append(report)
            s.step = max(s.step, report.learnerStep)
            s.version = max(s.version, report.weightVersion)
        }
    }

    /// Offers a new weight version (never blocks); replaces an older one that has not been sent yet.
    public func publish(_ snapshot: WeightSnapshot) {
        state.withLock { s in
            if s.weights.map({ $0.version < snapshot.version }) ?? true { s.weights = snapshot }
            s.step = max(s.step, snapshot.learnerStep)
            s.version = max(s.version, snapshot.version)
        }
    }

    /// Offers a step's metrics for the coordinator's log (never blocks; replaces older ones not yet sent).
    public func relay(_ metrics: LearnerMetrics) {
        state.withLock { $0.metrics = metrics }
    }

    /// Reports and weights still waiting to be delivered.
    public var backlog: (reports: Int, weightVersion: UInt64?) {
        state.withLock { ($0.reports.count, $0.weights?.version) }
    }

    /// The newest version the coordinator acknowledged.
    public var publishedVersion: UInt64? { state.withLock { $0.publishedVersion } }

    /// Delivers until cancelled. To stop, cancel it, wait for it to return, then `flush` (never both at once).
    public func run() async {
        var backoff = Duration.milliseconds(100)
        var lastContact = ContinuousClock.now
        while !Task.isCancelled {
            if await deliverOne() {
                backoff = .milliseconds(100)
                lastContact = .now
                continue
            }
            if backlog.reports == 0 && backlog.weightVersion == nil && state.withLock({ $0.metrics == nil }) {
                try? await Task.sleep(for: .milliseconds(50))
                if ContinuousClock.now - lastContact >= probeInterval {
                    lastContact = .now
                    await probe()
                }
            } else {
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(5))
            }
        }
    }

    /// An empty report: the coordinator's acknowledgement says which version it holds.
    private func probe() async {
        let (step, version) = state.withLock { ($0.step, $0.version) }
        do {
            republishIfLost(try await channel.request(LeaseReport(learnerStep: step, weightVersion: version),
                                                      expecting: Ack.self, timeout: requestTimeout))
            reachable()
        } catch {
            if !Task.isCancelled { unreachable(error) }
        }
    }

    /// Tries to deliver everything waiting within `timeout` (after `run` has returned); returns whether nothing is
    /// left. For shutdown:
    /// whatever is left is logged (the coordinator re-issues unreported leases when it sees the next learner).
    public func flush(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while backlog.reports > 0 || backlog.weightVersion != nil || state.withLock({ $0.metrics != nil }) {
            if ContinuousClock.now >= deadline { break }
            if !(await deliverOne()) { try? await Task.sleep(for: .milliseconds(100)) }
        }
        let left = backlog
        if left.reports > 0 {
            logger.warning("stopping with undelivered lease reports", metadata: [
                "event": "lease_reports_undelivered", "reports": .stringConvertible(left.reports),
                "coordinator_url": "\(url)",
            ])
        }
        return left.reports == 0 && left.weightVersion == nil
    }

    public func close() {
        channel.close()
    }

    /// What `deliverOne` sends next.
    private enum Delivery {
        case report(LeaseReport)
        case weights(WeightSnapshot)
        case metrics(LearnerMetrics)
    }

    /// Sends the oldest report, else the waiting weights, else the waiting metrics. Returns true if something was
    /// delivered (or refused for good), false if the coordinator could not be reached (try again later) or
    /// nothing was waiting.
    private func deliverOne() async -> Bool {
        let next: Delivery? = state.withLock { s in
            if let report = s.reports.first { return .report(report) }
            if let weights = s.weights { return .weights(weights) }
            return s.metrics.map { .metrics($0) }
        }
        guard let next else { return false }
        do {
            switch next {
            case let .report(report):
                republishIfLost(try await channel.request(report, expecting: Ack.self, timeout: requestTimeout))
            case let .weights(snapshot):
                try await send(snapshot)
            case let .metrics(metrics):
                republishIfLost(try await channel.request(metrics, expecting: Ack.self, timeout: requestTimeout))
            }
            delivered(next)
            reachable()
            return true
        } catch let refusal as ErrorReply {
            // The coordinator read the request and refused it: retrying the same bytes cannot help.
            logger.error("coordinator refused a learner message", metadata: [
                "event": "coordinator_refused", "code": "\(refusal.code)", "detail": "\(refusal.message)",
            ])
            delivered(next)
            return true
        } catch {
            unreachable(error)
            return false
        }
    }

    /// Takes a delivered (or refused) item off the queue.
    private func delivered(_ item: Delivery) {
        state.withLock { s in
            switch item {
            case .report: s.reports.removeFirst()
            case let .weights(snapshot):
                if s.weights?.version == snapshot.version { s.weights = nil }
                s.publishedVersion = snapshot.version
                s.lastDelivered = snapshot
            case let .metrics(metrics):
                if s.metrics?.learnerStep == metrics.learnerStep { s.metrics = nil }
            }
        }
    }

    /// The coordinator acknowledges reports with its newest version + 1 (0: none). One that restarted has lost
    /// the weights it was sent: send the newest again, unless a newer one is already waiting.
    private func republishIfLost(_ ack: Ack) {
        let resend = state.withLock { s -> UInt64? in
            guard let last = s.lastDelivered, s.weights == nil, ack.value == 0 || ack.value - 1 < last.version else { return nil }
            s.weights = last
            return last.version
        }
        if let resend {
            logger.info("coordinator lost the weights; sending them again", metadata: [
                "event": "weights_republished", "version": .stringConvertible(resend),
            ])
        }
    }

    private func send(_ snapshot: WeightSnapshot) async throws {
        let (announcement, chunks) = snapshot.messages(chunkBytes: chunkBytes)
        _ = try await channel.request(announcement, expecting: Ack.self, timeout: requestTimeout)
        for chunk in chunks {
            _ = try await channel.request(chunk, expecting: Ack.self, timeout: requestTimeout)
        }
        logger.info("weights published", metadata: [
            "event": "weights_published", "version": .stringConvertible(snapshot.version),
            "bytes": .stringConvertible(snapshot.parameters.count * 4), "chunks": .stringConvertible(chunks.count),
        ])
    }

    private func unreachable(_ error: any Error) {
        let first = state.withLock { s -> Bool in
            defer { if s.unreachableSince == nil { s.unreachableSince = .now } }
            return s.unreachableSince == nil
        }
        guard first else { return }
        let left = backlog
        logger.warning("coordinator unreachable; training goes on, reports wait", metadata: [
            "event": "coordinator_unreachable", "coordinator_url": "\(url)", "error": "\(error)",
            "reports_waiting": .stringConvertible(left.reports),
        ])
    }

    private func reachable() {
        guard let since = state.withLock({ s -> ContinuousClock.Instant? in
            defer { s.unreachableSince = nil }
            return s.unreachableSince
        }) else { return }
        logger.info("coordinator reachable again", metadata: [
            "event": "coordinator_reachable", "coordinator_url": "\(url)",
            "seconds_away": .stringConvertible((ContinuousClock.now - since).seconds),
        ])
    }
}
