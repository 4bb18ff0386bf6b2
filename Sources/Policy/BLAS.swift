internal import CBLAS
import Primitives

/// The engine's only door to OpenBLAS: thread control for callers, row-major `sgemm` for the layers.
///
/// Every matrix multiply of the forward, backward and sampler goes through `sgemm` below, so the C types of
/// `cblas.h` never leave this file. The engine parallelises its products itself (`threads` of
/// `SequenceScorer`, `Sampler`) and calls OpenBLAS single-threaded, always (see `pinSingleThreaded`).
public enum BLAS {
    /// OpenBLAS runs single-threaded for the whole process, set once before the first product and never changed.
    ///
    /// The engine splits products over its own workers, so OpenBLAS's pool would only spin beside them; and a
    /// thread count that changes while another thread is inside a product (two engine objects on different
    /// threads, or tests running side by side) makes results depend on timing. With one fixed count, every
    /// product's summation order depends only on its shapes and the engine's split: runs are bit-exact.
    private static let pinnedToOneThread: Void = openblas_set_num_threads(1)

    /// Pins OpenBLAS to one thread (idempotent, cheap after the first call). Every engine object calls it.
    static func pinSingleThreaded() { _ = pinnedToOneThread }

    /// The number of threads OpenBLAS currently uses (1 once the engine has started).
    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// The best throughput (GFLOP/s) of `repeats` timed `[n, n] × [n, n]` products split over `threads` of the
    /// engine's workers (the way the engine multiplies), after one untimed warm-up: the machine's practical sgemm
    /// peak, for model-FLOPs utilisation.
    public static func measureSgemmGFLOPS(size n: Int = 1024, repeats: Int = 5, threads: Int) -> Double {
        let a = UnsafeMutablePointer<Float>.allocate(capacity: n * n)
        let b = UnsafeMutablePointer<Float>.allocate(capacity: n * n)
        let c = UnsafeMutablePointer<Float>.allocate(capacity: n * n)
        defer { a.deallocate(); b.deallocate(); c.deallocate() }
        for i in 0..<(n * n) {
            a[i] = Float(i % 7) * 0.01
            b[i] = Float(i % 5) * 0.01
        }
        var best = 0.0
        for index in 0...max(1, repeats) {
            let start = ContinuousClock.now
            sgemm(transposeB: true, m: n, n: n, k: n, a: a, lda: n, b: b, ldb: n, c: c, ldc: n, threads: threads)
            let seconds = (ContinuousClock.now - start).seconds
            if index > 0 { best = max(best, 2 * Double(n * n * n) / seconds / 1e9) }
        }
        return best
    }

    /// `C[m, n] = alpha · op(A) · op(B) + beta · C`, all row-major, split over `threads` of the engine's workers.
    ///
    /// `op(A)` is `[m, k]` (A stored `[k, m]` when `transposeA`), `op(B)` is `[k, n]` (B stored `[n, k]` when
    /// `transposeB`); `lda`, `ldb`, `ldc` are the row strides of the stored matrices in elements. A large product
    /// is cut along its longer output side into `threads` blocks, each one single-threaded `sgemm` call on its own
    /// worker: the engine owns the parallelism, so OpenBLAS's spinning pool never competes with its other loops.
    static func sgemm(transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
                      alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                      beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int) {
        let parts = min(threads, max(m, n) / 64)
        guard parts > 1, m * n * k >= 1 << 21 else {
            sgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                  b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
            return
        }
        Parallel.forEach(parts, threads: parts) { part, _ in
            if m >= n {
                let r0 = m * part / parts, r1 = m * (part + 1) / parts
                sgemm(transposeA: transposeA, transposeB: transposeB, m: r1 - r0, n: n, k: k, alpha: alpha,
                      a: transposeA ? a + r0 : a + r0 * lda, lda: lda, b: b, ldb: ldb, beta: beta,
                      c: c + r0 * ldc, ldc: ldc)
            } else {
                let c0 = n * part / parts, c1 = n * (part + 1) / parts
                sgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: c1 - c0, k: k, alpha: alpha,
                      a: a, lda: lda, b: transposeB ? b + c0 * ldb : b + c0, ldb: ldb, beta: beta,
                      c: c + c0, ldc: ldc)
            }
        }
    }

    /// One single-threaded `sgemm` call in the calling thread.
    @inline(__always)
    static func sgemm(transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
                      alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                      beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
        guard m > 0, n > 0 else { return }
        guard k > 0 else {
            // op(A)·op(B) is empty: only the beta scaling of C remains.
            for row in 0..<m {
                let target = c + row * ldc
                for column in 0..<n { target[column] = beta == 0 ? 0 : beta * target[column] }
            }
            return
        }
        pinSingleThreaded()
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}
