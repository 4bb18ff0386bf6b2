/// One decoder layer's forward and backward over packed rows, built from the layer kernels in `Layers/`.
extension Transformer {
    /// Scratch the backward of one layer needs (reused by every layer).
    struct LayerGradientScratch {
        /// `[N, I]`, `[N, 2·I]`, `[N, C]`, `[N, H·D]`, `[N, H·D + 2·KV·D]`.
        var act, gateUp, normed, attention, qkv: UnsafeMutablePointer<Float>
        /// `threads · maxT²` for the attention backward.
        var probabilities: UnsafeMutablePointer<Float>

        static func floats(config: ModelConfig, rows: Int, maxLength: Int, threads: Int) -> Int {
            let shape = Attention.Shape(config: config), i = config.intermediateSize
            return FloatArena.rounded(rows * i) + FloatArena.rounded(rows * 2 * i)
                + FloatArena.rounded(rows * config.hiddenSize) + FloatArena.rounded(rows * shape.queryWidth)
                + FloatArena.rounded(rows * shape.qkvWidth) + FloatArena.rounded(threads * maxLength * maxLength)
        }

        static func carve(from arena: FloatArena, config: ModelConfig, rows: Int, maxLength: Int,
                          threads: Int) -> LayerGradientScratch {
            let shape = Attention.Shape(config: config), i = config.intermediateSize
            return LayerGradientScratch(
                act: arena.take(rows * i), gateUp: arena.take(rows * 2 * i),
                normed: arena.take(rows * config.hiddenSize), attention: arena.take(rows * shape.queryWidth),
                qkv: arena.take(rows * shape.qkvWidth), probabilities: arena.take(threads * maxLength * maxLength))
        }
    }

    /// Runs layer `index` over the packed rows: writes every slot of `a` from `a.input`.
    ///
    /// Sequence `s` takes positions `0..<lengths[s]`; `table` must cover them. `afterRotation`, when given,
    /// sees the fused qkv matrix once q and k are rotated (the sampler copies k and v into its cache there).
    func forwardLayer(_ index: Int, _ a: DecoderLayerActivations, packing: SequencePacking, table: RotaryTable,
                      threads: Int, afterRotation: ((UnsafeMutablePointer<Float>) -> Void)? = nil) {
        let w = parameters.base, offsets = layout.layers[index], shape = attentionShape
        let n = packing.rows, c = config.hiddenSize, i = config.intermediateSize
        RMSNorm.forward(out: a.normed1, rstd: a.rstd1, input: a.input, weight: w + offsets.inputNorm, rows: n,
                        channels: c, epsilon: config.rmsNormEps, threads: threads)
        Linear.forward(out: a.qkv, outStride: shape.qkvWidth, input: a.normed1, inputStride: c,
                       weight: w + offsets.qkvWeight, bias: offsets.qkvBias.map { w + $0 }, rows: n, inFeatures: c,
                       outFeatures: shape.qkvWidth, threads: threads)
        rotate(a.qkv, packing: packing, table: table, backward: false, threads: threads)
        afterRotation?(a.qkv)
        Attention.forward(out: a.attention, probabilities: a.probabilities, qkv: a.qkv, packing: packing,
                          shape: shape, threads: threads)
        if a.middle != a.input { a.middle.update(from: a.input, count: n * c) }
        Linear.forward(out: a.middle, outStride: c, input: a.attention, inputStride: shape.queryWidth,
                       weight: w + offsets.outputWeight, bias: nil, rows: n, inFeatures: shape.queryWidth,
                       outFeatures: c, accumulate: true, threads: threads)
        RMSNorm.forward(out: a.normed2, rstd: a.rstd2, input: a.middle, weight: w + offsets.postNorm, rows: n,
                        channels: c, epsilon: config.rmsNormEps, threads: threads)
        Linear.forward(out: a.gateUp, outStride: 2 * i, input: a.normed2, inputStride: c,
                       weight: w + offsets.gateUpWeight, bias: nil, rows: n, inFeatures: c, outFeatures: 2 * i,
                       threads: threads)
        SwiGLU.forward(act: a.act, gateUp: a.gateUp, rows: n, intermediate: i, threads: threads)
        if a.output != a.middle { a.output.update(from: a.middle, count: n * c) }
        Linear.forward(out: a.output, outStride: c, input: a.act, inputStride: i, weight: w + offsets.downWeight,
                       bias: nil, rows: n, inFeatures: i, outFeatures: c, accumulate: true, threads: threads)
    }

