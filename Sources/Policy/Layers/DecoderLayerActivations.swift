/// Pointers to what one decoder layer's forward writes over N packed rows; the backward reads them.
///
/// For a forward that keeps activations each layer has its own slots; for an inference forward all layers
/// share one set and `input`, `middle` and `output` are the same residual buffer (updated in place).
struct DecoderLayerActivations {
    /// Residual stream entering the layer `[N, C]`.
    var input: UnsafeMutablePointer<Float>
    /// `input_layernorm(input)` `[N, C]` and its `rstd` `[N]`.
    var normed1: UnsafeMutablePointer<Float>
    var rstd1: UnsafeMutablePointer<Float>
    /// Fused projections `[N, H·D + 2·KV·D]`, q and k rotated.
    var qkv: UnsafeMutablePointer<Float>
    /// Attention probabilities, `SequencePacking.probabilityCount` elements.
    var probabilities: UnsafeMutablePointer<Float>
    /// Attention output before `o_proj` `[N, H·D]`.
    var attention: UnsafeMutablePointer<Float>
    /// Residual after the attention block `[N, C]`.
    var middle: UnsafeMutablePointer<Float>
    /// `post_attention_layernorm(middle)` `[N, C]` and its `rstd` `[N]`.
    var normed2: UnsafeMutablePointer<Float>
    var rstd2: UnsafeMutablePointer<Float>
    /// Fused gate/up projections `[N, 2·I]`.
    var gateUp: UnsafeMutablePointer<Float>
    /// `silu(gate)·up` `[N, I]`.
    var act: UnsafeMutablePointer<Float>
    /// Residual leaving the layer `[N, C]`.
    var output: UnsafeMutablePointer<Float>

    /// Floats one layer needs for `rows` rows and `probabilities` attention probabilities, excluding `input`
    /// and `output` (the residual stream, sized by the caller).
    static func floatsPerLayer(config: ModelConfig, rows: Int, probabilities: Int, separateMiddle: Bool) -> Int {
        let shape = Attention.Shape(config: config)
        let c = config.hiddenSize, i = config.intermediateSize
        return FloatArena.rounded(rows * c) * (separateMiddle ? 3 : 2) + 2 * FloatArena.rounded(rows)
            + FloatArena.rounded(rows * shape.qkvWidth) + FloatArena.rounded(probabilities)
            + FloatArena.rounded(rows * shape.queryWidth) + FloatArena.rounded(rows * 2 * i)
            + FloatArena.rounded(rows * i)
    }

    /// Carves one layer's slots from `arena`; `middle` is its own slot when `separateMiddle`, else `input`.
    static func carve(from arena: FloatArena, config: ModelConfig, rows: Int, probabilities: Int,
                      input: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>,
                      separateMiddle: Bool) -> DecoderLayerActivations {
        let shape = Attention.Shape(config: config)
        let c = config.hiddenSize, i = config.intermediateSize
        return DecoderLayerActivations(
            input: input, normed1: arena.take(rows * c), rstd1: arena.take(rows),
            qkv: arena.take(rows * shape.qkvWidth), probabilities: arena.take(probabilities),
            attention: arena.take(rows * shape.queryWidth),
            middle: separateMiddle ? arena.take(rows * c) : input,
            normed2: arena.take(rows * c), rstd2: arena.take(rows), gateUp: arena.take(rows * 2 * i),
            act: arena.take(rows * i), output: output)
    }
}
