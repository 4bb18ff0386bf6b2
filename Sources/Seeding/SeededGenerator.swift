#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A seeded, reproducible random number generator (xoshiro256**) whose whole state can be saved and restored.
///
/// Every random choice in grpo-lambda (curriculum, sampling, initialisation, shuffling) draws from one of these,
/// so a run with the same seed repeats exactly and a checkpoint can carry the generator's state.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable, Hashable, Codable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// The four 64-bit words of xoshiro256** state (never all zero), for checkpoints.
    public var state: [UInt64] { [s0, s1, s2, s3] }

    /// Seeds the state with splitmix64, as the xoshiro authors recommend, so nearby seeds give unrelated streams.
    public init(seed: UInt64) {
        var s = seed
        var words: [UInt64] = []
        for _ in 0..<4 {
            s &+= 0x9E37_79B9_7F4A_7C15
            var z = s
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            words.append(z ^ (z >> 31))
        }
        (s0, s1, s2, s3) = (words[0], words[1], words[2], words[3])
    }

    /// Restores a saved state; `nil` if it is not four words or all zero (which xoshiro cannot leave).
    public init?(state: [UInt64]) {
        guard state.count == 4, state.contains(where: { $0 != 0 }) else { return nil }
        (s0, s1, s2, s3) = (state[0], state[1], state[2], state[3])
    }

    /// An independent generator for a sub-task (a worker, a prompt, a layer), derived from this seed and `stream`.
    public static func stream(seed: UInt64, _ stream: UInt64) -> SeededGenerator {
        SeededGenerator(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03) &+ stream)
    }

    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    /// A uniform Float in [0, 1) with 24 bits of randomness.
    public mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * (1.0 / Float(1 << 24))
    }

    /// A uniform Double in [0, 1) with 53 bits of randomness.
    public mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * (1.0 / Double(UInt64(1) << 53))
    }

    /// A standard normal sample (Box–Muller).
    public mutating func nextGaussian() -> Double {
        let u1 = max(nextUnitDouble(), .leastNonzeroMagnitude)
        let u2 = nextUnitDouble()
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}

