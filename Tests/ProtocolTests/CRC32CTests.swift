import Foundation
import Seeding
import Testing
import TestSupport
@testable import Protocol

@Suite struct CRC32CTests {
    @Test func knownVectors() {
        // RFC 3720 (iSCSI) appendix B.4 and the common "123456789" check value.
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(CRC32C.checksum([]) == 0)
    }

    @Test(arguments: CRC32C.Implementation.allCases.filter(\.isAvailable))
    func everyImplementationMatchesSoftwareAtEveryLengthAndAlignment(_ implementation: CRC32C.Implementation) {
        var rng = SeededGenerator(seed: 7)
        let data = (0..<(3 * 8192 * 2 + 3 * 256 * 3 + 77)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        data.withUnsafeBytes { all in
            // Around every block size of the folds: 16, 64, 128, 256 (and the 256- and 512-byte thresholds of the
            // wider ones), and the 6 KiB blocks in which the 128-bit fold and three `crc32` streams run side by side.
            let lengths = [0, 1, 7, 8, 9, 15, 16, 63, 64, 127, 128, 129, 143, 144, 191, 192, 255, 256, 257, 271, 272,
                           383, 384, 400, 511, 512, 513, 575, 576, 591, 767, 768, 769, 1023, 1024, 1088, 1104, 6143, 6144,
                           6145, 6208, 12_288, 12_301, 24_576, 24_589, all.count - 8]
            for length in lengths {
                for offset in 0..<8 {
                    let slice = UnsafeRawBufferPointer(rebasing: all[offset..<(offset + length)])
                    let running = UInt32(truncatingIfNeeded: length &* 2_654_435_761)  // a nonzero starting CRC too
                    #expect(CRC32C.update(0, slice, with: implementation) == CRC32C.updateSoftware(0, slice),
                            "\(implementation), length \(length) offset \(offset)")
                    #expect(CRC32C.update(running, slice, with: implementation) == CRC32C.updateSoftware(running, slice),
                            "\(implementation), length \(length) offset \(offset), running CRC")
                }
            }
            // Chaining equals one pass.
            let a = UnsafeRawBufferPointer(rebasing: all[0..<1000])
            let b = UnsafeRawBufferPointer(rebasing: all[1000..<30_000])
            #expect(CRC32C.update(CRC32C.checksum(a), b) == CRC32C.checksum(UnsafeRawBufferPointer(rebasing: all[0..<30_000])))
        }
    }

    /// Every block split the start-up timing may pick, and the narrowest and widest valid ones, gives the table's
    /// checksum, at lengths around each split's block size and with a nonzero running CRC.
    @Test(arguments: [CRC32C.Implementation.pclmul, .vpclmul256].filter(\.isAvailable))
    func everyBlockSplitMatchesSoftware(_ implementation: CRC32C.Implementation) throws {
        var rng = SeededGenerator(seed: 13)
        let data = (0..<50_000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let splits = CRC32C.BlockSplit.candidates + [
            try #require(CRC32C.BlockSplit(foldBytes: 256)), try #require(CRC32C.BlockSplit(foldBytes: 6016)),
            try #require(CRC32C.BlockSplit(foldBytes: 1024, blockBytes: 16_384)),
        ]
        data.withUnsafeBytes { all in
            for split in splits {
                let block = split.blockBytes
                for length in [0, 1, 255, block - 1, block, block + 1, block + 64, 2 * block + 13, 3 * block] {
                    for offset in [0, 3] {
                        let slice = UnsafeRawBufferPointer(rebasing: all[offset..<(offset + length)])
                        #expect(CRC32C.update(0x89AB_CDEF, slice, with: implementation, split: split)
                                    == CRC32C.updateSoftware(0x89AB_CDEF, slice),
                                "\(implementation), \(split), length \(length) offset \(offset)")
                    }
                }
            }
        }
    }

    @Test func blockSplitsAreCheckedAndCanBeRequested() throws {
        for invalid in [0, 128, 255, 1000, 6144, 6100] { #expect(CRC32C.BlockSplit(foldBytes: invalid) == nil, "\(invalid)") }
        let quarter = try #require(CRC32C.BlockSplit(foldBytes: 1536))
        #expect(quarter.streamBytes == 1536)
        #expect(try #require(CRC32C.BlockSplit(foldBytes: 2048)).streamBytes == 1360, "streams are whole 8-byte words")
        let variable = CRC32C.BlockSplit.requestVariable
        #expect(CRC32C.BlockSplit.requested(in: [variable: "1536"]) == quarter)
        for refused in ["", "abc", "-1536", "1500", "99999999"] {
            #expect(CRC32C.BlockSplit.requested(in: [variable: refused]) == nil, "\(refused)")
        }
        #expect(CRC32C.BlockSplit.requested(in: [:]) == nil)
        // The timing returns one of the splits it was given.
        for implementation in [CRC32C.Implementation.pclmul, .vpclmul256] where implementation.isAvailable {
            let candidates = Array(CRC32C.BlockSplit.candidates.prefix(3))
            #expect(candidates.contains(CRC32C.BlockSplit.fastest(of: candidates, with: implementation)))
        }
    }

    /// Copying while checksumming (what the frame encoder does with bulk arrays) copies every byte exactly and gives
    /// the checksum of what it copied, at lengths around the folds' block sizes and at every alignment of both ends.
    @Test(arguments: CRC32C.Implementation.allCases.filter(\.isAvailable))
    func copyingWhileChecksummingCopiesExactly(_ implementation: CRC32C.Implementation) {
        var rng = SeededGenerator(seed: 11)
        let source = (0..<70_000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let lengths = [0, 1, 63, 64, 255, 256, 511, 512, 513, 575, 767, 768, 831, 1023, 6144, 16_384, 16_447, 40_000, 65_536]
        source.withUnsafeBytes { all in
            for length in lengths {
                for (from, to) in [(0, 0), (1, 0), (0, 3), (5, 7), (63, 1)] {
                    var destination = [UInt8](repeating: 0xEE, count: length + 80)
                    let slice = UnsafeRawBufferPointer(rebasing: all[from..<(from + length)])
                    let crc = destination.withUnsafeMutableBytes { out in
                        CRC32C.copyUpdating(0x1234_5678, from: slice.baseAddress!, to: out.baseAddress! + to, count: length,
                                            with: implementation)
                    }
                    #expect(crc == CRC32C.updateSoftware(0x1234_5678, slice), "\(implementation), length \(length)")
                    #expect(Array(destination[to..<(to + length)]) == Array(slice), "\(implementation), length \(length)")
                    // Nothing written outside the destination range.
                    #expect(destination[..<to].allSatisfy { $0 == 0xEE } && destination[(to + length)...].allSatisfy { $0 == 0xEE })
                }
            }
        }
    }

    /// A checksumming writer (what the frame encoder runs) gives the checksum of everything it wrote whatever the mix
    /// of small fields and arrays: arrays large enough to be copied while checksummed leave the last part of a block
    /// for what follows, and small fields that pile up past a block before the next large array are taken with it.
    @Test(arguments: CRC32C.Implementation.allCases.filter(\.isAvailable))
    func aWriterChecksumsEverythingItWroteAcrossArraysAndFields(_ implementation: CRC32C.Implementation) {
        var rng = SeededGenerator(seed: 12)
        func bytes(_ n: Int) -> [UInt8] { (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) } }
        let large = [4096, 6143, 6144, 6145, 20_000, 40_001].map(bytes)
        let small = [1, 7, 100, 4000, 4095].map(bytes)
        let floats = (0..<5_000).map { _ in Float(bitPattern: UInt32(truncatingIfNeeded: rng.next())) }
        var buffer = [UInt8](repeating: 0, count: 200_000)
        let seed: UInt32 = 0xABCD_1234
        let (written, crc) = buffer.withUnsafeMutableBytes { out in
            var writer = WireWriter(into: out, checksumSeed: seed, implementation: implementation)
            writer.write(UInt8(9))
            for (index, block) in large.enumerated() {
                block.withUnsafeBytes { writer.writeRaw($0) }
                writer.write(small[index % small.count])  // a u32 count and the bytes, copied without checksumming
                if index == 2 { for piece in small.suffix(3) { writer.write(piece) } }  // ~12 KiB of small writes
            }
            writer.write(floats)
            writer.write("the end")
            return (writer.count, writer.finishChecksum())
        }
        #expect(crc == buffer.withUnsafeBytes { CRC32C.updateSoftware(seed, UnsafeRawBufferPointer(rebasing: $0[..<written])) },
                "\(implementation)")
        var expected: [UInt8] = [9]
        for (index, block) in large.enumerated() {
            expected += block
            for piece in [small[index % small.count]] + (index == 2 ? Array(small.suffix(3)) : []) {
                expected += withUnsafeBytes(of: UInt32(piece.count).littleEndian, Array.init) + piece
            }
        }
        expected += withUnsafeBytes(of: UInt32(floats.count).littleEndian, Array.init) + floats.withUnsafeBytes(Array.init)
        expected += withUnsafeBytes(of: UInt32(7).littleEndian, Array.init) + Array("the end".utf8)
        #expect(Array(buffer[..<written]) == expected, "\(implementation)")
    }

    /// The widest implementation the CPU runs is the one used (as /proc/cpuinfo lists the CPU's features).
    @Test func selectionFollowsTheCPU() throws {
        #expect(CRC32C.selected.isAvailable && CRC32C.implementation == CRC32C.selected.rawValue)
        #if arch(x86_64) && os(Linux)
        let flags = try #require(CPUFlags.current())
        let expected: CRC32C.Implementation = flags.isSuperset(of: ["sse4_2", "pclmulqdq", "vpclmulqdq", "avx512f"]) ? .vpclmul
            : flags.isSuperset(of: ["sse4_2", "pclmulqdq", "vpclmulqdq", "avx2"]) ? .vpclmul256
            : flags.isSuperset(of: ["sse4_2", "pclmulqdq"]) ? .pclmul : .software
        let requested = ProcessInfo.processInfo.environment[CRC32C.requestVariable].flatMap { name in
            CRC32C.Implementation.allCases.first { "\($0)" == name && $0.isAvailable }
        }
        #expect(CRC32C.selected == requested ?? expected)
        #endif
    }
}
