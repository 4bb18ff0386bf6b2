/// Attention of one new token per completion over its cached context: the shared prompt segment followed by
/// the completion's own segment (which already holds the new token's key and value).
///
/// Shapes: `qkv` `[B, H·D + 2·KV·D]` (only q is read; rotated), `out` `[B, H·D]`; cache rows `[·, KV·D]`.
/// The H/KV query heads of a group are handled together so each cached key and value is read once per group.
/// Inference only, so nothing is saved.
enum DecodeAttention {
    typealias Lanes = SIMD4<Float>

    /// Where row b's context lives: `promptRows` rows from `promptStart`, then `ownRows` rows from `ownStart`.
    struct Context {
        var promptStart: Int
        var promptRows: Int
        var ownStart: Int
        var ownRows: Int
    }

    /// `scores` holds `threads · groupSize · maxContext` floats of scratch.
    static func forward(out: UnsafeMutablePointer<Float>, qkv: UnsafePointer<Float>, contexts: [Context],
                        keys: UnsafePointer<Float>, values: UnsafePointer<Float>, shape: Attention.Shape,
                        scores: UnsafeMutablePointer<Float>, maxContext: Int, threads: Int) {
        let work = contexts.reduce(0) { $0 + $1.promptRows + $1.ownRows } * shape.queryWidth
        Parallel.forEach(contexts.count * shape.kvHeads, threads: work >= 1 << 16 ? threads : 1) { item, worker in
            let b = item / shape.kvHeads, g = item % shape.kvHeads
            let context = contexts[b]
            let d = shape.headDimension, width = shape.kvWidth, heads = shape.groupSize
            let total = context.promptRows + context.ownRows
            let p = scores + worker * heads * maxContext
            let q = qkv + b * shape.qkvWidth + g * heads * d
            let o = out + b * shape.queryWidth + g * heads * d
            // Scores p[r, j] = q_r · k_j / √D over both segments, one key read for all heads of the group.
            var j = 0
            for segment in 0..<2 {
                let start = segment == 0 ? context.promptStart : context.ownStart
                let count = segment == 0 ? context.promptRows : context.ownRows
                for row in 0..<count {
                    let key = keys + (start + row) * width + g * d
                    for r in 0..<heads {
                        p[r * maxContext + j] = VectorMath.dot(q + r * d, key, d) * shape.scale
                    }
                    j += 1
                }
            }
            for r in 0..<heads { Attention.causalSoftmax(p + r * maxContext, valid: total, width: total) }
            // out_r = Σ_j p[r, j]·v_j, sixteen lanes of D at a time held in registers for every head.
            var column = 0
            while column < d {
                let lanes = min(16, d - column)
                if lanes == 16 {
                    accumulate16(o + column, heads: heads, d: d, probabilities: p, stride: maxContext,
                                 values: values + g * d + column, width: width, context: context)
                } else {
                    for r in 0..<heads { (o + r * d + column).update(repeating: 0, count: lanes) }
                    var j = 0
                    for segment in 0..<2 {
                        let start = segment == 0 ? context.promptStart : context.ownStart
                        let count = segment == 0 ? context.promptRows : context.ownRows
                        for row in 0..<count {
                            let value = values + (start + row) * width + g * d + column
                            for r in 0..<heads {
                                VectorOps.addScaled(value, p[r * maxContext + j], into: o + r * d + column,
                                                    count: lanes)
                            }
                            j += 1
                        }
                    }
                }
                column += lanes
            }
        }
    }

    /// `o[r, 0..<16] = Σ_j p[r, j]·v_j[0..<16]` for up to three heads per pass (12 accumulators).
    @inline(__always)
    private static func accumulate16(_ o: UnsafeMutablePointer<Float>, heads: Int, d: Int,
                                     probabilities p: UnsafePointer<Float>, stride: Int,
                                     values: UnsafePointer<Float>, width: Int, context: Context) {
        var first = 0
        while first < heads {
            let count = min(3, heads - first)
            var a0 = Lanes(), a1 = Lanes(), a2 = Lanes(), a3 = Lanes()
            var b0 = Lanes(), b1 = Lanes(), b2 = Lanes(), b3 = Lanes()
            var c0 = Lanes(), c1 = Lanes(), c2 = Lanes(), c3 = Lanes()
            let p0 = p + first * stride
            let p1 = count > 1 ? p0 + stride : p0, p2 = count > 2 ? p0 + 2 * stride : p0
            var j = 0
            for segment in 0..<2 {
                let start = segment == 0 ? context.promptStart : context.ownStart
                let rows = segment == 0 ? context.promptRows : context.ownRows
                for row in 0..<rows {
                    let v = values + (start + row) * width
                    let v0 = load(v), v1 = load(v + 4), v2 = load(v + 8), v3 = load(v + 12)
                    let s0 = Lanes(repeating: p0[j]), s1 = Lanes(repeating: p1[j]), s2 = Lanes(repeating: p2[j])
                    a0 += s0 * v0
                    a1 += s0 * v1
                    a2 += s0 * v2
                    a3 += s0 * v3
                    b0 += s1 * v0
                    b1 += s1 * v1
                    b2 += s1 * v2
                    b3 += s1 * v3
                    c0 += s2 * v0
                    c1 += s2 * v1
                    c2 += s2 * v2
                    c3 += s2 * v3
                    j += 1
                }
            }
            @inline(__always) func write(_ r: Int, _ x0: Lanes, _ x1: Lanes, _ x2: Lanes, _ x3: Lanes) {
                guard r < count else { return }
                let target = o + (first + r) * d
                store(x0, target)
                store(x1, target + 4)
                store(x2, target + 8)
                store(x3, target + 12)
            }
            write(0, a0, a1, a2, a3)
            write(1, b0, b1, b2, b3)
            write(2, c0, c1, c2, c3)
            first += count
        }
    }

    @inline(__always)
    private static func load(_ pointer: UnsafePointer<Float>) -> Lanes {
        UnsafeRawPointer(pointer).loadUnaligned(as: Lanes.self)
    }

    @inline(__always)
    private static func store(_ value: Lanes, _ pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: Lanes.self)
    }
}
