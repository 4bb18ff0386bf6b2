#if _endian(big)
#error("grpo-lambda's wire code copies arrays in bulk and assumes a little-endian host, like the wire format")
#endif

/// Reads little-endian wire values from a payload, checking every length before it allocates.
///
/// A count read from the wire is checked against the bytes that remain (so a lying count can never make us
/// allocate more than the payload itself), and every allocation is added to `allocatedBytes` so tests can
/// prove the decoder stays within the configured maximum. Errors name the message type and field.
public struct WireReader: ~Copyable {
    private let bytes: UnsafeRawBufferPointer
    private var offset = 0
    /// The message being decoded, for error messages.
    public let messageType: MessageType?
    /// Bytes allocated for decoded arrays and strings so far.
    public private(set) var allocatedBytes = 0
    /// When set, `bytes` lies inside this backing and bulk arrays are decoded as views into it.
    private let backing: WireBacking?

    /// A reader of `bytes`; arrays are copied out.
    public init(_ bytes: UnsafeRawBufferPointer, messageType: MessageType? = nil) {
        self.bytes = bytes
        self.messageType = messageType
        backing = nil
    }

    /// A reader of `bytes`, which must lie inside `backing`; `WireArray` fields borrow from it, not copy.
    init(_ bytes: UnsafeRawBufferPointer, messageType: MessageType?, backing: WireBacking) {
        self.bytes = bytes
        self.messageType = messageType
        self.backing = backing
    }

    /// Bytes not yet read.
    public var remaining: Int { bytes.count - offset }

    func malformed(_ field: String, _ reason: String) -> ProtocolError {
        .malformedPayload(type: messageType, field: field, reason: reason)
    }

    @inline(__always)
    private mutating func take(_ n: Int, _ field: String) throws(ProtocolError) -> UnsafeRawPointer {
        guard n >= 0, n <= remaining, let base = bytes.baseAddress else {
            throw malformed(field, "needs \(n) bytes, \(remaining) left")
        }
        defer { offset += n }
        return base + offset
    }

    public mutating func read<T: FixedWidthInteger>(_: T.Type = T.self, _ field: String) throws(ProtocolError) -> T {
        T(littleEndian: try take(MemoryLayout<T>.size, field).loadUnaligned(as: T.self))
    }

    public mutating func readFloat(_ field: String) throws(ProtocolError) -> Float {
        Float(bitPattern: try read(UInt32.self, field))
    }

    public mutating func readDouble(_ field: String) throws(ProtocolError) -> Double {
        Double(bitPattern: try read(UInt64.self, field))
    }

    public mutating func readBool(_ field: String) throws(ProtocolError) -> Bool {
        switch try read(UInt8.self, field) {
        case 0: return false
        case 1: return true
        case let v: throw malformed(field, "boolean byte \(v)")
        }
    }

    /// A u32 element count, checked so that `count × minimumElementSize` bytes really remain.
    public mutating func readCount(_ field: String, minimumElementSize: Int) throws(ProtocolError) -> Int {
        let n = Int(try read(UInt32.self, field))
        if minimumElementSize > 0, n > remaining / minimumElementSize {
            throw malformed(field, "count \(n) needs at least \(n * minimumElementSize) bytes, \(remaining) left")
        }
        return n
    }

    private mutating func account(_ n: Int) { allocatedBytes += n }

    /// u32 byte count + UTF-8; invalid UTF-8 is an error, not repaired.
    public mutating func readString(_ field: String) throws(ProtocolError) -> String {
        let n = try readCount(field, minimumElementSize: 1)
        let p = try take(n, field)
        account(n)
        guard let s = String(validating: UnsafeRawBufferPointer(start: p, count: n), as: UTF8.self) else {
            throw malformed(field, "invalid UTF-8")
        }
        return s
    }

    /// Exactly `count` raw bytes (fixed-size fields such as digests).
    public mutating func readFixedBytes(_ count: Int, _ field: String) throws(ProtocolError) -> [UInt8] {
        let p = try take(count, field)
        account(count)
        return Array(UnsafeRawBufferPointer(start: p, count: count))
    }

    /// u32 count + little-endian integers.
    public mutating func readArray<T: FixedWidthInteger & BitwiseCopyable>(of _: T.Type, _ field: String) throws(ProtocolError) -> [T] {
        try readBulk(T.self, field)
    }

    /// u32 count + binary32 floats.
    public mutating func readFloats(_ field: String) throws(ProtocolError) -> [Float] {
        try readBulk(Float.self, field)
    }

    /// u32 count + fixed-size elements copied in one block (the host is little-endian, like the wire).
    private mutating func readBulk<T: BitwiseCopyable>(_: T.Type, _ field: String) throws(ProtocolError) -> [T] {
        let size = MemoryLayout<T>.size
        let n = try readCount(field, minimumElementSize: size)
        let p = try take(n * size, field)
        account(n * size)
        return [T](unsafeUninitializedCapacity: n) { buffer, initialized in
            if n > 0 { UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: p, byteCount: n * size) }
            initialized = n
        }
    }

    /// u32 count + fixed-size elements, as a view into the received frame when the reader has a backing (no
    /// copy, no allocation), else as a copy.
    public mutating func readWireArray<T: BitwiseCopyable & Sendable & Equatable>(of _: T.Type, _ field: String) throws(ProtocolError)
        -> WireArray<T> {
        guard let backing, let backingBase = backing.bytes.baseAddress else {
            return WireArray(try readBulk(T.self, field))
        }
        let size = MemoryLayout<T>.size
        let n = try readCount(field, minimumElementSize: size)
        let start = try take(n * size, field)
        return WireArray(borrowing: backing, offset: start - backingBase, count: n)
    }

    /// u32 count + strings.
    public mutating func readStrings(_ field: String) throws(ProtocolError) -> [String] {
        let n = try readCount(field, minimumElementSize: 4)
        var out: [String] = []
        out.reserveCapacity(n)
        account(n * MemoryLayout<String>.stride)
        for _ in 0..<n { out.append(try readString(field)) }
        return out
    }

    /// u32 count + elements decoded by their own type; each element takes at least `minimumElementSize` bytes.
    public mutating func readArray<M: WireDecodable>(of _: M.Type, _ field: String,
                                                     minimumElementSize: Int) throws(ProtocolError) -> [M] {
        let n = try readCount(field, minimumElementSize: minimumElementSize)
        var out: [M] = []
        out.reserveCapacity(n)
        account(n * MemoryLayout<M>.stride)
        for _ in 0..<n { out.append(try M(from: &self)) }
        return out
    }

    /// Fails unless every byte was consumed: trailing bytes mean the sender and we disagree on the layout.
    public func finish() throws(ProtocolError) {
        if remaining != 0 { throw malformed("(end)", "\(remaining) trailing bytes") }
    }
}
