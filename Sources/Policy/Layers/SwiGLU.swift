/// The SwiGLU gate of the MLP: `act = silu(gate) · up`, with `silu(g) = g·σ(g)`.
///
/// Shapes: `gateUp` `[N, 2·I]` (each row: I gate values, then I up values — the output of the fused gate/up
/// projection), `act` `[N, I]`. The backward needs `gateUp` only.
enum SwiGLU {
    typealias Vector = VectorMath.Vector

    /// `act[n, i] = silu(gateUp[n, i]) · gateUp[n, I + i]`.
    static func forward(act: UnsafeMutablePointer<Float>, gateUp: UnsafePointer<Float>, rows: Int,
                        intermediate: Int, threads: Int = 1) {
        Parallel.forRanges(rows, threads: threads, grain: max(1, 32_768 / max(1, intermediate))) { range, _ in
            forward(act: act, gateUp: gateUp, rows: range, intermediate: intermediate)
        }
    }

    private static func forward(act: UnsafeMutablePointer<Float>, gateUp: UnsafePointer<Float>, rows: Range<Int>,
                                intermediate: Int) {
        for n in rows {
            let gate = gateUp + n * 2 * intermediate, up = gate + intermediate
            let out = act + n * intermediate
            var i = 0
            while i + 8 <= intermediate {
                let g = VectorMath.load(gate + i)
                let sigmoid = 1 / (1 + VectorMath.exp(-g))
                VectorMath.store(g * sigmoid * VectorMath.load(up + i), out + i)
                i += 8
            }
            while i < intermediate {
                let g = gate[i]
                out[i] = g / (1 + VectorMath.exp(-g)) * up[i]
                i += 1
            }
        }
    }

    /// `dgateUp` (overwritten) from `dact`: `∂/∂gate = dact·up·σ·(1 + g·(1 − σ))`, `∂/∂up = dact·silu(g)`.
    static func backward(dgateUp: UnsafeMutablePointer<Float>, dact: UnsafePointer<Float>,
                         gateUp: UnsafePointer<Float>, rows: Int, intermediate: Int, threads: Int = 1) {
        Parallel.forRanges(rows, threads: threads, grain: max(1, 32_768 / max(1, intermediate))) { range, _ in
            backward(dgateUp: dgateUp, dact: dact, gateUp: gateUp, rows: range, intermediate: intermediate)
        }
    }

    private static func backward(dgateUp: UnsafeMutablePointer<Float>, dact: UnsafePointer<Float>,
                                 gateUp: UnsafePointer<Float>, rows: Range<Int>, intermediate: Int) {
        for n in rows {
            let gate = gateUp + n * 2 * intermediate, up = gate + intermediate
            let dgate = dgateUp + n * 2 * intermediate, dup = dgate + intermediate
            let da = dact + n * intermediate
            var i = 0
            while i + 8 <= intermediate {
                let g = VectorMath.load(gate + i), u = VectorMath.load(up + i), d = VectorMath.load(da + i)
                let sigmoid = 1 / (1 + VectorMath.exp(-g))
                let silu = g * sigmoid
                VectorMath.store(d * u * sigmoid * (1 + g * (1 - sigmoid)), dgate + i)
                VectorMath.store(d * silu, dup + i)
                i += 8
            }
            while i < intermediate {
                let g = gate[i], u = up[i], d = da[i]
                let sigmoid = 1 / (1 + VectorMath.exp(-g))
                dgate[i] = d * u * sigmoid * (1 + g * (1 - sigmoid))
                dup[i] = d * g * sigmoid
                i += 1
            }
        }
    }
}
