import Foundation
import Logging
import Primitives
import Protocol
import Synchronization

/// The verifier as a network service: a REP socket answering `verify_request` with `verify_response`, one
/// request being one group of completions against one gold answer.
///
/// Grading runs on a bounded pool of threads; each completion's work is bounded by the grader's step budget
/// and the request's size by `maxCompletionsPerRequest` and the frame limit, so no request can hold the
/// service. Every batch is logged as one JSON line, throughput every `reportInterval`. Malformed frames and
/// unexpected messages get an `error` reply and the service keeps serving.
public final class VerifierService: Sendable {
    public struct Configuration: Sendable {
        /// Where to listen (ipc:///path, tcp://host:port, tls+tcp://...).
        public var url: String
        /// Grading threads (requests graded at once).
        public var threads: Int
        /// Requests accepted at once (nng contexts); beyond `threads` they queue for a grading thread.
        public var concurrentRequests: Int
        public var maxCompletionsPerRequest: Int
        public var codec: FrameCodec.Options
        public var tls: TLSConfiguration?
        public var reportInterval: Duration

        public init(url: String, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                    concurrentRequests: Int? = nil, maxCompletionsPerRequest: Int = 1024,
                    codec: FrameCodec.Options = .init(), tls: TLSConfiguration? = nil, reportInterval: Duration = .seconds(10)) {
            self.url = url
            self.threads = max(1, threads)
            self.concurrentRequests = concurrentRequests ?? max(1, threads) * 2
            self.maxCompletionsPerRequest = maxCompletionsPerRequest
            self.codec = codec
            self.tls = tls
            self.reportInterval = reportInterval
        }
    }

    public let configuration: Configuration
    public let grader: Grader
    private let logger: Logger
    private let graded = Atomic<Int>(0)
    private let requests = Atomic<Int>(0)

    public init(configuration: Configuration, grader: Grader = Grader(), logger: Logger) {
        self.configuration = configuration
        self.grader = grader
        self.logger = logger
    }

    /// Completions graded since start.
    public var gradedCount: Int { graded.load(ordering: .relaxed) }

    /// Serves until the task is cancelled. `onListening` is called once the socket is bound (with the TCP port).
    public func run(onListening: (@Sendable (Int?) -> Void)? = nil) async throws {
        let channel = try MessageChannel(.reply, codec: FrameCodec(options: configuration.codec))
        defer { channel.close() }
        let port = try channel.socket.listen(configuration.url, tls: configuration.tls)
        let pool = ThreadPool(threads: configuration.threads, name: "verifier-grader")
        defer { pool.stop() }
        logger.info("verifier listening", metadata: [
            "event": "verifier_started", "url": "\(configuration.url)", "threads": .stringConvertible(configuration.threads),
            "concurrent_requests": .stringConvertible(configuration.concurrentRequests),
        ])
        onListening?(port)
        let reporting = Task { await reportThroughput() }
        defer { reporting.cancel() }
        try await RequestServer(channel: channel, concurrency: configuration.concurrentRequests, logger: logger).run { message in
            if case .healthRequest = message {
                return HealthReply(service: "verifier", ready: true,
                                   detail: "{\"graded\":\(self.gradedCount),\"threads\":\(self.configuration.threads)}")
            }
            guard case let .verifyRequest(request) = message else {
                throw ErrorReply(code: "unexpected_message", inReplyTo: message.type.rawValue,
                                 message: "the verifier answers verify_request and health_request only")
            }
            return try await self.handle(request, pool: pool)
        }
    }

    func handle(_ request: VerifyRequest, pool: ThreadPool) async throws -> VerifyResponse {
        guard request.completions.count <= configuration.maxCompletionsPerRequest else {
            logger.warning("refused oversized request", metadata: [
                "event": "verify_refused", "reason": "too_many_completions",
                "completions": .stringConvertible(request.completions.count),
            ])
            throw ErrorReply(code: "too_many_completions", inReplyTo: MessageType.verifyRequest.rawValue,
                             message: "\(request.completions.count) completions; the limit is \(configuration.maxCompletionsPerRequest)")
        }
        let clock = ContinuousClock()
        let start = clock.now
        let grader = self.grader
        let grades = await pool.run { grader.grade(completions: request.completions, gold: request.goldAnswer) }
        let elapsed = clock.now - start
        VerifierInstruments.graded(grades, seconds: elapsed.seconds)
        let micros = UInt64(max(0, elapsed.seconds * 1e6))
        graded.add(grades.count, ordering: .relaxed)
        requests.add(1, ordering: .relaxed)
        var reasons: [String: Int] = [:]
        for g in grades { reasons[g.reason.rawValue, default: 0] += 1 }
        logger.info("graded batch", metadata: [
            "event": "verify_batch", "request_id": .stringConvertible(request.requestID),
            "completions": .stringConvertible(grades.count), "correct": .stringConvertible(grades.filter(\.isCorrect).count),
            "elapsed_ms": .stringConvertible(Double(micros) / 1000),
            "reasons": .dictionary(reasons.mapValues { .stringConvertible($0) }),
        ])
        return VerifyResponse(requestID: request.requestID, grades: grades.map(VerifyGrade.init), elapsedMicroseconds: micros)
    }

    private func reportThroughput() async {
        var lastGraded = 0, lastRequests = 0
        let clock = ContinuousClock()
        var last = clock.now
        while !Task.isCancelled {
            do { try await Task.sleep(for: configuration.reportInterval) } catch { return }
            let now = clock.now
            let g = gradedCount, r = requests.load(ordering: .relaxed)
            let seconds = (now - last).seconds
            logger.info("verifier throughput", metadata: [
                "event": "verifier_throughput", "pairs_per_s": .stringConvertible(Double(g - lastGraded) / seconds),
                "requests_per_s": .stringConvertible(Double(r - lastRequests) / seconds),
                "graded_total": .stringConvertible(g),
            ])
            (lastGraded, lastRequests, last) = (g, r, now)
        }
    }
}
