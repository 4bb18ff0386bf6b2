import Foundation
import Logging
import Policy
import Primitives
import Protocol
import ServiceLifecycle
import Synchronization
import Telemetry

/// The learner as a network service: rollout groups arrive on a PULL socket; every B usable groups make one
/// training step; each new weight version and the lease accounting go to the coordinator (`CoordinatorLink`).
///
/// Receiving runs as an async task; training runs on a thread of its own; the coordinator link sends in the
/// background, so neither a slow worker nor an absent coordinator holds training up. Malformed frames and
/// invalid, stale or duplicate groups are counted and logged, and the service keeps serving.
///
/// Exactly once across crashes: leases are reported consumed only after the checkpoint holding their update is
/// durable; a restarted learner re-sends the report of the checkpoint it resumed from with `resync` set, so the
/// coordinator re-issues whatever the lost process had received but not checkpointed; and prompts already in
/// the checkpoint are never trained again (`LearnerCore`'s duplicate check).
///
/// Stopping (task cancellation, or SIGTERM/SIGINT through swift-service-lifecycle's graceful shutdown) finishes
/// the step in progress, returns the leases of groups not yet trained, writes a final checkpoint, reports it,
/// closes the sockets and returns.
public final class LearnerService: Service, @unchecked Sendable {
    /// Where a test may stop the process abruptly (`kill -9` between two writes).
    public enum FaultPoint: String, Sendable, CaseIterable {
        /// A step has been trained; its checkpoint is about to be written.
        case beforeCheckpoint = "before_checkpoint"
        /// The checkpoint is durable; its leases are not yet reported.
        case afterCheckpointBeforeReport = "after_checkpoint_before_report"
    }

    public struct Configuration: Sendable {
        /// Where workers push groups (`listen`).
        public var rolloutsURL: String
        /// The coordinator's learner endpoint (`dial`, REQ); nil = no coordinator (weights stay local).
        public var coordinatorURL: String?
        public var codec: FrameCodec.Options
        /// TLS for `tls+tcp://` URLs (certificate for the rollout listener, CA for the coordinator).
        public var tls: TLSConfiguration?
        /// Groups buffered before the socket stops being read.
        public var queueCapacity: Int
        /// Write a checkpoint every N steps (0 = only when stopping). Leases are reported at checkpoints.
        public var checkpointEvery: Int
        public var weightChunkBytes: Int
        /// Stop once the trainer has completed this many steps in all (nil = run until stopped).
        public var stopAtStep: Int?
        /// Every N steps a few completions of the batch, with their rewards, go into the log and to the
        /// coordinator beside the means (0 = never).
        public var sampleLogEvery: Int
        /// What the driving run had measured (carried into every checkpoint).
        public var progress: RunProgress
        public var notes: [String: String]
        /// Where to answer `health_request` (probes, `grpo-lambda health`); nil = no health endpoint.
        public var healthURL: String?
        /// Called at each fault point with the steps completed; a test exits the process there. Nil in normal runs.
        public var faultInjection: (@Sendable (FaultPoint, Int) -> Void)?

        public init(rolloutsURL: String, coordinatorURL: String? = nil, codec: FrameCodec.Options = .init(),
                    tls: TLSConfiguration? = nil, queueCapacity: Int = 256, checkpointEvery: Int = 10,
                    weightChunkBytes: Int = 4 << 20, stopAtStep: Int? = nil, sampleLogEvery: Int = 10,
                    progress: RunProgress = RunProgress(),
                    notes: [String: String] = [:], healthURL: String? = nil,
                    faultInjection: (@Sendable (FaultPoint, Int) -> Void)? = nil) {
            self.rolloutsURL = rolloutsURL
            self.coordinatorURL = coordinatorURL
            self.codec = codec
            self.tls = tls
            self.queueCapacity = queueCapacity
            self.checkpointEvery = checkpointEvery
            self.weightChunkBytes = weightChunkBytes
            self.stopAtStep = stopAtStep
            self.sampleLogEvery = sampleLogEvery
            self.progress = progress
            self.notes = notes
            self.healthURL = healthURL
            self.faultInjection = faultInjection
        }
    }

