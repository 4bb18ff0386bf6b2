import Foundation
import Logging
import Primitives
import Protocol
import Tasks

/// The coordinator's logic without its sockets: every request in, its reply out, and one log event per thing
/// that happened. The service calls it under a lock; tests call it directly. Not thread-safe.
public final class CoordinatorState {
    public let configuration: CoordinatorConfiguration
    public let ledger: LeaseLedger
    public private(set) var registry: WorkerRegistry
    public let weights: WeightStore
    private let problems: any ProblemSource
    private let logger: Logger
    /// What the fleet did since the last summary, and the learner's latest figures.
    private var window = FleetWindow()
    private var learner = LearnerFigures()
    private var chunksServed = 0
    private let corruptChunk: Int?
    private var publishedAt: [UInt64: ContinuousClock.Instant] = [:]
    private var droppedLogged = 0

    struct FleetWindow {
        var start = ContinuousClock.now
        var groupsReceived = 0
        var tokens: UInt64 = 0
        var bytesServed = 0
        var leasesIssued = 0
    }

    struct LearnerFigures {
        var step: UInt64?
        var version: UInt64?
        var rewardMean: Double?
        var stalenessMean: Double?
        var accuracy: Double?
    }

    public init(configuration: CoordinatorConfiguration, journal: LedgerJournal, replay events: [LedgerEvent],
                problems: any ProblemSource, logger: Logger, now: ContinuousClock.Instant = .now) throws {
        self.configuration = configuration
        ledger = LeaseLedger(replaying: events, journal: journal, leaseTimeout: configuration.leaseTimeout,
                             maxAttempts: configuration.maxAttempts, promptLimit: problems.count.map(UInt64.init), now: now)
        registry = WorkerRegistry(failureTimeout: configuration.failureTimeout)
        weights = try WeightStore(precision: configuration.precision, chunkSize: configuration.chunkSize,
                                  fullEvery: configuration.fullSnapshotEvery)
        self.problems = problems
        self.logger = logger
        CoordinatorInstruments.register()
        corruptChunk = configuration.faultInjection.flatMap { spec in
            spec.hasPrefix("corrupt_chunk@") ? Int(spec.dropFirst("corrupt_chunk@".count)) : nil
        }
        if !events.isEmpty {
            logger.info("ledger replayed", metadata: [
                "event": "ledger_replayed", "events": .stringConvertible(events.count),
                "prompts_consumed": .stringConvertible(ledger.consumedPrompts.count),
                "leases_open": .stringConvertible(ledger.open.count), "cursor": .stringConvertible(ledger.cursor),
                "retry_backlog": .stringConvertible(ledger.retryBacklog),
            ])
        }
    }

    /// "No weights yet" on the wire (versions start at 0).
    public static let noVersion = UInt64.max

    // MARK: Workers

