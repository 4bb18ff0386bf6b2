/// A set of `UInt64` indices stored as sorted, disjoint, non-adjacent half-open ranges.
///
/// Made for prompt indices handed out by a cursor: they are used roughly in order with a few holes, so a run
/// of millions of prompts stays a handful of ranges. Encodes as `[[lower, upper], ...]`.
public struct IndexRangeSet: Sendable, Equatable, Codable {
    public private(set) var ranges: [Range<UInt64>] = []

    public init() {}

    public init<S: Sequence>(_ indices: S) where S.Element == UInt64 {
        for i in indices { insert(i) }
    }

    public var isEmpty: Bool { ranges.isEmpty }

    /// How many indices the set holds.
    public var count: UInt64 { ranges.reduce(0) { $0 + ($1.upperBound - $1.lowerBound) } }

    public func contains(_ index: UInt64) -> Bool {
        guard let i = rangeIndex(atOrBefore: index) else { return false }
        return ranges[i].contains(index)
    }

    /// Inserts `index`; returns false if it was already present.
    @discardableResult
    public mutating func insert(_ index: UInt64) -> Bool {
        precondition(index < .max, "IndexRangeSet holds indices below UInt64.max")
        let before = rangeIndex(atOrBefore: index)
        if let b = before, ranges[b].contains(index) { return false }
        let after = before.map { $0 + 1 } ?? 0
        let joinsBefore = before.map { ranges[$0].upperBound == index } ?? false
        let joinsAfter = after < ranges.count && ranges[after].lowerBound == index + 1
        switch (joinsBefore, joinsAfter) {
        case (true, true):
            ranges[before!] = ranges[before!].lowerBound..<ranges[after].upperBound
            ranges.remove(at: after)
        case (true, false):
            ranges[before!] = ranges[before!].lowerBound..<(index + 1)
        case (false, true):
            ranges[after] = index..<ranges[after].upperBound
        case (false, false):
            ranges.insert(index..<(index + 1), at: after)
        }
        return true
    }

    /// The position of the last range starting at or before `index`.
    private func rangeIndex(atOrBefore index: UInt64) -> Int? {
        var low = 0, high = ranges.count
        while low < high {
            let mid = (low + high) / 2
            if ranges[mid].lowerBound <= index { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? nil : low - 1
    }

    public init(from decoder: any Decoder) throws {
        let pairs = try [[UInt64]](from: decoder)
        var previousUpper: UInt64?
        for pair in pairs {
            guard pair.count == 2, pair[0] < pair[1], previousUpper.map({ $0 < pair[0] }) ?? true else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                        debugDescription: "expected sorted, disjoint [lower, upper] pairs"))
            }
            ranges.append(pair[0]..<pair[1])
            previousUpper = pair[1]
        }
    }

    public func encode(to encoder: any Encoder) throws {
        try ranges.map { [$0.lowerBound, $0.upperBound] }.encode(to: encoder)
    }
}
