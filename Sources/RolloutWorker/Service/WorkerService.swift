import Foundation
import Logging
import Policy
import Primitives
import Protocol
import ServiceLifecycle
import Synchronization
import Telemetry

/// A rollout worker as a service: lease prompts from the coordinator, sample G completions per prompt with the
/// engine, grade them, push each group whole to the learner — and between groups, bring the weights up to the
/// newest verified version.
///
/// Heartbeats run beside the work (they keep the worker's leases alive, and re-register it when a restarted
/// coordinator no longer knows it); weight announcements arrive over SUB. Every peer may disappear: requests
/// time out and are retried with backoff, a group waits for the learner rather than being dropped. Stopping
/// (SIGTERM, cancellation) finishes the group being generated, pushes it, and deregisters, which hands any
/// lease not yet pushed back to the coordinator for re-issue.
public final class WorkerService: Service, @unchecked Sendable {
    public struct Configuration: Sendable {
        public var workerID: String
        public var coordinatorURL: String
        public var announceURL: String
        public var learnerURL: String
        public var codec: FrameCodec.Options
        public var tls: TLSConfiguration?
        /// Groups leased and generated at once (batched through the sampler together).
        public var slots: Int
        public var seed: UInt64
        public var requestTimeout: Duration
        /// Where to answer `health_request` (ready once the worker holds verified weights); nil = none.
        public var healthURL: String?

        public init(workerID: String, coordinatorURL: String, announceURL: String, learnerURL: String,
                    codec: FrameCodec.Options = .init(), tls: TLSConfiguration? = nil, slots: Int = 4, seed: UInt64 = 0,
                    requestTimeout: Duration = .seconds(10), healthURL: String? = nil) {
            self.workerID = workerID
            self.coordinatorURL = coordinatorURL
            self.announceURL = announceURL
            self.learnerURL = learnerURL
            self.codec = codec
            self.tls = tls
            self.slots = max(1, slots)
            self.seed = seed
            self.requestTimeout = requestTimeout
            self.healthURL = healthURL
        }
    }

    public let configuration: Configuration
    private let generator: GroupGenerator
    private let receiver: WeightReceiver
    private let compute: ThreadPool
    private let logger: Logger
    private let stopRequested = Atomic<Bool>(false)
    private let shared = Mutex(Shared())
    private let instruments: WorkerInstruments

    /// What the heartbeat task reads while the main loop works.
    private struct Shared {
        var activeLeases: [UInt64] = []
        var heldVersion: UInt64?
        var groupsCompleted: UInt64 = 0
        var tokensGenerated: UInt64 = 0
        var announced: UInt64?
        var mustRegister = true
        var heartbeatInterval: Duration = .seconds(1)
    }

    /// `generator` samples with the worker's own model (the receiver loads new weights into the same one).
    public init(configuration: Configuration, generator: GroupGenerator, logger: Logger) throws {
        self.configuration = configuration
        self.generator = generator
        self.logger = logger
        receiver = try WeightReceiver(workerID: configuration.workerID, model: generator.sampler.model, logger: logger)
        compute = ThreadPool(threads: 1, name: "worker-sampling", stackSize: 8 << 20)
        instruments = WorkerInstruments(worker: configuration.workerID)
    }

    /// Groups pushed to the learner so far.
    public var groupsCompleted: UInt64 { shared.withLock { $0.groupsCompleted } }

    public func requestStop() { stopRequested.store(true, ordering: .relaxed) }

    /// Ready once registered with verified weights; the held version and groups pushed.
    private func health() -> HealthReply {
        let (held, groups, registered) = shared.withLock { ($0.heldVersion, $0.groupsCompleted, !$0.mustRegister) }
        var detail = JSONLine()
        detail.add("worker_id", configuration.workerID)
        detail.add("held_version", held.map { Int($0) } ?? -1)
        detail.add("groups", Int(groups))
        detail.add("registered", registered)
        return HealthReply(service: "worker", ready: held != nil && registered && !stopping, detail: detail.text)
    }
    private var stopping: Bool { stopRequested.load(ordering: .relaxed) }

