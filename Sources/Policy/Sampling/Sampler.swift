import Foundation
import Seeding

/// Generates completions with a KV cache, batched over all completions of all prompts of a request.
///
/// Each prompt is prefilled once and its keys/values are shared by its `completionsPerPrompt` completions;
/// every decoding step then feeds one token per unfinished completion through the model as one `[B, C]`
/// batch. Completion `r` (prompt `r / G`, the `r % G`-th of its group) draws from its own generator
/// `SeededGenerator.stream(seed: seed, r)`, so results depend only on the seed, never on thread timing or on
/// which other completions are still running.
///
/// Owns its caches and scratch (reused across calls); not thread-safe — one sampler per thread.
public final class Sampler {
    public let model: Transformer
    /// Worker threads for every loop of a step: projections, attention, token choice (OpenBLAS runs single-threaded
    /// inside them; see `BLAS`).
    public let threads: Int

    private let table: RotaryTable
    private let prefillArena = FloatArena()
    private let stepArena = FloatArena()
    private var selectors: [TokenSelector]

    public init(model: Transformer, threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.model = model
        self.threads = max(1, threads)
        BLAS.pinSingleThreaded()
        table = RotaryTable(rotary: model.rotary)
        selectors = (0..<max(1, threads)).map { _ in TokenSelector(vocabulary: model.config.vocabSize) }
    }

    /// Samples `completionsPerPrompt` completions for every prompt; returns them prompt by prompt (the G
    /// completions of prompt 0, then of prompt 1, …).
    ///
    /// `decode` turns token ids into text; it is needed (and only called) when `options.stopStrings` is not
    /// empty, on a window of each completion's most recent tokens. Throws `EngineError` for an empty request, an
    /// empty prompt, a token outside the vocabulary, a prompt whose length plus `maxNewTokens` exceeds the
    /// model's positions, or an invalid option.
    public func sample(prompts: [[Int32]], completionsPerPrompt: Int = 1, options: SamplingOptions, seed: UInt64,
                       decode: (([Int32]) -> String)? = nil) throws -> [Completion] {
        try validate(prompts: prompts, completionsPerPrompt: completionsPerPrompt, options: options,
                     hasDecoder: decode != nil)
        let config = model.config, g = completionsPerPrompt
        let rowCount = prompts.count * g
        let cache = KVCache(layers: config.numLayers, width: model.attentionShape.kvWidth,
                            promptLengths: prompts.map(\.count), completions: rowCount,
                            completionCapacity: options.maxNewTokens - 1)
        table.ensure(positions: (prompts.map(\.count).max() ?? 0) + options.maxNewTokens)
        let promptLogits = prefill(prompts, cache: cache)

        var tokens = [[Int32]](repeating: [], count: rowCount)
        var samplingLogProbs = [[Float]](repeating: [], count: rowCount)
        var policyLogProbs = [[Float]](repeating: [], count: rowCount)
        var finish = [FinishReason?](repeating: nil, count: rowCount)
        var generators = (0..<rowCount).map { SeededGenerator.stream(seed: seed, UInt64($0)) }
        let stopWindow = (options.stopStrings.map(\.utf8.count).max() ?? 0) + 4

        // Step 0 draws from the prompts' last logits; later steps from the decode batch's logits.
        var active = Array(0..<rowCount)
        var logits = promptLogits
        var logitsRow: (Int, Int) -> Int = { _, row in row / g }
        var buffers: StepBuffers?
        while !active.isEmpty {
            let choices = choose(rows: active, logits: logits, logitsRow: logitsRow, options: options,
                                 generators: &generators)
            for (i, row) in active.enumerated() {
                let choice = choices[i]
                tokens[row].append(choice.token)
                samplingLogProbs[row].append(choice.samplingLogProb)
                policyLogProbs[row].append(choice.policyLogProb)
                if options.stopTokenIDs.contains(choice.token) {
                    finish[row] = .stopToken(choice.token)
                } else if let decode, let stop = stopString(in: tokens[row], options.stopStrings, window: stopWindow,
                                                            decode: decode) {
                    finish[row] = .stopString(stop)
                } else if tokens[row].count >= options.maxNewTokens {
                    finish[row] = .length
                }
            }
            active.removeAll { finish[$0] != nil }
            guard !active.isEmpty else { break }
            let stepBuffers = buffers ?? StepBuffers(arena: stepArena, config: config, rows: rowCount,
                                                     maxContext: cache.rows, threads: threads)
            buffers = stepBuffers
            logits = decodeStep(rows: active, prompts: prompts, completionsPerPrompt: g, tokens: tokens,
                                cache: cache, buffers: stepBuffers)
            logitsRow = { index, _ in index }
        }
        return (0..<rowCount).map { row in
            Completion(promptIndex: row / g, tokens: tokens[row], finishReason: finish[row] ?? .length,
                       samplingLogProbs: samplingLogProbs[row], policyLogProbs: policyLogProbs[row])
        }
    }

