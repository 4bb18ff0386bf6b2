internal import CNNG
import Synchronization

/// An nng socket of one scalability protocol, owned by this object.
///
/// Create it, `listen` or `dial`, send and receive, then `close()`. Every nng error becomes an `NNGError`.
/// nng sockets are thread-safe, so one socket may be shared by many tasks; the async `send`/`receive` suspend
/// the task (nng completes them on its own threads) and never block Swift's cooperative thread pool. The
/// blocking variants are for dedicated threads (benchmarks, tools).
///
/// REQ and REP sockets serve concurrent requests through contexts (`makeContext()`): one context per
/// in-flight request.
public final class NNGSocket: @unchecked Sendable {
    /// The scalability protocol (nng's "protocol") of a socket.
    public enum Kind: String, Sendable, CaseIterable {
        case push, pull, request, reply, publisher, subscriber
    }

    public let kind: Kind
    let socket: nng_socket
    /// The async operations pending on the socket and its contexts; closed (and so stopped) before `nng_close`.
    let operations = NNGOperationRegistry()
    /// How many of the socket's listeners and dialers do and do not protect what they carry.
    private let endpoints = Mutex<(protecting: Int, other: Int)>((0, 0))

    /// Opens a socket. The receive size limit starts at `receiveMaxSize` (nng's default is 1 MiB, far too
    /// small for weight chunks and large rollout groups, so every socket sets it explicitly).
    public init(_ kind: Kind, receiveMaxSize: Int = ProtocolLimits.default.maxFrameBytes) throws(NNGError) {
        self.kind = kind
        var s = nng_socket()
        let rv: Int32
        switch kind {
        case .push: rv = nng_push0_open(&s)
        case .pull: rv = nng_pull0_open(&s)
        case .request: rv = nng_req0_open(&s)
        case .reply: rv = nng_rep0_open(&s)
        case .publisher: rv = nng_pub0_open(&s)
        case .subscriber: rv = nng_sub0_open(&s)
        }
        try nngCheck(rv, "open \(kind.rawValue) socket")
        socket = s
        try setReceiveMaxSize(receiveMaxSize)
    }

    deinit {
        if !operations.isClosed {
            assertionFailure("leak of open NNGSocket (\(kind.rawValue)); call close()")
            nng_close(socket)
        }
    }

    /// Closes the socket; pending operations fail with `.closed`. Closing twice is harmless.
    ///
    /// The async operations still pending on it (and on its contexts) are stopped before `nng_close`, which
    /// never races one (see `NNGOperationRegistry`).
    public func close() {
        if operations.close() { nng_close(socket) }
    }

    // MARK: - Endpoints

    /// Starts listening on `url` (`inproc://name`, `ipc:///path`, `tcp://host:port`, `tls+tcp://host:port`).
    /// Returns the bound TCP port (useful with port 0), or nil for non-TCP transports.
    @discardableResult
    public func listen(_ url: String, tls: TLSConfiguration? = nil) throws(NNGError) -> Int? {
        var listener = nng_listener()
        try nngCheck(nng_listener_create(&listener, socket, url), "listen \(url)")
        if let tls {
            let config = try tls.makeConfig(mode: NNG_TLS_MODE_SERVER)
            defer { nng_tls_config_free(config) }
            try nngCheck(nng_listener_set_ptr(listener, NNG_OPT_TLS_CONFIG, UnsafeMutableRawPointer(config)),
                         "configure TLS for \(url)")
        }
        try nngCheck(nng_listener_start(listener, 0), "listen \(url)")
        recordEndpoint(url)
        guard url.hasPrefix("tcp") || url.hasPrefix("tls+tcp") else { return nil }
        var port: Int32 = 0
        return nng_listener_get_int(listener, NNG_OPT_TCP_BOUND_PORT, &port) == 0 ? Int(port) : nil
    }

    /// Connects to `url`. By default the dial happens in the background and nng keeps reconnecting, so a
    /// worker may start before its coordinator; `blocking: true` fails at once if nobody listens.
    public func dial(_ url: String, tls: TLSConfiguration? = nil, blocking: Bool = false) throws(NNGError) {
        var dialer = nng_dialer()
        try nngCheck(nng_dialer_create(&dialer, socket, url), "dial \(url)")
        if let tls {
            let config = try tls.makeConfig(mode: NNG_TLS_MODE_CLIENT)
            defer { nng_tls_config_free(config) }
            try nngCheck(nng_dialer_set_ptr(dialer, NNG_OPT_TLS_CONFIG, UnsafeMutableRawPointer(config)),
                         "configure TLS for \(url)")
        }
        try nngCheck(nng_dialer_start(dialer, blocking ? 0 : Int32(NNG_FLAG_NONBLOCK)), "dial \(url)")
        recordEndpoint(url)
    }

