import Logging

/// A REP socket that answers `health_request` for a service that has no REP endpoint of its own (the learner, a
/// worker): what `grpo-lambda health URL` and container probes dial. Anything else gets an `error` reply.
public struct HealthEndpoint: Sendable {
    public typealias Status = @Sendable () -> HealthReply

    public let url: String
    public let codec: FrameCodec
    public let tls: TLSConfiguration?
    public let logger: Logger
    private let status: Status

    public init(url: String, codec: FrameCodec, tls: TLSConfiguration? = nil, logger: Logger, status: @escaping Status) {
        self.url = url
        self.codec = codec
        self.tls = tls
        self.logger = logger
        self.status = status
    }

    /// Serves until cancelled; a failure (its address taken, say) is logged, never fatal to the service it serves.
    public func serve() async {
        do {
            try await run()
        } catch {
            logger.error("health endpoint failed", metadata: ["event": "health_failed", "url": "\(url)", "error": "\(error)"])
        }
    }

    /// Serves until cancelled.
    public func run() async throws {
        let channel = try MessageChannel(.reply, codec: codec)
        defer { channel.close() }
        try channel.socket.listen(url, tls: tls)
        try await withTaskCancellationHandler {
            try await RequestServer(channel: channel, concurrency: 1, logger: logger).run { message in
                guard case .healthRequest = message else {
                    throw ErrorReply(code: "unexpected_message", inReplyTo: message.type.rawValue,
                                     message: "this endpoint answers health_request only")
                }
                return status()
            }
        } onCancel: {
            channel.close()
        }
    }
}
