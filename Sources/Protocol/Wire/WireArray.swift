/// An immutable array of fixed-size values decoded from a frame, without copying them out of it.
///
/// A received rollout group is mostly token ids and log-probs. Decoding them as views into the received
/// message (kept alive by the array) instead of copies is what lets the full Protocol path keep up with raw
/// nng. A `WireArray` built from a Swift array owns that array; either way it is a `RandomAccessCollection`,
/// so `Array(x)`, `x.count`, `for v in x` and `x[i]` work as usual.
public struct WireArray<Element: BitwiseCopyable & Sendable & Equatable>: RandomAccessCollection, Sendable, Equatable,
    ExpressibleByArrayLiteral, CustomStringConvertible {
    private enum Storage: Sendable {
        case owned([Element])
        /// `count` elements, unaligned, at `offset` bytes into `backing`.
        case borrowed(WireBacking, offset: Int, count: Int)
    }

    private let storage: Storage

    public init(_ elements: [Element]) { storage = .owned(elements) }
    public init(arrayLiteral elements: Element...) { storage = .owned(elements) }
    public init<S: Sequence>(_ elements: S) where S.Element == Element { storage = .owned(Array(elements)) }

    init(borrowing backing: WireBacking, offset: Int, count: Int) {
        storage = .borrowed(backing, offset: offset, count: count)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int {
        switch storage {
        case let .owned(a): a.count
        case let .borrowed(_, _, count): count
        }
    }

    public subscript(position: Int) -> Element {
        switch storage {
        case let .owned(a): return a[position]
        case let .borrowed(backing, offset, count):
            precondition(position >= 0 && position < count, "WireArray index \(position) out of range 0..<\(count)")
            return backing.bytes.loadUnaligned(fromByteOffset: offset + position * MemoryLayout<Element>.stride, as: Element.self)
        }
    }

    /// The elements' bytes (little-endian, as on the wire), for bulk copies and hashing.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        switch storage {
        case let .owned(a): return try a.withUnsafeBytes(body)
        case let .borrowed(backing, offset, count):
            return try withExtendedLifetime(backing) {
                try body(UnsafeRawBufferPointer(rebasing: backing.bytes[offset..<(offset + count * MemoryLayout<Element>.stride)]))
            }
        }
    }

    /// A Swift array with the same elements (one bulk copy when borrowed).
    public var array: [Element] {
        switch storage {
        case let .owned(a): return a
        case let .borrowed(_, _, count):
            return [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
                withUnsafeBytes { source in
                    if count > 0 { UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: source.baseAddress!, byteCount: source.count) }
                }
                initialized = count
            }
        }
    }

    /// Whether the elements live in a received frame (true) or in their own Swift array (false).
    public var isBorrowed: Bool {
        if case .borrowed = storage { return true }
        return false
    }

    public static func == (a: WireArray, b: WireArray) -> Bool { a.elementsEqual(b) }

    public var description: String { array.description }
}

/// Memory that decoded `WireArray`s point into: a received nng message, or a decompressed payload.
final class WireBacking: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
    private let message: NNGMessage?
    private let allocation: UnsafeMutableRawBufferPointer?

    /// Borrows `bytes` inside `message`, which this backing keeps alive and never modifies.
    init(message: NNGMessage, bytes: UnsafeRawBufferPointer) {
        self.message = message
        self.bytes = bytes
        allocation = nil
    }

    /// Takes ownership of an allocation (freed with the backing).
    init(taking allocation: UnsafeMutableRawBufferPointer) {
        self.allocation = allocation
        bytes = UnsafeRawBufferPointer(allocation)
        message = nil
    }

    deinit { allocation?.deallocate() }
}
