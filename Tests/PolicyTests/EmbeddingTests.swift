import Testing
@testable import Policy

@Suite struct EmbeddingTests {
    /// Repeated tokens accumulate into the same table row.
    @Test func gradientsMatchFiniteDifferences() {
        let vocabulary = 7, channels = 5
        let tokens: [Int32] = [3, 0, 3, 6, 3]
        let table = TestBuffer(random: vocabulary * channels, seed: 1)
        let r = TestBuffer(random: tokens.count * channels, seed: 2), out = TestBuffer(zeros: tokens.count * channels)
        func loss() -> Double {
            tokens.withUnsafeBufferPointer {
                Embedding.forward(out: out.pointer, tokens: $0.baseAddress!, count: tokens.count, table: table.pointer,
                                  channels: channels)
            }
            return weightedSum(out.pointer, r)
        }
        let d = TestBuffer(zeros: vocabulary * channels)
        tokens.withUnsafeBufferPointer {
            Embedding.backward(dtable: d.pointer, dout: r.pointer, tokens: $0.baseAddress!, count: tokens.count,
                               channels: channels)
        }
        #expect(finiteDifferenceRatio(table, analytic: d.array, loss: loss) <= 1)
    }
}
