import Foundation
import Seeding
import Testing
@testable import Policy

@Suite struct TokenSelectorTests {
    /// p = (0.5, 0.2, 0.15, 0.1, 0.05) as logits (shifted, since only differences matter).
    static let probabilities: [Float] = [0.5, 0.2, 0.15, 0.1, 0.05]
    static let logits = probabilities.map { Foundation.log($0) + 3 }

    /// Draws `count` tokens, checking each choice's log-probs against `kept` (the renormalised support).
    private func draws(_ options: SamplingOptions, kept: [Int], count: Int = 4000) -> [Int: Int] {
        let selector = TokenSelector(vocabulary: Self.logits.count)
        var generator = SeededGenerator(seed: 99)
        var histogram: [Int: Int] = [:]
        let mass = kept.reduce(Float(0)) { $0 + Self.probabilities[$1] }
        Self.logits.withUnsafeBufferPointer { logits in
            for _ in 0..<count {
                let choice = selector.choose(logits.baseAddress!, options: options, generator: &generator)
                let token = Int(choice.token)
                histogram[token, default: 0] += 1
                #expect(kept.contains(token))
                #expect(abs(choice.policyLogProb - Foundation.log(Self.probabilities[token])) < 1e-6)
                let expected = Foundation.log(Self.probabilities[token] / mass)
                #expect(abs(choice.samplingLogProb - expected) < 1e-5)
            }
        }
        return histogram
    }

    /// Frequencies within 4 standard deviations of the renormalised probabilities.
    private func expectFrequencies(_ histogram: [Int: Int], kept: [Int], count: Int = 4000) {
        let mass = kept.reduce(Float(0)) { $0 + Self.probabilities[$1] }
        for token in kept {
            let p = Double(Self.probabilities[token] / mass)
            let observed = Double(histogram[token, default: 0]) / Double(count)
            #expect(abs(observed - p) < 4 * (p * (1 - p) / Double(count)).squareRoot(), "token \(token)")
        }
    }

    @Test func topPKeepsTheSmallestNucleus() {
        let histogram = draws(SamplingOptions(topP: 0.6), kept: [0, 1])
        expectFrequencies(histogram, kept: [0, 1])
    }

    @Test func topKKeepsTheKMostLikely() {
        let histogram = draws(SamplingOptions(topK: 3), kept: [0, 1, 2])
        expectFrequencies(histogram, kept: [0, 1, 2])
    }

    /// Top-p applies to the top-k survivors renormalised: 0.5/0.85 + 0.2/0.85 ≥ 0.8 keeps two tokens.
    @Test func topKThenTopP() {
        let histogram = draws(SamplingOptions(topP: 0.8, topK: 3), kept: [0, 1])
        expectFrequencies(histogram, kept: [0, 1])
    }

    @Test func untruncatedSamplingFollowsThePolicy() {
        let histogram = draws(SamplingOptions(), kept: [0, 1, 2, 3, 4])
        expectFrequencies(histogram, kept: [0, 1, 2, 3, 4])
    }

    /// Temperature 2 samples from softmax(z/2) ∝ √p.
    @Test func temperatureSharpensOrFlattens() {
        let selector = TokenSelector(vocabulary: Self.logits.count)
        var generator = SeededGenerator(seed: 5)
        let roots = Self.probabilities.map { $0.squareRoot() }
        let total = roots.reduce(0, +)
        Self.logits.withUnsafeBufferPointer { logits in
            for _ in 0..<200 {
                let choice = selector.choose(logits.baseAddress!, options: SamplingOptions(temperature: 2),
                                             generator: &generator)
                #expect(abs(choice.samplingLogProb - Foundation.log(roots[Int(choice.token)] / total)) < 1e-5)
            }
        }
    }
}
