internal import CKernels

/// The projection for decoding: few rows (one token per completion) against a large weight matrix.
///
/// `sgemm` packs the whole weight matrix on every call, which for a handful of rows costs about as much as
/// the multiply itself; these kernels instead stream each block of weight rows once and reuse it for every
/// input row while it sits in L1. Output columns are split over `threads` workers. The kernel is
/// `DecodeKernel.selected` (AVX-512 or AVX2/FMA C where the CPU has it, else the portable Swift one below: blocks of 4
/// input rows × 2 weight rows, 8 accumulators).
extension Linear {
    typealias Lanes = SIMD4<Float>

    /// Below this many rows `forwardFewRows` beats `sgemm`.
    static let fewRowsLimit = 32

    /// `out = input · weightᵀ + bias`, or `out += …` when `accumulate`; `input` `[rows, in]` (stride `in`), `out`
    /// `[rows, out]` (stride `outFeatures`), `weight` `[out, in]`. `kernel` must be available on this CPU.
    static func forwardFewRows(out: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>,
                               weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?, rows: Int, inFeatures: Int,
                               outFeatures: Int, accumulate: Bool, threads: Int,
                               kernel: DecodeKernel = .selected) {
        precondition(kernel.isAvailable, "the \(kernel) decode kernel needs a CPU feature this CPU lacks")
        let width = kernel.columnBlock
        let blocks = (outFeatures + width - 1) / width
        let workers = outFeatures * inFeatures >= 1 << 15 ? min(threads, blocks) : 1
        // Contiguous column ranges, a whole number of register blocks each.
        Parallel.forEach(workers, threads: workers) { worker, _ in
            let first = blocks * worker / workers * width
            let last = min(outFeatures, blocks * (worker + 1) / workers * width)
            switch kernel {
            case .portable:
                columns(first..<last, out: out, input: input, weight: weight, bias: bias, rows: rows, k: inFeatures,
                        n: outFeatures, accumulate: accumulate)
            case .avx2FMA:
                ckernels_decode_columns_avx2_fma(out, input, weight, bias, rows, inFeatures, outFeatures, first, last,
                                                 accumulate ? 1 : 0)
            case .avx512:
                ckernels_decode_columns_avx512(out, input, weight, bias, rows, inFeatures, outFeatures, first, last,
                                               accumulate ? 1 : 0)
            }
        }
    }

    private static func columns(_ range: Range<Int>, out: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>,
                                weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?, rows: Int, k: Int, n: Int,
                                accumulate: Bool) {
        var j = range.lowerBound
        while j < range.upperBound {
            let pair = j + 1 < range.upperBound
            let w0 = weight + j * k, w1 = pair ? w0 + k : w0
            var b = 0
            while b < rows {
                let count = min(4, rows - b)
                let x0 = input + b * k
                let x1 = count > 1 ? x0 + k : x0, x2 = count > 2 ? x0 + 2 * k : x0, x3 = count > 3 ? x0 + 3 * k : x0
                var a00 = Lanes(), a01 = Lanes(), a10 = Lanes(), a11 = Lanes()
                var a20 = Lanes(), a21 = Lanes(), a30 = Lanes(), a31 = Lanes()
                var i = 0
                while i &+ 4 <= k {
                    let v0 = load(w0 + i), v1 = load(w1 + i)
                    let u0 = load(x0 + i), u1 = load(x1 + i), u2 = load(x2 + i), u3 = load(x3 + i)
                    a00 += u0 * v0
                    a01 += u0 * v1
                    a10 += u1 * v0
                    a11 += u1 * v1
                    a20 += u2 * v0
                    a21 += u2 * v1
                    a30 += u3 * v0
                    a31 += u3 * v1
                    i &+= 4
                }
                var sums = (a00.sum(), a01.sum(), a10.sum(), a11.sum(), a20.sum(), a21.sum(), a30.sum(), a31.sum())
                while i < k {
                    let v0 = w0[i], v1 = w1[i]
                    sums.0 += x0[i] * v0
                    sums.1 += x0[i] * v1
                    sums.2 += x1[i] * v0
                    sums.3 += x1[i] * v1
                    sums.4 += x2[i] * v0
                    sums.5 += x2[i] * v1
                    sums.6 += x3[i] * v0
                    sums.7 += x3[i] * v1
                    i += 1
                }
                let columns = pair ? 2 : 1
                @inline(__always) func put(_ r: Int, _ c: Int, _ value: Float) {
                    guard r < count, c < columns else { return }
                    let target = out + (b + r) * n + j + c
                    let result = value + (bias?[j + c] ?? 0)
                    target.pointee = accumulate ? target.pointee + result : result
                }
                put(0, 0, sums.0)
                put(0, 1, sums.1)
                put(1, 0, sums.2)
                put(1, 1, sums.3)
                put(2, 0, sums.4)
                put(2, 1, sums.5)
                put(3, 0, sums.6)
                put(3, 1, sums.7)
                b += 4
            }
            j += 2
        }
    }

    @inline(__always)
    private static func load(_ pointer: UnsafePointer<Float>) -> Lanes {
        UnsafeRawPointer(pointer).loadUnaligned(as: Lanes.self)
    }
}
