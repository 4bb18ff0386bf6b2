/// One contiguous, 64-byte aligned Float32 buffer holding a value for every tensor of a `ParameterLayout`.
///
/// The same type holds the weights, their gradients and AdamW's moments, so every whole-model operation is a
/// flat loop. The store owns its memory (freed in `deinit`); pointers handed out by the `withUnsafe…`
/// methods are valid only inside the closure.
public final class ParameterStore {
    /// Names, shapes and offsets of the tensors in the buffer.
    public let layout: ParameterLayout
    /// The buffer's first element (`layout.count` elements).
    let base: UnsafeMutablePointer<Float>

    /// A zero-filled store for `layout`.
    public init(layout: ParameterLayout) {
        self.layout = layout
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(1, layout.count) * 4, alignment: 64)
        base = raw.bindMemory(to: Float.self, capacity: max(1, layout.count))
        base.initialize(repeating: 0, count: layout.count)
    }

    /// A copy of `other` (same layout, same values).
    public convenience init(copying other: ParameterStore) {
        self.init(layout: other.layout)
        base.update(from: other.base, count: count)
    }

    deinit { base.deallocate() }

    /// Number of Float32 elements.
    public var count: Int { layout.count }

    /// Lends the whole buffer for reading.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    /// Lends the whole buffer for writing.
    public func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R)
        rethrows -> R {
        try body(UnsafeMutableBufferPointer(start: base, count: count))
    }

    /// Lends one tensor's elements (row-major, `tensor.shape`) for reading and writing.
    public func withTensor<R>(_ tensor: ParameterLayout.Tensor,
                              _ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        precondition(tensor.range.upperBound <= count, "tensor \(tensor.name) is outside this store")
        return try body(UnsafeMutableBufferPointer(start: base + tensor.offset, count: tensor.count))
    }

    /// A copy of the tensor called `name`, or `nil` if the layout has no such tensor.
    public func values(of name: String) -> [Float]? {
        guard let tensor = layout[name] else { return nil }
        return Array(UnsafeBufferPointer(start: base + tensor.offset, count: tensor.count))
    }

    /// Sets every element to zero.
    public func zero() {
        base.update(repeating: 0, count: count)
    }

    /// Copies every value of `other`, which must have the same layout.
    public func copy(from other: ParameterStore) throws {
        guard other.layout == layout else { throw EngineError.layoutMismatch(expected: count, found: other.count) }
        base.update(from: other.base, count: count)
    }

    /// `Σ x²` over the whole buffer, accumulated in Float64 (eight Float lanes per block of 4096, summed in
    /// Double), so it is exact enough for gradient clipping of any model size.
    public func squaredNorm() -> Double {
        var total = 0.0
        var start = 0
        while start < count {
            let end = min(count, start + 4096)
            var acc = SIMD8<Float>()
            var i = start
            while i + 8 <= end {
                let v = VectorMath.load(base + i)
                acc += v * v
                i += 8
            }
            var block = Double(acc.sum())
            while i < end {
                block += Double(base[i] * base[i])
                i += 1
            }
            total += block
            start = end
        }
        return total
    }

    /// Multiplies every element by `factor`.
    public func scale(by factor: Float) {
        VectorOps.scale(base, by: factor, count: count)
    }
}
