import Foundation
import Testing
@testable import Policy

@Suite struct RotaryEmbeddingTests {
    @Test func backwardIsTheTransposedRotation() {
        let heads = 3, half = 10
        let config = ModelConfig(vocabSize: 4, hiddenSize: 60, intermediateSize: 8, numLayers: 1, numHeads: 3,
                                 numKVHeads: 3)
        let table = RotaryTable(rotary: RotaryEmbedding(config: config))
        table.ensure(positions: 8)
        let x = TestBuffer(random: heads * 2 * half, seed: 1), r = TestBuffer(random: heads * 2 * half, seed: 2)
        let y = TestBuffer(zeros: x.count)
        let position = 7
        func loss() -> Double {
            y.pointer.update(from: x.pointer, count: x.count)
            RotaryEmbedding.rotate(y.pointer, heads: heads, halfDimension: half, cos: table.cos + position * half,
                                   sin: table.sin + position * half)
            return weightedSum(y.pointer, r)
        }
        let d = TestBuffer(r.array)
        RotaryEmbedding.rotate(d.pointer, heads: heads, halfDimension: half, cos: table.cos + position * half,
                               sin: table.sin + position * half, inverse: true)
        #expect(finiteDifferenceRatio(x, analytic: d.array, loss: loss) <= 1)
    }

    /// `rotate_half` at position p: pairs (i, i + D/2) turn by p·θᵢ with θᵢ = theta^(−2i/D).
    @Test func rotationMatchesDefinition() {
        let config = ModelConfig(vocabSize: 4, hiddenSize: 16, intermediateSize: 8, numLayers: 1, numHeads: 1,
                                 numKVHeads: 1, ropeTheta: 10_000)
        let rotary = RotaryEmbedding(config: config)
        let table = RotaryTable(rotary: rotary)
        table.ensure(positions: 6)
        let x = TestBuffer(random: 16, seed: 3), original = x.array
        RotaryEmbedding.rotate(x.pointer, heads: 1, halfDimension: 8, cos: table.cos + 5 * 8, sin: table.sin + 5 * 8)
        for i in 0..<8 {
            let angle = 5 * pow(10_000, -Double(2 * i) / 16)
            let a = Double(original[i]), b = Double(original[i + 8])
            #expect(abs(Double(x.array[i]) - (a * cos(angle) - b * sin(angle))) < 1e-5)
            #expect(abs(Double(x.array[i + 8]) - (b * cos(angle) + a * sin(angle))) < 1e-5)
        }
    }
}