    /// Teacher-forced decoding through the cache: the logits `[V]` after `prompt`, then after each token of
    /// `continuation` fed one at a time (`continuation.count + 1` rows). Checks the cache path against a full
    /// forward.
    func forcedLogits(prompt: [Int32], continuation: [Int32]) throws -> [[Float]] {
        let options = SamplingOptions(maxNewTokens: continuation.count + 1)
        try validate(prompts: [prompt] + [continuation].filter { !$0.isEmpty }, completionsPerPrompt: 1,
                     options: options, hasDecoder: false)
        let v = model.config.vocabSize
        let cache = KVCache(layers: model.config.numLayers, width: model.attentionShape.kvWidth,
                            promptLengths: [prompt.count], completions: 1, completionCapacity: continuation.count)
        table.ensure(positions: prompt.count + continuation.count)
        var rows = [Array(UnsafeBufferPointer(start: prefill([prompt], cache: cache), count: v))]
        let buffers = StepBuffers(arena: stepArena, config: model.config, rows: 1, maxContext: cache.rows,
                                  threads: threads)
        for k in continuation.indices {
            let logits = decodeStep(rows: [0], prompts: [prompt], completionsPerPrompt: 1,
                                    tokens: [Array(continuation[...k])], cache: cache, buffers: buffers)
            rows.append(Array(UnsafeBufferPointer(start: logits, count: v)))
        }
        return rows
    }

    // MARK: - Prefill

    /// Runs all prompts through the model as one packed batch, storing every position's keys and values in the
    /// prompt segments of `cache`; returns the logits `[P, V]` of each prompt's last position.
    private func prefill(_ prompts: [[Int32]], cache: KVCache) -> UnsafeMutablePointer<Float> {
        let config = model.config, c = config.hiddenSize, v = config.vocabSize, shape = model.attentionShape
        let packing = SequencePacking(lengths: prompts.map(\.count), heads: config.numHeads)
        let n = packing.rows, p = prompts.count
        prefillArena.reserve(DecoderLayerActivations.floatsPerLayer(config: config, rows: n,
                                                                    probabilities: packing.probabilityCount,
                                                                    separateMiddle: false)
            + FloatArena.rounded(n * c) + 2 * FloatArena.rounded(p * c) + FloatArena.rounded(p * v))
        let residual = prefillArena.take(n * c)
        let slot = DecoderLayerActivations.carve(from: prefillArena, config: config, rows: n,
                                                 probabilities: packing.probabilityCount, input: residual,
                                                 output: residual, separateMiddle: false)
        let last = prefillArena.take(p * c), normed = prefillArena.take(p * c), logits = prefillArena.take(p * v)
        let w = model.parameters.base
        let inputs = prompts.flatMap { $0 }
        inputs.withUnsafeBufferPointer {
            Embedding.forward(out: residual, tokens: $0.baseAddress!, count: n, table: w + model.layout.embedding,
                              channels: c)
        }
        for layer in 0..<config.numLayers {
            // Prompt segments are laid out exactly like the packed rows, so row n goes to cache row n.
            model.forwardLayer(layer, slot, packing: packing, table: table, threads: threads) { qkv in
                let keys = cache.keys(layer), values = cache.values(layer), width = shape.kvWidth
                for row in 0..<n {
                    let source = qkv + row * shape.qkvWidth + shape.queryWidth
                    (keys + row * width).update(from: source, count: width)
                    (values + row * width).update(from: source + width, count: width)
                }
            }
        }
        for (index, length) in packing.lengths.enumerated() {
            (last + index * c).update(from: residual + (packing.offsets[index] + length - 1) * c, count: c)
        }
        RMSNorm.forward(out: normed, rstd: nil, input: last, weight: w + model.layout.finalNorm, rows: p, channels: c,
                        epsilon: config.rmsNormEps)
        Linear.forward(out: logits, outStride: v, input: normed, inputStride: c, weight: w + model.layout.lmHead,
                       bias: nil, rows: p, inFeatures: c, outFeatures: v, threads: threads)
        return logits
    }

