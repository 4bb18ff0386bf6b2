import Foundation
import Seeding
import Testing
@testable import Policy

@Suite struct SequenceScorerTests {
    /// Logits, next-token log-probs and every parameter gradient of the reference loss match PyTorch.
    @Test(arguments: ["llama-tiny", "qwen2-tiny"])
    func matchesPyTorchReference(name: String) throws {
        let reference = try ReferenceModel(name)
        let model = try reference.model()
        let scorer = SequenceScorer(model: model, threads: 2)

        for (index, sequence) in reference.sequences.enumerated() {
            let logits = try scorer.logits(of: sequence)
            let expected = try reference.expected.floats("logits.\(index)")
            #expect(toleranceRatio(logits, expected) <= 1, "logits of sequence \(index)")
        }

        // Both sequences in one packed batch of different lengths; loss = Σ_s mean_t −logπ.
        let batch = TokenBatch(sequences: reference.sequences.map { .init(tokens: $0, scoreStart: 1) })
        let scores = try scorer.forward(batch)
        var gradient: [Float] = []
        for (index, sequence) in reference.sequences.enumerated() {
            let expected = try reference.expected.floats("next_token_logprobs.\(index)")
            #expect(toleranceRatio(Array(scores.logProbs(ofSequence: index)), expected) <= 1)
            gradient += Array(repeating: -1 / Float(sequence.count - 1), count: sequence.count - 1)
        }
        let gradients = ParameterStore(layout: model.layout)
        try scorer.backward(logProbGradients: gradient, into: gradients)
        for tensor in model.layout.tensors {
            let expected = try reference.expected.floats("grad.\(tensor.name)")
            let ratio = toleranceRatio(gradients.values(of: tensor.name)!, expected)
            #expect(ratio <= 1, "gradient of \(tensor.name): worst |Δ| / tolerance = \(ratio)")
        }
    }

    /// Partially scored sequences, with an entropy term: finite differences over a sample of parameters.
    @Test func partialScoringAndEntropyGradientsMatchFiniteDifferences() throws {
        let model = try Transformer(config: .samplerTest, seed: 21, standardDeviation: 0.2)
        let scorer = SequenceScorer(model: model, threads: 2)
        let batch = TokenBatch(sequences: [.init(tokens: [1, 7, 3, 9, 4, 4, 2], scoreStart: 3),
                                           .init(tokens: [5, 6, 7, 8, 9, 10, 11, 12, 13, 14], scoreStart: 6)])
        let m = batch.scoredTokenCount
        let a = TestBuffer(random: m, seed: 1).array, b = TestBuffer(random: m, seed: 2).array
        func loss() throws -> Double {
            let scores = try scorer.forward(batch, entropy: true, keepActivations: false)
            return zip(scores.logProbs, a).reduce(0) { $0 + Double($1.0 * $1.1) }
                + zip(scores.entropies!, b).reduce(0) { $0 + Double($1.0 * $1.1) }
        }
        _ = try scorer.forward(batch, entropy: true)
        let gradients = ParameterStore(layout: model.layout)
        try scorer.backward(logProbGradients: a, entropyGradients: b, into: gradients)

        var generator = SeededGenerator(seed: 3)
        let indices = model.layout.tensors.map { $0.offset + Int(generator.next() % UInt64($0.count)) }
        var worst = 0.0
        for index in indices {
            let saved = model.parameters.base[index]
            model.parameters.base[index] = saved + 1e-2
            let plus = try loss()
            model.parameters.base[index] = saved - 1e-2
            let minus = try loss()
            model.parameters.base[index] = saved
            let numeric = (plus - minus) / 2e-2, analytic = Double(gradients.base[index])
            worst = max(worst, abs(numeric - analytic) / (1e-3 + 1e-2 * abs(analytic)))
        }
        #expect(worst <= 1)
    }