    public func handleWorker(_ message: Message, now: ContinuousClock.Instant) throws -> any WireMessage {
        switch message {
        case let .workerRegister(r):
            let registration = registry.register(r, now: now)
            // A new process under a known id: whatever its predecessor held is gone.
            let released = registration == .restarted ? try ledger.releaseLeases(of: r.workerID, reason: "worker_restarted") : []
            let event = switch registration {
            case .new: "worker_joined"
            case .same: "worker_rejoined"
            case .restarted: "worker_restarted"
            }
            logger.info("worker \(registration == .new ? "joined" : registration == .same ? "re-registered" : "restarted")", metadata: [
                "event": "\(event)", "worker_id": "\(r.workerID)", "host": "\(r.host)",
                "pid": .stringConvertible(r.pid), "slots": .stringConvertible(r.slots),
                "leases_held": .stringConvertible(ledger.leases(of: r.workerID).count),
                "leases_reissued": .stringConvertible(released.count),
            ])
            return WorkerRegistered(workerID: r.workerID,
                                    heartbeatIntervalMilliseconds: UInt32(configuration.heartbeatInterval.milliseconds),
                                    failureTimeoutMilliseconds: UInt32(configuration.failureTimeout.milliseconds),
                                    latestWeightVersion: weights.latest?.version ?? Self.noVersion)
        case let .heartbeat(beat):
            let (known, previous) = registry.heartbeat(beat, now: now)
            guard known else {
                return HeartbeatAck(latestWeightVersion: weights.latest?.version ?? Self.noVersion, mustReregister: true)
            }
            ledger.extend(beat.activeLeaseIDs, of: beat.workerID, now: now)
            if let held = registry.workers[beat.workerID]?.heldVersion, held != previous {
                let bytes = registry.bytesForNewVersion(of: beat.workerID)
                if let published = publishedAt[held] {
                    CoordinatorInstruments.delivered(seconds: (now - published).seconds)
                }
                logger.info("weights delivered", metadata: [
                    "event": "weights_delivered", "worker_id": "\(beat.workerID)", "version": .stringConvertible(held),
                    "bytes": .stringConvertible(bytes),
                    "seconds": .stringConvertible(publishedAt[held].map { (now - $0).seconds } ?? 0),
                ])
            }
            return HeartbeatAck(latestWeightVersion: weights.latest?.version ?? Self.noVersion, mustReregister: false)
        case let .workerDeregister(d):
            _ = registry.remove(d.workerID)
            let released = try ledger.releaseLeases(of: d.workerID, reason: "deregistered")
            logger.info("worker left", metadata: [
                "event": "worker_left", "worker_id": "\(d.workerID)", "reason": "\(d.reason)",
                "leases_reissued": .stringConvertible(released.count),
            ])
            return Ack(value: UInt64(released.count))
        case let .leaseRequest(request):
            guard registry.touch(request.workerID, now: now) else { throw Self.unknownWorker(request.workerID, .leaseRequest) }
            return try grant(request, now: now)
        case let .weightInfoRequest(request):
            guard registry.touch(request.workerID, now: now) else { throw Self.unknownWorker(request.workerID, .weightInfoRequest) }
            guard let announce = try weights.announcement(forWorkerHolding: request.holdsWeights ? request.heldVersion : nil) else {
                throw ErrorReply(code: "no_weights", inReplyTo: MessageType.weightInfoRequest.rawValue,
                                 message: "no weight version published yet")
            }
            let bytes = announce.payloads.reduce(0) { $0 + Int($1.wireBytes) }
            CoordinatorInstruments.served(bytes: bytes)
            registry.served(bytes: bytes, to: request.workerID)
            window.bytesServed += bytes
            return announce
        case .healthRequest:
            let detail = "{\"workers\":\(registry.workers.count),\"latest_version\":\(weights.latest.map { Int($0.version) } ?? -1),"
                + "\"prompts_consumed\":\(ledger.consumedPrompts.count),\"leases_in_flight\":\(ledger.inFlight)}"
            return HealthReply(service: "coordinator", ready: true, detail: detail)
        case let .weightChunkRequest(request):
            var chunk = try weights.chunk(request)
            chunksServed += 1
            if chunksServed == corruptChunk, chunk.bytes.count > 0 {
                var bytes = chunk.bytes.array
                bytes[bytes.count / 2] ^= 0x5A
                chunk.bytes = WireArray(bytes)
                logger.warning("corrupting a weight chunk (fault injection)", metadata: [
                    "event": "fault_injected", "fault": "corrupt_chunk", "version": .stringConvertible(chunk.version),
                    "chunk": .stringConvertible(chunk.chunkIndex),
                ])
            }
            return chunk
        default:
            throw ErrorReply(code: "unexpected_message", inReplyTo: message.type.rawValue,
                             message: "the coordinator's worker endpoint does not take \(message.type)")
        }
    }

    private func grant(_ request: LeaseRequest, now: ContinuousClock.Instant) throws -> LeaseGrant {
        // Without weights (a coordinator restarted, waiting for the learner to send them again) a worker that
        // holds verified weights keeps working; one that holds none cannot ask for leases usefully anyway.
        let room = max(0, configuration.leaseWindow - ledger.inFlight)
        let granted = try ledger.grant(to: request.workerID, count: min(Int(request.maxGroups), room), now: now)
        let leases = granted.map { lease in
            let problem = problems.problem(at: Int(lease.prompt))
            return PromptLease(leaseID: lease.id, promptIndex: lease.prompt, prompt: problem.question,
                               goldAnswer: problem.goldAnswer, groupSize: UInt32(configuration.groupSize),
                               expiresInMilliseconds: UInt32(clamping: configuration.leaseTimeout.milliseconds))
        }
        if !leases.isEmpty {
            CoordinatorInstruments.issued(leases.count, worker: request.workerID)
            window.leasesIssued += leases.count
            logger.info("leases issued", metadata: [
                "event": "lease_issued", "worker_id": "\(request.workerID)", "count": .stringConvertible(leases.count),
                "lease_ids": .array(leases.map { .stringConvertible($0.leaseID) }),
                "prompts": .array(leases.map { .stringConvertible($0.promptIndex) }),
            ])
        }
        let latest = weights.latest?.version ?? 0
        let minimum = latest >= configuration.maxStaleness ? latest - configuration.maxStaleness : 0
        return LeaseGrant(leases: leases, minimumWeightVersion: minimum)
    }

    private static func unknownWorker(_ id: String, _ type: MessageType) -> ErrorReply {
        ErrorReply(code: "unknown_worker", inReplyTo: type.rawValue, message: "worker \(id) is not registered; register again")
    }