    // MARK: - Decoding

    /// The decode step's activations for up to `rows` completions.
    private struct StepBuffers {
        let x, normed, qkv, attention, gateUp, act, logits, scores: UnsafeMutablePointer<Float>
        let maxContext: Int

        init(arena: FloatArena, config: ModelConfig, rows: Int, maxContext: Int, threads: Int) {
            let shape = Attention.Shape(config: config), c = config.hiddenSize, i = config.intermediateSize
            let sizes = [rows * c, rows * c, rows * shape.qkvWidth, rows * shape.queryWidth, rows * 2 * i,
                         rows * i, rows * config.vocabSize, threads * shape.groupSize * maxContext]
            arena.reserve(sizes.reduce(0) { $0 + FloatArena.rounded($1) })
            x = arena.take(rows * c)
            normed = arena.take(rows * c)
            qkv = arena.take(rows * shape.qkvWidth)
            attention = arena.take(rows * shape.queryWidth)
            gateUp = arena.take(rows * 2 * i)
            act = arena.take(rows * i)
            logits = arena.take(rows * config.vocabSize)
            scores = arena.take(threads * shape.groupSize * maxContext)
            self.maxContext = maxContext
        }
    }

    /// Feeds the last token of every row in `rows` (completion ids) and returns the logits `[rows.count, V]`.
    private func decodeStep(rows: [Int], prompts: [[Int32]], completionsPerPrompt g: Int, tokens: [[Int32]],
                            cache: KVCache, buffers b: StepBuffers) -> UnsafeMutablePointer<Float> {
        let config = model.config, layout = model.layout, shape = model.attentionShape
        let c = config.hiddenSize, i = config.intermediateSize, n = rows.count, h = model.rotary.halfDimension
        let w = model.parameters.base
        // Row r feeds its k-th new token (k = count − 1) at position promptLength + k, into its cache slot k.
        var contexts: [DecodeAttention.Context] = []
        contexts.reserveCapacity(n)
        var inputs = [Int32](repeating: 0, count: n)
        var positions = [Int](repeating: 0, count: n)
        var slots = [Int](repeating: 0, count: n)
        for (index, row) in rows.enumerated() {
            let prompt = row / g, k = tokens[row].count - 1
            inputs[index] = tokens[row][k]
            positions[index] = prompts[prompt].count + k
            slots[index] = cache.completionStarts[row] + k
            contexts.append(.init(promptStart: cache.promptStarts[prompt], promptRows: prompts[prompt].count,
                                  ownStart: cache.completionStarts[row], ownRows: k + 1))
        }
        inputs.withUnsafeBufferPointer {
            Embedding.forward(out: b.x, tokens: $0.baseAddress!, count: n, table: w + layout.embedding, channels: c)
        }
        for layer in 0..<config.numLayers {
            let offsets = layout.layers[layer]
            RMSNorm.forward(out: b.normed, rstd: nil, input: b.x, weight: w + offsets.inputNorm, rows: n, channels: c,
                            epsilon: config.rmsNormEps)
            project(b.qkv, b.normed, w + offsets.qkvWeight, bias: offsets.qkvBias.map { w + $0 }, rows: n,
                    inFeatures: c, outFeatures: shape.qkvWidth)
            let keys = cache.keys(layer), values = cache.values(layer), width = shape.kvWidth
            for index in 0..<n {
                let row = b.qkv + index * shape.qkvWidth
                RotaryEmbedding.rotate(row, heads: shape.heads + shape.kvHeads, halfDimension: h,
                                       cos: table.cos + positions[index] * h, sin: table.sin + positions[index] * h)
                (keys + slots[index] * width).update(from: row + shape.queryWidth, count: width)
                (values + slots[index] * width).update(from: row + shape.queryWidth + width, count: width)
            }
            DecodeAttention.forward(out: b.attention, qkv: b.qkv, contexts: contexts, keys: keys, values: values,
                                    shape: shape, scores: b.scores, maxContext: b.maxContext, threads: threads)
            project(b.x, b.attention, w + offsets.outputWeight, rows: n, inFeatures: shape.queryWidth,
                    outFeatures: c, accumulate: true)
            RMSNorm.forward(out: b.normed, rstd: nil, input: b.x, weight: w + offsets.postNorm, rows: n, channels: c,
                            epsilon: config.rmsNormEps)
            project(b.gateUp, b.normed, w + offsets.gateUpWeight, rows: n, inFeatures: c, outFeatures: 2 * i)
            SwiGLU.forward(act: b.act, gateUp: b.gateUp, rows: n, intermediate: i)
            project(b.x, b.act, w + offsets.downWeight, rows: n, inFeatures: i, outFeatures: c, accumulate: true)
        }
        RMSNorm.forward(out: b.normed, rstd: nil, input: b.x, weight: w + layout.finalNorm, rows: n, channels: c,
                        epsilon: config.rmsNormEps)
        project(b.logits, b.normed, w + layout.lmHead, rows: n, inFeatures: c, outFeatures: config.vocabSize)
        return b.logits
    }

