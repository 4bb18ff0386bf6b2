// Weights: the learner pushes each new version to the coordinator (PUSH → PULL); the coordinator announces it
// (PUB → SUB) and serves it in chunks (REQ → REP). Bulk bytes never travel over PUB/SUB, which drops messages for
// slow subscribers.

/// How a weight payload represents the parameters.
public enum WeightEncoding: UInt8, Sendable, CaseIterable {
    /// Every parameter as little-endian binary32: bit-exact with the learner's master weights.
    case float32 = 0
    /// Every parameter as bfloat16 (round-to-nearest-even): what samplers use.
    case bfloat16 = 1
    /// bfloat16 bit patterns XOR those of `baseVersion`, byte-shuffled: most bytes are zero after one step.
    case bfloat16Delta = 2
    /// binary32 bit patterns XOR those of `baseVersion`, byte-shuffled.
    case float32Delta = 3

    /// Whether the payload needs the base version's weights to be reconstructed.
    public var isDelta: Bool { self == .bfloat16Delta || self == .float32Delta }
}

/// How a weight payload's bytes are compressed on top of the encoding.
public enum WeightCompression: UInt8, Sendable, CaseIterable {
    case none = 0
    case zstd = 1
}

/// One downloadable form of a weight version.
public struct WeightPayloadInfo: WireCodable, Equatable {
    public var encoding: WeightEncoding
    public var compression: WeightCompression
    /// For deltas, the version they apply to; equal to the version itself for full snapshots.
    public var baseVersion: UInt64
    /// Bytes of the reconstructed weights in this encoding's precision (2 or 4 per parameter).
    public var decodedBytes: UInt64
    /// Bytes served in chunks.
    public var wireBytes: UInt64
    public var chunkCount: UInt32
    /// SHA-256 of the reconstructed weights' bytes (little-endian, in this precision): a worker never samples
    /// from weights whose digest does not match.
    public var sha256: [UInt8]

    public init(encoding: WeightEncoding, compression: WeightCompression, baseVersion: UInt64, decodedBytes: UInt64,
                wireBytes: UInt64, chunkCount: UInt32, sha256: [UInt8]) {
        precondition(sha256.count == 32, "SHA-256 digests are 32 bytes")
        self.encoding = encoding
        self.compression = compression
        self.baseVersion = baseVersion
        self.decodedBytes = decodedBytes
        self.wireBytes = wireBytes
        self.chunkCount = chunkCount
        self.sha256 = sha256
    }

    static let encodedSize = 1 + 1 + 8 + 8 + 8 + 4 + 32

    public func encode(to w: inout WireWriter) {
        w.write(encoding.rawValue)
        w.write(compression.rawValue)
        w.write(baseVersion)
        w.write(decodedBytes)
        w.write(wireBytes)
        w.write(chunkCount)
        sha256.withUnsafeBytes { w.writeRaw($0) }
    }

    public init(from r: inout WireReader) throws(ProtocolError) {
        encoding = try decodeEnum(WeightEncoding.self, &r, "encoding")
        compression = try decodeEnum(WeightCompression.self, &r, "compression")
        baseVersion = try r.read(UInt64.self, "base_version")
        decodedBytes = try r.read(UInt64.self, "decoded_bytes")
        wireBytes = try r.read(UInt64.self, "wire_bytes")
        chunkCount = try r.read(UInt32.self, "chunk_count")
        sha256 = try r.readFixedBytes(32, "sha256")
    }
}

/// The coordinator announces a new weight version and the forms it can be downloaded in.
public struct WeightAnnounce: WireMessage {
    public static let messageType = MessageType.weightAnnounce
    public var version: UInt64
    public var learnerStep: UInt64
    public var parameterCount: UInt64
    /// Identifies the parameter layout (names, shapes, order); weights for another model are refused.
    public var modelFingerprint: UInt64
    /// Bytes per chunk (the last chunk may be shorter).
    public var chunkSize: UInt32
    public var payloads: [WeightPayloadInfo]

    public init(version: UInt64, learnerStep: UInt64, parameterCount: UInt64, modelFingerprint: UInt64,
                chunkSize: UInt32, payloads: [WeightPayloadInfo]) {
        self.version = version
        self.learnerStep = learnerStep
        self.parameterCount = parameterCount
        self.modelFingerprint = modelFingerprint
        self.chunkSize = chunkSize
        self.payloads = payloads
    }

    public func encode(to w: inout WireWriter) {
        w.write(version)
        w.write(learnerStep)
        w.write(parameterCount)
        w.write(modelFingerprint)
        w.write(chunkSize)
        w.write(payloads)
    }

    public init(from r: inout WireReader) throws(ProtocolError) {
        version = try r.read(UInt64.self, "version")
        learnerStep = try r.read(UInt64.self, "learner_step")
        parameterCount = try r.read(UInt64.self, "parameter_count")
        modelFingerprint = try r.read(UInt64.self, "model_fingerprint")
        chunkSize = try r.read(UInt32.self, "chunk_size")
        payloads = try r.readArray(of: WeightPayloadInfo.self, "payloads", minimumElementSize: WeightPayloadInfo.encodedSize)
    }
}

/// A worker asks for one chunk of one payload of a version.
public struct WeightChunkRequest: WireMessage {
    public static let messageType = MessageType.weightChunkRequest
    public var version: UInt64
    public var encoding: WeightEncoding
    public var baseVersion: UInt64
    public var chunkIndex: UInt32

    public init(version: UInt64, encoding: WeightEncoding, baseVersion: UInt64, chunkIndex: UInt32) {
        self.version = version
        self.encoding = encoding
        self.baseVersion = baseVersion
        self.chunkIndex = chunkIndex
    }

