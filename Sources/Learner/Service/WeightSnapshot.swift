import Policy
import Protocol

/// A copy of the learner's float32 weights at one version, taken on the training thread between steps, so that
/// sending it to the coordinator never holds training up; and its split into the `new_weight_version` message
/// and the `weight_chunk`s that follow it.
public struct WeightSnapshot: Sendable {
    public let version: UInt64
    public let learnerStep: UInt64
    /// Identifies the parameter layout (names, shapes, order).
    public let modelFingerprint: UInt64
    public let parameters: [Float]

    public init(parameters: ParameterStore, version: UInt64, learnerStep: Int) {
        self.version = version
        self.learnerStep = UInt64(learnerStep)
        modelFingerprint = parameters.layout.fingerprint
        self.parameters = parameters.withUnsafeBufferPointer { Array($0) }
    }

    /// The announcement and every chunk, in order (float32, base = version).
    public func messages(chunkBytes: Int) -> (announcement: NewWeightVersion, chunks: [WeightChunk]) {
        parameters.withUnsafeBytes { bytes in
            let chunkCount = max(1, (bytes.count + chunkBytes - 1) / chunkBytes)
            let announcement = NewWeightVersion(
                version: version, learnerStep: learnerStep, parameterCount: UInt64(parameters.count),
                modelFingerprint: modelFingerprint, chunkSize: UInt32(chunkBytes), chunkCount: UInt32(chunkCount),
                sha256: SHA256Digest.of(bytes))
            let chunks = (0..<chunkCount).map { i in
                let range = (i * chunkBytes)..<min((i + 1) * chunkBytes, bytes.count)
                return WeightChunk(version: version, encoding: .float32, baseVersion: version, chunkIndex: UInt32(i),
                                   chunkCount: UInt32(chunkCount), bytes: WireArray(bytes[range]))
            }
            return (announcement, chunks)
        }
    }
}
