internal import CCRC32C
import Foundation
import Primitives

/// CRC32C (Castagnoli, the iSCSI/ext4 polynomial) of frame bytes.
///
/// Uses carry-less multiply folding plus the SSE4.2 instruction where the CPU has them (CCRC32C.h; 512-bit
/// folding where it also has VPCLMULQDQ and AVX-512, 256-bit where it has VPCLMULQDQ with AVX2) and a table-driven
/// software loop elsewhere; all give the same value. `update` chains: `crc(a + b) == update(crc(a), b)`. The 128-
/// and 256-bit paths split each block between the fold and three `crc32` streams in the proportion that was fastest
/// on this CPU when first used (`BlockSplit`).
public enum CRC32C {
    /// The reflected Castagnoli polynomial.
    static let polynomial: UInt32 = 0x82F6_3B78

    /// The checksum of `bytes`.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 { update(0, bytes) }

    /// The checksum of `bytes`.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 { bytes.withUnsafeBytes { update(0, $0) } }

    /// Extends a checksum with more bytes.
    public static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        update(crc, bytes, with: selected)
    }

    /// The ways this CPU may compute the checksum, all giving the same value.
    public enum Implementation: String, CaseIterable, Sendable {
        /// Byte-table loop: any CPU.
        case software = "software table"
        /// 64 bytes a step in four 128-bit lanes (PCLMULQDQ) beside three SSE4.2 `crc32` streams.
        case pclmul = "sse4.2+pclmul"
        /// 128 bytes a step in four 256-bit registers (VPCLMULQDQ with AVX2: Zen 3, Alder Lake) beside three `crc32`
        /// streams.
        case vpclmul256 = "avx2+vpclmulqdq"
        /// 256 bytes a step in four 512-bit registers (VPCLMULQDQ, AVX-512), the rest as `pclmul`.
        case vpclmul = "avx512+vpclmulqdq"

        public var isAvailable: Bool {
            switch self {
            case .software: true
            case .pclmul: ccrc32c_hardware_available() != 0
            case .vpclmul256: ccrc32c_vpclmul256_available() != 0
            case .vpclmul: ccrc32c_vpclmul_available() != 0
            }
        }
    }

    /// Names an implementation to use instead of the widest (`software`, `pclmul`, `vpclmul256`, `vpclmul`): for
    /// measuring one against another in the same binary. One this CPU lacks is ignored.
    public static let requestVariable = "GRPO_LAMBDA_CRC32C"

    /// The implementation every checksum uses: the request if this CPU runs it, else the widest this CPU runs.
    static let selected: Implementation = {
        let requested = ProcessInfo.processInfo.environment[requestVariable].flatMap { name in
            Implementation.allCases.first { "\($0)" == name }
        }
        if let requested, requested.isAvailable { return requested }
        return Implementation.allCases.last(where: \.isAvailable) ?? .software
    }()

    /// Extends a checksum with one implementation (it must be available): for tests and benchmarks.
    public static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer, with implementation: Implementation) -> UInt32 {
        update(crc, bytes, with: implementation, split: nil)
    }

    /// Extends a checksum with one implementation and, for the hybrid ones, one block split (nil: the one this
    /// process chose for that implementation).
    static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer, with implementation: Implementation,
                       split: BlockSplit?) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return crc }
        switch implementation {
        case .software: return updateSoftware(crc, bytes)
        case .pclmul: return ccrc32c_update_hardware(crc, base, bytes.count, (split ?? BlockSplit.forPCLMUL).c)
        case .vpclmul256: return ccrc32c_update_vpclmul256(crc, base, bytes.count, (split ?? BlockSplit.forVPCLMUL256).c)
        case .vpclmul: return ccrc32c_update_vpclmul(crc, base, bytes.count)
        }
    }

    /// How the 128- and 256-bit paths divide each block of about 6 KiB: the first `foldBytes` folded by carry-less
    /// multiplies, then three streams of `streamBytes` through the `crc32` instruction, side by side in one loop.
    ///
    /// The best proportion is the one at which both units finish together, and it differs between CPUs by more
    /// than a factor of two (on Zen 5 the 128-bit path runs at 30 GB/s with half of each block folded and 43 GB/s
    /// with a quarter; on Zen 1, whose `crc32` is slow, more folding pays). So the first checksum of a process
    /// times a few splits over 48 KiB (2–3 ms with making them, once) and keeps the fastest; `GRPO_LAMBDA_CRC32C_FOLD_BYTES`
    /// fixes one instead, for measurements. Every split gives the same checksum.
    struct BlockSplit: Sendable, Equatable, CustomStringConvertible {
        /// What the C loops take: the sizes and the carry-less multiply constants that join the parts, computed once.
        let c: ccrc32c_split
        var foldBytes: Int { Int(c.fold_bytes) }
        var streamBytes: Int { Int(c.stream_bytes) }
        /// The bytes of one block: the folded part and the three streams.
        var blockBytes: Int { foldBytes + 3 * streamBytes }

        /// A block of about `blockBytes` with `foldBytes` folded; nil unless that is a multiple of 128, at least 256,
        /// and leaves the streams at least 8 bytes each.
        init?(foldBytes: Int, blockBytes: Int = 6144) {
            guard foldBytes >= 256, foldBytes % 128 == 0, blockBytes - foldBytes >= 24, blockBytes <= 1 << 20 else { return nil }
            c = ccrc32c_make_split(UInt32(foldBytes), UInt32((blockBytes - foldBytes) / 24 * 8))
        }

        var description: String { "fold \(foldBytes) B + 3 × \(streamBytes) B" }

        static func == (a: BlockSplit, b: BlockSplit) -> Bool { a.foldBytes == b.foldBytes && a.streamBytes == b.streamBytes }

        /// Half of each block folded (what a CPU that computes none of them correctly falls back to).
        static let half = BlockSplit(foldBytes: 3072)!
        /// The splits timed: the fold's share from a sixth to two thirds.
        static let candidates = [1024, 1536, 2048, 3072, 4096].map { BlockSplit(foldBytes: $0)! }
        /// Fixes the split (`GRPO_LAMBDA_CRC32C_FOLD_BYTES=1536`) instead of timing them; an invalid value is ignored.
        static let requestVariable = "GRPO_LAMBDA_CRC32C_FOLD_BYTES"

        /// The split `environment` asks for, if it names a valid one.
        static func requested(in environment: [String: String]) -> BlockSplit? {
            environment[requestVariable].flatMap(Int.init).flatMap { BlockSplit(foldBytes: $0) }
        }

        static let forPCLMUL = chosen(for: .pclmul)
        static let forVPCLMUL256 = chosen(for: .vpclmul256)

        /// The split `implementation` uses in this process, when it is one of the hybrid paths.
        static func inUse(by implementation: Implementation) -> BlockSplit? {
            switch implementation {
            case .pclmul: forPCLMUL
            case .vpclmul256: forVPCLMUL256
            case .software, .vpclmul: nil
            }
        }

        private static func chosen(for implementation: Implementation) -> BlockSplit {
            if let requested = requested(in: ProcessInfo.processInfo.environment) { return requested }
            guard implementation.isAvailable else { return .half }
            return fastest(of: candidates, with: implementation)
        }

        /// Times each split over 48 KiB (eight blocks, in L2), sixteen times, in nine interleaved rounds so that a
        /// change in the machine's load moves all of them alike, and returns the one with the shortest time. A split
        /// whose checksum differs from the table's is never chosen (none should; comparing each result also keeps
        /// the timed work from being optimised away).
        static func fastest(of splits: [BlockSplit], with implementation: Implementation) -> BlockSplit {
            let bytes = (0..<(48 << 10)).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) }
            var best = [Double](repeating: .infinity, count: splits.count)
            let clock = ContinuousClock()
            bytes.withUnsafeBytes { buffer in
                let expected = updateSoftware(0, buffer)
                for _ in 0..<9 {
                    for (index, split) in splits.enumerated() {
                        var wrong = false
                        let elapsed = clock.measure {
                            for _ in 0..<16 { wrong = update(0, buffer, with: implementation, split: split) != expected || wrong }
                        }
                        if !wrong { best[index] = min(best[index], elapsed.seconds) }
                    }
                }
            }
            guard let fastest = best.indices.min(by: { best[$0] < best[$1] }), best[fastest].isFinite else { return .half }
            return splits[fastest]
        }
    }

    /// The block split `implementation` uses on this CPU, when it is one of the hybrid paths.
    public static func blockSplit(for implementation: Implementation) -> String? {
        BlockSplit.inUse(by: implementation)?.description
    }

    /// What a machine report (`grpo-lambda machine`, every benchmark's `machine` object) says of the checksum: the
    /// implementation and, for the hybrid paths, its block split.
    public static var machineReport: [String: String] {
        var report = ["crc32c": implementation]
        report["crc32c_block_split"] = blockSplit(for: selected)
        return report
    }

    /// Copies `count` bytes and extends `crc` with them: `copyUpdating(_:pending:from:to:count:with:)` with nothing
    /// pending before and nothing left pending after.
    static func copyUpdating(_ crc: UInt32, from source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer,
                             count: Int, with implementation: Implementation = selected) -> UInt32 {
        let (crc, pending) = copyUpdating(crc, pending: 0, from: source, to: destination, count: count, with: implementation)
        return update(crc, UnsafeRawBufferPointer(start: destination + count - pending, count: pending), with: implementation)
    }

    /// Copies `count` bytes to `destination` and extends `crc` with them, where the `pending` bytes just before
    /// `destination` were written earlier and are not in `crc` yet. Returns the checksum and how many of the last
    /// bytes it leaves out (fewer than one block: the caller adds them, with the bytes it writes next, or at the end).
    ///
    /// Why: a large payload should be read from memory once, not once to copy and once to checksum. The 512-bit
    /// fold stores each vector it loads (the bytes are read once, for both). The other paths copy a piece and
    /// checksum it while it is still in L1 cache (storing from their loads sped their copies up but, in one loop
    /// with the checksum, slowed their plain checksum more), in whole blocks of the hybrid loops: a block's worth
    /// left at the end of each piece or array would take the fold alone at half the speed (on Zen 5's 128-bit path,
    /// a 256 KiB group of twelve arrays, each copied and checksummed in 16 KiB pieces, encoded at 17 GB/s; whole
    /// blocks carried across pieces and arrays: 23).
    static func copyUpdating(_ crc: UInt32, pending: Int, from source: UnsafeRawPointer,
                             to destination: UnsafeMutableRawPointer, count: Int,
                             with implementation: Implementation = selected) -> (crc: UInt32, pending: Int) {
        let start = UnsafeRawPointer(destination - pending)
        if implementation == .vpclmul {
            let crc = update(crc, UnsafeRawBufferPointer(start: start, count: pending), with: implementation)
            return (ccrc32c_copy_update_vpclmul(crc, destination, source, count), 0)
        }
        let split = BlockSplit.inUse(by: implementation)
        let block = split?.blockBytes ?? 1
        let piece = split.map { 3 * $0.blockBytes } ?? 16 << 10  // about 18 KiB for the hybrid paths
        var crc = crc
        var checksummed = 0  // bytes from `start` in `crc`
        var copied = 0
        while copied < count {
            let n = min(piece, count - copied)
            (destination + copied).copyMemory(from: source + copied, byteCount: n)
            copied += n
            let whole = (pending + copied - checksummed) / block * block
            crc = update(crc, UnsafeRawBufferPointer(start: start + checksummed, count: whole), with: implementation)
            checksummed += whole
        }
        return (crc, pending + count - checksummed)
    }

    /// The byte-at-a-time reference; also the fallback on CPUs without the instruction.
    static func updateSoftware(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var c = ~crc
        byteTable.withUnsafeBufferPointer { table in
            for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        }
        return ~c
    }

    /// Which implementation runs on this CPU (for benchmark reports).
    public static var implementation: String { selected.rawValue }

    /// One byte of the software loop.
    static let byteTable: [UInt32] = (0..<256).map { i in
        var c = UInt32(i)
        for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ CRC32C.polynomial : c >> 1 }
        return c
    }
}
