/// Whole-row elementwise operations on Float buffers, eight lanes at a time.
enum VectorOps {
    typealias Vector = VectorMath.Vector

    /// `target[i] += source[i]`.
    @inline(__always)
    static func add(_ source: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + 8 <= count {
            VectorMath.store(VectorMath.load(target + i) + VectorMath.load(source + i), target + i)
            i += 8
        }
        while i < count {
            target[i] += source[i]
            i += 1
        }
    }

    /// `target[i] += factor · source[i]`.
    @inline(__always)
    static func addScaled(_ source: UnsafePointer<Float>, _ factor: Float, into target: UnsafeMutablePointer<Float>,
                          count: Int) {
        let f = Vector(repeating: factor)
        var i = 0
        while i + 8 <= count {
            VectorMath.store(VectorMath.load(target + i) + f * VectorMath.load(source + i), target + i)
            i += 8
        }
        while i < count {
            target[i] += factor * source[i]
            i += 1
        }
    }

    /// `values[i] *= factor`.
    @inline(__always)
    static func scale(_ values: UnsafeMutablePointer<Float>, by factor: Float, count: Int) {
        let f = Vector(repeating: factor)
        var i = 0
        while i + 8 <= count {
            VectorMath.store(VectorMath.load(values + i) * f, values + i)
            i += 8
        }
        while i < count {
            values[i] *= factor
            i += 1
        }
    }

    /// Adds `bias[j]` to every row of `matrix` `[rows, columns]` (row stride `stride`).
    static func addRowBias(_ bias: UnsafePointer<Float>, to matrix: UnsafeMutablePointer<Float>, rows: Int,
                           columns: Int, stride: Int) {
        for row in 0..<rows { add(bias, into: matrix + row * stride, count: columns) }
    }

    /// `sums[j] += Σ_row matrix[row, j]` for `matrix` `[rows, columns]` (row stride `stride`).
    static func accumulateColumnSums(of matrix: UnsafePointer<Float>, rows: Int, columns: Int, stride: Int,
                                     into sums: UnsafeMutablePointer<Float>) {
        for row in 0..<rows { add(matrix + row * stride, into: sums, count: columns) }
    }
}