    public func encode(to w: inout WireWriter) {
        w.write(version)
        w.write(encoding.rawValue)
        w.write(baseVersion)
        w.write(chunkIndex)
    }

    public init(from r: inout WireReader) throws(ProtocolError) {
        version = try r.read(UInt64.self, "version")
        encoding = try decodeEnum(WeightEncoding.self, &r, "encoding")
        baseVersion = try r.read(UInt64.self, "base_version")
        chunkIndex = try r.read(UInt32.self, "chunk_index")
    }
}

/// One chunk of a weight payload (coordinator → worker reply, and learner → coordinator after `NewWeightVersion`).
public struct WeightChunk: WireMessage {
    public static let messageType = MessageType.weightChunk
    public var version: UInt64
    public var encoding: WeightEncoding
    public var baseVersion: UInt64
    public var chunkIndex: UInt32
    public var chunkCount: UInt32
    public var bytes: WireArray<UInt8>

    public init(version: UInt64, encoding: WeightEncoding, baseVersion: UInt64, chunkIndex: UInt32, chunkCount: UInt32,
                bytes: WireArray<UInt8>) {
        self.version = version
        self.encoding = encoding
        self.baseVersion = baseVersion
        self.chunkIndex = chunkIndex
        self.chunkCount = chunkCount
        self.bytes = bytes
    }

    public func encode(to w: inout WireWriter) {
        w.write(version)
        w.write(encoding.rawValue)
        w.write(baseVersion)
        w.write(chunkIndex)
        w.write(chunkCount)
        w.write(bytes)
    }

    public init(from r: inout WireReader) throws(ProtocolError) {
        version = try r.read(UInt64.self, "version")
        encoding = try decodeEnum(WeightEncoding.self, &r, "encoding")
        baseVersion = try r.read(UInt64.self, "base_version")
        chunkIndex = try r.read(UInt32.self, "chunk_index")
        chunkCount = try r.read(UInt32.self, "chunk_count")
        guard chunkIndex < chunkCount else { throw r.malformed("chunk_index", "\(chunkIndex) of \(chunkCount) chunks") }
        bytes = try r.readWireArray(of: UInt8.self, "bytes")
    }
}

/// The learner hands a new weight version to the coordinator; `chunkCount` `WeightChunk`s (float32, base =
/// version) follow on the same socket, in order.
public struct NewWeightVersion: WireMessage {
    public static let messageType = MessageType.newWeightVersion
    public var version: UInt64
    public var learnerStep: UInt64
    public var parameterCount: UInt64
    public var modelFingerprint: UInt64
    public var chunkSize: UInt32
    public var chunkCount: UInt32
    /// SHA-256 of the float32 weights' bytes.
    public var sha256: [UInt8]

    public init(version: UInt64, learnerStep: UInt64, parameterCount: UInt64, modelFingerprint: UInt64,
                chunkSize: UInt32, chunkCount: UInt32, sha256: [UInt8]) {
        precondition(sha256.count == 32, "SHA-256 digests are 32 bytes")
        self.version = version
        self.learnerStep = learnerStep
        self.parameterCount = parameterCount
        self.modelFingerprint = modelFingerprint
        self.chunkSize = chunkSize
        self.chunkCount = chunkCount
        self.sha256 = sha256
    }

    public func encode(to w: inout WireWriter) {
        w.write(version)
        w.write(learnerStep)
        w.write(parameterCount)
        w.write(modelFingerprint)
        w.write(chunkSize)
        w.write(chunkCount)
        sha256.withUnsafeBytes { w.writeRaw($0) }
    }

    public init(from r: inout WireReader) throws(ProtocolError) {
        version = try r.read(UInt64.self, "version")
        learnerStep = try r.read(UInt64.self, "learner_step")
        parameterCount = try r.read(UInt64.self, "parameter_count")
        modelFingerprint = try r.read(UInt64.self, "model_fingerprint")
        chunkSize = try r.read(UInt32.self, "chunk_size")
        chunkCount = try r.read(UInt32.self, "chunk_count")
        sha256 = try r.readFixedBytes(32, "sha256")
    }
}

/// Reads a one-byte enum, refusing values this build does not know.
func decodeEnum<E: RawRepresentable>(_: E.Type, _ r: inout WireReader, _ field: String) throws(ProtocolError) -> E
where E.RawValue == UInt8 {
    let raw = try r.read(UInt8.self, field)
    guard let value = E(rawValue: raw) else { throw r.malformed(field, "unknown value \(raw)") }
    return value
}

/// A worker asks how to reach the newest weight version from what it holds (worker REQ → coordinator REP,
/// answered by `weight_announce` listing the payloads that apply: a delta when the worker holds the previous
/// version, else a full snapshot, made once per version and cached).
public struct WeightInfoRequest: WireMessage, Equatable {
    public static let messageType = MessageType.weightInfoRequest
    public var workerID: String
    /// Whether the worker holds verified weights at all, and which version.
    public var holdsWeights: Bool
    public var heldVersion: UInt64

    public init(workerID: String, heldVersion: UInt64?) {
        self.workerID = workerID
        holdsWeights = heldVersion != nil
        self.heldVersion = heldVersion ?? 0
    }

    public func encode(to w: inout WireWriter) {
        w.write(workerID)
        w.write(holdsWeights)
        w.write(heldVersion)
    }

    public init(from r: inout WireReader) throws(ProtocolError) {
        workerID = try r.readString("worker_id")
        holdsWeights = try r.readBool("holds_weights")
        heldVersion = try r.read(UInt64.self, "held_version")
    }
}
