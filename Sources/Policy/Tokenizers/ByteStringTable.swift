#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open-addressing hash map from byte strings to 64-bit payloads, with the keys copied into one arena.
///
/// Built for the tokenizer's hot paths (vocabulary lookups by raw bytes, the word cache): no per-key
/// allocation, a cheap multiplicative hash read 8 bytes at a time, linear probing at load ≤ 1/2.
struct ByteStringTable: Sendable {
    private struct Slot {
        var hash: UInt64
        var keyOffset: UInt32
        var keyLength: UInt32
        var value: UInt64
    }

    private static let emptyOffset = UInt32.max
    private var slots: [Slot]
    private var keys: [UInt8] = []
    /// Number of keys stored.
    private(set) var count = 0
    /// Bytes of key storage in use.
    var keyBytes: Int { keys.count }

    /// An empty table sized for about `capacity` keys without growing.
    init(capacity: Int = 16) {
        var size = 16
        while size < 2 * capacity { size <<= 1 }
        slots = Array(repeating: Slot(hash: 0, keyOffset: Self.emptyOffset, keyLength: 0, value: 0), count: size)
    }

    /// Hash of a byte string: 8-byte words folded with a multiply-rotate, then mixed.
    @inline(__always)
    static func hash(_ key: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(key.count)
        var i = 0
        while i + 8 <= key.count {
            h = (h ^ key.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
            h = (h << 29) | (h >> 35)
            i += 8
        }
        if i < key.count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < key.count {
                tail |= UInt64(key[i]) << shift
                shift += 8
                i += 1
            }
            h = (h ^ tail) &* 0x9E37_79B9_7F4A_7C15
        }
        h ^= h >> 32
        h = h &* 0xD6E8_FEB8_6659_FD93
        return h ^ (h >> 29)
    }

    /// The payload stored for `key`, or nil.
    @inline(__always)
    func value(for key: UnsafeRawBufferPointer) -> UInt64? {
        let h = Self.hash(key)
        return slots.withUnsafeBufferPointer { slots -> UInt64? in
            keys.withUnsafeBufferPointer { keys -> UInt64? in
                let mask = slots.count - 1
                var index = Int(truncatingIfNeeded: h) & mask
                while true {
                    let slot = slots[index]
                    if slot.keyOffset == Self.emptyOffset { return nil }
                    if slot.hash == h, Int(slot.keyLength) == key.count,
                       key.count == 0 || memcmp(keys.baseAddress! + Int(slot.keyOffset), key.baseAddress!, key.count) == 0 {
                        return slot.value
                    }
                    index = (index + 1) & mask
                }
            }
        }
    }

    /// Stores `value` for `key`, replacing any previous payload.
    mutating func insert(_ key: UnsafeRawBufferPointer, value: UInt64) {
        if 2 * (count + 1) > slots.count { grow() }
        let h = Self.hash(key)
        let mask = slots.count - 1
        var index = Int(truncatingIfNeeded: h) & mask
        while slots[index].keyOffset != Self.emptyOffset {
            let slot = slots[index]
            if slot.hash == h, Int(slot.keyLength) == key.count,
               keys.withUnsafeBufferPointer({ keys in
                   key.count == 0 || memcmp(keys.baseAddress! + Int(slot.keyOffset), key.baseAddress!, key.count) == 0
               }) {
                slots[index].value = value
                return
            }
            index = (index + 1) & mask
        }
        slots[index] = Slot(hash: h, keyOffset: UInt32(keys.count), keyLength: UInt32(key.count), value: value)
        keys.append(contentsOf: key)
        count += 1
    }

    /// Convenience for array keys.
    mutating func insert(_ key: [UInt8], value: UInt64) {
        key.withUnsafeBytes { insert($0, value: value) }
    }

    /// Convenience for array keys.
    func value(for key: [UInt8]) -> UInt64? {
        key.withUnsafeBytes { value(for: $0) }
    }

    /// Forgets every key, keeping the allocated capacity.
    mutating func removeAll() {
        for index in slots.indices { slots[index].keyOffset = Self.emptyOffset }
        keys.removeAll(keepingCapacity: true)
        count = 0
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: Slot(hash: 0, keyOffset: Self.emptyOffset, keyLength: 0, value: 0), count: 2 * old.count)
        let mask = slots.count - 1
        for slot in old where slot.keyOffset != Self.emptyOffset {
            var index = Int(truncatingIfNeeded: slot.hash) & mask
            while slots[index].keyOffset != Self.emptyOffset { index = (index + 1) & mask }
            slots[index] = slot
        }
    }
}