    public let core: LearnerCore
    public let configuration: Configuration
    public let checkpoints: CheckpointStore
    /// The leases of the checkpoint this learner resumed from (re-sent to the coordinator on start).
    private let resumedLeases: [UInt64]
    private let logger: Logger
    private let metrics: LineSink?
    private let malformedFrames = Atomic<Int>(0)
    private let receivedGroups = Atomic<Int>(0)
    private let trainerStep = Atomic<Int>(0)
    private let instruments: LearnerInstruments
    private let stopRequested = Atomic<Bool>(false)

    public init(assembly: LearnerAssembly, configuration: Configuration, metrics: LineSink?, logger: Logger) {
        core = assembly.core
        checkpoints = assembly.checkpoints
        resumedLeases = assembly.resumedFrom?.state.leasesToReport ?? []
        instruments = LearnerInstruments(method: assembly.core.trainer.configuration.loss.method)
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
    }

    /// Frames refused before they became groups.
    public var malformedFrameCount: Int { malformedFrames.load(ordering: .relaxed) }

    /// Rollout groups read off the socket so far (readable from any thread while the service runs).
    public var receivedGroupCount: Int { receivedGroups.load(ordering: .relaxed) }

    /// Learner steps completed in all (readable from any thread while the service runs).
    public var completedSteps: Int { trainerStep.load(ordering: .relaxed) }

    /// What the health endpoint answers: ready while serving, with the step, version and groups received.
    private func health() -> HealthReply {
        HealthReply(service: "learner", ready: !stopRequested.load(ordering: .relaxed),
                    detail: "{\"step\":\(completedSteps),\"groups_received\":\(receivedGroupCount),"
                        + "\"frames_malformed\":\(malformedFrameCount)}")
    }

    /// Asks a running service to stop after the step in progress (what cancellation and SIGTERM do).
    public func requestStop() { stopRequested.store(true, ordering: .relaxed) }

    /// `serve()`, as swift-service-lifecycle's `Service` runs it.
    public func run() async throws {
        _ = try await serve()
    }

    /// Serves until `stopAtStep` is reached or it is stopped. Returns the steps taken by this process.
    @discardableResult
    public func serve() async throws -> Int {
        let codec = FrameCodec(options: configuration.codec)
        let rollouts = try MessageChannel(.pull, codec: codec)
        defer { rollouts.close() }
        try rollouts.socket.listen(configuration.rolloutsURL, tls: configuration.tls)
        let link = try configuration.coordinatorURL.map {
            try CoordinatorLink(url: $0, codec: codec, tls: configuration.tls, chunkBytes: configuration.weightChunkBytes,
                                logger: logger)
        }
        defer { link?.close() }
        logger.info("learner listening", metadata: [
            "event": "learner_started", "rollouts_url": "\(configuration.rolloutsURL)",
            "coordinator_url": "\(configuration.coordinatorURL ?? "none")", "version": .stringConvertible(core.version),
            "step": .stringConvertible(core.trainer.step), "groups_per_step": .stringConvertible(core.groupsPerStep),
            "max_staleness": .stringConvertible(core.staleness.maxStaleness),
        ])
        // A new learner process: the coordinator re-issues what the previous one lost, and learns our version.
        link?.report(LeaseReport(learnerStep: UInt64(core.trainer.step), weightVersion: core.version, resync: true,
                                 consumed: resumedLeases))
        link?.publish(WeightSnapshot(parameters: core.trainer.model.parameters, version: core.version,
                                     learnerStep: core.trainer.step))

        trainerStep.store(core.trainer.step, ordering: .relaxed)
        let inbox = GroupInbox(capacity: configuration.queueCapacity)
        let steps = try await withGracefulShutdownHandler {
            try await withTaskCancellationHandler {
                try await withThrowingTaskGroup(of: Void.self) { tasks in
                    tasks.addTask { await self.receive(from: rollouts, into: inbox) }
                    if let link { tasks.addTask { await link.run() } }
                    if let healthURL = self.configuration.healthURL {
                        let endpoint = HealthEndpoint(url: healthURL, codec: codec, tls: self.configuration.tls,
                                                      logger: self.logger) { self.health() }
                        tasks.addTask { await endpoint.serve() }
                    }
                    let result: Result<Int, any Error> = await withCheckedContinuation { continuation in
                        let thread = Thread { continuation.resume(returning: Result { try self.train(from: inbox, link: link) }) }
                        thread.name = "learner-train"
                        thread.start()
                    }
                    inbox.close()
                    tasks.cancelAll()
                    return try result.get()
                }
            } onCancel: {
                self.requestStop()
            }
        } onGracefulShutdown: {
            self.requestStop()
        }
        // The last reports matter (they carry the final checkpoint's leases): deliver them even when this task
        // was cancelled, from a task that does not inherit the cancellation.
        if let link { _ = await Task { await link.flush(timeout: .seconds(5)) }.value }
        logger.info("learner stopped", metadata: [
            "event": "learner_stopped", "steps": .stringConvertible(steps), "step": .stringConvertible(core.trainer.step),
            "version": .stringConvertible(core.version),
        ])
        return steps
    }

