internal import CNNG
import Primitives
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Bridges one nng asynchronous I/O (`nng_aio`) to Swift concurrency.
///
/// nng completes the operation on its own threads and calls back; the awaiting task is suspended meanwhile, so
/// no thread of Swift's cooperative pool ever blocks on the network. Task cancellation cancels the aio.
///
/// Every operation is registered with the `NNGOperationRegistry` of its socket (and context) while it runs, so
/// that closing the socket first stops the operations still pending on it and only then calls `nng_close`.
final class NNGAsyncOperation: @unchecked Sendable {
    private enum Phase {
        /// Not started; `cancelled` keeps it from starting.
        case idle
        /// `start(aio)` is running: it returns within microseconds (nng never blocks in it).
        case starting
        /// Handed to nng; only the callback or `nng_aio_stop` ends it.
        case started
    }

    private struct State {
        var phase = Phase.idle
        var cancelled = false
        var continuation: CheckedContinuation<Bool, Never>?
    }

    private let state = Mutex(State())
    private var aio: OpaquePointer?

    /// Runs `start` (e.g. `nng_send_aio(socket, aio)`) and waits for its completion.
    ///
    /// `message` is attached for sends: on success nng owns it, on failure it stays with the caller.
    /// Returns the received message for receives. Fails with `.closed` when the socket's `registry` (or the
    /// context's) is closed before or while the operation runs. (Two parameters rather than an array: an array
    /// literal at the call sites, inlined into async callers in other modules by the release build's
    /// cross-module optimisation, crashed Swift 6.3's coroutine splitting.)
    static func run(_ operation: @autoclosure () -> String, timeout: Duration?, sending message: NNGMessage?,
                    registry: NNGOperationRegistry, contextRegistry: NNGOperationRegistry? = nil,
                    start: (OpaquePointer) -> Void) async throws(NNGError) -> NNGMessage? {
        let op = NNGAsyncOperation()
        // nng holds an unretained pointer to `op` until the aio is freed (below, in the defer that runs first).
        defer { withExtendedLifetime(op) {} }
        var aio: OpaquePointer?
        try nngCheck(nng_aio_alloc(&aio, nngAsyncCallback, Unmanaged.passUnretained(op).toOpaque()),
                     "allocate aio for \(operation())")
        guard let aio else { throw NNGError(code: Int32(NNG_ENOMEM.rawValue), operation: operation()) }
        op.aio = aio
        defer { nng_aio_free(aio) }  // waits for a callback still in flight
        let closed = NNGError(code: Int32(NNG_ECLOSED.rawValue), operation: operation())
        var registered: [NNGOperationRegistry] = []
        // Unregistered before the aio is freed: a closing registry only ever stops a live aio.
        defer { for registry in registered { registry.remove(op) } }
        for registry in [registry, contextRegistry].compactMap({ $0 }) {
            guard registry.insert(op) else { throw closed }
            registered.append(registry)
        }
        nng_aio_set_timeout(aio, timeout.map(nngMilliseconds) ?? -2 /* NNG_DURATION_DEFAULT */)
        if let message { nng_aio_set_msg(aio, message.handle) }

        let started = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let cancelledBeforeStart = op.state.withLock { s in
                    if !s.cancelled {
                        s.continuation = continuation
                        s.phase = .starting
                    }
                    return s.cancelled
                }
                if cancelledBeforeStart { return continuation.resume(returning: false) }
                start(aio)
                let cancelNow = op.state.withLock { s in
                    s.phase = .started
                    return s.cancelled
                }
                if cancelNow { nng_aio_cancel(aio) }
            }
        } onCancel: {
            op.cancel()
        }
        let rv = started ? nng_aio_result(aio) : Int32(NNG_ECANCELED.rawValue)
        if rv == Int32(NNG_ECANCELED.rawValue), registry.isClosed || contextRegistry?.isClosed == true { throw closed }
        if rv != 0 { throw NNGError(code: rv, operation: operation()) }
        if let message {
            _ = message.releaseHandle()  // nng owns it now
            return nil
        }
        guard let received = nng_aio_get_msg(aio) else { return nil }
        return NNGMessage(taking: received)
    }

    fileprivate func complete() {
        let continuation = state.withLock { s in
            defer { s.continuation = nil }
            return s.continuation
        }
        continuation?.resume(returning: true)
    }

    private func cancel() {
        let phase = state.withLock { s in
            s.cancelled = true
            return s.phase
        }
        if phase == .started, let aio { nng_aio_cancel(aio) }
    }

    /// Ends the operation for a closing socket or context and returns once nng is done with it: an operation
    /// not yet started never starts, one being started is stopped as soon as nng has it, a started one is
    /// stopped (`nng_aio_stop`: cancelled, and its callback finished). Called with the registry's lock held, so
    /// the aio cannot be freed meanwhile.
    fileprivate func stop() {
        while true {
            let phase = state.withLock { s in
                s.cancelled = true
                return s.phase
            }
            switch phase {
            case .idle:
                return
            case .starting:
                sched_yield()
            case .started:
                if let aio { nng_aio_stop(aio) }
                return
            }
        }
    }
}

/// The operations in flight on one socket or context, so that closing it can end them before nng closes it.
///
/// nng 1.5 (Debian's) can deadlock in `nng_close` when an operation is still pending on the socket (nng issues
/// 1543 and 1813: its reaper waits forever for an aio that was prepared but never scheduled); stopping every
/// pending operation first means `nng_close` never races one.
final class NNGOperationRegistry: Sendable {
    private struct State {
        var closed = false
        var operations: [ObjectIdentifier: NNGAsyncOperation] = [:]
    }

    private let state = Mutex(State())

    /// Whether `close()` has begun.
    var isClosed: Bool { state.withLock { $0.closed } }

    /// Adds a starting operation; false when the registry is closed (the operation must not start).
    fileprivate func insert(_ operation: NNGAsyncOperation) -> Bool {
        state.withLock { s in
            guard !s.closed else { return false }
            s.operations[ObjectIdentifier(operation)] = operation
            return true
        }
    }

    fileprivate func remove(_ operation: NNGAsyncOperation) {
        _ = state.withLock { $0.operations.removeValue(forKey: ObjectIdentifier(operation)) }
    }

    /// Refuses new operations and stops every pending one (each fails with `.closed`); returns when nng holds
    /// none of them. Returns false when already closed.
    func close() -> Bool {
        state.withLock { s in
            guard !s.closed else { return false }
            s.closed = true
            for operation in s.operations.values { operation.stop() }
            return true
        }
    }
}

/// nng calls this on one of its threads when an aio completes (successfully, with an error, or cancelled).
private let nngAsyncCallback: @convention(c) (UnsafeMutableRawPointer?) -> Void = { argument in
    guard let argument else { return }
    Unmanaged<NNGAsyncOperation>.fromOpaque(argument).takeUnretainedValue().complete()
}

/// A Swift duration as an nng duration (milliseconds, at least 1 so a short timeout never means "default").
func nngMilliseconds(_ d: Duration) -> Int32 {
    Int32(clamping: max(d.milliseconds, 1))
}
