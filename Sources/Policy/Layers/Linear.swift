/// A projection `y = x · Wᵀ (+ b)` with `W` stored `[out, in]` row-major (Hugging Face layout).
///
/// Shapes: `x` `[N, in]`, `y` `[N, out]`; row strides are given separately so a projection can read or write
/// a column block of a wider matrix (e.g. the v part of the fused qkv activations).
enum Linear {
    /// `out = input · weightᵀ + bias` (or `+ beta·out` when `accumulate`, for residual adds).
    static func forward(out: UnsafeMutablePointer<Float>, outStride: Int, input: UnsafePointer<Float>,
                        inputStride: Int, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?, rows: Int,
                        inFeatures: Int, outFeatures: Int, accumulate: Bool = false, threads: Int = 1) {
        BLAS.sgemm(transposeB: true, m: rows, n: outFeatures, k: inFeatures, a: input, lda: inputStride,
                   b: weight, ldb: inFeatures, beta: accumulate ? 1 : 0, c: out, ldc: outStride, threads: threads)
        if let bias {
            VectorOps.addRowBias(bias, to: out, rows: rows, columns: outFeatures, stride: outStride)
        }
    }

    /// Given `dout = ∂L/∂y`: `dinput = dout · W` (overwritten, or added when `accumulateInput`),
    /// `dweight += doutᵀ · input`, `dbias += Σ_n dout[n]`.
    static func backward(dinput: UnsafeMutablePointer<Float>?, dinputStride: Int, dweight: UnsafeMutablePointer<Float>,
                         dbias: UnsafeMutablePointer<Float>?, dout: UnsafePointer<Float>, doutStride: Int,
                         input: UnsafePointer<Float>, inputStride: Int, weight: UnsafePointer<Float>, rows: Int,
                         inFeatures: Int, outFeatures: Int, accumulateInput: Bool = false, threads: Int = 1) {
        if let dinput {
            BLAS.sgemm(m: rows, n: inFeatures, k: outFeatures, a: dout, lda: doutStride, b: weight, ldb: inFeatures,
                       beta: accumulateInput ? 1 : 0, c: dinput, ldc: dinputStride, threads: threads)
        }
        BLAS.sgemm(transposeA: true, m: outFeatures, n: inFeatures, k: rows, a: dout, lda: doutStride, b: input,
                   ldb: inputStride, beta: 1, c: dweight, ldc: inFeatures, threads: threads)
        if let dbias {
            VectorOps.accumulateColumnSums(of: dout, rows: rows, columns: outFeatures, stride: doutStride, into: dbias)
        }
    }
}