    private func receive(from channel: MessageChannel, into inbox: GroupInbox) async {
        while !Task.isCancelled {
            do {
                switch try await channel.receive() {
                case let .rolloutGroup(group):
                    receivedGroups.add(1, ordering: .relaxed)
                    instruments.received()
                    if await !inbox.put(group) { return }
                case let other:
                    logger.warning("unexpected message on the rollout socket", metadata: [
                        "event": "frame_refused", "reason": "unexpected_message", "type": "\(other.type)",
                    ])
                }
            } catch let error as ProtocolError {
                malformedFrames.add(1, ordering: .relaxed)
                logger.warning("refused malformed frame", metadata: [
                    "event": "frame_refused", "reason": "\(error.code)", "detail": "\(error)",
                ])
            } catch let error as NNGError where error.reason == .closed || error.reason == .canceled {
                return
            } catch {
                if Task.isCancelled { return }
                logger.error("receive failed", metadata: ["event": "receive_failed", "error": "\(error)"])
            }
        }
    }

    /// The training thread: submit groups as they come, step whenever B usable groups are waiting, checkpoint
    /// every `checkpointEvery` steps and once more when stopping.
    private func train(from inbox: GroupInbox, link: CoordinatorLink?) throws -> Int {
        var steps = 0
        var checkpointedStep = core.trainer.step
        func done() -> Bool {
            stopRequested.load(ordering: .relaxed) || configuration.stopAtStep.map { core.trainer.step >= $0 } ?? false
        }
        let clock = ContinuousClock()
        var lastStepEnd = clock.now
        var lastGroup: RolloutGroup?
        while !done() {
            if let group = inbox.take(timeout: 0.2) {
                core.submit(group)
                lastGroup = group
            }
            report(core.takeImmediateReport(), to: link)
            let stepStart = clock.now
            guard let metrics = try core.stepIfReady() else { continue }
            report(core.takeImmediateReport(), to: link)
            steps += 1
            trainerStep.store(core.trainer.step, ordering: .relaxed)
            // Time since the previous step ended: the learner waiting for groups (its idle time).
            let waited = (stepStart - lastStepEnd).seconds
            lastStepEnd = clock.now
            var line = record(metrics, waited: waited)
            if configuration.sampleLogEvery > 0, core.trainer.step % configuration.sampleLogEvery == 0, let lastGroup {
                line = logSamples(of: lastGroup, into: line)
            }
            link?.relay(LearnerMetrics(learnerStep: UInt64(core.trainer.step), weightVersion: core.version, json: line))
            link?.publish(WeightSnapshot(parameters: core.trainer.model.parameters, version: core.version,
                                         learnerStep: core.trainer.step))
            if configuration.checkpointEvery > 0, core.trainer.step % configuration.checkpointEvery == 0 {
                do {
                    try checkpoint(link: link)
                    checkpointedStep = core.trainer.step
                } catch {
                    logger.error("checkpoint failed; leases wait for the next one", metadata: [
                        "event": "checkpoint_failed", "step": .stringConvertible(core.trainer.step), "error": "\(error)",
                    ])
                }
            }
        }
        // Stopping: groups not trained go back for re-issue; what was trained is checkpointed and reported.
        inbox.close()
        while let group = inbox.take(timeout: 0) { core.submit(group) }
        let returned = core.returnPending()
        var immediate = core.takeImmediateReport()
        immediate.returned += returned
        report(immediate, to: link)
        if core.trainer.step != checkpointedStep || core.unreportedLeaseCount > 0 { try checkpoint(link: link) }
        return steps
    }

