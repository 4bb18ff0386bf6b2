internal import CNNG

/// An error reported by nng, with nng's own message and what grpo-lambda was doing when it happened.
public struct NNGError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The failure classes a caller can act on; everything else is `.other` with nng's code.
    public enum Reason: Sendable, Equatable {
        case timedOut
        case closed
        case connectionRefused
        case connectionReset
        case addressInUse
        case invalidAddress
        case messageTooLarge
        case canceled
        case notSupported
        case wouldBlock
        case peerAuthentication
        case crypto
        case protocolState
        case other(code: Int32)
    }

    public let reason: Reason
    /// nng's numeric error code (`NNG_E*`).
    public let code: Int32
    /// nng's description of the code (`nng_strerror`).
    public let message: String
    /// The operation that failed, e.g. `dial tcp://10.0.0.2:5555`.
    public let operation: String

    init(code: Int32, operation: String) {
        self.code = code
        self.operation = operation
        self.message = String(cString: nng_strerror(code))
        switch UInt32(code) {
        case NNG_ETIMEDOUT.rawValue: reason = .timedOut
        case NNG_ECLOSED.rawValue: reason = .closed
        case NNG_ECONNREFUSED.rawValue: reason = .connectionRefused
        case NNG_ECONNRESET.rawValue, NNG_ECONNABORTED.rawValue, NNG_ECONNSHUT.rawValue: reason = .connectionReset
        case NNG_EADDRINUSE.rawValue: reason = .addressInUse
        case NNG_EADDRINVAL.rawValue: reason = .invalidAddress
        case NNG_EMSGSIZE.rawValue: reason = .messageTooLarge
        case NNG_ECANCELED.rawValue: reason = .canceled
        case NNG_ENOTSUP.rawValue: reason = .notSupported
        case NNG_EAGAIN.rawValue: reason = .wouldBlock
        case NNG_EPEERAUTH.rawValue: reason = .peerAuthentication
        case NNG_ECRYPTO.rawValue: reason = .crypto
        case NNG_ESTATE.rawValue: reason = .protocolState
        default: reason = .other(code: code)
        }
    }

    public var description: String { "nng: \(operation): \(message) (code \(code))" }
}

/// The one choke point for nng return codes: zero is success, anything else becomes an `NNGError`.
@inline(__always)
func nngCheck(_ code: Int32, _ operation: @autoclosure () -> String) throws(NNGError) {
    if code != 0 { throw NNGError(code: code, operation: operation()) }
}
