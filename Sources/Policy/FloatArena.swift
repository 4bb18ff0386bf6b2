/// A growable Float32 buffer carved into sub-buffers by a cursor: `reserve` once per batch with the total
/// size, then `take` slices in order. Slices start on 64-byte boundaries.
///
/// Regrowing discards the contents, so all slices of a batch must be taken after its `reserve`.
final class FloatArena {
    private var storage: UnsafeMutablePointer<Float>
    private(set) var capacity: Int
    private var cursor = 0

    init() {
        capacity = 0
        storage = Self.allocate(0)
    }

    deinit { storage.deallocate() }

    /// `count` rounded up to a multiple of 16 floats (64 bytes), the unit `take` advances by.
    static func rounded(_ count: Int) -> Int { (count + 15) & ~15 }

    /// Ensures room for `count` floats (as summed with `rounded`) and rewinds the cursor.
    func reserve(_ count: Int) {
        if count > capacity {
            storage.deallocate()
            storage = Self.allocate(count)
            capacity = count
        }
        cursor = 0
    }

    /// The next `count` floats (uninitialised).
    func take(_ count: Int) -> UnsafeMutablePointer<Float> {
        let size = Self.rounded(count)
        precondition(cursor + size <= capacity, "FloatArena: take(\(count)) beyond the reserved \(capacity)")
        defer { cursor += size }
        return storage + cursor
    }

    private static func allocate(_ count: Int) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer.allocate(byteCount: max(count, 16) * 4, alignment: 64)
            .bindMemory(to: Float.self, capacity: max(count, 16))
    }
}
