/// Cached `cos`/`sin` rows (`[positions, D/2]` each) of a `RotaryEmbedding`, grown on demand.
///
/// Owned by one scorer or sampler; `ensure(positions:)` extends it to cover `0..<positions`.
final class RotaryTable {
    let rotary: RotaryEmbedding
    private(set) var positions = 0
    private(set) var cos: UnsafeMutablePointer<Float>
    private(set) var sin: UnsafeMutablePointer<Float>

    init(rotary: RotaryEmbedding) {
        self.rotary = rotary
        cos = .allocate(capacity: 1)
        sin = .allocate(capacity: 1)
    }

    deinit {
        cos.deallocate()
        sin.deallocate()
    }

    /// Makes rows `0..<positions` available (rounded up to limit regrowth).
    func ensure(positions needed: Int) {
        guard needed > positions else { return }
        let newPositions = max(needed, min(2 * positions, needed + 4096), 64)
        let h = rotary.halfDimension
        let newCos = UnsafeMutablePointer<Float>.allocate(capacity: newPositions * h)
        let newSin = UnsafeMutablePointer<Float>.allocate(capacity: newPositions * h)
        newCos.update(from: cos, count: positions * h)
        newSin.update(from: sin, count: positions * h)
        rotary.fillTables(cos: newCos + positions * h, sin: newSin + positions * h, first: positions,
                          count: newPositions - positions)
        cos.deallocate()
        sin.deallocate()
        cos = newCos
        sin = newSin
        positions = newPositions
    }
}
