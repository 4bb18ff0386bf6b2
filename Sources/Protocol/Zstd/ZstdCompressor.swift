internal import CZstd

/// A zstd compression context (`ZSTD_CCtx`) with a level and a worker-thread count, owned by this object.
///
/// Reuse one compressor for many inputs: the context keeps its buffers. Not thread-safe; one owner at a time.
public final class ZstdCompressor {
    private let context: OpaquePointer
    public let level: Int32
    public let threads: Int32

    /// `level` 1…19 (negative levels trade ratio for speed); `threads` > 0 compresses large inputs in parallel.
    public init(level: Int32 = 3, threads: Int32 = 0) throws(ZstdError) {
        guard let context = ZSTD_createCCtx() else {
            throw ZstdError(.library(code: 0), message: "out of memory", operation: "create context")
        }
        self.context = context
        self.level = level
        self.threads = threads
        do {
            _ = try zstdCheck(ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, level), "set level \(level)")
            _ = try zstdCheck(ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 0), "disable checksum")
            if threads > 0 {
                _ = try zstdCheck(ZSTD_CCtx_setParameter(context, ZSTD_c_nbWorkers, threads), "set \(threads) workers")
            }
        } catch {
            ZSTD_freeCCtx(context)
            throw error
        }
    }

    deinit { ZSTD_freeCCtx(context) }

    /// The most bytes compressing `count` bytes can produce.
    public static func bound(_ count: Int) -> Int { ZSTD_compressBound(count) }

    /// Compresses `source` into `destination` (at least `bound(source.count)` bytes); returns the bytes written.
    public func compress(_ source: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer) throws(ZstdError) -> Int {
        try zstdCheck(ZSTD_compress2(context, destination.baseAddress, destination.count,
                                     source.baseAddress, source.count), "compress \(source.count) bytes")
    }

    /// Compresses `source` into a new array. The frame records the original size.
    public func compress(_ source: UnsafeRawBufferPointer) throws(ZstdError) -> [UInt8] {
        var error: ZstdError?
        let out = [UInt8](unsafeUninitializedCapacity: Self.bound(source.count)) { buffer, count in
            do throws(ZstdError) { count = try compress(source, into: UnsafeMutableRawBufferPointer(buffer)) } catch let e {
                error = e
                count = 0
            }
        }
        if let error { throw error }
        return out
    }

    /// Streaming compression: feeds each input chunk through one zstd frame and hands every compressed piece
    /// to `output` as it is produced, so arbitrarily large data never sits in memory twice.
    public func compressStream(_ input: some Sequence<UnsafeRawBufferPointer>,
                               output: (UnsafeRawBufferPointer) throws -> Void) throws {
        _ = try zstdCheck(ZSTD_CCtx_reset(context, ZSTD_reset_session_only), "reset stream")
        let outCapacity = ZSTD_CStreamOutSize()
        let outBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: outCapacity, alignment: 16)
        defer { outBuffer.deallocate() }
        func drain(_ chunk: UnsafeRawBufferPointer, mode: ZSTD_EndDirective) throws {
            var inBuf = ZSTD_inBuffer(src: chunk.baseAddress, size: chunk.count, pos: 0)
            while true {
                var outBuf = ZSTD_outBuffer(dst: outBuffer.baseAddress, size: outCapacity, pos: 0)
                let remaining = try zstdCheck(ZSTD_compressStream2(context, &outBuf, &inBuf, mode), "compress stream")
                if outBuf.pos > 0 { try output(UnsafeRawBufferPointer(rebasing: outBuffer[0..<outBuf.pos])) }
                let finished = mode == ZSTD_e_end ? remaining == 0 : inBuf.pos == inBuf.size
                if finished { return }
            }
        }
        for chunk in input { try drain(chunk, mode: ZSTD_e_continue) }
        try drain(UnsafeRawBufferPointer(start: nil, count: 0), mode: ZSTD_e_end)
    }
}
