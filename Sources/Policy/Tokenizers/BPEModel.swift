/// The BPE model of a byte-level tokenizer: the vocabulary by raw bytes and the merges by rank.
///
/// `encodeWord` reproduces Hugging Face's `Word::merge_all` exactly: start from one symbol per byte, keep a heap
/// of adjacent pairs that have a merge, ordered by (rank, position), pop the lowest, skip it if the pair at that
/// position no longer yields the same token, otherwise merge and push the new neighbours' pairs. With
/// `ignoreMerges` a word that is itself in the vocabulary is one token without merging.
struct BPEModel: Sendable {
    /// Raw bytes → token id, for every vocabulary entry written in the byte-level alphabet.
    let idByBytes: ByteStringTable
    /// Id of the one-byte token for each byte value, or -1 when the vocabulary lacks it.
    let byteTokenIDs: [Int32]
    /// `(left id << 32 | right id)` → `(rank << 32 | merged id)`.
    let merges: PairTable
    let ignoreMerges: Bool
    /// Id that stands for bytes whose token is missing (none: such bytes are dropped, as Hugging Face does).
    let unknownID: Int32?
    /// Consecutive unknowns become one `unknownID`.
    let fuseUnknown: Bool

    /// Scratch space for `encodeWord`, reused across words.
    struct Scratch {
        var ids: [UInt32] = []
        var previous: [Int32] = []
        var next: [Int32] = []
        var removed: [Bool] = []
        var heap = MergeHeap()
    }

    /// Appends the ids of `word` (raw bytes of one pre-tokenized piece) to `output`.
    func encodeWord(_ word: UnsafeRawBufferPointer, into output: inout [Int32], scratch: inout Scratch) {
        guard !word.isEmpty else { return }
        if ignoreMerges || word.count == 1, let id = idByBytes.value(for: word) {
            output.append(Int32(truncatingIfNeeded: id))
            return
        }
        scratch.ids.removeAll(keepingCapacity: true)
        var pendingUnknown = false
        for byte in word {
            let id = byteTokenIDs[Int(byte)]
            if id >= 0 {
                if pendingUnknown, let unknownID { scratch.ids.append(UInt32(unknownID)) }
                pendingUnknown = false
                scratch.ids.append(UInt32(id))
            } else if let unknownID {
                if pendingUnknown && fuseUnknown { continue }
                if pendingUnknown { scratch.ids.append(UInt32(unknownID)) }
                pendingUnknown = true
            }
        }
        if pendingUnknown, let unknownID { scratch.ids.append(UInt32(unknownID)) }
        let count = scratch.ids.count
        guard count > 1 else {
            if count == 1 { output.append(Int32(bitPattern: scratch.ids[0])) }
            return
        }
        mergeAll(count: count, scratch: &scratch)
        for index in 0..<count where !scratch.removed[index] {
            output.append(Int32(bitPattern: scratch.ids[index]))
        }
    }

    /// Hugging Face's `Word::merge_all` over `scratch.ids[0..<count]`; marks merged-away symbols in `removed`.
    private func mergeAll(count: Int, scratch: inout Scratch) {
        scratch.previous.removeAll(keepingCapacity: true)
        scratch.next.removeAll(keepingCapacity: true)
        scratch.removed.removeAll(keepingCapacity: true)
        for index in 0..<count {
            scratch.previous.append(Int32(index - 1))
            scratch.next.append(index + 1 < count ? Int32(index + 1) : -1)
            scratch.removed.append(false)
        }
        scratch.heap.removeAll()
        for index in 0..<(count - 1) {
            if let merge = merges.lookup(scratch.ids[index], scratch.ids[index + 1]) {
                scratch.heap.push(rank: merge.rank, position: UInt32(index), newID: merge.newID)
            }
        }
        while let top = scratch.heap.pop() {
            let position = Int(top.position)
            if scratch.removed[position] { continue }
            let nextPosition = Int(scratch.next[position])
            if nextPosition < 0 { continue }
            // Skip an expired entry: the pair here must still produce the same token.
            guard let current = merges.lookup(scratch.ids[position], scratch.ids[nextPosition]),
                  current.newID == top.newID else { continue }
            scratch.ids[position] = top.newID
            scratch.removed[nextPosition] = true
            let after = scratch.next[nextPosition]
            scratch.next[position] = after
            if after >= 0 { scratch.previous[Int(after)] = Int32(position) }
            let before = scratch.previous[position]
            if before >= 0, let merge = merges.lookup(scratch.ids[Int(before)], top.newID) {
                scratch.heap.push(rank: merge.rank, position: UInt32(before), newID: merge.newID)
            }
            if after >= 0, let merge = merges.lookup(top.newID, scratch.ids[Int(after)]) {
                scratch.heap.push(rank: merge.rank, position: UInt32(position), newID: merge.newID)
            }
        }
    }
}

