import Primitives

/// The bytes that carry a weight version to a sampler, and back: what the coordinator makes once per version and
/// what a worker applies (docs/PROTOCOL.md §6).
///
/// A payload is the version's parameters in a precision (bfloat16, or float32 for bit-exact runs), either whole
/// (`full`) or as the XOR of their bit patterns with those of the base version (`delta`: after one RL step most
/// bfloat16 values are unchanged, so most delta bytes are zero). Either way the bytes are shuffled by byte plane
/// (every element's byte 0, then every byte 1, ...) so that similar bytes sit together, and compressed as one zstd
/// frame, which is then cut into chunks. The SHA-256 a worker checks is over the reconstructed weights in that
/// precision, little-endian: a delta applied to the wrong base, a flipped byte in a chunk or a truncated payload
/// never reaches the sampler.
public enum WeightCodec {
    /// The precision samplers receive.
    public enum Precision: String, Sendable, Codable, CaseIterable {
        /// 2 bytes per parameter, round-to-nearest-even: what production samplers use.
        case bfloat16
        /// 4 bytes per parameter: the learner's master weights, bit for bit.
        case float32

        public var bytesPerParameter: Int { self == .bfloat16 ? 2 : 4 }
        public var fullEncoding: WeightEncoding { self == .bfloat16 ? .bfloat16 : .float32 }
        public var deltaEncoding: WeightEncoding { self == .bfloat16 ? .bfloat16Delta : .float32Delta }

        /// The precision of a payload encoding.
        public init(_ encoding: WeightEncoding) {
            self = encoding == .bfloat16 || encoding == .bfloat16Delta ? .bfloat16 : .float32
        }
    }

    /// Why a payload could not be turned back into weights.
    public enum PayloadError: Error, Sendable, Equatable, CustomStringConvertible {
        case decompression(String)
        case wrongSize(bytes: Int, expected: Int)
        case digestMismatch
        case baseMismatch(String)

        public var description: String {
            switch self {
            case let .decompression(why): "weight payload does not decompress: \(why)"
            case let .wrongSize(bytes, expected): "weight payload decodes to \(bytes) bytes, expected \(expected)"
            case .digestMismatch: "reconstructed weights fail their SHA-256 check"
            case let .baseMismatch(why): "delta applied to the wrong base: \(why)"
            }
        }
    }

    /// `parameters` in `precision`, little-endian bytes (what the digest covers).
    public static func bytes(of parameters: UnsafeBufferPointer<Float>, precision: Precision) -> [UInt8] {
        switch precision {
        case .float32:
            return Array(UnsafeRawBufferPointer(parameters))
        case .bfloat16:
            return [UInt8](unsafeUninitializedCapacity: parameters.count * 2) { buffer, count in
                FloatConversion.floatToBFloat16(parameters.baseAddress!, count: parameters.count,
                                                into: UnsafeMutableRawPointer(buffer.baseAddress!))
                count = parameters.count * 2
            }
        }
    }

    /// Widens weights in `precision` back to Float32 into `destination` (which holds `bytes.count / size` floats).
    public static func widen(_ bytes: [UInt8], precision: Precision, into destination: UnsafeMutableBufferPointer<Float>) {
        precondition(bytes.count == destination.count * precision.bytesPerParameter, "size mismatch")
        bytes.withUnsafeBytes { raw in
            switch precision {
            case .float32: UnsafeMutableRawBufferPointer(destination).copyMemory(from: raw)
            case .bfloat16: FloatConversion.bfloat16ToFloat(raw.baseAddress!, count: destination.count, into: destination.baseAddress!)
            }
        }
    }

    /// A full payload: shuffled, compressed.
    public static func encodeFull(_ weights: [UInt8], precision: Precision, compressor: ZstdCompressor) throws -> [UInt8] {
        try shuffled(weights, elementSize: precision.bytesPerParameter).withUnsafeBytes { try compressor.compress($0) }
    }

    /// A delta payload from `base` to `weights` (same size): XOR, shuffled, compressed.
    public static func encodeDelta(_ weights: [UInt8], base: [UInt8], precision: Precision,
                                   compressor: ZstdCompressor) throws -> [UInt8] {
        precondition(weights.count == base.count, "a delta needs weights of one size")
        var xor = weights
        xor.withUnsafeMutableBufferPointer { x in
            base.withUnsafeBufferPointer { b in for i in 0..<x.count { x[i] ^= b[i] } }
        }
        return try shuffled(xor, elementSize: precision.bytesPerParameter).withUnsafeBytes { try compressor.compress($0) }
    }

    /// The weights a full payload carries, checked against `sha256`.
    public static func decodeFull(_ payload: [UInt8], parameterCount: Int, precision: Precision, sha256: [UInt8],
                                  decompressor: ZstdDecompressor) throws(PayloadError) -> [UInt8] {
        let weights = unshuffled(try decompress(payload, count: parameterCount * precision.bytesPerParameter,
                                                decompressor: decompressor),
                                 elementSize: precision.bytesPerParameter)
        try check(weights, sha256: sha256)
        return weights
    }

    /// The weights a delta payload makes of `base`, checked against `sha256`.
    public static func applyDelta(_ payload: [UInt8], to base: [UInt8], precision: Precision, sha256: [UInt8],
                                  decompressor: ZstdDecompressor) throws(PayloadError) -> [UInt8] {
        var weights = unshuffled(try decompress(payload, count: base.count, decompressor: decompressor),
                                 elementSize: precision.bytesPerParameter)
        weights.withUnsafeMutableBufferPointer { w in
            base.withUnsafeBufferPointer { b in for i in 0..<w.count { w[i] ^= b[i] } }
        }
        try check(weights, sha256: sha256)
        return weights
    }

    /// SHA-256 of weights in their precision (what `WeightPayloadInfo.sha256` holds).
    public static func digest(_ weights: [UInt8]) -> [UInt8] {
        weights.withUnsafeBytes { SHA256Digest.of($0) }
    }

    /// Byte planes: element i's byte b goes to b·count + i.
    public static func shuffled(_ bytes: [UInt8], elementSize: Int) -> [UInt8] {
        let count = bytes.count / elementSize
        precondition(count * elementSize == bytes.count, "not a whole number of elements")
        return [UInt8](unsafeUninitializedCapacity: bytes.count) { out, n in
            bytes.withUnsafeBufferPointer { input in
                for b in 0..<elementSize {
                    let plane = out.baseAddress! + b * count
                    for i in 0..<count { plane[i] = input[i * elementSize + b] }
                }
            }
            n = bytes.count
        }
    }

    /// The inverse of `shuffled`.
    public static func unshuffled(_ bytes: [UInt8], elementSize: Int) -> [UInt8] {
        let count = bytes.count / elementSize
        return [UInt8](unsafeUninitializedCapacity: bytes.count) { out, n in
            bytes.withUnsafeBufferPointer { input in
                for b in 0..<elementSize {
                    let plane = input.baseAddress! + b * count
                    for i in 0..<count { out[i * elementSize + b] = plane[i] }
                }
            }
            n = bytes.count
        }
    }

    private static func decompress(_ payload: [UInt8], count: Int,
                                   decompressor: ZstdDecompressor) throws(PayloadError) -> [UInt8] {
        do {
            return try payload.withUnsafeBytes { raw throws(ZstdError) in try decompressor.decompress(raw, expectedCount: count) }
        } catch {
            throw .decompression("\(error)")
        }
    }

    private static func check(_ weights: [UInt8], sha256: [UInt8]) throws(PayloadError) {
        guard digest(weights) == sha256 else { throw .digestMismatch }
    }
}