    // MARK: The learner

    /// Handles a learner message; returns the reply and, when a version was just published, its announcement.
    public func handleLearner(_ message: Message, now: ContinuousClock.Instant) throws -> (reply: any WireMessage, announce: WeightAnnounce?) {
        switch message {
        case let .leaseReport(report):
            if report.resync {
                weights.reset()
                logger.info("learner (re)started", metadata: [
                    "event": "learner_started", "step": .stringConvertible(report.learnerStep),
                    "version": .stringConvertible(report.weightVersion),
                    "consumed_in_checkpoint": .stringConvertible(report.consumed.count),
                ])
            }
            let effect = try ledger.apply(report)
            window.groupsReceived += report.received.count
            CoordinatorInstruments.settled(effect.consumed, outcome: "consumed")
            CoordinatorInstruments.settled(effect.returned, outcome: "returned")
            CoordinatorInstruments.settled(effect.duplicates, outcome: "duplicate")
            CoordinatorInstruments.settled(effect.lost, outcome: "lost")
            if effect.consumed + effect.returned + effect.duplicates + effect.lost > 0 {
                logger.info("lease report", metadata: [
                    "event": "leases_settled", "step": .stringConvertible(report.learnerStep),
                    "consumed": .stringConvertible(effect.consumed), "returned": .stringConvertible(effect.returned),
                    "duplicates": .stringConvertible(effect.duplicates), "lost": .stringConvertible(effect.lost),
                    "reissued": .stringConvertible(effect.requeued),
                    "prompts_consumed": .stringConvertible(ledger.consumedPrompts.count),
                ])
            }
            return (Ack(value: weights.latest.map { $0.version + 1 } ?? 0), nil)
        case let .learnerMetrics(m):
            relay(m)
            return (Ack(value: weights.latest.map { $0.version + 1 } ?? 0), nil)
        case let .newWeightVersion(announcement):
            try weights.begin(announcement)
            return (Ack(), nil)
        case let .weightChunk(chunk):
            guard let version = try weights.add(chunk) else { return (Ack(), nil) }
            publishedAt[version.version] = now
            CoordinatorInstruments.published(deltaBytes: version.delta.map { Int($0.info.wireBytes) } ?? 0,
                                             fullBytes: version.full.map { Int($0.info.wireBytes) } ?? 0,
                                             encodeSeconds: version.encodeSeconds, version: version.version)
            publishedAt = publishedAt.filter { $0.key + 16 > version.version }
            logger.info("weights published", metadata: [
                "event": "weights_published", "version": .stringConvertible(version.version),
                "step": .stringConvertible(version.learnerStep), "parameters": .stringConvertible(version.parameterCount),
                "raw_float32_bytes": .stringConvertible(version.parameterCount * 4),
                "delta_bytes": .stringConvertible(version.delta.map { Int($0.info.wireBytes) } ?? 0),
                "full_bytes": .stringConvertible(version.full.map { Int($0.info.wireBytes) } ?? 0),
                "precision": "\(weights.precision.rawValue)",
                "encode_seconds": .stringConvertible(version.encodeSeconds),
            ])
            return (Ack(), weights.broadcast(version))
        default:
            throw ErrorReply(code: "unexpected_message", inReplyTo: message.type.rawValue,
                             message: "the coordinator's learner endpoint does not take \(message.type)")
        }
    }