    /// Whether every link of this socket protects the bytes it carries by itself, so a frame needs no payload
    /// checksum (`FrameCodec.PayloadChecksum`): true once it has listened or dialed, and only ever on ipc://,
    /// inproc://, abstract:// (one kernel's memory) or tls+tcp:// (TLS authenticates every record).
    public var linksProtectPayload: Bool {
        endpoints.withLock { $0.protecting > 0 && $0.other == 0 }
    }

    /// Whether a link to `url` protects the bytes it carries (see `linksProtectPayload`).
    public static func linkProtectsPayload(url: String) -> Bool {
        let scheme = url.prefix { $0 != ":" }.lowercased()
        return ["ipc", "inproc", "abstract"].contains(scheme) || scheme.hasPrefix("tls+")
    }

    private func recordEndpoint(_ url: String) {
        let protecting = Self.linkProtectsPayload(url: url)
        endpoints.withLock { protecting ? ($0.protecting += 1) : ($0.other += 1) }
    }

    // MARK: - Options

    /// The largest message this socket accepts (NNG_OPT_RECVMAXSZ); larger ones are dropped by nng.
    public func setReceiveMaxSize(_ bytes: Int) throws(NNGError) {
        try nngCheck(nng_socket_set_size(socket, NNG_OPT_RECVMAXSZ, bytes), "set receive max size")
    }

    /// Timeouts for the blocking `send`/`receive` (nil = wait forever).
    public func setTimeouts(send: Duration?, receive: Duration?) throws(NNGError) {
        try nngCheck(nng_socket_set_ms(socket, NNG_OPT_SENDTIMEO, send.map(nngMilliseconds) ?? -1), "set send timeout")
        try nngCheck(nng_socket_set_ms(socket, NNG_OPT_RECVTIMEO, receive.map(nngMilliseconds) ?? -1),
                     "set receive timeout")
    }

    /// How long a REQ socket waits for a reply before resending the request (nil = never resend).
    public func setRequestResendTime(_ d: Duration?) throws(NNGError) {
        try nngCheck(nng_socket_set_ms(socket, NNG_OPT_REQ_RESENDTIME, d.map(nngMilliseconds) ?? -1),
                     "set request resend time")
    }

    /// Subscribes a SUB socket to messages starting with `prefix` (empty = everything).
    public func subscribe(to prefix: [UInt8] = []) throws(NNGError) {
        let rv = prefix.withUnsafeBytes { nng_socket_set(socket, NNG_OPT_SUB_SUBSCRIBE, $0.baseAddress, $0.count) }
        try nngCheck(rv, "subscribe")
    }

    // MARK: - Blocking I/O (dedicated threads only)

    /// Sends `message`, blocking up to the send timeout. On success nng owns the message.
    public func sendBlocking(_ message: NNGMessage) throws(NNGError) {
        try nngCheck(nng_sendmsg(socket, message.handle, 0), "send on \(kind.rawValue) socket")
        _ = message.releaseHandle()
    }

    /// Receives one message, blocking up to the receive timeout.
    public func receiveBlocking() throws(NNGError) -> NNGMessage {
        var msg: OpaquePointer?
        try nngCheck(nng_recvmsg(socket, &msg, 0), "receive on \(kind.rawValue) socket")
        guard let msg else { throw NNGError(code: Int32(NNG_EINTERNAL.rawValue), operation: "receive") }
        return NNGMessage(taking: msg)
    }

    // MARK: - Async I/O

    /// Sends `message` without blocking a thread; `timeout` nil uses the socket's send timeout.
    public func send(_ message: NNGMessage, timeout: Duration? = nil) async throws(NNGError) {
        let s = socket
        _ = try await NNGAsyncOperation.run("send on \(kind.rawValue) socket", timeout: timeout,
                                            sending: message, registry: operations) { nng_send_aio(s, $0) }
    }

    /// Receives one message without blocking a thread; `timeout` nil uses the socket's receive timeout.
    public func receive(timeout: Duration? = nil) async throws(NNGError) -> NNGMessage {
        let s = socket
        let received = try await NNGAsyncOperation.run("receive on \(kind.rawValue) socket", timeout: timeout,
                                                       sending: nil, registry: operations) { nng_recv_aio(s, $0) }
        guard let received else { throw NNGError(code: Int32(NNG_EINTERNAL.rawValue), operation: "receive") }
        return received
    }

    /// A context for one request/reply exchange at a time (REQ and REP sockets only).
    public func makeContext() throws(NNGError) -> NNGContext {
        try NNGContext(socket: self)
    }
}
