import Foundation
import Logging
import Policy
import Protocol
import Synchronization
import Telemetry

/// The learner as a network service: rollout groups arrive on a PULL socket; every B usable groups make one
/// training step; each new weight version goes to the coordinator (PUSH) with the leases consumed/returned.
///
/// Receiving runs as an async task that never blocks the cooperative pool; training runs on its own thread.
/// Malformed frames, invalid groups and stale groups are counted and logged, and the service keeps serving.
public final class LearnerService: @unchecked Sendable {
    public struct Configuration: Sendable {
        /// Where workers push groups (`listen`).
        public var rolloutsURL: String
        /// The coordinator's PULL endpoint (`dial`); nil = no coordinator (weights stay local).
        public var coordinatorURL: String?
        public var codec: FrameCodec.Options
        /// Groups buffered before the socket stops being read.
        public var queueCapacity: Int
        /// Write a checkpoint every N steps (0 = never).
        public var checkpointEvery: Int
        public var weightChunkBytes: Int
        /// Stop after this many steps (nil = run until cancelled).
        public var maxSteps: Int?

        public init(rolloutsURL: String, coordinatorURL: String? = nil, codec: FrameCodec.Options = .init(),
                    queueCapacity: Int = 256, checkpointEvery: Int = 10, weightChunkBytes: Int = 4 << 20,
                    maxSteps: Int? = nil) {
            self.rolloutsURL = rolloutsURL
            self.coordinatorURL = coordinatorURL
            self.codec = codec
            self.queueCapacity = queueCapacity
            self.checkpointEvery = checkpointEvery
            self.weightChunkBytes = weightChunkBytes
            self.maxSteps = maxSteps
        }
    }

    public let core: LearnerCore
    public let configuration: Configuration
    public let checkpoints: CheckpointStore?
    private let logger: Logger
    private let metrics: LineSink?
    private let malformedFrames = Atomic<Int>(0)
    /// Assembles the `TrainerState` a checkpoint stores (the caller knows the data cursor and notes).
    private let checkpointState: @Sendable (LearnerCore) -> TrainerState

    public init(core: LearnerCore, configuration: Configuration, checkpoints: CheckpointStore?, metrics: LineSink?,
                logger: Logger, checkpointState: @escaping @Sendable (LearnerCore) -> TrainerState) {
        self.core = core
        self.configuration = configuration
        self.checkpoints = checkpoints
        self.metrics = metrics
        self.logger = logger
        self.checkpointState = checkpointState
    }

    /// Frames refused before they became groups.
    public var malformedFrameCount: Int { malformedFrames.load(ordering: .relaxed) }

    /// Serves until `maxSteps` steps are done or the task is cancelled. Returns the steps taken.
    @discardableResult
    public func run() async throws -> Int {
        let codec = FrameCodec(options: configuration.codec)
        let rollouts = try MessageChannel(.pull, codec: codec)
        defer { rollouts.close() }
        try rollouts.socket.listen(configuration.rolloutsURL)
        let coordinator = try configuration.coordinatorURL.map { url -> MessageChannel in
            let c = try MessageChannel(.push, codec: codec)
            try c.socket.dial(url)
            try c.socket.setTimeouts(send: .seconds(30), receive: nil)
            return c
        }
        defer { coordinator?.close() }
        logger.info("learner listening", metadata: [
            "event": "learner_started", "rollouts_url": "\(configuration.rolloutsURL)",
            "coordinator_url": "\(configuration.coordinatorURL ?? "none")", "version": .stringConvertible(core.version),
            "groups_per_step": .stringConvertible(core.groupsPerStep),
            "max_staleness": .stringConvertible(core.staleness.maxStaleness),
        ])

        let inbox = GroupInbox(capacity: configuration.queueCapacity)
        let receiving = Task { await receive(from: rollouts, into: inbox) }
        defer { receiving.cancel() }
        let steps = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int, Error>) in
            Thread {
                continuation.resume(with: Result { try self.train(from: inbox, publishingTo: coordinator, codec: codec) })
            }.start()
        }
        inbox.close()
        return steps
    }

    private func receive(from channel: MessageChannel, into inbox: GroupInbox) async {
        while !Task.isCancelled {
            do {
                switch try await channel.receive() {
                case let .rolloutGroup(group):
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
                logger.error("receive failed", metadata: ["event": "receive_failed", "error": "\(error)"])
            }
        }
    }

    /// The training thread: submit groups as they come, step whenever B usable groups are waiting.
    private func train(from inbox: GroupInbox, publishingTo coordinator: MessageChannel?, codec: FrameCodec) throws -> Int {
        var steps = 0
        while configuration.maxSteps.map({ steps < $0 }) ?? true {
            guard let group = inbox.take(timeout: 0.5) else {
                if Thread.current.isCancelled { break }
                continue
            }
            core.submit(group)
            guard let metrics = try core.stepIfReady() else {
                reportLeases(to: coordinator, codec: codec, step: steps)
                continue
            }
            steps += 1
            record(metrics)
            publish(to: coordinator, codec: codec, step: metrics.step)
            if configuration.checkpointEvery > 0, steps % configuration.checkpointEvery == 0, let checkpoints {
                let url = try checkpoints.save(model: core.trainer.model, optimizer: core.trainer.optimizer,
                                               state: checkpointState(core))
                logger.info("checkpoint written", metadata: ["event": "checkpoint", "path": "\(url.path)",
                                                             "step": .stringConvertible(core.trainer.step)])
            }
        }
        return steps
    }

    private func record(_ m: StepMetrics) {
        let fields = MetricsLine.fields(m, version: core.version, counters: core.counters, malformed: malformedFrameCount)
        metrics?.write(MetricsLine.json(fields))
        logger.info("learner step", metadata: MetricsLine.metadata(fields))
    }

    /// Sends the new version's weights and the lease report; an unreachable coordinator is logged, not fatal.
    private func publish(to coordinator: MessageChannel?, codec: FrameCodec, step: Int) {
        guard let coordinator else { return reportLeases(to: nil, codec: codec, step: step) }
        do {
            for message in WeightPublication.messages(parameters: core.trainer.model.parameters, version: core.version,
                                                      step: step, chunkBytes: configuration.weightChunkBytes) {
                try coordinator.socket.sendBlocking(codec.encode(message))
            }
        } catch {
            logger.error("could not publish weights", metadata: [
                "event": "publish_failed", "version": .stringConvertible(core.version), "error": "\(error)",
            ])
        }
        reportLeases(to: coordinator, codec: codec, step: step)
    }

    private func reportLeases(to coordinator: MessageChannel?, codec: FrameCodec, step: Int) {
        let (consumed, returned) = core.takeLeaseReport()
        guard !consumed.isEmpty || !returned.isEmpty else { return }
        guard let coordinator else { return }
        do {
            try coordinator.socket.sendBlocking(codec.encode(LeasesConsumed(learnerStep: UInt64(step), consumed: consumed,
                                                                             returned: returned)))
        } catch {
            logger.error("could not report leases", metadata: ["event": "lease_report_failed", "error": "\(error)"])
        }
    }
}
