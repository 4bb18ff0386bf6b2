import Testing
@testable import Policy

@Suite struct LMHeadTests {
    /// L = Σ a·logπ(target) + Σ b·entropy, through chunks of 2 rows (logits recomputed) and kept logits.
    @Test(arguments: [false, true])
    func gradientsMatchFiniteDifferences(keepLogits: Bool) {
        let rows = 5, channels = 6, vocabulary = 11
        let hidden = TestBuffer(random: rows * channels, seed: 1)
        let weight = TestBuffer(random: vocabulary * channels, seed: 2)
        let a = TestBuffer(random: rows, seed: 3), b = TestBuffer(random: rows, seed: 4)
        let targets: [Int32] = [3, 0, 10, 3, 7]
        let logProbs = TestBuffer(zeros: rows), lse = TestBuffer(zeros: rows), entropies = TestBuffer(zeros: rows)
        let kept = TestBuffer(zeros: rows * vocabulary), chunk = TestBuffer(zeros: 2 * vocabulary)
        func loss() -> Double {
            targets.withUnsafeBufferPointer {
                LMHead.forward(outputs: .init(logProbs: logProbs.pointer, logSumExp: lse.pointer,
                                              entropies: entropies.pointer),
                               hidden: hidden.pointer, targets: $0.baseAddress!, rows: rows, weight: weight.pointer,
                               channels: channels, vocabulary: vocabulary, keptLogits: keepLogits ? kept.pointer : nil,
                               chunk: chunk.pointer, chunkRows: 2, threads: 1)
            }
            return weightedSum(logProbs.pointer, a) + weightedSum(entropies.pointer, b)
        }
        _ = loss()
        let dhidden = TestBuffer(zeros: hidden.count), dweight = TestBuffer(zeros: weight.count)
        targets.withUnsafeBufferPointer {
            LMHead.backward(dhidden: dhidden.pointer, dweight: dweight.pointer, dLogProbs: a.pointer,
                            dEntropies: b.pointer, logSumExp: lse.pointer, entropies: entropies.pointer,
                            hidden: hidden.pointer, targets: $0.baseAddress!, rows: rows, weight: weight.pointer,
                            channels: channels, vocabulary: vocabulary, keptLogits: keepLogits ? kept.pointer : nil,
                            chunk: chunk.pointer, chunkRows: 2, threads: 1)
        }
        #expect(finiteDifferenceRatio(hidden, analytic: dhidden.array, loss: loss) <= 1)
        #expect(finiteDifferenceRatio(weight, analytic: dweight.array, loss: loss) <= 1)
    }
}
