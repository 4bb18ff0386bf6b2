internal import CCRC32C

/// CRC32C (Castagnoli, the iSCSI/ext4 polynomial) of frame bytes.
///
/// Uses carry-less multiply folding plus the SSE4.2 instruction where the CPU has them (CCRC32C.h) and a
/// table-driven software loop elsewhere; both give the same value. `update` chains: `crc(a + b) == update(crc(a), b)`.
public enum CRC32C {
    /// The reflected Castagnoli polynomial.
    static let polynomial: UInt32 = 0x82F6_3B78

    /// The checksum of `bytes`.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 { update(0, bytes) }

    /// The checksum of `bytes`.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 { bytes.withUnsafeBytes { update(0, $0) } }

    /// Extends a checksum with more bytes.
    public static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return crc }
        if hardware { return ccrc32c_update_hardware(crc, base, bytes.count) }
        return updateSoftware(crc, bytes)
    }

    /// Copies `count` bytes and extends `crc` with them in the same pass: each 16 KiB piece is checksummed while
    /// it is still in L1 cache, so a large payload is read from memory once instead of twice.
    static func copyUpdating(_ crc: UInt32, from source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer,
                             count: Int) -> UInt32 {
        let piece = 16 << 10
        var crc = crc
        var done = 0
        while done < count {
            let n = min(piece, count - done)
            (destination + done).copyMemory(from: source + done, byteCount: n)
            crc = update(crc, UnsafeRawBufferPointer(start: destination + done, count: n))
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

    static let hardware = ccrc32c_hardware_available() != 0

    /// Which implementation runs on this CPU (for benchmark reports).
    public static var implementation: String { hardware ? "sse4.2+pclmul" : "software table" }

    /// One byte of the software loop.
    static let byteTable: [UInt32] = (0..<256).map { i in
        var c = UInt32(i)
        for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ CRC32C.polynomial : c >> 1 }
        return c
    }
}
