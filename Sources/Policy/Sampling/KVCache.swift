/// Keys and values of every fed position, per layer, for one sampling request.
///
/// Storage per layer is two `[rows, KV·D]` matrices (rotated keys, values). A prompt's positions are stored
/// once, in its prompt segment, and shared by all completions of its group; each completion appends its own
/// tokens to its private segment. Owns its memory.
final class KVCache {
    /// KV·D, the width of one cached row.
    let width: Int
    let layers: Int
    /// First cache row of each prompt's segment, and of each completion's segment.
    let promptStarts: [Int]
    let completionStarts: [Int]
    let rows: Int
    private let storage: UnsafeMutablePointer<Float>

    /// Room for `promptLengths` shared prompt segments and `completions` private segments of
    /// `completionCapacity` rows each.
    init(layers: Int, width: Int, promptLengths: [Int], completions: Int, completionCapacity: Int) {
        self.layers = layers
        self.width = width
        var starts: [Int] = [], next = 0
        for length in promptLengths {
            starts.append(next)
            next += length
        }
        promptStarts = starts
        completionStarts = (0..<completions).map { next + $0 * completionCapacity }
        rows = next + completions * completionCapacity
        let count = max(1, layers * 2 * rows * width)
        storage = UnsafeMutableRawPointer.allocate(byteCount: count * 4, alignment: 64)
            .bindMemory(to: Float.self, capacity: count)
    }

    deinit { storage.deallocate() }

    /// Layer `layer`'s keys `[rows, KV·D]`.
    func keys(_ layer: Int) -> UnsafeMutablePointer<Float> { storage + (2 * layer) * rows * width }

    /// Layer `layer`'s values `[rows, KV·D]`.
    func values(_ layer: Int) -> UnsafeMutablePointer<Float> { storage + (2 * layer + 1) * rows * width }
}
