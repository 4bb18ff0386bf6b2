/// Root-mean-square normalisation: `y = x · rsqrt(mean(x²) + ε) · w`. Shapes: `[N, C]` rows, `w` `[C]`.
///
/// The forward saves `rstd[n] = rsqrt(mean(x[n]²) + ε)`; the backward needs it and the input `x`.
enum RMSNorm {
    typealias Vector = VectorMath.Vector

    /// `out[n, :] = input[n, :] · rstd[n] · weight`, and `rstd[n]` (when `rstd` is given) for the backward.
    static func forward(out: UnsafeMutablePointer<Float>, rstd: UnsafeMutablePointer<Float>?,
                        input: UnsafePointer<Float>, weight: UnsafePointer<Float>, rows: Int, channels: Int,
                        epsilon: Float, threads: Int = 1) {
        Parallel.forRanges(rows, threads: threads, grain: max(1, 65_536 / max(1, channels))) { range, _ in
            forward(out: out, rstd: rstd, input: input, weight: weight, rows: range, channels: channels,
                    epsilon: epsilon)
        }
    }

    private static func forward(out: UnsafeMutablePointer<Float>, rstd: UnsafeMutablePointer<Float>?,
                                input: UnsafePointer<Float>, weight: UnsafePointer<Float>, rows: Range<Int>,
                                channels: Int, epsilon: Float) {
        for n in rows {
            let x = input + n * channels
            let y = out + n * channels
            let meanSquare = sumOfSquares(x, channels) / Float(channels)
            let r = 1 / (meanSquare + epsilon).squareRoot()
            rstd?[n] = r
            let rv = Vector(repeating: r)
            var c = 0
            while c + 8 <= channels {
                VectorMath.store(VectorMath.load(x + c) * rv * VectorMath.load(weight + c), y + c)
                c += 8
            }
            while c < channels {
                y[c] = x[c] * r * weight[c]
                c += 1
            }
        }
    }

    /// Accumulates `dinput += ∂L/∂x` and `dweight += ∂L/∂w` given `dout = ∂L/∂y`.
    ///
    /// With x̂ = x·r: `dx = r·(dy·w − x̂·mean(dy·w·x̂))`, `dw = Σ_n dy·x̂`.
    static func backward(dinput: UnsafeMutablePointer<Float>, dweight: UnsafeMutablePointer<Float>,
                         dout: UnsafePointer<Float>, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                         rstd: UnsafePointer<Float>, rows: Int, channels: Int, threads: Int = 1) {
        let workers = max(1, min(threads, rows * channels / 65_536))
        guard workers > 1 else {
            backward(dinput: dinput, dweight: dweight, dout: dout, input: input, weight: weight, rstd: rstd,
                     rows: 0..<rows, channels: channels)
            return
        }
        // Each worker sums its rows' ∂L/∂w into its own partial; the partials are added at the end.
        withUnsafeTemporaryAllocation(of: Float.self, capacity: workers * channels) { partials in
            let base = partials.baseAddress!
            base.initialize(repeating: 0, count: workers * channels)
            Parallel.forRanges(rows, threads: workers, grain: 1) { range, worker in
                backward(dinput: dinput, dweight: base + worker * channels, dout: dout, input: input,
                         weight: weight, rstd: rstd, rows: range, channels: channels)
            }
            for worker in 0..<workers { VectorOps.add(base + worker * channels, into: dweight, count: channels) }
        }
    }

    private static func backward(dinput: UnsafeMutablePointer<Float>, dweight: UnsafeMutablePointer<Float>,
                                 dout: UnsafePointer<Float>, input: UnsafePointer<Float>,
                                 weight: UnsafePointer<Float>, rstd: UnsafePointer<Float>, rows: Range<Int>,
                                 channels: Int) {
        for n in rows {
            let x = input + n * channels
            let dy = dout + n * channels
            let dx = dinput + n * channels
            let r = rstd[n]
            // s = Σ dy·w·x
            var acc = Vector()
            var c = 0
            while c + 8 <= channels {
                acc += VectorMath.load(dy + c) * VectorMath.load(weight + c) * VectorMath.load(x + c)
                c += 8
            }
            var s = acc.sum()
            while c < channels {
                s += dy[c] * weight[c] * x[c]
                c += 1
            }
            let k = s * r * r / Float(channels)
            let rv = Vector(repeating: r), kv = Vector(repeating: k)
            c = 0
            while c + 8 <= channels {
                let xv = VectorMath.load(x + c), dyv = VectorMath.load(dy + c)
                let grad = rv * (dyv * VectorMath.load(weight + c) - xv * kv)
                VectorMath.store(VectorMath.load(dx + c) + grad, dx + c)
                VectorMath.store(VectorMath.load(dweight + c) + dyv * xv * rv, dweight + c)
                c += 8
            }
            while c < channels {
                dx[c] += r * (dy[c] * weight[c] - x[c] * k)
                dweight[c] += dy[c] * x[c] * r
                c += 1
            }
        }
    }

    @inline(__always)
    private static func sumOfSquares(_ x: UnsafePointer<Float>, _ count: Int) -> Float {
        VectorMath.dot(x, x, count)
    }
}
