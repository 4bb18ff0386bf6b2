/// Token embedding lookup. Shapes: N packed tokens, C channels, V vocabulary; `table` is `[V, C]` row-major.
enum Embedding {
    /// `out[n, :] = table[tokens[n], :]` for `out` `[N, C]`. Tokens must already be validated.
    static func forward(out: UnsafeMutablePointer<Float>, tokens: UnsafePointer<Int32>, count: Int,
                        table: UnsafePointer<Float>, channels: Int) {
        for n in 0..<count {
            (out + n * channels).update(from: table + Int(tokens[n]) * channels, count: channels)
        }
    }

    /// `dtable[tokens[n], :] += dout[n, :]`; serial, since two positions may hold the same token.
    static func backward(dtable: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>,
                         tokens: UnsafePointer<Int32>, count: Int, channels: Int) {
        for n in 0..<count {
            VectorOps.add(dout + n * channels, into: dtable + Int(tokens[n]) * channels, count: channels)
        }
    }
}
