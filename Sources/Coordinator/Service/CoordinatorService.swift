import Foundation
import Logging
import Primitives
import Protocol
import ServiceLifecycle
import Synchronization
import Tasks

/// The coordinator as a network service: a REP endpoint for workers, a REP endpoint for the learner, and a PUB
/// socket that announces each new weight version. The logic lives in `CoordinatorState`; this type owns the
/// sockets, the clock (worker failure timeouts, lease expiry, the fleet summary) and the ledger file.
///
/// It never waits for a slow or dead peer: requests are answered from memory (plus one fsync of the ledger when
/// a lease changes hands); nothing is sent that is not a reply except PUB announcements, which nng drops for a
/// subscriber that is not keeping up. Malformed frames get an `error` reply and a log line. Stopping (SIGTERM,
/// cancellation) records a clean stop in the ledger and closes the sockets; a restart replays the ledger.
public final class CoordinatorService: Service, Sendable {
    public let configuration: CoordinatorConfiguration
    private let state: Mutex<CoordinatorState>
    private let logger: Logger

    public init(configuration: CoordinatorConfiguration, problems: any ProblemSource, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        let (events, torn) = try LedgerFile.read(configuration.ledgerURL)
        if torn {
            logger.warning("ledger ends in a partial line (a crash mid-write); it is ignored", metadata: [
                "event": "ledger_torn_tail", "path": "\(configuration.ledgerURL.path)",
            ])
        }
        let journal = try LedgerFile(url: configuration.ledgerURL)
        state = Mutex(try CoordinatorState(configuration: configuration, journal: journal, replay: events,
                                           problems: problems, logger: logger))
    }

    public func run() async throws {
        let codec = FrameCodec(options: configuration.codec)
        let workers = try MessageChannel(.reply, codec: codec)
        let learner = try MessageChannel(.reply, codec: codec)
        let announcer = try MessageChannel(.publisher, codec: codec)
        defer {
            workers.close()
            learner.close()
            announcer.close()
        }
        try workers.socket.listen(configuration.workersURL, tls: configuration.tls)
        try learner.socket.listen(configuration.learnerURL, tls: configuration.tls)
        try announcer.socket.listen(configuration.announceURL, tls: configuration.tls)
        logger.info("coordinator listening", metadata: [
            "event": "coordinator_started", "workers_url": "\(configuration.workersURL)",
            "learner_url": "\(configuration.learnerURL)", "announce_url": "\(configuration.announceURL)",
            "ledger": "\(configuration.ledgerURL.path)", "group_size": .stringConvertible(configuration.groupSize),
            "lease_window": .stringConvertible(configuration.leaseWindow),
            "precision": "\(configuration.precision.rawValue)",
        ])
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask {
                    try await RequestServer(channel: workers, concurrency: 8, logger: self.logger).run { message in
                        try self.state.withLock { try $0.handleWorker(message, now: .now) }
                    }
                }
                tasks.addTask {
                    try await RequestServer(channel: learner, concurrency: 1, logger: self.logger).run { message in
                        let (reply, announce) = try self.state.withLock { try $0.handleLearner(message, now: .now) }
                        if let announce {
                            do {
                                try await announcer.send(announce, timeout: .seconds(1))
                            } catch {
                                self.logger.warning("could not announce weights", metadata: ["event": "announce_failed", "error": "\(error)"])
                            }
                        }
                        return reply
                    }
                }
                tasks.addTask { await self.keepTime() }
                try await tasks.next()
                tasks.cancelAll()
            }
        } onGracefulShutdown: {
            workers.close()
            learner.close()
            announcer.close()
        }
        try? state.withLock { try $0.ledger.stop() }
        logger.info("coordinator stopped", metadata: ["event": "coordinator_stopped"])
    }

    /// Failure timeouts and lease expiry every 200 ms; a fleet summary every `summaryInterval`.
    private func keepTime() async {
        var lastSummary = ContinuousClock.now
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(200))
            let now = ContinuousClock.now
            do {
                try state.withLock { try $0.tick(now: now) }
            } catch {
                logger.error("ledger write failed", metadata: ["event": "ledger_failed", "error": "\(error)"])
            }
            if now - lastSummary >= configuration.summaryInterval {
                lastSummary = now
                let (message, metadata) = state.withLock { $0.summary(now: now) }
                logger.info(message, metadata: metadata)
            }
        }
    }

    /// The ledger's audit as the coordinator sees it now (tests, the fleet summary at the end of a run).
    public var consumedPrompts: UInt64 { state.withLock { $0.ledger.consumedPrompts.count } }
}
