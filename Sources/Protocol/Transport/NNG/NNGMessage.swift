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

    /// A copy of the body.
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// A message holding a copy of `bytes`.
    public convenience init(copying bytes: some Collection<UInt8>) throws(NNGError) {
        try self.init(count: bytes.count)
        withUnsafeMutableBytes { dst in dst.copyBytes(from: bytes) }
    }
}
