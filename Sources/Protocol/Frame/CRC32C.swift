internal import CCRC32C

/// CRC32C (Castagnoli, the iSCSI/ext4 polynomial) of frame bytes.
///
/// Uses the SSE4.2 instruction in three interleaved streams where the CPU has it and a table-driven software
/// loop elsewhere; both give the same value. `update` chains: `crc(a + b) == update(crc(a), b)`.
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
        if tables.hardware {
            return tables.long.withUnsafeBufferPointer { long in
                tables.short.withUnsafeBufferPointer { short in
                    ccrc32c_update_hardware(crc, base, bytes.count, long.baseAddress, Tables.longBlock,
                                            short.baseAddress, Tables.shortBlock)
                }
            }
        }
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
        tables.byte.withUnsafeBufferPointer { table in
            for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        }
        return ~c
    }

    /// Lookup tables, computed once.
    struct Tables: Sendable {
        static let longBlock = 8192
        static let shortBlock = 256
        let hardware: Bool
        /// One byte of the software loop.
        let byte: [UInt32]
        /// Multiply a raw CRC register by x^(8·longBlock) and x^(8·shortBlock) mod P (4 × 256 entries each).
        let long: [UInt32]
        let short: [UInt32]

        init() {
            hardware = ccrc32c_hardware_available() != 0
            byte = (0..<256).map { i in
                var c = UInt32(i)
                for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ CRC32C.polynomial : c >> 1 }
                return c
            }
            long = Tables.shiftTable(bytes: Tables.longBlock)
            short = Tables.shiftTable(bytes: Tables.shortBlock)
        }

        /// Table whose entry [k·256 + b] is (b << 8k) · x^(8·bytes) mod P, in the reflected representation.
        static func shiftTable(bytes: Int) -> [UInt32] {
            let factor = xPower(8 * bytes)
            var table = [UInt32](repeating: 0, count: 1024)
            for k in 0..<4 {
                for b in 0..<256 { table[k * 256 + b] = multiplyModP(factor, UInt32(b) << (8 * k)) }
            }
            return table
        }

        /// a · b mod P for reflected polynomials (bit 31 is x^0).
        static func multiplyModP(_ a: UInt32, _ b: UInt32) -> UInt32 {
            var m: UInt32 = 1 << 31
            var p: UInt32 = 0
            var b = b
            while m != 0 {
                if a & m != 0 { p ^= b }
                m >>= 1
                b = b & 1 != 0 ? (b >> 1) ^ CRC32C.polynomial : b >> 1
            }
            return p
        }

        /// x^n mod P by square-and-multiply.
        static func xPower(_ n: Int) -> UInt32 {
            var result: UInt32 = 1 << 31  // x^0
            var square: UInt32 = 1 << 30  // x^1
            var n = n
            while n > 0 {
                if n & 1 != 0 { result = multiplyModP(result, square) }
                square = multiplyModP(square, square)
                n >>= 1
            }
            return result
        }
    }

    static let tables = Tables()
}
