/// Writes little-endian wire values into a buffer of known size, or only counts them.
///
/// Encoding runs twice with the same code: a measuring writer sizes the payload exactly, then a writer over the
/// nng message body fills it, so the two can never disagree and nothing is copied afterwards.
/// A writer can also checksum what it writes (CRC32C), copying large arrays and checksumming them in one pass.
/// Layout rules (docs/PROTOCOL.md): integers and floats little-endian, no padding; strings, byte strings and
/// arrays are a u32 element count followed by the elements.
public struct WireWriter: ~Copyable {
    private let base: UnsafeMutableRawPointer?
    private let capacity: Int
    /// Bytes written (or counted) so far.
    public private(set) var count = 0
    /// Running CRC32C of bytes `0..<checksummedCount`, when checksumming.
    private var crc: UInt32?
    private var checksummedCount = 0
    private let checksumImplementation: CRC32C.Implementation

    /// A writer that only counts bytes.
    public static func measuring() -> WireWriter { WireWriter(base: nil, capacity: .max, crc: nil) }

    /// A writer into `buffer`; writing past its end is a programmer error. With `checksumSeed` (a CRC32C of
    /// what precedes the buffer) it also checksums everything written; read the result with `finishChecksum()`.
    public init(into buffer: UnsafeMutableRawBufferPointer, checksumSeed: UInt32? = nil) {
        self.init(base: buffer.baseAddress, capacity: buffer.count, crc: checksumSeed)
    }

    /// A checksumming writer that uses one CRC32C implementation (it must be available): for tests.
    init(into buffer: UnsafeMutableRawBufferPointer, checksumSeed: UInt32, implementation: CRC32C.Implementation) {
        self.init(base: buffer.baseAddress, capacity: buffer.count, crc: checksumSeed, implementation: implementation)
    }

    private init(base: UnsafeMutableRawPointer?, capacity: Int, crc: UInt32?,
                 implementation: CRC32C.Implementation = CRC32C.selected) {
        self.base = base
        self.capacity = capacity
        self.crc = crc
        checksumImplementation = implementation
    }

    /// The CRC32C of the seed's bytes followed by everything written (nil unless created with a seed).
    public mutating func finishChecksum() -> UInt32? {
        catchUpChecksum()
        return crc
    }

    /// Checksums bytes written since the last checksummed position (small fields, and the last part of a block
    /// left by a large array, are checksummed with what follows them).
    private mutating func catchUpChecksum() {
        guard let c = crc, let base, checksummedCount < count else { return }
        crc = CRC32C.update(c, UnsafeRawBufferPointer(start: base + checksummedCount, count: count - checksummedCount),
                            with: checksumImplementation)
        checksummedCount = count
    }

    @inline(__always)
    private mutating func advance(_ n: Int) -> UnsafeMutableRawPointer? {
        precondition(count + n <= capacity, "WireWriter overflow: measured size disagrees with encoding")
        defer { count += n }
        return base.map { $0 + count }
    }

    public mutating func write<T: FixedWidthInteger>(_ value: T) {
        let size = MemoryLayout<T>.size
        if let p = advance(size) { p.storeBytes(of: value.littleEndian, toByteOffset: 0, as: T.self) }
    }

    public mutating func write(_ value: Float) { write(value.bitPattern) }
    public mutating func write(_ value: Double) { write(value.bitPattern) }
    public mutating func write(_ value: Bool) { write(UInt8(value ? 1 : 0)) }

    /// A length-prefixed element count; refuses counts that do not fit in u32 (no frame can carry them).
    private mutating func writeCount(_ n: Int) {
        precondition(n <= Int(UInt32.max), "array of \(n) elements does not fit a frame")
        write(UInt32(n))
    }

    /// Raw bytes, no length prefix. Large blocks are copied and checksummed in one pass.
    public mutating func writeRaw(_ bytes: UnsafeRawBufferPointer) {
        guard let src = bytes.baseAddress, bytes.count > 0 else { return }
        if let c = crc, bytes.count >= 4096 {
            let start = count
            if let p = advance(bytes.count) {
                let (updated, pending) = CRC32C.copyUpdating(c, pending: start - checksummedCount, from: src, to: p,
                                                            count: bytes.count, with: checksumImplementation)
                crc = updated
                checksummedCount = start + bytes.count - pending
            }
        } else if let p = advance(bytes.count) {
            p.copyMemory(from: src, byteCount: bytes.count)
        }
    }

    /// u32 byte count + UTF-8 bytes.
    public mutating func write(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            writeCount(utf8.count)
            writeRaw(UnsafeRawBufferPointer(utf8))
        }
    }

    /// u32 count + little-endian integers (a byte string is `[UInt8]`).
    public mutating func write<T: FixedWidthInteger & BitwiseCopyable>(_ values: [T]) { writeBulk(values) }

    /// u32 count + IEEE-754 binary32 values, little-endian.
    public mutating func write(_ values: [Float]) { writeBulk(values) }

    /// u32 count + the elements' bytes, wherever they live.
    public mutating func write<T>(_ values: WireArray<T>) {
        writeCount(values.count)
        values.withUnsafeBytes { writeRaw($0) }
    }

    /// u32 count + the elements' bytes in one copy (the host is little-endian, like the wire; see WireReader).
    private mutating func writeBulk<T: BitwiseCopyable>(_ values: [T]) {
        writeCount(values.count)
        values.withUnsafeBytes { writeRaw($0) }
    }

    /// u32 count + strings.
    public mutating func write(_ values: [String]) {
        writeCount(values.count)
        for v in values { write(v) }
    }

    /// u32 count + each element's own encoding.
    public mutating func write<M: WireEncodable>(_ values: [M]) {
        writeCount(values.count)
        for v in values { v.encode(to: &self) }
    }
}
