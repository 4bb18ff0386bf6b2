import Foundation
import Seeding

/// Draws one token from a row of logits under `SamplingOptions`, and reports its log-probability under the
/// distribution drawn from and under the plain policy (temperature 1).
///
/// Owns scratch for one row at a time (`[V]` exponentials and the candidate list); use one per thread.
final class TokenSelector {
    /// The chosen token and its two log-probabilities.
    struct Choice: Equatable {
        var token: Int32
        var samplingLogProb: Float
        var policyLogProb: Float
    }

    let vocabulary: Int
    private let exps: UnsafeMutablePointer<Float>
    private var candidates: [Int32] = []

    init(vocabulary: Int) {
        self.vocabulary = vocabulary
        exps = .allocate(capacity: vocabulary)
    }

    deinit { exps.deallocate() }

    /// Chooses a token from `logits` `[V]` with one uniform draw from `generator` (none when greedy).
    func choose(_ logits: UnsafePointer<Float>, options: SamplingOptions, generator: inout SeededGenerator)
        -> Choice {
        let v = vocabulary
        var argmax = 0
        var m = -Float.infinity
        for i in 0..<v where logits[i] > m {
            m = logits[i]
            argmax = i
        }
        // Policy at temperature 1: log-sum-exp over the whole vocabulary.
        let policyLogSum = Foundation.log(exponentials(logits, maximum: m, inverseTemperature: 1))
        let policyLogProb = { (token: Int) in logits[token] - m - policyLogSum }
        if options.temperature == 0 {
            return Choice(token: Int32(argmax), samplingLogProb: 0, policyLogProb: policyLogProb(argmax))
        }
        let inverseTemperature = 1 / options.temperature
        let total = inverseTemperature == 1
            ? Foundation.exp(policyLogSum)
            : exponentials(logits, maximum: m, inverseTemperature: inverseTemperature)
        let truncated = (options.topK > 0 && options.topK < v) || options.topP < 1
        var kept: Float
        var token: Int
        if !truncated {
            kept = total
            token = draw(from: nil, mass: total, generator: &generator)
        } else {
            sortedCandidates(topK: options.topK, topP: options.topP, total: total)
            // The smallest prefix of the (descending) candidates whose mass reaches topP of theirs.
            var candidateMass: Float = 0
            for index in candidates { candidateMass += exps[Int(index)] }
            var prefix = 0
            kept = 0
            while prefix < candidates.count {
                kept += exps[Int(candidates[prefix])]
                prefix += 1
                if kept >= options.topP * candidateMass { break }
            }
            candidates.removeSubrange(prefix...)
            token = draw(from: candidates, mass: kept, generator: &generator)
        }
        let samplingLogProb = (logits[token] - m) * inverseTemperature - Foundation.log(kept)
        return Choice(token: Int32(token), samplingLogProb: samplingLogProb, policyLogProb: policyLogProb(token))
    }

    /// Fills `exps[i] = exp((logits[i] − maximum)·inverseTemperature)` and returns their sum.
    private func exponentials(_ logits: UnsafePointer<Float>, maximum: Float, inverseTemperature: Float) -> Float {
        let mv = VectorMath.Vector(repeating: maximum), tv = VectorMath.Vector(repeating: inverseTemperature)
        var sum = VectorMath.Vector()
        var i = 0
        while i + 8 <= vocabulary {
            let e = VectorMath.exp((VectorMath.load(logits + i) - mv) * tv)
            VectorMath.store(e, exps + i)
            sum += e
            i += 8
        }
        var total = sum.sum()
        while i < vocabulary {
            let e = VectorMath.exp((logits[i] - maximum) * inverseTemperature)
            exps[i] = e
            total += e
            i += 1
        }
        return total
    }

    /// Sets `candidates` to the tokens that can survive top-k/top-p, most likely first (ties by lower id).
    ///
    /// With top-k: the k largest. With top-p alone: all tokens with `exps ≥ τ` for the largest τ in
    /// {1e-4, 1e-8, 0} whose set already holds `topP` of the mass — the nucleus is a most-likely prefix, so
    /// it lies inside that set, and only the set is sorted.
    private func sortedCandidates(topK: Int, topP: Float, total: Float) {
        candidates.removeAll(keepingCapacity: true)
        let e = exps
        let before = { (a: Int32, b: Int32) -> Bool in
            e[Int(a)] > e[Int(b)] || (e[Int(a)] == e[Int(b)] && a < b)
        }
        if topK > 0 && topK < vocabulary {
            // Min-heap of the k best so far (root = the worst kept).
            candidates.reserveCapacity(topK)
            for i in 0..<vocabulary {
                let token = Int32(i)
                if candidates.count < topK {
                    candidates.append(token)
                    siftUp(candidates.count - 1, before)
                } else if before(token, candidates[0]) {
                    candidates[0] = token
                    siftDown(0, before)
                }
            }
        } else {
            for threshold: Float in [1e-4, 1e-8, 0] {
                candidates.removeAll(keepingCapacity: true)
                var mass: Float = 0
                for i in 0..<vocabulary where e[i] >= threshold && e[i] > 0 || threshold == 0 {
                    candidates.append(Int32(i))
                    mass += e[i]
                }
                if mass >= topP * total || threshold == 0 { break }
            }
        }
        candidates.sort(by: before)
    }

    private func siftUp(_ start: Int, _ before: (Int32, Int32) -> Bool) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard before(candidates[parent], candidates[child]) else { return }
            candidates.swapAt(parent, child)
            child = parent
        }
    }

    private func siftDown(_ start: Int, _ before: (Int32, Int32) -> Bool) {
        var parent = start
        while true {
            var worst = parent
            for child in [2 * parent + 1, 2 * parent + 2] where child < candidates.count {
                if before(candidates[worst], candidates[child]) { worst = child }
            }
            guard worst != parent else { return }
            candidates.swapAt(parent, worst)
            parent = worst
        }
    }

    /// Draws a token with probability `exps[token] / mass` over `tokens` (all tokens when `nil`).
    private func draw(from tokens: [Int32]?, mass: Float, generator: inout SeededGenerator) -> Int {
        let target = Float(generator.nextUnitDouble()) * mass
        var cumulative: Float = 0
        if let tokens {
            for token in tokens {
                cumulative += exps[Int(token)]
                if target < cumulative { return Int(token) }
            }
            return Int(tokens[tokens.count - 1])
        }
        var last = 0
        for i in 0..<vocabulary where exps[i] > 0 {
            cumulative += exps[i]
            last = i
            if target < cumulative { return i }
        }
        return last
    }
}
