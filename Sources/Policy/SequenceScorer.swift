import Foundation

/// Scores token sequences under a `Transformer` and back-propagates gradients of any per-token loss.
///
/// `forward` returns `log π(token)` (temperature 1) for every scored token of a `TokenBatch`, optionally the
/// entropy at each scored position, and keeps the activations; `backward` then takes `∂L/∂logπ` for every
/// scored token (and optionally `∂L/∂entropy`) and adds the parameter gradients into a `ParameterStore`.
/// Calling `forward`/`backward` on several micro-batches before an optimizer step accumulates gradients.
/// Supervised cross-entropy averaged over N tokens is `∂L/∂logπ = −1/N` for every token.
///
/// The scorer owns its activation memory (grown to the largest batch seen, reused after) and is not
/// thread-safe; use one scorer per thread. The model's weights are read at each call.
public final class SequenceScorer {
    public let model: Transformer
    /// Worker threads for every loop: products (one single-threaded `sgemm` block each), attention items, norms,
    /// vocabulary rows (see `BLAS` for why OpenBLAS itself runs single-threaded).
    public let threads: Int
    /// The forward keeps the logits for the backward when they fit in this many bytes; otherwise the backward
    /// recomputes them chunk by chunk.
    public let keptLogitsLimitBytes: Int
    /// Bytes of logits formed at once when they are not kept (bounds memory for large vocabularies).
    public let logitsChunkBytes: Int

    private let activations = FloatArena()
    private let gradientScratch = FloatArena()
    private let table: RotaryTable
    private var saved: SavedForward?

    /// What the last forward with `keepActivations` left for the backward.
    private struct SavedForward {
        let packing: SequencePacking
        let layers: [DecoderLayerActivations]
        /// Tokens fed to the model `[N]` and the targets of the scored rows `[M]`.
        let inputs: [Int32]
        let targets: [Int32]
        /// Packed row (the position predicting the target) of each scored token `[M]`; `nil` when the scored
        /// rows are exactly the packed rows in order.
        let scoredRows: [Int]?
        let residualOut: UnsafeMutablePointer<Float>
        let normedFinal: UnsafeMutablePointer<Float>
        let rstdFinal: UnsafeMutablePointer<Float>
        /// `[M, C]`: the scored rows of `normedFinal` (the same pointer when `scoredRows` is nil).
        let scoredHidden: UnsafeMutablePointer<Float>
        let logSumExp: UnsafeMutablePointer<Float>
        let entropies: UnsafeMutablePointer<Float>?
        var keptLogits: UnsafeMutablePointer<Float>?
        let chunk: UnsafeMutablePointer<Float>
        let chunkRows: Int
    }

    public init(model: Transformer, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                keptLogitsLimitBytes: Int = 256 << 20, logitsChunkBytes: Int = 128 << 20) {
        self.model = model
        self.threads = max(1, threads)
        BLAS.pinSingleThreaded()
        self.keptLogitsLimitBytes = keptLogitsLimitBytes
        self.logitsChunkBytes = logitsChunkBytes
        table = RotaryTable(rotary: model.rotary)
    }

    /// Log-probs (and entropies) of every scored token of `batch`.
    ///
    /// With `keepActivations` (the default) the activations stay for `backward`; without, the forward runs in
    /// one layer's worth of memory (a frozen reference policy). Throws `EngineError` for an empty batch, a token
    /// outside the vocabulary, a sequence shorter than 2 or needing more than `maxPositionEmbeddings` positions, or a
    /// `scoreStart` outside `1..<count`.
    public func forward(_ batch: TokenBatch, entropy: Bool = false, keepActivations: Bool = true) throws
        -> TokenScores {
        try run(batch, entropy: entropy, keepActivations: keepActivations, logitsOut: nil)
    }

    /// The model's logits `[T, V]` (row-major, row t predicts token t+1) for every position of `tokens`.
    ///
    /// Meant for inspection and tests; it forms all T·V logits at once, so keep T·V moderate.
    public func logits(of tokens: [Int32]) throws -> [Float] {
        var logits = [Float](repeating: 0, count: tokens.count * model.config.vocabSize)
        try logits.withUnsafeMutableBufferPointer { out in
            _ = try run(TokenBatch(sequences: [.init(tokens: tokens + [0], scoreStart: 1)]), entropy: false,
                        keepActivations: false, logitsOut: out.baseAddress!)
        }
        return logits
    }

