internal import CZstd

/// A zstd decompression context (`ZSTD_DCtx`), owned by this object.
///
/// Decompression is always bounded: the caller says how many bytes it expects (or allows), and data that
/// would decode to more is refused before the memory is spent. Not thread-safe; one owner at a time.
public final class ZstdDecompressor {
    private let context: OpaquePointer

    public init() throws(ZstdError) {
        guard let context = ZSTD_createDCtx() else {
            throw ZstdError(.library(code: 0), message: "out of memory", operation: "create context")
        }
        self.context = context
    }

    deinit { ZSTD_freeDCtx(context) }

    /// Decompresses one frame that must decode to exactly `destination.count` bytes.
    public func decompress(_ source: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer) throws(ZstdError) {
        let declared = ZSTD_getFrameContentSize(source.baseAddress, source.count)
        if declared == ZSTD_CONTENTSIZE_ERROR {
            throw ZstdError(.library(code: 0), message: "not a zstd frame", operation: "read frame header")
        }
        if declared != ZSTD_CONTENTSIZE_UNKNOWN, declared != UInt64(destination.count) {
            if declared > UInt64(destination.count) {
                throw ZstdError(.exceedsBound(limit: destination.count),
                                message: "frame declares \(declared) bytes, expected \(destination.count)",
                                operation: "decompress")
            }
            throw ZstdError(.sizeMismatch(declared: destination.count, actual: Int(declared)),
                            message: "frame declares \(declared) bytes, expected \(destination.count)",
                            operation: "decompress")
        }
        let written = try zstdCheck(ZSTD_decompressDCtx(context, destination.baseAddress, destination.count,
                                                        source.baseAddress, source.count),
                                    "decompress \(source.count) bytes")
        if written != destination.count {
            throw ZstdError(.sizeMismatch(declared: destination.count, actual: written),
                            message: "decoded \(written) bytes, expected \(destination.count)", operation: "decompress")
        }
    }

    /// Decompresses one frame of exactly `expectedCount` bytes into a new array.
    public func decompress(_ source: UnsafeRawBufferPointer, expectedCount: Int) throws(ZstdError) -> [UInt8] {
        var error: ZstdError?
        let out = [UInt8](unsafeUninitializedCapacity: expectedCount) { buffer, count in
            do throws(ZstdError) {
                try decompress(source, into: UnsafeMutableRawBufferPointer(buffer))
                count = expectedCount
            } catch let e {
                error = e
                count = 0
            }
        }
        if let error { throw error }
        return out
    }

    /// Streaming decompression of compressed chunks; decoded pieces go to `output`. Throws `.exceedsBound` as
    /// soon as more than `maxOutput` bytes come out and `.truncated` if the input ends inside the frame.
    /// Returns the number of decoded bytes.
    @discardableResult
    public func decompressStream(_ input: some Sequence<UnsafeRawBufferPointer>, maxOutput: Int,
                                 output: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        _ = try zstdCheck(ZSTD_DCtx_reset(context, ZSTD_reset_session_only), "reset stream")
        let outCapacity = ZSTD_DStreamOutSize()
        let outBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: outCapacity, alignment: 16)
        defer { outBuffer.deallocate() }
        var total = 0
        var lastHint = 1
        for chunk in input {
            var inBuf = ZSTD_inBuffer(src: chunk.baseAddress, size: chunk.count, pos: 0)
            repeat {
                var outBuf = ZSTD_outBuffer(dst: outBuffer.baseAddress, size: outCapacity, pos: 0)
                lastHint = try zstdCheck(ZSTD_decompressStream(context, &outBuf, &inBuf), "decompress stream")
                total += outBuf.pos
                if total > maxOutput {
                    throw ZstdError(.exceedsBound(limit: maxOutput), message: "stream decodes to more than \(maxOutput) bytes",
                                    operation: "decompress stream")
                }
                if outBuf.pos > 0 { try output(UnsafeRawBufferPointer(rebasing: outBuffer[0..<outBuf.pos])) }
                if outBuf.pos < outCapacity && inBuf.pos == inBuf.size { break }
            } while true
        }
        if lastHint != 0 {
            throw ZstdError(.truncated, message: "input ended inside a frame", operation: "decompress stream")
        }
        return total
    }
}
