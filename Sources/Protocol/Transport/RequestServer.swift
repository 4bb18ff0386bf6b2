import Logging

/// Serves requests on a REP socket with a bounded number of concurrent handlers (one nng context each).
///
/// A frame that does not decode is answered with an `ErrorReply` carrying the `ProtocolError` code and logged;
/// a handler that throws is answered the same way. Either way the server keeps serving. It stops when the
/// socket closes or the task is cancelled.
public struct RequestServer: Sendable {
    public typealias Handler = @Sendable (Message) async throws -> any WireMessage

    public let channel: MessageChannel
    /// How many requests are handled at once.
    public let concurrency: Int
    public let logger: Logger

    public init(channel: MessageChannel, concurrency: Int, logger: Logger) {
        precondition(channel.socket.kind == .reply, "RequestServer needs a REP socket")
        precondition(concurrency > 0, "concurrency must be positive")
        self.channel = channel
        self.concurrency = concurrency
        self.logger = logger
    }

    /// Runs until the socket is closed or the task is cancelled.
    public func run(_ handler: @escaping Handler) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<concurrency {
                let context = try channel.socket.makeContext()
                group.addTask { try await serve(on: context, handler) }
            }
            try await group.waitForAll()
        }
    }

    private func serve(on context: NNGContext, _ handler: Handler) async throws {
        defer { context.close() }
        while !Task.isCancelled {
            let request: NNGMessage
            do {
                request = try await context.receive(timeout: nil)
            } catch {
                if error.reason == .closed || error.reason == .canceled { return }
                throw error
            }
            let reply = await respond(to: request, handler)
            do {
                try await context.send(channel.frame(reply), timeout: .seconds(30))
            } catch {
                if let nng = error as? NNGError, nng.reason == .closed || nng.reason == .canceled { return }
                logger.warning("could not send reply", metadata: ["event": "reply_failed", "error": "\(error)"])
            }
        }
    }

    /// The reply to one request frame: the handler's answer, or an `ErrorReply` for a bad frame or a failed handler.
    private func respond(to request: NNGMessage, _ handler: Handler) async -> any WireMessage {
        let message: Message
        do {
            message = try channel.unframe(request)
        } catch {
            logger.warning("refused malformed request", metadata: [
                "event": "frame_refused", "reason": "\(error.code)", "detail": "\(error)", "bytes": "\(request.count)",
            ])
            let type = request.withUnsafeBytes { try? channel.codec.decodeHeader($0).messageType } ?? 0
            return ErrorReply(code: error.code, inReplyTo: type, message: error.description)
        }
        do {
            return try await handler(message)
        } catch let refusal as ErrorReply {
            return refusal
        } catch {
            logger.error("request handler failed", metadata: [
                "event": "request_failed", "type": "\(message.type)", "error": "\(error)",
            ])
            return ErrorReply(code: "handler_error", inReplyTo: message.type.rawValue, message: "\(error)")
        }
    }
}
