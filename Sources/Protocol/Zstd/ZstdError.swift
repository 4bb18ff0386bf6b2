internal import CZstd

/// An error from zstd, or a decompression refused because it would exceed a declared bound.
public struct ZstdError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// zstd itself failed; `message` is zstd's error name.
        case library(code: Int)
        /// The compressed data decodes to more bytes than the caller allows.
        case exceedsBound(limit: Int)
        /// The data decoded to a different size than declared.
        case sizeMismatch(declared: Int, actual: Int)
        /// The input ended inside a frame.
        case truncated
    }

    public let reason: Reason
    public let message: String
    public let operation: String

    init(_ reason: Reason, message: String, operation: String) {
        self.reason = reason
        self.message = message
        self.operation = operation
    }

    public var description: String { "zstd: \(operation): \(message)" }
}

/// The one choke point for zstd return codes: a `size_t` that is either a size or an error code.
@inline(__always)
func zstdCheck(_ result: Int, _ operation: @autoclosure () -> String) throws(ZstdError) -> Int {
    if ZSTD_isError(result) != 0 {
        throw ZstdError(.library(code: result), message: String(cString: ZSTD_getErrorName(result)),
                        operation: operation())
    }
    return result
}
