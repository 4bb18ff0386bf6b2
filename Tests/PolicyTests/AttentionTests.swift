import Testing
@testable import Policy

@Suite struct AttentionTests {
    /// Two packed sequences (lengths 3 and 5), 4 query heads over 2 key/value heads.
    @Test func gradientsMatchFiniteDifferences() {
        let config = ModelConfig(vocabSize: 4, hiddenSize: 32, intermediateSize: 8, numLayers: 1, numHeads: 4,
                                 numKVHeads: 2)
        let shape = Attention.Shape(config: config)
        let packing = SequencePacking(lengths: [3, 5], heads: shape.heads)
        let qkv = TestBuffer(random: packing.rows * shape.qkvWidth, seed: 1)
        let r = TestBuffer(random: packing.rows * shape.queryWidth, seed: 2)
        let out = TestBuffer(zeros: packing.rows * shape.queryWidth)
        let probabilities = TestBuffer(zeros: packing.probabilityCount)
        func loss() -> Double {
            Attention.forward(out: out.pointer, probabilities: probabilities.pointer, qkv: qkv.pointer,
                              packing: packing, shape: shape, threads: 2)
            return weightedSum(out.pointer, r)
        }
        _ = loss()
        let d = TestBuffer(zeros: qkv.count), scratch = TestBuffer(zeros: 2 * 25)
        Attention.backward(dqkv: d.pointer, dout: r.pointer, qkv: qkv.pointer, probabilities: probabilities.pointer,
                           packing: packing, shape: shape, scratch: scratch.pointer, threads: 2)
        #expect(finiteDifferenceRatio(qkv, analytic: d.array, loss: loss) <= 1)
    }

    /// Causality: later tokens never change earlier outputs, and each probability row sums to 1.
    @Test func isCausal() {
        let config = ModelConfig(vocabSize: 4, hiddenSize: 16, intermediateSize: 8, numLayers: 1, numHeads: 2,
                                 numKVHeads: 1)
        let shape = Attention.Shape(config: config)
        let packing = SequencePacking(lengths: [6], heads: 2)
        let qkv = TestBuffer(random: 6 * shape.qkvWidth, seed: 5)
        let out = TestBuffer(zeros: 6 * shape.queryWidth), probabilities = TestBuffer(zeros: packing.probabilityCount)
        Attention.forward(out: out.pointer, probabilities: probabilities.pointer, qkv: qkv.pointer, packing: packing,
                          shape: shape, threads: 1)
        let before = out.array
        for column in 0..<shape.qkvWidth { qkv.pointer[5 * shape.qkvWidth + column] += 1 }
        Attention.forward(out: out.pointer, probabilities: probabilities.pointer, qkv: qkv.pointer, packing: packing,
                          shape: shape, threads: 1)
        #expect(Array(out.array[..<(5 * shape.queryWidth)]) == Array(before[..<(5 * shape.queryWidth)]))
        for row in 0..<(2 * 6) {
            let sum = probabilities.array[(row * 6)..<(row * 6 + 6)].reduce(0, +)
            #expect(abs(sum - 1) < 1e-6)
        }
    }
}
