extension ModelConfig {
    /// The built-in model for the synthetic curriculum: the TINY shape of `benchTiny` (128 hidden, 4 layers,
    /// 4 heads, 2 KV heads, 352 intermediate) over `CharTokenizer.builtin`'s 100 ids, ending at its `<eos>`.
    /// Positions go to 1024 so that character-level prompts with worked answers fit.
    public static let builtinTiny = ModelConfig(
        architecture: benchTiny.architecture, vocabSize: CharTokenizer.builtin.vocabSize,
        hiddenSize: benchTiny.hiddenSize, intermediateSize: benchTiny.intermediateSize, numLayers: benchTiny.numLayers,
        numHeads: benchTiny.numHeads, numKVHeads: benchTiny.numKVHeads, headDim: benchTiny.headDim,
        rmsNormEps: benchTiny.rmsNormEps, ropeTheta: benchTiny.ropeTheta, tieWordEmbeddings: benchTiny.tieWordEmbeddings,
        maxPositionEmbeddings: 1024, bosTokenID: Int(CharTokenizer.bosID), eosTokenIDs: [Int(CharTokenizer.eosID)])
}