    /// A learner step, relayed: one log event with its figures (and sampled completions when it carries some).
    private func relay(_ m: LearnerMetrics) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(m.json.utf8)) as? [String: Any] else { return }
        learner.step = m.learnerStep
        learner.version = m.weightVersion
        learner.rewardMean = object["reward_mean"] as? Double
        learner.stalenessMean = object["staleness_mean"] as? Double
        learner.accuracy = object["accuracy"] as? Double
        var metadata: Logger.Metadata = ["event": "learner_step"]
        for (key, value) in object where key != "event" && key != "samples" { metadata[key] = Self.metadataValue(value) }
        logger.info("learner step", metadata: metadata)
        if let samples = object["samples"] as? [String: Any] {
            var sampleMetadata: Logger.Metadata = ["event": "samples", "step": .stringConvertible(m.learnerStep)]
            for (key, value) in samples { sampleMetadata[key] = Self.metadataValue(value) }
            logger.info("sample completions", metadata: sampleMetadata)
        }
    }

    static func metadataValue(_ value: Any) -> Logger.Metadata.Value {
        switch value {
        case let d as [String: Any]: .dictionary(d.mapValues(metadataValue))
        case let a as [Any]: .array(a.map(metadataValue))
        case let s as String: .string(s)
        case let n as NSNumber: .stringConvertible(n.doubleValue)
        default: .string("\(value)")
        }
    }

    // MARK: Time

    /// Logs prompts dropped since the last call (after too many failed leases).
    private func reportDrops() {
        let dropped = ledger.droppedPrompts.count
        guard dropped > droppedLogged else { return }
        logger.warning("prompts dropped", metadata: [
            "event": "prompts_dropped", "count": .stringConvertible(dropped - droppedLogged),
            "total": .stringConvertible(dropped), "reason": "too_many_attempts",
        ])
        droppedLogged = dropped
    }

    /// Declares silent workers dead and expires lapsed leases (their prompts go back in the queue).
    public func tick(now: ContinuousClock.Instant) throws {
        defer { reportDrops() }
        defer {
            CoordinatorInstruments.fleet(workers: registry.workers.count, inFlight: ledger.inFlight,
                                         consumed: ledger.consumedPrompts.count, retryBacklog: ledger.retryBacklog)
        }
        for worker in registry.removeSilent(now: now) {
            CoordinatorInstruments.workerTimedOut()
            let released = try ledger.releaseLeases(of: worker.id, reason: "worker_dead")
            CoordinatorInstruments.settled(released.count, outcome: "expired")
            logger.warning("worker timed out", metadata: [
                "event": "worker_timed_out", "worker_id": "\(worker.id)",
                "silent_seconds": .stringConvertible((now - worker.lastSeen).seconds),
                "leases_reissued": .stringConvertible(released.count),
                "lease_ids": .array(released.map { .stringConvertible($0.id) }),
            ])
        }
        let lapsed = try ledger.expireLapsed(now: now)
        CoordinatorInstruments.settled(lapsed.count, outcome: "expired")
        if !lapsed.isEmpty {
            logger.warning("leases lapsed", metadata: [
                "event": "lease_expired", "count": .stringConvertible(lapsed.count),
                "lease_ids": .array(lapsed.map { .stringConvertible($0.id) }),
            ])
        }
    }

    /// The fleet summary line: workers and the versions they hold, throughput, learner figures, backlog, bytes.
    public func summary(now: ContinuousClock.Instant) -> (message: Logger.Message, metadata: Logger.Metadata) {
        let seconds = max((now - window.start).seconds, 1e-9)
        let workers = registry.workers.values.sorted { $0.id < $1.id }
        let tokens = workers.reduce(UInt64(0)) { $0 + $1.tokensGenerated }
        let tokensPerSecond = Double(tokens >= window.tokens ? tokens - window.tokens : 0) / seconds
        let groupsPerSecond = Double(window.groupsReceived) / seconds
        let held = workers.map { "\($0.id)=\($0.heldVersion.map { "v\($0)" } ?? "none")" }.joined(separator: " ")
        var metadata: Logger.Metadata = [
            "event": "fleet_summary", "workers": .stringConvertible(workers.count),
            "held_versions": .dictionary(Dictionary(uniqueKeysWithValues: workers.map {
                ($0.id, Logger.Metadata.Value.stringConvertible($0.heldVersion.map(Int.init) ?? -1))
            })),
            "latest_version": .stringConvertible(weights.latest.map { Int($0.version) } ?? -1),
            "groups_per_s": .stringConvertible(groupsPerSecond), "tokens_per_s": .stringConvertible(tokensPerSecond),
            "leases_in_flight": .stringConvertible(ledger.inFlight), "retry_backlog": .stringConvertible(ledger.retryBacklog),
            "prompts_consumed": .stringConvertible(ledger.consumedPrompts.count),
            "prompts_dropped": .stringConvertible(ledger.droppedPrompts.count),
            "weight_bytes_sent": .stringConvertible(window.bytesServed),
        ]
        if let step = learner.step { metadata["learner_step"] = .stringConvertible(step) }
        if let r = learner.rewardMean { metadata["reward_mean"] = .stringConvertible(r) }
        if let s = learner.stalenessMean { metadata["staleness_mean"] = .stringConvertible(s) }
        let message = "fleet: \(workers.count) workers [\(held)], \(String(format: "%.2f", groupsPerSecond)) groups/s, "
            + "\(Int(tokensPerSecond)) tokens/s, learner step \(learner.step.map(String.init) ?? "-"), reward "
            + "\(learner.rewardMean.map { String(format: "%.3f", $0) } ?? "-"), staleness "
            + "\(learner.stalenessMean.map { String(format: "%.2f", $0) } ?? "-"), in flight \(ledger.inFlight), "
            + "consumed \(ledger.consumedPrompts.count), sent \(window.bytesServed) B"
        window = FleetWindow(start: now, groupsReceived: 0, tokens: tokens, bytesServed: 0, leasesIssued: 0)
        return (Logger.Message(stringLiteral: message), metadata)
    }
}
