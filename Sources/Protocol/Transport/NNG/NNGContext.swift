internal import CNNG

/// A context on a REQ or REP socket (`nng_ctx`): its own request/reply state, so many tasks can share one
/// socket, each with its own context, and have requests in flight at once.
///
/// A REQ context sends a request then receives its reply; a REP context receives a request then sends the
/// reply. Close it when done; the socket must outlive it.
public final class NNGContext: @unchecked Sendable {
    private let context: nng_ctx
    private let owner: NNGSocket
    /// The operations pending on this context, stopped before `nng_ctx_close`; they are registered with the
    /// socket's registry too, so closing the socket stops them as well.
    private let operations = NNGOperationRegistry()

    init(socket: NNGSocket) throws(NNGError) {
        precondition(socket.kind == .request || socket.kind == .reply, "contexts exist only on REQ/REP sockets")
        var c = nng_ctx()
        try nngCheck(nng_ctx_open(&c, socket.socket), "open context on \(socket.kind.rawValue) socket")
        context = c
        owner = socket
    }

    deinit {
        if !operations.isClosed { nng_ctx_close(context) }
    }

    /// Closes the context; a pending operation fails with `.closed`.
    public func close() {
        if operations.close() { nng_ctx_close(context) }
    }

    /// Sends on this context; on success nng owns the message.
    public func send(_ message: NNGMessage, timeout: Duration? = nil) async throws(NNGError) {
        let c = context
        _ = try await NNGAsyncOperation.run("send on \(owner.kind.rawValue) context", timeout: timeout,
                                            sending: message, registry: owner.operations,
                                            contextRegistry: operations) {
            nng_ctx_send(c, $0)
        }
    }

    /// Receives on this context.
    public func receive(timeout: Duration? = nil) async throws(NNGError) -> NNGMessage {
        let c = context
        let received = try await NNGAsyncOperation.run("receive on \(owner.kind.rawValue) context",
                                                       timeout: timeout, sending: nil,
                                                       registry: owner.operations, contextRegistry: operations) {
            nng_ctx_recv(c, $0)
        }
        guard let received else { throw NNGError(code: Int32(NNG_EINTERNAL.rawValue), operation: "receive") }
        return received
    }
}
