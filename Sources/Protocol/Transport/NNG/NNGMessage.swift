internal import CNNG

/// One nng message (`nng_msg`), owned by this object until it is handed to a socket.
///
/// Frames are encoded straight into a message body and decoded straight out of one, so a payload is never
/// copied between a Swift buffer and nng. Sending transfers ownership to nng; an unsent message is freed
/// when this object goes away. Not thread-safe: one task owns a message at a time.
public final class NNGMessage: @unchecked Sendable {
    private(set) var handle: OpaquePointer?

    /// A message with a body of `count` uninitialised bytes.
    public init(count: Int) throws(NNGError) {
        var msg: OpaquePointer?
        try nngCheck(nng_msg_alloc(&msg, count), "allocate a \(count)-byte message")
        handle = msg
    }

    /// Takes ownership of a message nng handed us.
    init(taking handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        if let handle { nng_msg_free(handle) }
    }

    /// Gives the handle to nng (after a successful send); this object no longer frees it.
    func releaseHandle() -> OpaquePointer {
        guard let h = handle else { preconditionFailure("NNGMessage used after it was sent") }
        handle = nil
        return h
    }

    /// The body length in bytes.
    public var count: Int {
        guard let handle else { return 0 }
        return nng_msg_len(handle)
    }

    /// Read access to the body.
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        guard let handle else { preconditionFailure("NNGMessage used after it was sent") }
        return try body(UnsafeRawBufferPointer(start: nng_msg_body(handle), count: nng_msg_len(handle)))
    }

    /// Write access to the body.
    public func withUnsafeMutableBytes<R, E: Error>(_ body: (UnsafeMutableRawBufferPointer) throws(E) -> R) throws(E) -> R {
        guard let handle else { preconditionFailure("NNGMessage used after it was sent") }
        return try body(UnsafeMutableRawBufferPointer(start: nng_msg_body(handle), count: nng_msg_len(handle)))
    }

    /// Whether the pipe this message was received on is a link that protects the bytes it carries (ipc://,
    /// inproc://, abstract:// or TLS; see `NNGSocket.linksProtectPayload`). False for a message not received
    /// from a socket, or whose pipe has closed since.
    public var arrivedOverProtectedLink: Bool {
        guard let handle else { return false }
        let pipe = nng_msg_get_pipe(handle)
        guard nng_pipe_id(pipe) > 0 else { return false }
        var address = nng_sockaddr()
        if nng_pipe_get_addr(pipe, NNG_OPT_REMADDR, &address) == 0 {
            switch UInt32(address.s_family) {
            case NNG_AF_IPC.rawValue, NNG_AF_INPROC.rawValue, NNG_AF_ABSTRACT.rawValue: return true
            default: break
            }
        }
        // Only TLS pipes know this option.
        var verified = false
        return nng_pipe_get_bool(pipe, NNG_OPT_TLS_VERIFIED, &verified) == 0
    }

    /// A copy of the body.
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// A message holding a copy of `bytes`.
    public convenience init(copying bytes: some Collection<UInt8>) throws(NNGError) {
        try self.init(count: bytes.count)
        withUnsafeMutableBytes { dst in dst.copyBytes(from: bytes) }
    }
}
