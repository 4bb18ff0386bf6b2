import Policy
import Protocol
import Seeding

/// Splits the learner's float32 weights into the `new_weight_version` message and its `weight_chunk`s.
enum WeightPublication {
    /// A stable fingerprint of a parameter layout (names, shapes, order): FNV-1a over "name:d0xd1;...".
    static func fingerprint(_ layout: ParameterLayout) -> UInt64 {
        StableHash.fnv1a(layout.tensors.map { "\($0.name):\($0.shape.map(String.init).joined(separator: "x"));" }.joined())
    }

    /// The announcement followed by every chunk, in order.
    static func messages(parameters: ParameterStore, version: UInt64, step: Int, chunkBytes: Int) -> [any WireMessage] {
        parameters.withUnsafeBufferPointer { floats in
            let bytes = UnsafeRawBufferPointer(floats)
            let chunkCount = max(1, (bytes.count + chunkBytes - 1) / chunkBytes)
            var out: [any WireMessage] = [NewWeightVersion(
                version: version, learnerStep: UInt64(step), parameterCount: UInt64(floats.count),
                modelFingerprint: fingerprint(parameters.layout), chunkSize: UInt32(chunkBytes),
                chunkCount: UInt32(chunkCount), sha256: SHA256Digest.of(bytes))]
            for i in 0..<chunkCount {
                let range = (i * chunkBytes)..<min((i + 1) * chunkBytes, bytes.count)
                out.append(WeightChunk(version: version, encoding: .float32, baseVersion: version, chunkIndex: UInt32(i),
                                       chunkCount: UInt32(chunkCount), bytes: WireArray(bytes[range])))
            }
            return out
        }
    }
}