    private func run(_ batch: TokenBatch, entropy: Bool, keepActivations: Bool,
                     logitsOut: UnsafeMutablePointer<Float>?) throws -> TokenScores {
        try validate(batch)
        saved = nil
        let config = model.config
        let c = config.hiddenSize, v = config.vocabSize, layerCount = config.numLayers
        let packing = SequencePacking(lengths: batch.sequences.map { $0.tokens.count - 1 },
                                      heads: config.numHeads)
        let n = packing.rows
        var inputs = [Int32](), targets = [Int32](), scoredRows = [Int](), offsets = [0]
        inputs.reserveCapacity(n)
        for (s, sequence) in batch.sequences.enumerated() {
            inputs.append(contentsOf: sequence.tokens.dropLast())
            for t in sequence.scoreStart..<sequence.tokens.count {
                targets.append(sequence.tokens[t])
                scoredRows.append(packing.offsets[s] + t - 1)
            }
            offsets.append(targets.count)
        }
        let m = targets.count
        let scoredAreAllRows = m == n
        let keepLogits = logitsOut != nil || (keepActivations && m * v * 4 <= keptLogitsLimitBytes)
        let chunkRows = keepLogits ? m : max(1, min(m, logitsChunkBytes / (4 * v)))

        // Plan the arena: per-layer slots (one shared set without keepActivations), the residual stream, the
        // final norm and the LM head's buffers.
        let layerSlots = keepActivations ? layerCount : min(layerCount, 1)
        let perLayer = DecoderLayerActivations.floatsPerLayer(config: config, rows: n,
                                                              probabilities: packing.probabilityCount,
                                                              separateMiddle: keepActivations)
        let residuals = keepActivations ? layerCount + 1 : 1
        var total = layerSlots * perLayer + residuals * FloatArena.rounded(n * c)
        total += FloatArena.rounded(n * c) + FloatArena.rounded(n)
        total += scoredAreAllRows ? 0 : FloatArena.rounded(m * c)
        total += 3 * FloatArena.rounded(m) + FloatArena.rounded((keepLogits ? m : chunkRows) * v)
        activations.reserve(total)
        table.ensure(positions: packing.maxLength)

        var residual = [activations.take(n * c)]
        var layers: [DecoderLayerActivations] = []
        for index in 0..<layerCount {
            let input = residual[residual.count - 1]
            let output = keepActivations ? activations.take(n * c) : input
            if keepActivations { residual.append(output) }
            let slot = keepActivations || index == 0
                ? DecoderLayerActivations.carve(from: activations, config: config, rows: n,
                                                probabilities: packing.probabilityCount, input: input,
                                                output: output, separateMiddle: keepActivations)
                : layers[0]
            layers.append(slot)
        }
        let residualOut = residual[residual.count - 1]
        let normedFinal = activations.take(n * c), rstdFinal = activations.take(n)
        let scoredHidden = scoredAreAllRows ? normedFinal : activations.take(m * c)
        let logProbs = activations.take(m), logSumExp = activations.take(m), entropies = activations.take(m)
        let logits = activations.take((keepLogits ? m : chunkRows) * v)

        let w = model.parameters.base
        inputs.withUnsafeBufferPointer { tokens in
            Embedding.forward(out: residual[0], tokens: tokens.baseAddress!, count: n,
                              table: w + model.layout.embedding, channels: c)
        }
        for index in 0..<layerCount {
            model.forwardLayer(index, layers[index], packing: packing, table: table, threads: threads)
        }
        RMSNorm.forward(out: normedFinal, rstd: rstdFinal, input: residualOut, weight: w + model.layout.finalNorm,
                        rows: n, channels: c, epsilon: config.rmsNormEps, threads: threads)
        if !scoredAreAllRows {
            for (j, row) in scoredRows.enumerated() {
                (scoredHidden + j * c).update(from: normedFinal + row * c, count: c)
            }
        }
        targets.withUnsafeBufferPointer { targetPointer in
            LMHead.forward(outputs: .init(logProbs: logProbs, logSumExp: logSumExp,
                                          entropies: entropy ? entropies : nil),
                           hidden: scoredHidden, targets: targetPointer.baseAddress!, rows: m,
                           weight: w + model.layout.lmHead, channels: c, vocabulary: v,
                           keptLogits: keepLogits ? logits : nil, chunk: logits, chunkRows: chunkRows,
                           threads: threads)
        }
        logitsOut?.update(from: logits, count: m * v)
        if keepActivations {
            saved = SavedForward(packing: packing, layers: layers, inputs: inputs, targets: targets,
                                 scoredRows: scoredAreAllRows ? nil : scoredRows, residualOut: residualOut,
                                 normedFinal: normedFinal, rstdFinal: rstdFinal, scoredHidden: scoredHidden,
                                 logSumExp: logSumExp, entropies: entropy ? entropies : nil,
                                 keptLogits: keepLogits ? logits : nil, chunk: logits, chunkRows: chunkRows)
        }
        return TokenScores(logProbs: Array(UnsafeBufferPointer(start: logProbs, count: m)),
                           entropies: entropy ? Array(UnsafeBufferPointer(start: entropies, count: m)) : nil,
                           offsets: offsets)
    }