    /// Backward of layer `index`: on entry `dresidual` `[N, C]` is ∂L/∂`a.output`; on return it is
    /// ∂L/∂`a.input`. Parameter gradients are added into `gradients`.
    func backwardLayer(_ index: Int, _ a: DecoderLayerActivations, dresidual: UnsafeMutablePointer<Float>,
                       gradients: ParameterStore, scratch s: LayerGradientScratch, packing: SequencePacking,
                       table: RotaryTable, threads: Int) {
        let w = parameters.base, g = gradients.base, offsets = layout.layers[index], shape = attentionShape
        let n = packing.rows, c = config.hiddenSize, i = config.intermediateSize
        // MLP: output = middle + down(silu(gate)·up), gate/up = W·post_norm(middle).
        Linear.backward(dinput: s.act, dinputStride: i, dweight: g + offsets.downWeight, dbias: nil,
                        dout: dresidual, doutStride: c, input: a.act, inputStride: i, weight: w + offsets.downWeight,
                        rows: n, inFeatures: i, outFeatures: c, threads: threads)
        SwiGLU.backward(dgateUp: s.gateUp, dact: s.act, gateUp: a.gateUp, rows: n, intermediate: i, threads: threads)
        Linear.backward(dinput: s.normed, dinputStride: c, dweight: g + offsets.gateUpWeight, dbias: nil,
                        dout: s.gateUp, doutStride: 2 * i, input: a.normed2, inputStride: c,
                        weight: w + offsets.gateUpWeight, rows: n, inFeatures: c, outFeatures: 2 * i, threads: threads)
        RMSNorm.backward(dinput: dresidual, dweight: g + offsets.postNorm, dout: s.normed, input: a.middle,
                         weight: w + offsets.postNorm, rstd: a.rstd2, rows: n, channels: c, threads: threads)
        // Attention: middle = input + o_proj(attention(q, k, v)), q/k/v = W·input_norm(input) (+ b).
        Linear.backward(dinput: s.attention, dinputStride: shape.queryWidth, dweight: g + offsets.outputWeight,
                        dbias: nil, dout: dresidual, doutStride: c, input: a.attention, inputStride: shape.queryWidth,
                        weight: w + offsets.outputWeight, rows: n, inFeatures: shape.queryWidth, outFeatures: c,
                        threads: threads)
        Attention.backward(dqkv: s.qkv, dout: s.attention, qkv: a.qkv, probabilities: a.probabilities,
                           packing: packing, shape: shape, scratch: s.probabilities, threads: threads)
        rotate(s.qkv, packing: packing, table: table, backward: true, threads: threads)
        Linear.backward(dinput: s.normed, dinputStride: c, dweight: g + offsets.qkvWeight,
                        dbias: offsets.qkvBias.map { g + $0 }, dout: s.qkv, doutStride: shape.qkvWidth,
                        input: a.normed1, inputStride: c, weight: w + offsets.qkvWeight, rows: n, inFeatures: c,
                        outFeatures: shape.qkvWidth, threads: threads)
        RMSNorm.backward(dinput: dresidual, dweight: g + offsets.inputNorm, dout: s.normed, input: a.input,
                         weight: w + offsets.inputNorm, rstd: a.rstd1, rows: n, channels: c, threads: threads)
    }

    /// Rotates (or back-rotates gradients of) the q and k parts of every row of a fused qkv matrix; row `t` of
    /// a sequence takes position `t`.
    private func rotate(_ qkv: UnsafeMutablePointer<Float>, packing: SequencePacking, table: RotaryTable,
                        backward: Bool, threads: Int) {
        let shape = attentionShape, h = rotary.halfDimension
        packing.positions.withUnsafeBufferPointer { positions in
            Parallel.forRanges(packing.rows, threads: threads, grain: 256) { rows, _ in
                for row in rows {
                    let x = qkv + row * shape.qkvWidth
                    let cos = table.cos + Int(positions[row]) * h, sin = table.sin + Int(positions[row]) * h
                    RotaryEmbedding.rotate(x, heads: shape.heads + shape.kvHeads, halfDimension: h, cos: cos, sin: sin,
                                           inverse: backward)
                }
            }
        }
    }
}
