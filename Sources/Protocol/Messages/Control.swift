// Control replies shared by every REQ/REP exchange.

/// A positive reply that carries no data beyond an optional number (e.g. how many leases were recorded).
public struct Ack: WireMessage {
    public static let messageType = MessageType.ack
    public var value: UInt64

    public init(value: UInt64 = 0) { self.value = value }

    public func encode(to w: inout WireWriter) { w.write(value) }

    public init(from r: inout WireReader) throws(ProtocolError) {
        value = try r.read(UInt64.self, "value")
    }
}

/// A refusal: the request could not be served. Services answer bad requests with this instead of dropping them.
public struct ErrorReply: WireMessage, Error {
    public static let messageType = MessageType.error
    /// Stable machine-readable reason (e.g. `malformed_payload`, `unknown_worker`, `no_such_version`).
    public var code: String
    /// What the refused request was, when the frame was readable that far.
    public var inReplyTo: UInt16
    public var message: String

    public init(code: String, inReplyTo: UInt16, message: String) {
        self.code = code
        self.inReplyTo = inReplyTo
        self.message = message
    }

    public func encode(to w: inout WireWriter) {
        w.write(code)
        w.write(inReplyTo)
        w.write(message)
    }

    public init(from r: inout WireReader) throws(ProtocolError) {
        code = try r.readString("code")
        inReplyTo = try r.read(UInt16.self, "in_reply_to")
        message = try r.readString("message")
    }
}

/// Is the service alive and ready? Any REP endpoint of a service answers it (the coordinator's worker endpoint,
/// the verifier), and services without one take `--health URL` to listen for it: what `grpo-lambda health`,
/// systemd and Kubernetes probes ask.
public struct HealthRequest: WireMessage, Equatable {
    public static let messageType = MessageType.healthRequest

    public init() {}

    public func encode(to w: inout WireWriter) {}

    public init(from r: inout WireReader) throws(ProtocolError) {}
}

/// The answer to `HealthRequest`: which service, whether it is ready for work (a worker is once it holds verified
/// weights), and a JSON object of its vital signs (step, version, workers...).
public struct HealthReply: WireMessage, Equatable {
    public static let messageType = MessageType.healthReply
    public var service: String
    public var ready: Bool
    /// One JSON object.
    public var detail: String

    public init(service: String, ready: Bool, detail: String = "{}") {
        self.service = service
        self.ready = ready
        self.detail = detail
    }

    public func encode(to w: inout WireWriter) {
        w.write(service)
        w.write(ready)
        w.write(detail)
    }

    public init(from r: inout WireReader) throws(ProtocolError) {
        service = try r.readString("service")
        ready = try r.readBool("ready")
        detail = try r.readString("detail")
    }
}