    private func checkpoint(link: CoordinatorLink?) throws {
        configuration.faultInjection?(.beforeCheckpoint, core.trainer.step)
        let state = core.trainerState(progress: configuration.progress, notes: configuration.notes)
        let (url, consumed) = try core.checkpoint(state, to: checkpoints)
        logger.info("checkpoint written", metadata: [
            "event": "checkpoint", "path": "\(url.path)", "step": .stringConvertible(state.step),
            "version": .stringConvertible(state.weightVersion), "leases": .stringConvertible(consumed.count),
        ])
        configuration.faultInjection?(.afterCheckpointBeforeReport, state.step)
        link?.report(LeaseReport(learnerStep: UInt64(state.step), weightVersion: state.weightVersion, consumed: consumed))
    }

    private func report(_ immediate: LearnerCore.ImmediateReport, to link: CoordinatorLink?) {
        guard !immediate.isEmpty else { return }
        link?.report(LeaseReport(learnerStep: UInt64(core.trainer.step), weightVersion: core.version,
                                 received: immediate.received, used: immediate.used, returned: immediate.returned,
                                 duplicates: immediate.duplicates))
    }

    /// Logs a few of the group's completions with their rewards (what the model actually writes, next to the
    /// means) and returns the metrics line with them added as `samples`, for the coordinator's log.
    private func logSamples(of group: RolloutGroup, into line: String) -> String {
        let shown = Array(group.completions.prefix(3))
        logger.info("sample completions", metadata: [
            "event": "samples", "step": .stringConvertible(core.trainer.step), "prompt": .string(group.prompt),
            "gold": .string(group.goldAnswer), "worker_id": .string(group.workerID),
            "completions": .array(shown.map { c in
                .dictionary(["text": .string(c.text), "reward": .stringConvertible(Double(c.reward)), "verdict": .string(c.verdict)])
            }),
        ])
        var samples = JSONLine()
        samples.add("prompt", group.prompt)
        samples.add("gold", group.goldAnswer)
        let completions = shown.map { c -> String in
            var item = JSONLine()
            item.add("text", c.text)
            item.add("reward", Double(c.reward))
            item.add("verdict", c.verdict)
            return item.text
        }
        samples.addRaw("completions", json: "[" + completions.joined(separator: ",") + "]")
        return String(line.dropLast()) + ",\"samples\":" + samples.text + "}"
    }

    /// Writes the step's metrics line and log event; returns the line.
    private func record(_ m: StepMetrics, waited: Double) -> String {
        instruments.step(m, version: core.version, waited: waited)
        let fields = MetricsLine.fields(m, version: core.version, counters: core.counters, malformed: malformedFrameCount)
            + [("wait_seconds", .number(waited))]
        let line = MetricsLine.json(fields)
        metrics?.write(line)
        logger.info("learner step", metadata: MetricsLine.metadata(fields))
        return line
    }
}
