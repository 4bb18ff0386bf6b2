import Foundation
import Seeding
import Testing
@testable import Policy

/// The engine learns: a small model trained with `SequenceScorer` + `AdamW` on a synthetic copy task (six
/// random symbols, a separator, the same six symbols again; only the copy is scored) goes from chance to
/// nearly perfect copying, which needs attention (an induction pattern over positions) to work end to end.
@Suite struct LearningTests {
    static let symbols = 10, separator: Int32 = 10, span = 6

    static func batch(_ count: Int, _ generator: inout SeededGenerator) -> TokenBatch {
        TokenBatch(sequences: (0..<count).map { _ in
            let source = (0..<span).map { _ in Int32(generator.next() % UInt64(symbols)) }
            return .init(tokens: source + [separator] + source, scoreStart: span + 1)
        })
    }

    @Test func copyTaskLossFalls() throws {
        let config = ModelConfig(vocabSize: 11, hiddenSize: 32, intermediateSize: 64, numLayers: 2, numHeads: 4,
                                 numKVHeads: 2, maxPositionEmbeddings: 16)
        let model = try Transformer(config: config, seed: 1, standardDeviation: 0.05)
        let scorer = SequenceScorer(model: model, threads: 2)
        let gradients = ParameterStore(layout: model.layout)
        let optimizer = try AdamW(layout: model.layout, configuration: .init(weightDecay: 0))
        let schedule = LearningRateSchedule(peak: 1e-2, minimum: 1e-3, warmupSteps: 10, totalSteps: 100)
        var generator = SeededGenerator(seed: 2)
        let evaluation = Self.batch(32, &generator)
        func loss() throws -> Float {
            let scores = try scorer.forward(evaluation, keepActivations: false)
            return -scores.logProbs.reduce(0, +) / Float(scores.logProbs.count)
        }
        let initial = try loss()
        for step in 0..<schedule.totalSteps {
            let batch = Self.batch(16, &generator)
            let scores = try scorer.forward(batch)
            gradients.zero()
            try scorer.backward(logProbGradients: Array(repeating: -1 / Float(scores.logProbs.count),
                                                        count: scores.logProbs.count), into: gradients)
            gradients.clipGlobalNorm(maxNorm: 1)
            try optimizer.update(parameters: model.parameters, gradients: gradients,
                                 learningRate: schedule.learningRate(at: step))
        }
        let final = try loss()
        // Chance is ln 10 ≈ 2.3 nats per copied symbol.
        #expect(initial > 2)
        #expect(final < 0.05)
    }
}
