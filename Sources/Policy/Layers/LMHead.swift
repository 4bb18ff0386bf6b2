import Foundation

/// The LM head and the log-softmax over the vocabulary, for the rows that are scored.
///
/// Shapes: M scored rows of hidden states `hidden` `[M, C]`, `weight` `[V, C]` (the head, or the tied
/// embedding), logits `[M, V]`. Logits are formed `chunkRows` rows at a time, so memory stays bounded for a
/// 150k vocabulary; per row the forward keeps the log-sum-exp (and the entropy), which is all the backward
/// needs besides the logits, which it recomputes unless the caller kept them.
enum LMHead {
    typealias Vector = VectorMath.Vector

    /// Per-row results of the forward, `[M]` each.
    struct RowOutputs {
        let logProbs: UnsafeMutablePointer<Float>
        let logSumExp: UnsafeMutablePointer<Float>
        /// `nil` when entropies were not asked for.
        let entropies: UnsafeMutablePointer<Float>?
    }

    /// Computes log π(target) for every row (and the entropy), keeping the logits in `keptLogits` `[M, V]` when
    /// given; otherwise each chunk's logits go through `chunk` `[chunkRows, V]`.
    static func forward(outputs: RowOutputs, hidden: UnsafePointer<Float>, targets: UnsafePointer<Int32>, rows: Int,
                        weight: UnsafePointer<Float>, channels: Int, vocabulary: Int,
                        keptLogits: UnsafeMutablePointer<Float>?, chunk: UnsafeMutablePointer<Float>, chunkRows: Int,
                        threads: Int) {
        var start = 0
        while start < rows {
            let count = min(chunkRows, rows - start)
            let logits = keptLogits.map { $0 + start * vocabulary } ?? chunk
            BLAS.sgemm(transposeB: true, m: count, n: vocabulary, k: channels, a: hidden + start * channels,
                       lda: channels, b: weight, ldb: channels, c: logits, ldc: vocabulary, threads: threads)
            Parallel.forEach(count, threads: count * vocabulary >= 1 << 16 ? threads : 1) { r, _ in
                let row = start + r
                let z = logits + r * vocabulary
                let (lse, entropy) = logSumExp(z, count: vocabulary, entropy: outputs.entropies != nil)
                outputs.logSumExp[row] = lse
                outputs.logProbs[row] = z[Int(targets[row])] - lse
                outputs.entropies?[row] = entropy
            }
            start += count
        }
    }

    /// Accumulates `dhidden` (overwritten) and `dweight += …` from `∂L/∂logπ` (`dLogProbs` `[M]`) and optionally
    /// `∂L/∂entropy` (`dEntropies` `[M]`). `∂logπ_y/∂z_j = δ_jy − p_j`, `∂H/∂z_j = −p_j·(log p_j + H)`.
    static func backward(dhidden: UnsafeMutablePointer<Float>, dweight: UnsafeMutablePointer<Float>,
                         dLogProbs: UnsafePointer<Float>, dEntropies: UnsafePointer<Float>?,
                         logSumExp: UnsafePointer<Float>, entropies: UnsafePointer<Float>?,
                         hidden: UnsafePointer<Float>, targets: UnsafePointer<Int32>, rows: Int,
                         weight: UnsafePointer<Float>, channels: Int, vocabulary: Int,
                         keptLogits: UnsafeMutablePointer<Float>?, chunk: UnsafeMutablePointer<Float>, chunkRows: Int,
                         threads: Int) {
        var start = 0
        while start < rows {
            let count = min(chunkRows, rows - start)
            let logits: UnsafeMutablePointer<Float>
            if let keptLogits {
                logits = keptLogits + start * vocabulary
            } else {
                logits = chunk
                BLAS.sgemm(transposeB: true, m: count, n: vocabulary, k: channels, a: hidden + start * channels,
                           lda: channels, b: weight, ldb: channels, c: logits, ldc: vocabulary, threads: threads)
            }
            Parallel.forEach(count, threads: count * vocabulary >= 1 << 16 ? threads : 1) { r, _ in
                let row = start + r
                logitGradient(logits + r * vocabulary, count: vocabulary, target: Int(targets[row]),
                              lse: logSumExp[row], dLogProb: dLogProbs[row], dEntropy: dEntropies?[row] ?? 0,
                              entropy: entropies?[row] ?? 0)
            }
            // dhidden = dz · W;  dW += dzᵀ · hidden
            BLAS.sgemm(m: count, n: channels, k: vocabulary, a: logits, lda: vocabulary, b: weight, ldb: channels,
                       c: dhidden + start * channels, ldc: channels, threads: threads)
            BLAS.sgemm(transposeA: true, m: vocabulary, n: channels, k: count, a: logits, lda: vocabulary,
                       b: hidden + start * channels, ldb: channels, beta: 1, c: dweight, ldc: channels,
                       threads: threads)
            start += count
        }
    }

    /// `log Σ exp(z)` over one row, and (when asked) the entropy `lse − Σ p·z` of its softmax.
    @inline(__always)
    static func logSumExp(_ z: UnsafePointer<Float>, count: Int, entropy wantEntropy: Bool) -> (Float, Float) {
        let m = VectorMath.maximum(z, count)
        let mv = Vector(repeating: m)
        var sum = Vector(), weighted = Vector()
        var i = 0
        if wantEntropy {
            while i + 8 <= count {
                let shifted = VectorMath.load(z + i) - mv
                let e = VectorMath.exp(shifted)
                sum += e
                weighted += e * shifted
                i += 8
            }
        } else {
            while i + 8 <= count {
                sum += VectorMath.exp(VectorMath.load(z + i) - mv)
                i += 8
            }
        }
        var s = sum.sum(), w = weighted.sum()
        while i < count {
            let shifted = z[i] - m
            let e = VectorMath.exp(shifted)
            s += e
            w += e * shifted
            i += 1
        }
        let logS = Foundation.log(s)
        // H = −Σ p·log p = log s − Σ e·(z − m)/s with p = e/s.
        return (m + logS, wantEntropy ? logS - w / s : 0)
    }

    /// Turns one row of logits into `∂L/∂z` in place.
    @inline(__always)
    static func logitGradient(_ z: UnsafeMutablePointer<Float>, count: Int, target: Int, lse: Float, dLogProb: Float,
                              dEntropy: Float, entropy: Float) {
        let lv = Vector(repeating: lse), gl = Vector(repeating: dLogProb)
        var i = 0
        if dEntropy == 0 {
            while i + 8 <= count {
                let p = VectorMath.exp(VectorMath.load(z + i) - lv)
                VectorMath.store(-p * gl, z + i)
                i += 8
            }
            while i < count {
                z[i] = -VectorMath.exp(z[i] - lse) * dLogProb
                i += 1
            }
        } else {
            let gh = Vector(repeating: dEntropy), hv = Vector(repeating: entropy)
            while i + 8 <= count {
                let logP = VectorMath.load(z + i) - lv
                let p = VectorMath.exp(logP)
                VectorMath.store(-p * (gl + gh * (logP + hv)), z + i)
                i += 8
            }
            while i < count {
                let logP = z[i] - lse
                z[i] = -VectorMath.exp(logP) * (dLogProb + dEntropy * (logP + entropy))
                i += 1
            }
        }
        z[target] += dLogProb
    }
}
