import Seeding

/// A Float buffer a test owns, for calling the engine's pointer-level layer kernels.
final class TestBuffer {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    init(_ values: [Float]) {
        count = values.count
        pointer = .allocate(capacity: max(1, values.count))
        pointer.initialize(from: values, count: values.count)
    }

    convenience init(zeros count: Int) { self.init([Float](repeating: 0, count: count)) }

    /// `count` values from N(0, scale²), reproducible from `seed`.
    convenience init(random count: Int, seed: UInt64, scale: Float = 1) {
        var generator = SeededGenerator(seed: seed)
        self.init((0..<count).map { _ in Float(generator.nextGaussian()) * scale })
    }

    var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
    func zero() { pointer.update(repeating: 0, count: count) }

    deinit { pointer.deallocate() }
}

/// Central finite differences of `loss` with respect to every element of `buffer`, compared with `analytic`.
///
/// Returns the worst `|numeric − analytic| / (absolute + relative·|analytic|)`: ≤ 1 passes. The loss is
/// accumulated in Float64 by the caller; with Float32 forwards a step of 1e-2 keeps rounding noise (≈1e-5)
/// well below the tolerance while the O(h²) truncation error stays near 1e-4 relative.
func finiteDifferenceRatio(_ buffer: TestBuffer, analytic: [Float], step: Float = 1e-2, absolute: Double = 1e-3,
                           relative: Double = 1e-2, loss: () -> Double) -> Double {
    precondition(analytic.count == buffer.count, "one analytic gradient per element")
    var worst = 0.0
    for i in 0..<buffer.count {
        let saved = buffer.pointer[i]
        buffer.pointer[i] = saved + step
        let plus = loss()
        buffer.pointer[i] = saved - step
        let minus = loss()
        buffer.pointer[i] = saved
        let numeric = (plus - minus) / (2 * Double(step))
        let ratio = abs(numeric - Double(analytic[i])) / (absolute + relative * abs(Double(analytic[i])))
        worst = max(worst, ratio.isNaN ? .infinity : ratio)
    }
    return worst
}

/// `Σ weights[i]·values[i]` in Float64: a scalar loss whose gradient with respect to `values` is `weights`.
func weightedSum(_ values: UnsafePointer<Float>, _ weights: TestBuffer) -> Double {
    var total = 0.0
    for i in 0..<weights.count { total += Double(values[i]) * Double(weights.pointer[i]) }
    return total
}
