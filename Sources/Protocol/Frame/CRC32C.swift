internal import CCRC32C
import Foundation

/// CRC32C (Castagnoli, the iSCSI/ext4 polynomial) of frame bytes.
///
/// Uses carry-less multiply folding plus the SSE4.2 instruction where the CPU has them (CCRC32C.h; 512-bit
/// folding where it also has VPCLMULQDQ and AVX-512, 256-bit where it has VPCLMULQDQ with AVX2) and a table-driven
/// software loop elsewhere; all give the same value. `update` chains: `crc(a + b) == update(crc(a), b)`.
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
        /// 64 bytes a step in four 128-bit lanes (PCLMULQDQ), the rest by SSE4.2 `crc32`.
        case pclmul = "sse4.2+pclmul"
        /// 128 bytes a step in four 256-bit registers (VPCLMULQDQ with AVX2: Zen 3, Alder Lake), the rest as
        /// `pclmul`.
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
        guard let base = bytes.baseAddress, bytes.count > 0 else { return crc }
        switch implementation {
        case .software: return updateSoftware(crc, bytes)
        case .pclmul: return ccrc32c_update_hardware(crc, base, bytes.count)
        case .vpclmul256: return ccrc32c_update_vpclmul256(crc, base, bytes.count)
        case .vpclmul: return ccrc32c_update_vpclmul(crc, base, bytes.count)
        }
    }

    /// Copies `count` bytes and extends `crc` with them in the same pass: the 512-bit fold stores each vector it
    /// loads (the bytes are read once, for both); the other paths copy each 16 KiB piece and checksum it while it is
    /// still in L1 cache (storing from their loads sped their copies up but, in one loop with the checksum, slowed
    /// their plain checksum more), so a large payload is read from memory once instead of twice.
    static func copyUpdating(_ crc: UInt32, from source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer,
                             count: Int, with implementation: Implementation = selected) -> UInt32 {
        if implementation == .vpclmul { return ccrc32c_copy_update_vpclmul(crc, destination, source, count) }
        let piece = 16 << 10
        var crc = crc
        var done = 0
        while done < count {
            let n = min(piece, count - done)
            (destination + done).copyMemory(from: source + done, byteCount: n)
            crc = update(crc, UnsafeRawBufferPointer(start: destination + done, count: n), with: implementation)
            done += n
        }
        return crc
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
