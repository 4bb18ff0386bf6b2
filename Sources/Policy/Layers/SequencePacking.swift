/// How variable-length sequences sit in the packed `[N, ·]` activation matrices: sequence `s` occupies rows
/// `offsets[s]..<offsets[s] + lengths[s]`, and its attention probabilities (`[H, T, T]`) start at
/// `probabilityOffsets[s]` in the probabilities buffer. No padding anywhere.
struct SequencePacking: Sendable, Equatable {
    let offsets: [Int]
    let lengths: [Int]
    let probabilityOffsets: [Int]
    /// N, the number of packed rows.
    let rows: Int
    /// Σ H·T², the size of the probabilities buffer.
    let probabilityCount: Int
    /// The longest sequence (the positions the RoPE tables must cover).
    let maxLength: Int
    /// Position of every packed row within its sequence `[N]`.
    let positions: [Int32]

    init(lengths: [Int], heads: Int) {
        var offsets: [Int] = [], probabilityOffsets: [Int] = []
        var rows = 0, probabilities = 0
        for length in lengths {
            offsets.append(rows)
            probabilityOffsets.append(probabilities)
            rows += length
            probabilities += heads * length * length
        }
        self.offsets = offsets
        self.lengths = lengths
        self.probabilityOffsets = probabilityOffsets
        self.rows = rows
        self.probabilityCount = probabilities
        self.maxLength = lengths.max() ?? 0
        positions = lengths.flatMap { (0..<$0).map(Int32.init) }
    }
}
