import Seeding
import Testing
@testable import Protocol

@Suite struct ZstdTests {
    /// Compressible but not trivial: small integers, like token ids and BF16 deltas.
    static func sample(_ count: Int) -> [UInt8] {
        var rng = SeededGenerator(seed: 3)
        return (0..<count).map { _ in UInt8(rng.next() % 16) }
    }

    @Test(arguments: [(Int32(1), Int32(0)), (3, 0), (3, 2), (19, 0)])
    func oneShotRoundTrip(level: Int32, threads: Int32) throws {
        let data = Self.sample(300_000)
        let compressor = try ZstdCompressor(level: level, threads: threads)
        let compressed = try data.withUnsafeBytes { try compressor.compress($0) }
        #expect(compressed.count < data.count)
        let restored = try compressed.withUnsafeBytes { try ZstdDecompressor().decompress($0, expectedCount: data.count) }
        #expect(restored == data)
    }

    @Test func decompressionIsBoundedByTheDeclaredSize() throws {
        let data = Self.sample(10_000)
        let compressed = try data.withUnsafeBytes { try ZstdCompressor().compress($0) }
        let d = try ZstdDecompressor()
        #expect(throws: ZstdError.self) { try compressed.withUnsafeBytes { try d.decompress($0, expectedCount: 9_999) } }
        #expect(throws: ZstdError.self) { try compressed.withUnsafeBytes { try d.decompress($0, expectedCount: 10_001) } }
        #expect(throws: ZstdError.self) { try [UInt8](repeating: 7, count: 64).withUnsafeBytes { try d.decompress($0, expectedCount: 10) } }
        // The context is still usable after errors.
        #expect(try compressed.withUnsafeBytes { try d.decompress($0, expectedCount: 10_000) } == data)
    }

    @Test func streamingRoundTripInChunks() throws {
        let data = Self.sample(1_000_003)
        let chunks = stride(from: 0, to: data.count, by: 65_536).map { Array(data[$0..<min($0 + 65_536, data.count)]) }
        var compressed: [UInt8] = []
        try withBuffers(chunks) { try ZstdCompressor(level: 3).compressStream($0) { compressed.append(contentsOf: $0) } }
        var restored: [UInt8] = []
        let pieces = stride(from: 0, to: compressed.count, by: 1000).map { Array(compressed[$0..<min($0 + 1000, compressed.count)]) }
        let n = try withBuffers(pieces) { try ZstdDecompressor().decompressStream($0, maxOutput: data.count) { restored.append(contentsOf: $0) } }
        #expect(n == data.count)
        #expect(restored == data)
        #expect(throws: ZstdError.self) {
            try withBuffers(pieces) { try ZstdDecompressor().decompressStream($0, maxOutput: data.count - 1) { _ in } }
        }
        #expect(throws: ZstdError.self) {
            try withBuffers(Array(pieces.dropLast())) { try ZstdDecompressor().decompressStream($0, maxOutput: data.count) { _ in } }
        }
    }

    private func withBuffers<R>(_ chunks: [[UInt8]], _ body: ([UnsafeRawBufferPointer]) throws -> R) rethrows -> R {
        let copies = chunks.map { c -> UnsafeMutableRawBufferPointer in
            let p = UnsafeMutableRawBufferPointer.allocate(byteCount: c.count, alignment: 1)
            p.copyBytes(from: c)
            return p
        }
        defer { copies.forEach { $0.deallocate() } }
        return try body(copies.map { UnsafeRawBufferPointer($0) })
    }
}
