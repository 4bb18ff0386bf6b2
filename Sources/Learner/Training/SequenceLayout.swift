import Policy
import Protocol

/// Where each completion of a batch of groups sits in the engine's flat token arrays.
///
/// Completions with no tokens take part in the loss (they count as sequences) but not in the forward, which
/// needs at least one scored token per sequence.
struct SequenceLayout {
    /// One scored sequence: prompt + completion, and its (group, completion) position.
    struct Entry {
        let group: Int
        let completion: Int
        let sequence: TokenBatch.ScoredSequence
    }

    /// A run of consecutive entries scored in one forward.
    struct Piece {
        let batch: TokenBatch
        /// The piece's slice of the flat per-token arrays.
        let flatRange: Range<Int>
    }

    let entries: [Entry]
    /// Flat offset of each entry's first scored token.
    let offsets: [Int]
    let scoredTokens: Int
    /// Token positions the forward processes (Σ (length − 1)).
    let positions: Int

    init(_ groups: [RolloutGroup]) {
        var entries: [Entry] = []
        var offsets: [Int] = []
        var total = 0, positions = 0
        for (g, group) in groups.enumerated() {
            let prompt = group.promptTokens.array
            for (i, c) in group.completions.enumerated() where !c.tokens.isEmpty {
                let tokens = prompt + c.tokens.array
                entries.append(Entry(group: g, completion: i, sequence: .init(tokens: tokens, scoreStart: prompt.count)))
                offsets.append(total)
                total += c.tokens.count
                positions += tokens.count - 1
            }
        }
        self.entries = entries
        self.offsets = offsets
        scoredTokens = total
        self.positions = positions
    }

    /// Consecutive entries packed into forwards of at most `maxPositions` positions (one entry may exceed it alone).
    func pieces(maxPositions: Int) -> [Piece] {
        var pieces: [Piece] = []
        var current: [TokenBatch.ScoredSequence] = []
        var currentPositions = 0, flatStart = 0, flatEnd = 0
        for entry in entries {
            let p = entry.sequence.tokens.count - 1
            if !current.isEmpty && currentPositions + p > maxPositions {
                pieces.append(Piece(batch: TokenBatch(sequences: current), flatRange: flatStart..<flatEnd))
                current = []
                currentPositions = 0
                flatStart = flatEnd
            }
            current.append(entry.sequence)
            currentPositions += p
            flatEnd += entry.sequence.scoredCount
        }
        if !current.isEmpty { pieces.append(Piece(batch: TokenBatch(sequences: current), flatRange: flatStart..<flatEnd)) }
        return pieces
    }

    /// Splits flat per-token values back into `[group][completion][token]` (empty completions get []).
    func unflatten(_ flat: [Float], _ groups: [RolloutGroup]) -> [[[Float]]] {
        var out = groups.map { $0.completions.map { _ in [Float]() } }
        for (k, entry) in entries.enumerated() {
            let n = entry.sequence.scoredCount
            out[entry.group][entry.completion] = Array(flat[offsets[k]..<(offsets[k] + n)])
        }
        return out
    }

    /// Gathers `[group][completion][token]` values into the flat order (dropped groups have empty arrays and no
    /// entries... except when a dropped group had tokens: those positions get zero gradient).
    func flatten(_ nested: [[[Float]]]) -> [Float] {
        var flat = [Float](repeating: 0, count: scoredTokens)
        for (k, entry) in entries.enumerated() {
            let values = nested[entry.group][entry.completion]
            if values.isEmpty { continue }
            flat.replaceSubrange(offsets[k]..<(offsets[k] + values.count), with: values)
        }
        return flat
    }

    /// The loss function's view of the groups.
    func lossSequences(_ groups: [RolloutGroup], logProbs: [Float], reference: [[[Float]]]?) -> [[LossSequence]] {
        let current = unflatten(logProbs, groups)
        return groups.enumerated().map { g, group in
            group.completions.enumerated().map { i, c in
                LossSequence(reward: Double(c.reward), logProbs: current[g][i], oldLogProbs: c.policyLogProbs.array,
                             referenceLogProbs: reference?[g][i])
            }
        }
    }
}
