internal import CNNG
import Synchronization

/// Bridges one nng asynchronous I/O (`nng_aio`) to Swift concurrency.
///
/// nng completes the operation on its own threads and calls back; the awaiting task is suspended meanwhile, so
/// no thread of Swift's cooperative pool ever blocks on the network. Task cancellation cancels the aio.
final class NNGAsyncOperation: @unchecked Sendable {
    private struct State {
        var started = false
        var cancelled = false
        var continuation: CheckedContinuation<Bool, Never>?
    }

    private let state = Mutex(State())
    private var aio: OpaquePointer?

    /// Runs `start` (e.g. `nng_send_aio(socket, aio)`) and waits for its completion.
    ///
    /// `message` is attached for sends: on success nng owns it, on failure it stays with the caller.
    /// Returns the received message for receives.
    static func run(_ operation: @autoclosure () -> String, timeout: Duration?, sending message: NNGMessage?,
                    start: (OpaquePointer) -> Void) async throws(NNGError) -> NNGMessage? {
        let op = NNGAsyncOperation()
        // nng holds an unretained pointer to `op` until the aio is freed (below, in the defer that runs first).
        defer { withExtendedLifetime(op) {} }
        do {
            var aio: OpaquePointer?
            try nngCheck(nng_aio_alloc(&aio, nngAsyncCallback, Unmanaged.passUnretained(op).toOpaque()),
                         "allocate aio for \(operation())")
            guard let aio else { throw NNGError(code: Int32(NNG_ENOMEM.rawValue), operation: operation()) }
            op.aio = aio
            defer { nng_aio_free(aio) }  // waits for a callback still in flight
            nng_aio_set_timeout(aio, timeout.map(nngMilliseconds) ?? -2 /* NNG_DURATION_DEFAULT */)
            if let message { nng_aio_set_msg(aio, message.handle) }

            let started = await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                    let cancelledBeforeStart = op.state.withLock { s in
                        if !s.cancelled { s.continuation = continuation }
                        return s.cancelled
                    }
                    if cancelledBeforeStart { return continuation.resume(returning: false) }
                    start(aio)
                    let cancelNow = op.state.withLock { s in
                        s.started = true
                        return s.cancelled
                    }
                    if cancelNow { nng_aio_cancel(aio) }
                }
            } onCancel: {
                op.cancel()
            }
            if !started { throw NNGError(code: Int32(NNG_ECANCELED.rawValue), operation: operation()) }

            let rv = nng_aio_result(aio)
            if rv != 0 { throw NNGError(code: rv, operation: operation()) }
            if let message {
                _ = message.releaseHandle()  // nng owns it now
                return nil
            }
            guard let received = nng_aio_get_msg(aio) else { return nil }
            return NNGMessage(taking: received)
        }
    }

    fileprivate func complete() {
        let continuation = state.withLock { s in
            defer { s.continuation = nil }
            return s.continuation
        }
        continuation?.resume(returning: true)
    }

    private func cancel() {
        let started = state.withLock { s in
            s.cancelled = true
            return s.started
        }
        if started, let aio { nng_aio_cancel(aio) }
    }
}

/// nng calls this on one of its threads when an aio completes (successfully, with an error, or cancelled).
private let nngAsyncCallback: @convention(c) (UnsafeMutableRawPointer?) -> Void = { argument in
    guard let argument else { return }
    Unmanaged<NNGAsyncOperation>.fromOpaque(argument).takeUnretainedValue().complete()
}

/// A Swift duration as an nng duration (milliseconds, at least 1 so a short timeout never means "default").
func nngMilliseconds(_ d: Duration) -> Int32 {
    let (seconds, attoseconds) = d.components
    let ms = seconds * 1000 + attoseconds / 1_000_000_000_000_000
    return Int32(clamping: max(ms, 1))
}