    public func run() async throws {
        let codec = FrameCodec(options: configuration.codec)
        let coordinator = try MessageChannel(.request, codec: codec)
        let announcements = try MessageChannel(.subscriber, codec: codec)
        let learner = try MessageChannel(.push, codec: codec)
        defer {
            coordinator.close()
            announcements.close()
            learner.close()
            compute.stop()
        }
        try coordinator.socket.dial(configuration.coordinatorURL, tls: configuration.tls)
        try announcements.socket.subscribe()
        try announcements.socket.dial(configuration.announceURL, tls: configuration.tls)
        try learner.socket.dial(configuration.learnerURL, tls: configuration.tls)
        logger.info("worker starting", metadata: [
            "event": "worker_started", "worker_id": "\(configuration.workerID)",
            "coordinator_url": "\(configuration.coordinatorURL)", "learner_url": "\(configuration.learnerURL)",
            "slots": .stringConvertible(configuration.slots),
        ])
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                await withTaskGroup(of: Void.self) { tasks in
                    tasks.addTask { await self.heartbeats(over: coordinator) }
                    tasks.addTask { await self.listen(to: announcements) }
                    if let healthURL = self.configuration.healthURL {
                        let endpoint = HealthEndpoint(url: healthURL, codec: codec, tls: self.configuration.tls,
                                                      logger: self.logger) { self.health() }
                        tasks.addTask { await endpoint.serve() }
                    }
                    await self.work(coordinator: coordinator, learner: learner)
                    tasks.cancelAll()
                }
            } onCancel: {
                self.requestStop()
            }
        } onGracefulShutdown: {
            self.requestStop()
        }
        // Hand back what was not pushed; a task of its own, so a cancelled run still says goodbye.
        let goodbye = Task { await self.deregister(over: coordinator) }
        await goodbye.value
        logger.info("worker stopped", metadata: [
            "event": "worker_stopped", "worker_id": "\(configuration.workerID)",
            "groups": .stringConvertible(groupsCompleted),
        ])
    }

    // MARK: The loop

    private func work(coordinator: MessageChannel, learner: MessageChannel) async {
        var backoff = Duration.milliseconds(100)
        while !stopping {
            do {
                try await registerIfNeeded(over: coordinator)
                let needed = shared.withLock { $0.announced }
                if receiver.held == nil || needed.map({ $0 != receiver.held?.version }) ?? false {
                    do {
                        try await updateWeights(over: coordinator)
                    } catch let refusal as ErrorReply where refusal.code == "no_weights" && receiver.held != nil {
                        // A restarted coordinator waiting for the learner's weights: keep sampling with ours.
                        shared.withLock { $0.announced = nil }
                    }
                }
                guard receiver.held != nil else {
                    try await Task.sleep(for: backoff)
                    continue
                }
                let grant = try await coordinator.request(
                    LeaseRequest(workerID: configuration.workerID, maxGroups: UInt32(configuration.slots)),
                    expecting: LeaseGrant.self, timeout: configuration.requestTimeout)
                guard !grant.leases.isEmpty else {
                    try await Task.sleep(for: backoff)
                    backoff = min(backoff * 2, .seconds(1))
                    continue
                }
                backoff = .milliseconds(100)
                shared.withLock { $0.activeLeases += grant.leases.map(\.leaseID) }
                if (receiver.held?.version ?? 0) < grant.minimumWeightVersion { try await updateWeights(over: coordinator) }
                try await generateAndPush(grant.leases, learner: learner)
            } catch let refusal as ErrorReply where refusal.code == "unknown_worker" {
                shared.withLock { $0.mustRegister = true }
            } catch is CancellationError {
                return
            } catch {
                if stopping { return }
                logger.warning("worker step failed; retrying", metadata: [
                    "event": "worker_retry", "worker_id": "\(configuration.workerID)", "error": "\(error)",
                ])
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(5))
            }
        }
    }

    private func generateAndPush(_ leases: [PromptLease], learner: MessageChannel) async throws {
        let version = receiver.held?.version ?? 0
        let seed = configuration.seed &* 0x9E37_79B9_7F4A_7C15 &+ leases[0].leaseID
        let started = ContinuousClock.now
        let groups = try await generator.generate(leases, policyVersion: version, seed: seed, on: compute)
        instruments.generated(seconds: (ContinuousClock.now - started).seconds)
        for group in groups {
            // A group is never dropped for want of a learner: it waits (its lease kept alive by heartbeats).
            while true {
                do {
                    try await learner.send(group, timeout: configuration.requestTimeout)
                    break
                } catch {
                    if stopping { throw error }
                    logger.warning("learner unreachable; holding the group", metadata: [
                        "event": "push_retry", "worker_id": "\(configuration.workerID)",
                        "lease_id": .stringConvertible(group.leaseID), "error": "\(error)",
                    ])
                }
            }
            let tokens = group.completions.reduce(0) { $0 + $1.tokens.count }
            instruments.pushed(groups: 1, tokens: tokens)
            shared.withLock { s in
                s.activeLeases.removeAll { $0 == group.leaseID }
                s.groupsCompleted += 1
                s.tokensGenerated += UInt64(tokens)
            }
        }
    }

    private func updateWeights(over coordinator: MessageChannel) async throws {
        let compute = self.compute
        let started = ContinuousClock.now
        let version: UInt64?
        do {
            version = try await receiver.update(from: coordinator, timeout: configuration.requestTimeout) { load in
                await compute.run(load)
            }
        } catch let error as RolloutWorkerError {
            instruments.refusedWeights()
            throw error
        }
        if let version { instruments.loaded(version: version, seconds: (ContinuousClock.now - started).seconds) }
        shared.withLock { $0.heldVersion = version }
    }

    // MARK: Membership

    private func registerIfNeeded(over coordinator: MessageChannel) async throws {
        guard shared.withLock({ $0.mustRegister }) else { return }
        let registered = try await coordinator.request(
            WorkerRegister(workerID: configuration.workerID, host: ProcessInfo.processInfo.hostName,
                           pid: UInt32(ProcessInfo.processInfo.processIdentifier), slots: UInt32(configuration.slots)),
            expecting: WorkerRegistered.self, timeout: configuration.requestTimeout)
        shared.withLock { s in
            s.mustRegister = false
            s.heartbeatInterval = .milliseconds(Int64(max(100, registered.heartbeatIntervalMilliseconds)))
            if registered.latestWeightVersion != .max { s.announced = registered.latestWeightVersion }
        }
        logger.info("worker registered", metadata: [
            "event": "worker_registered", "worker_id": "\(configuration.workerID)",
            "latest_version": .stringConvertible(registered.latestWeightVersion == .max ? -1 : Int(registered.latestWeightVersion)),
        ])
    }

    private func heartbeats(over coordinator: MessageChannel) async {
        while !Task.isCancelled {
            let (interval, beat, registered) = shared.withLock { s in
                (s.heartbeatInterval,
                 Heartbeat(workerID: configuration.workerID, heldWeightVersion: s.heldVersion ?? .max,
                           activeLeaseIDs: s.activeLeases, groupsCompleted: s.groupsCompleted,
                           tokensGenerated: s.tokensGenerated), !s.mustRegister)
            }
            if registered {
                do {
                    let ack = try await coordinator.request(beat, expecting: HeartbeatAck.self, timeout: configuration.requestTimeout)
                    shared.withLock { s in
                        if ack.mustReregister { s.mustRegister = true }
                        // The coordinator's newest version, taken as it is even when it is lower than ours: a learner
                        // killed after publishing a version it had not checkpointed resumes one version back, and
                        // a worker that kept the lost version would sample groups the learner refuses forever.
                        if ack.latestWeightVersion != .max { s.announced = ack.latestWeightVersion }
                    }
                } catch {
                    if Task.isCancelled { return }
                }
            }
            try? await Task.sleep(for: interval)
        }
    }

    private func listen(to announcements: MessageChannel) async {
        while !Task.isCancelled {
            do {
                if case let .weightAnnounce(announce) = try await announcements.receive() {
                    shared.withLock { $0.announced = announce.version }
                }
            } catch let error as NNGError where error.reason == .closed || error.reason == .canceled {
                return
            } catch {
                if Task.isCancelled { return }
                logger.warning("refused announcement", metadata: ["event": "frame_refused", "error": "\(error)"])
            }
        }
    }

    private func deregister(over coordinator: MessageChannel) async {
        let active = shared.withLock { $0.activeLeases }
        do {
            _ = try await coordinator.request(WorkerDeregister(workerID: configuration.workerID, reason: "stopping"),
                                              expecting: Ack.self, timeout: .seconds(3))
        } catch {
            logger.warning("could not deregister; the coordinator will time this worker out", metadata: [
                "event": "deregister_failed", "worker_id": "\(configuration.workerID)",
                "leases": .stringConvertible(active.count), "error": "\(error)",
            ])
        }
    }
}