    /// A projection of the decode batch: the few-rows kernel for small batches, `sgemm` for large ones.
    private func project(_ out: UnsafeMutablePointer<Float>, _ input: UnsafePointer<Float>,
                         _ weight: UnsafePointer<Float>, bias: UnsafePointer<Float>? = nil, rows: Int, inFeatures: Int,
                         outFeatures: Int, accumulate: Bool = false) {
        if rows <= Linear.fewRowsLimit {
            Linear.forwardFewRows(out: out, input: input, weight: weight, bias: bias, rows: rows,
                                  inFeatures: inFeatures, outFeatures: outFeatures, accumulate: accumulate,
                                  threads: threads)
        } else {
            Linear.forward(out: out, outStride: outFeatures, input: input, inputStride: inFeatures, weight: weight,
                           bias: bias, rows: rows, inFeatures: inFeatures, outFeatures: outFeatures,
                           accumulate: accumulate, threads: threads)
        }
    }

    // MARK: - Token choice

    /// Chooses one token for each row in `rows`, reading row `rows[i]`'s logits at `logitsRow(i, rows[i])`.
    private func choose(rows: [Int], logits: UnsafeMutablePointer<Float>, logitsRow: (Int, Int) -> Int,
                        options: SamplingOptions, generators: inout [SeededGenerator]) -> [TokenSelector.Choice] {
        let v = model.config.vocabSize
        var choices = [TokenSelector.Choice](repeating: .init(token: 0, samplingLogProb: 0, policyLogProb: 0),
                                             count: rows.count)
        let logitRows = rows.enumerated().map { logitsRow($0, $1) }
        let selectors = self.selectors
        choices.withUnsafeMutableBufferPointer { out in
            generators.withUnsafeMutableBufferPointer { streams in
                Parallel.forEach(rows.count, threads: v * rows.count >= 1 << 16 ? threads : 1) { i, worker in
                    out[i] = selectors[worker].choose(logits + logitRows[i] * v, options: options,
                                                      generator: &streams[rows[i]])
                }
            }
        }
        return choices
    }

    /// The first stop string found in the decoded text of the last `window` tokens, if any.
    private func stopString(in tokens: [Int32], _ stops: [String], window: Int,
                            decode: ([Int32]) -> String) -> String? {
        guard !stops.isEmpty else { return nil }
        let text = decode(Array(tokens.suffix(window)))
        return stops.first { text.contains($0) }
    }

    private func validate(prompts: [[Int32]], completionsPerPrompt: Int, options: SamplingOptions,
                          hasDecoder: Bool) throws {
        try options.validate()
        guard !prompts.isEmpty else { throw EngineError.emptyBatch }
        guard completionsPerPrompt >= 1 else {
            throw EngineError.invalidOption(name: "completionsPerPrompt", value: "\(completionsPerPrompt)",
                                            reason: "must be ≥ 1")
        }
        if !options.stopStrings.isEmpty && !hasDecoder {
            throw EngineError.invalidOption(name: "stopStrings", value: "\(options.stopStrings)",
                                            reason: "stop strings need a decode function")
        }
        let vocabulary = model.config.vocabSize, limit = model.config.maxPositionEmbeddings
        for (p, prompt) in prompts.enumerated() {
            guard !prompt.isEmpty else { throw EngineError.sequenceTooShort(sequence: p, length: 0, minimum: 1) }
            let (positions, overflow) = prompt.count.addingReportingOverflow(options.maxNewTokens - 1)
            guard !overflow, positions <= limit else {
                throw EngineError.sequenceTooLong(sequence: p, length: overflow ? Int.max : positions, limit: limit)
            }
            for (position, token) in prompt.enumerated() where token < 0 || token >= vocabulary {
                throw EngineError.tokenOutOfRange(sequence: p, position: position, token: Int(token),
                                                  vocabSize: vocabulary)
            }
        }
    }
}