    /// Adds into `gradients` the gradient of a loss L given `∂L/∂logπ` for every scored token of the last
    /// forward (in `TokenScores` order), and optionally `∂L/∂entropy` (the forward must have computed entropies).
    ///
    /// Gradients accumulate: zero `gradients` before the first micro-batch of a step. The saved activations
    /// stay valid, so `backward` may be called again for the same forward.
    public func backward(logProbGradients: [Float], entropyGradients: [Float]? = nil,
                         into gradients: ParameterStore) throws {
        guard var saved else { throw EngineError.noSavedActivations }
        let m = saved.targets.count
        guard logProbGradients.count == m else {
            throw EngineError.countMismatch(what: "logProbGradients", expected: m, found: logProbGradients.count)
        }
        if let entropyGradients {
            guard saved.entropies != nil else {
                throw EngineError.invalidOption(name: "entropyGradients", value: "\(entropyGradients.count) values",
                                                reason: "the forward did not compute entropies")
            }
            guard entropyGradients.count == m else {
                throw EngineError.countMismatch(what: "entropyGradients", expected: m, found: entropyGradients.count)
            }
        }
        guard gradients.layout == model.layout else {
            throw EngineError.layoutMismatch(expected: model.layout.count, found: gradients.count)
        }
        let config = model.config, packing = saved.packing
        let c = config.hiddenSize, n = packing.rows
        let w = model.parameters.base, g = gradients.base

        gradientScratch.reserve(2 * FloatArena.rounded(n * c) + FloatArena.rounded(m * c) + 2 * FloatArena.rounded(m)
            + Transformer.LayerGradientScratch.floats(config: config, rows: n, maxLength: packing.maxLength,
                                                      threads: threads)
            + (saved.keptLogits == nil ? FloatArena.rounded(saved.chunkRows * config.vocabSize) : 0))
        let dresidual = gradientScratch.take(n * c)
        let dnormed = gradientScratch.take(n * c)
        let dscored = saved.scoredRows == nil ? dnormed : gradientScratch.take(m * c)
        let scratch = Transformer.LayerGradientScratch.carve(from: gradientScratch, config: config, rows: n,
                                                             maxLength: packing.maxLength, threads: threads)
        let chunk = saved.keptLogits == nil ? gradientScratch.take(saved.chunkRows * config.vocabSize) : saved.chunk

        let dLogProbs = gradientScratch.take(m), dEntropies = gradientScratch.take(m)
        logProbGradients.withUnsafeBufferPointer { dLogProbs.update(from: $0.baseAddress!, count: m) }
        entropyGradients?.withUnsafeBufferPointer { dEntropies.update(from: $0.baseAddress!, count: m) }
        saved.targets.withUnsafeBufferPointer { targets in
            LMHead.backward(dhidden: dscored, dweight: g + model.layout.lmHead, dLogProbs: dLogProbs,
                            dEntropies: entropyGradients == nil ? nil : dEntropies, logSumExp: saved.logSumExp,
                            entropies: saved.entropies, hidden: saved.scoredHidden, targets: targets.baseAddress!,
                            rows: m, weight: w + model.layout.lmHead, channels: c, vocabulary: config.vocabSize,
                            keptLogits: saved.keptLogits, chunk: chunk, chunkRows: saved.chunkRows, threads: threads)
        }
        // The kept logits are now gradients; a repeated backward recomputes them.
        saved.keptLogits = nil
        self.saved = saved

        if let scoredRows = saved.scoredRows {
            dnormed.update(repeating: 0, count: n * c)
            for (j, row) in scoredRows.enumerated() {
                VectorOps.add(dscored + j * c, into: dnormed + row * c, count: c)
            }
        }
        dresidual.update(repeating: 0, count: n * c)
        RMSNorm.backward(dinput: dresidual, dweight: g + model.layout.finalNorm, dout: dnormed,
                         input: saved.residualOut, weight: w + model.layout.finalNorm, rstd: saved.rstdFinal, rows: n,
                         channels: c, threads: threads)
        for index in stride(from: config.numLayers - 1, through: 0, by: -1) {
            model.backwardLayer(index, saved.layers[index], dresidual: dresidual, gradients: gradients,
                                scratch: scratch, packing: packing, table: table, threads: threads)
        }
        saved.inputs.withUnsafeBufferPointer { tokens in
            Embedding.backward(dtable: g + model.layout.embedding, dout: dresidual, tokens: tokens.baseAddress!,
                               count: n, channels: c)
        }
    }

    private func validate(_ batch: TokenBatch) throws {
        guard !batch.sequences.isEmpty else { throw EngineError.emptyBatch }
        let vocabulary = model.config.vocabSize, limit = model.config.maxPositionEmbeddings
        for (s, sequence) in batch.sequences.enumerated() {
            let length = sequence.tokens.count
            guard length >= 2 else { throw EngineError.sequenceTooShort(sequence: s, length: length, minimum: 2) }
            // The last token is only a target: a sequence of L tokens occupies L − 1 positions.
            guard length - 1 <= limit else {
                throw EngineError.sequenceTooLong(sequence: s, length: length - 1, limit: limit)
            }
            guard sequence.scoreStart >= 1, sequence.scoreStart < length else {
                throw EngineError.invalidScoreStart(sequence: s, scoreStart: sequence.scoreStart, length: length)
            }
            for (position, token) in sequence.tokens.enumerated() where token < 0 || token >= vocabulary {
                throw EngineError.tokenOutOfRange(sequence: s, position: position, token: Int(token),
                                                  vocabSize: vocabulary)
            }
        }
    }
}
