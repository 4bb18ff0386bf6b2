import Foundation

/// Grouped-query causal self-attention over packed sequences (training and prompt prefill).
///
/// Shapes: N packed rows; H query heads and KV key/value heads of D dimensions; `qkv` `[N, H·D + 2·KV·D]` holds
/// each row's q (H·D), k (KV·D) and v (KV·D), with q and k already rotated; `out` `[N, H·D]`. Query head `h`
/// reads key/value head `h / (H/KV)`. Per sequence and head, the forward saves the probabilities
/// `P = softmax(q·kᵀ/√D + causal mask)` `[T, T]` (zeros above the diagonal), which is all the backward needs
/// besides `qkv`. The products go through `sgemm` with row strides into `qkv`, so nothing is copied per head.
enum Attention {
    /// Head counts and widths of one model's attention.
    struct Shape: Sendable {
        let heads: Int
        let kvHeads: Int
        let headDimension: Int
        var queryWidth: Int { heads * headDimension }
        var kvWidth: Int { kvHeads * headDimension }
        /// Row width of the fused qkv matrix.
        var qkvWidth: Int { queryWidth + 2 * kvWidth }
        /// Query heads per key/value head.
        var groupSize: Int { heads / kvHeads }
        var scale: Float { 1 / Float(headDimension).squareRoot() }

        init(config: ModelConfig) {
            heads = config.numHeads
            kvHeads = config.numKVHeads
            headDimension = config.headDim
        }
    }

    /// Fills `out` and `probabilities` (`packing.probabilityCount` elements) from `qkv`.
    static func forward(out: UnsafeMutablePointer<Float>, probabilities: UnsafeMutablePointer<Float>,
                        qkv: UnsafePointer<Float>, packing: SequencePacking, shape: Shape, threads: Int) {
        let groups = shape.kvHeads
        parallel(packing.lengths.count * groups, threads: threads) { item, _ in
            let s = item / groups, g = item % groups
            let t = packing.lengths[s], row0 = packing.offsets[s]
            let ld = shape.qkvWidth, d = shape.headDimension
            let keys = qkv + row0 * ld + shape.queryWidth + g * d
            let values = keys + shape.kvWidth
            for h in (g * shape.groupSize)..<((g + 1) * shape.groupSize) {
                let p = probabilities + packing.probabilityOffsets[s] + h * t * t
                BLAS.sgemm(transposeB: true, m: t, n: t, k: d, alpha: shape.scale, a: qkv + row0 * ld + h * d,
                           lda: ld, b: keys, ldb: ld, c: p, ldc: t)
                for row in 0..<t { causalSoftmax(p + row * t, valid: row + 1, width: t) }
                BLAS.sgemm(m: t, n: d, k: t, a: p, lda: t, b: values, ldb: ld,
                           c: out + row0 * shape.queryWidth + h * d, ldc: shape.queryWidth)
            }
        }
    }

    /// Writes `dqkv` `[N, H·D + 2·KV·D]` (every element overwritten) from `dout = ∂L/∂out` `[N, H·D]`.
    ///
    /// `scratch` holds `threads · maxT²` floats. With `dP = dO·vᵀ`: `dv = Pᵀ·dO`, `dS = P ⊙ (dP − rowsum(P ⊙ dP))/√D`,
    /// `dq = dS·k`, `dk = dSᵀ·q`; the heads of a group accumulate into their shared dk, dv.
    static func backward(dqkv: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>, qkv: UnsafePointer<Float>,
                         probabilities: UnsafePointer<Float>, packing: SequencePacking, shape: Shape,
                         scratch: UnsafeMutablePointer<Float>, threads: Int) {
        let groups = shape.kvHeads
        parallel(packing.lengths.count * groups, threads: threads) { item, worker in
            let s = item / groups, g = item % groups
            let t = packing.lengths[s], row0 = packing.offsets[s]
            let ld = shape.qkvWidth, d = shape.headDimension, qw = shape.queryWidth
            let keys = qkv + row0 * ld + qw + g * d
            let values = keys + shape.kvWidth
            let dkeys = dqkv + row0 * ld + qw + g * d
            let dvalues = dkeys + shape.kvWidth
            let dp = scratch + worker * packing.maxLength * packing.maxLength
            for h in (g * shape.groupSize)..<((g + 1) * shape.groupSize) {
                let first = h == g * shape.groupSize
                let p = probabilities + packing.probabilityOffsets[s] + h * t * t
                let dO = dout + row0 * qw + h * d
                BLAS.sgemm(transposeB: true, m: t, n: t, k: d, a: dO, lda: qw, b: values, ldb: ld, c: dp, ldc: t)
                BLAS.sgemm(transposeA: true, m: t, n: d, k: t, a: p, lda: t, b: dO, ldb: qw, beta: first ? 0 : 1,
                           c: dvalues, ldc: ld)
                for row in 0..<t {
                    softmaxBackward(dp + row * t, probabilities: p + row * t, valid: row + 1, width: t,
                                    scale: shape.scale)
                }
                BLAS.sgemm(m: t, n: d, k: t, a: dp, lda: t, b: keys, ldb: ld, c: dqkv + row0 * ld + h * d, ldc: ld)
                BLAS.sgemm(transposeA: true, m: t, n: d, k: t, a: dp, lda: t, b: qkv + row0 * ld + h * d, ldb: ld,
                           beta: first ? 0 : 1, c: dkeys, ldc: ld)
            }
        }
    }

    /// Work items of (sequence, key/value head) on `threads` workers, each calling single-threaded `sgemm`.
    private static func parallel(_ count: Int, threads: Int, _ body: (Int, Int) -> Void) {
        Parallel.forEach(count, threads: threads, body)
    }

    /// `row[0..<valid] = softmax(row[0..<valid])`, `row[valid..<width] = 0`.
    @inline(__always)
    static func causalSoftmax(_ row: UnsafeMutablePointer<Float>, valid: Int, width: Int) {
        let m = VectorMath.maximum(row, valid)
        let mv = VectorMath.Vector(repeating: m)
        var sum = VectorMath.Vector()
        var i = 0
        while i + 8 <= valid {
            let e = VectorMath.exp(VectorMath.load(row + i) - mv)
            VectorMath.store(e, row + i)
            sum += e
            i += 8
        }
        var total = sum.sum()
        while i < valid {
            let e = VectorMath.exp(row[i] - m)
            row[i] = e
            total += e
            i += 1
        }
        VectorOps.scale(row, by: 1 / total, count: valid)
        if valid < width { (row + valid).update(repeating: 0, count: width - valid) }
    }

    /// In place: `dp[j] ← p[j]·(dp[j] − Σₖ p[k]·dp[k])·scale` for `j < valid`; entries past `valid` become 0.
    @inline(__always)
    static func softmaxBackward(_ dp: UnsafeMutablePointer<Float>, probabilities p: UnsafePointer<Float>,
                                valid: Int, width: Int, scale: Float) {
        let inner = VectorMath.dot(p, dp, valid)
        let iv = VectorMath.Vector(repeating: inner), sv = VectorMath.Vector(repeating: scale)
        var i = 0
        while i + 8 <= valid {
            VectorMath.store(VectorMath.load(p + i) * (VectorMath.load(dp + i) - iv) * sv, dp + i)
            i += 8
        }
        while i < valid {
            dp[i] = p[i] * (dp[i] - inner) * scale
            i += 1
        }
        if valid < width { (dp + valid).update(repeating: 0, count: width - valid) }
    }
}
