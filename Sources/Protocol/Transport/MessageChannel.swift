/// A socket that speaks protocol messages: an `NNGSocket` plus the `FrameCodec` both ends agree on.
///
/// `receive` throws `ProtocolError` for a bad frame (the caller logs it and keeps receiving; the socket is
/// fine) and `NNGError` for transport failures. On REQ sockets `request` runs one exchange on its own
/// context, so many tasks can have requests in flight on one channel.
public final class MessageChannel: Sendable {
    public let socket: NNGSocket
    public let codec: FrameCodec

    public init(socket: NNGSocket, codec: FrameCodec = FrameCodec()) {
        self.socket = socket
        self.codec = codec
    }

    /// Opens a socket of `kind` whose receive limit matches the codec's payload limit.
    public convenience init(_ kind: NNGSocket.Kind, codec: FrameCodec = FrameCodec()) throws {
        let limits = ProtocolLimits(maxPayloadBytes: codec.options.maxPayloadBytes)
        try self.init(socket: NNGSocket(kind, receiveMaxSize: limits.maxFrameBytes), codec: codec)
    }

    /// A socket of `kind` dialing `url` (in the background: nng reconnects by itself); closed again if the URL
    /// is refused.
    public static func dialing(_ kind: NNGSocket.Kind, url: String, codec: FrameCodec = FrameCodec(),
                               tls: TLSConfiguration? = nil) throws -> MessageChannel {
        let channel = try MessageChannel(kind, codec: codec)
        do {
            try channel.socket.dial(url, tls: tls)
        } catch {
            channel.close()
            throw error
        }
        return channel
    }

    public func close() { socket.close() }

    /// The frame of `message` for this channel's links (the payload left out of the CRC where they protect it).
    public func frame(_ message: some WireMessage) throws -> NNGMessage {
        try codec.encode(message, linkProtectsPayload: socket.linksProtectPayload)
    }

    /// The message in a frame this channel received.
    public func unframe(_ frame: NNGMessage) throws(ProtocolError) -> Message {
        try codec.decode(frame, from: socket)
    }

    /// Encodes and sends one message.
    public func send(_ message: some WireMessage, timeout: Duration? = nil) async throws {
        try await socket.send(frame(message), timeout: timeout)
    }

    /// Receives and decodes one message.
    public func receive(timeout: Duration? = nil) async throws -> Message {
        try unframe(await socket.receive(timeout: timeout))
    }

    /// Sends a request and waits for its reply (REQ sockets). A peer's `ErrorReply` is thrown.
    public func request<Reply: WireMessage>(_ message: some WireMessage, expecting _: Reply.Type,
                                            timeout: Duration? = nil) async throws -> Reply {
        let context = try socket.makeContext()
        defer { context.close() }
        try await context.send(frame(message), timeout: timeout)
        return try codec.decode(await context.receive(timeout: timeout), from: socket, as: Reply.self)
    }
}