    /// Recomputed logits (small chunks) give the gradients of kept logits; accumulating two micro-batches
    /// gives the gradients of their union; a forward without activations gives the same log-probs.
    @Test func chunkingAccumulationAndInferenceAgree() throws {
        let model = try Transformer(config: .samplerTest, seed: 22, standardDeviation: 0.2)
        let first = TokenBatch(sequences: [.init(tokens: [1, 2, 3, 4, 5, 6], scoreStart: 2)])
        let second = TokenBatch(sequences: [.init(tokens: [9, 8, 7, 6, 5, 4, 3, 2], scoreStart: 4),
                                            .init(tokens: [3, 3, 3], scoreStart: 1)])
        let union = TokenBatch(sequences: first.sequences + second.sequences)
        // Gradients reach ~35 here; different packings sum in different orders, hence the reference tolerance.
        let kept = SequenceScorer(model: model, threads: 1)
        let chunked = SequenceScorer(model: model, threads: 2, keptLogitsLimitBytes: 0, logitsChunkBytes: 2 * 4 * 50)

        let whole = ParameterStore(layout: model.layout)
        let scores = try kept.forward(union)
        try kept.backward(logProbGradients: scores.logProbs.map { -$0 }, into: whole)

        let accumulated = ParameterStore(layout: model.layout)
        for part in [first, second] {
            let partScores = try chunked.forward(part)
            try chunked.backward(logProbGradients: partScores.logProbs.map { -$0 }, into: accumulated)
        }
        #expect(toleranceRatio(accumulated.withUnsafeBufferPointer(Array.init),
                               whole.withUnsafeBufferPointer(Array.init)) <= 1)

        let inference = try chunked.forward(union, keepActivations: false)
        #expect(toleranceRatio(inference.logProbs, scores.logProbs, rtol: 1e-5, atol: 1e-6) <= 1)
        #expect(throws: EngineError.noSavedActivations) {
            try chunked.backward(logProbGradients: inference.logProbs, into: accumulated)
        }
    }

    /// Batches and gradients the scorer cannot use get typed errors.
    @Test func badInputIsRefused() throws {
        let model = try Transformer(config: .samplerTest, seed: 23)
        let scorer = SequenceScorer(model: model, threads: 1)
        let v = model.config.vocabSize, limit = model.config.maxPositionEmbeddings
        func batch(_ tokens: [Int32], _ start: Int = 1) -> TokenBatch {
            TokenBatch(sequences: [.init(tokens: [1, 2], scoreStart: 1), .init(tokens: tokens, scoreStart: start)])
        }
        #expect(throws: EngineError.tokenOutOfRange(sequence: 1, position: 2, token: v, vocabSize: v)) {
            try scorer.forward(batch([1, 2, Int32(v)]))
        }
        #expect(throws: EngineError.tokenOutOfRange(sequence: 1, position: 0, token: -3, vocabSize: v)) {
            try scorer.forward(batch([-3, 2]))
        }
        #expect(throws: EngineError.sequenceTooLong(sequence: 1, length: limit + 1, limit: limit)) {
            try scorer.forward(batch(Array(repeating: 1, count: limit + 2)))
        }
        #expect(throws: EngineError.sequenceTooShort(sequence: 1, length: 1, minimum: 2)) {
            try scorer.forward(batch([1]))
        }
        #expect(throws: EngineError.invalidScoreStart(sequence: 1, scoreStart: 0, length: 3)) {
            try scorer.forward(batch([1, 2, 3], 0))
        }
        #expect(throws: EngineError.invalidScoreStart(sequence: 1, scoreStart: 3, length: 3)) {
            try scorer.forward(batch([1, 2, 3], 3))
        }
        #expect(throws: EngineError.emptyBatch) { try scorer.forward(TokenBatch(sequences: [])) }

        let scores = try scorer.forward(batch([1, 2, 3]))
        let gradients = ParameterStore(layout: model.layout)
        #expect(throws: EngineError.countMismatch(what: "logProbGradients", expected: 3, found: 2)) {
            try scorer.backward(logProbGradients: [1, 2], into: gradients)
        }
        #expect(throws: EngineError.self) {
            try scorer.backward(logProbGradients: scores.logProbs, entropyGradients: [0, 0, 0], into: gradients)
        }
        let other = ParameterStore(layout: ParameterLayout(config: .benchTiny))
        #expect(throws: EngineError.layoutMismatch(expected: model.layout.count, found: other.count)) {
            try scorer.backward(logProbGradients: scores.logProbs, into: other)
        }
    }
}