/// Merge candidates ordered by rank, then by position (Hugging Face's `Merge` ordering), as a binary min-heap.
struct MergeHeap {
    private var keys: [UInt64] = []
    private var newIDs: [UInt32] = []

    mutating func removeAll() {
        keys.removeAll(keepingCapacity: true)
        newIDs.removeAll(keepingCapacity: true)
    }

    mutating func push(rank: UInt32, position: UInt32, newID: UInt32) {
        keys.append(UInt64(rank) << 32 | UInt64(position))
        newIDs.append(newID)
        var child = keys.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard keys[child] < keys[parent] else { break }
            keys.swapAt(child, parent)
            newIDs.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> (position: UInt32, newID: UInt32)? {
        guard let first = keys.first else { return nil }
        let result = (UInt32(truncatingIfNeeded: first), newIDs[0])
        let lastKey = keys.removeLast()
        let lastID = newIDs.removeLast()
        if !keys.isEmpty {
            keys[0] = lastKey
            newIDs[0] = lastID
            var parent = 0
            while true {
                let left = 2 * parent + 1
                guard left < keys.count else { break }
                var smallest = left
                if left + 1 < keys.count, keys[left + 1] < keys[left] { smallest = left + 1 }
                guard keys[smallest] < keys[parent] else { break }
                keys.swapAt(smallest, parent)
                newIDs.swapAt(smallest, parent)
                parent = smallest
            }
        }
        return result
    }
}

/// An open-addressing map from a token-id pair to its merge's (rank, merged id).
struct PairTable: Sendable {
    private var keys: [UInt64]
    private var values: [UInt64]
    private static let empty = UInt64.max

    /// An empty table for about `capacity` pairs.
    init(capacity: Int) {
        var size = 16
        while size < 2 * capacity { size <<= 1 }
        keys = Array(repeating: Self.empty, count: size)
        values = Array(repeating: 0, count: size)
    }

    @inline(__always)
    private static func slot(_ key: UInt64, mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    /// Records the merge of `left` and `right`; a later insert of the same pair replaces the earlier one.
    mutating func insert(_ left: UInt32, _ right: UInt32, rank: UInt32, newID: UInt32) {
        let key = UInt64(left) << 32 | UInt64(right)
        let mask = keys.count - 1
        var index = Self.slot(key, mask: mask)
        while keys[index] != Self.empty && keys[index] != key { index = (index + 1) & mask }
        keys[index] = key
        values[index] = UInt64(rank) << 32 | UInt64(newID)
    }

    /// The merge of `left` followed by `right`, if there is one.
    @inline(__always)
    func lookup(_ left: UInt32, _ right: UInt32) -> (rank: UInt32, newID: UInt32)? {
        let key = UInt64(left) << 32 | UInt64(right)
        return keys.withUnsafeBufferPointer { keys in
            let mask = keys.count - 1
            var index = Self.slot(key, mask: mask)
            while true {
                let stored = keys[index]
                if stored == key {
                    let value = values[index]
                    return (UInt32(truncatingIfNeeded: value >> 32), UInt32(truncatingIfNeeded: value))
                }
                if stored == Self.empty { return nil }
                index = (index + 1) & mask
            }
        }
    }
}
