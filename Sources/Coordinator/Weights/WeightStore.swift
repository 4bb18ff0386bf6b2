import Foundation
import Primitives
import Protocol

/// The coordinator's weight versions: assembled from the learner's float32 chunks, checked, turned once into
/// what samplers download — a delta against the previous version and, every `fullEvery` versions or on demand,
/// a full snapshot, both in the broadcast precision, byte-shuffled and zstd-compressed (`WeightCodec`) — and
/// served in chunks. Each payload is made once per version, never once per worker. The newest two versions stay
/// servable, so a worker part-way through a download is not cut off by the next version. Not thread-safe.
public final class WeightStore {
    /// One published version.
    public final class Version {
        public let version: UInt64
        public let learnerStep: UInt64
        public let parameterCount: Int
        public let modelFingerprint: UInt64
        /// The weights in the broadcast precision (what deltas are taken against and the digest covers).
        public let weights: [UInt8]
        public let sha256: [UInt8]
        /// The delta from `delta.baseVersion`, when there was a version before this one.
        public let delta: Payload?
        /// The full snapshot, made at publication every `fullEvery` versions, else on first request.
        public fileprivate(set) var full: Payload?
        public let encodeSeconds: Double

        init(version: UInt64, learnerStep: UInt64, parameterCount: Int, modelFingerprint: UInt64, weights: [UInt8],
             delta: Payload?, full: Payload?, encodeSeconds: Double) {
            self.version = version
            self.learnerStep = learnerStep
            self.parameterCount = parameterCount
            self.modelFingerprint = modelFingerprint
            self.weights = weights
            sha256 = WeightCodec.digest(weights)
            self.delta = delta
            self.full = full
            self.encodeSeconds = encodeSeconds
        }
    }

    /// A compressed payload and its description.
    public struct Payload: Sendable {
        public let info: WeightPayloadInfo
        public let bytes: [UInt8]
    }

    public let precision: WeightCodec.Precision
    public let chunkSize: Int
    public let fullEvery: UInt64
    private let compressor: ZstdCompressor
    private var assembly: (announcement: NewWeightVersion, buffer: [UInt8], received: Set<UInt32>)?
    public private(set) var latest: Version?
    private var previous: Version?

    public init(precision: WeightCodec.Precision, chunkSize: Int = 1 << 20, fullEvery: UInt64 = 10, zstdLevel: Int32 = 3) throws {
        self.precision = precision
        self.chunkSize = max(1024, chunkSize)
        self.fullEvery = max(1, fullEvery)
        compressor = try ZstdCompressor(level: zstdLevel)
    }

    /// Forgets every version (a new learner process restarts its version numbering from its checkpoint).
    public func reset() {
        assembly = nil
        latest = nil
        previous = nil
    }

    // MARK: From the learner

    /// The learner announces a version; its chunks follow. A repeat of the current version is ignored.
    public func begin(_ announcement: NewWeightVersion) throws(ErrorReply) {
        if let latest, announcement.version == latest.version, announcement.parameterCount == UInt64(latest.parameterCount) {
            assembly = nil
            return
        }
        if let latest, announcement.version < latest.version {
            throw ErrorReply(code: "stale_version", inReplyTo: MessageType.newWeightVersion.rawValue,
                             message: "version \(announcement.version) is older than the published \(latest.version)")
        }
        let bytes = Int(announcement.parameterCount) * 4
        let chunks = (bytes + Int(announcement.chunkSize) - 1) / max(1, Int(announcement.chunkSize))
        guard announcement.chunkSize > 0, bytes > 0, UInt32(chunks) == announcement.chunkCount,
              announcement.parameterCount < 1 << 34 else {
            throw ErrorReply(code: "bad_announcement", inReplyTo: MessageType.newWeightVersion.rawValue,
                             message: "\(announcement.parameterCount) parameters do not make \(announcement.chunkCount) chunks of \(announcement.chunkSize) bytes")
        }
        assembly = (announcement, [UInt8](repeating: 0, count: bytes), [])
    }

    /// One float32 chunk of the version being announced; returns the published version once the last chunk is in.
    public func add(_ chunk: WeightChunk) throws -> Version? {
        guard let current = assembly else {
            if chunk.version == latest?.version { return nil }  // a repeat of what is already published
            throw ErrorReply(code: "no_announcement", inReplyTo: MessageType.weightChunk.rawValue,
                             message: "chunk of version \(chunk.version) without its new_weight_version")
        }
        let a = current.announcement
        let offset = Int(chunk.chunkIndex) * Int(a.chunkSize)
        let expected = min(Int(a.chunkSize), current.buffer.count - offset)
        guard chunk.version == a.version, chunk.encoding == .float32, chunk.chunkCount == a.chunkCount,
              chunk.chunkIndex < a.chunkCount, chunk.bytes.count == expected else {
            throw ErrorReply(code: "bad_chunk", inReplyTo: MessageType.weightChunk.rawValue,
                             message: "chunk \(chunk.chunkIndex)/\(chunk.chunkCount) of version \(chunk.version) (\(chunk.bytes.count) bytes) does not fit version \(a.version)")
        }
        assembly!.buffer.withUnsafeMutableBytes { buffer in
            chunk.bytes.withUnsafeBytes { bytes in
                UnsafeMutableRawBufferPointer(rebasing: buffer[offset..<(offset + expected)]).copyMemory(from: bytes)
            }
        }
        assembly!.received.insert(chunk.chunkIndex)
        guard assembly!.received.count == Int(a.chunkCount) else { return nil }
        let float32 = assembly!.buffer
        assembly = nil
        guard float32.withUnsafeBytes({ SHA256Digest.of($0) }) == a.sha256 else {
            throw ErrorReply(code: "checksum_mismatch", inReplyTo: MessageType.weightChunk.rawValue,
                             message: "version \(a.version) does not match its SHA-256; send it again")
        }
        return try publish(a, float32: float32)
    }

    private func publish(_ a: NewWeightVersion, float32: [UInt8]) throws -> Version {
        let clock = ContinuousClock()
        let start = clock.now
        let weights = float32.withUnsafeBytes { raw in
            WeightCodec.bytes(of: raw.bindMemory(to: Float.self), precision: precision)
        }
        let sha = WeightCodec.digest(weights)
        var delta: Payload?
        if let base = latest, base.parameterCount == Int(a.parameterCount), base.modelFingerprint == a.modelFingerprint {
            let bytes = try WeightCodec.encodeDelta(weights, base: base.weights, precision: precision, compressor: compressor)
            delta = payload(bytes, encoding: precision.deltaEncoding, base: base.version, decodedBytes: weights.count, sha: sha)
        }
        var full: Payload?
        if delta == nil || a.version % fullEvery == 0 { full = try fullPayload(weights, version: a.version, sha: sha) }
        let version = Version(version: a.version, learnerStep: a.learnerStep, parameterCount: Int(a.parameterCount),
                              modelFingerprint: a.modelFingerprint, weights: weights, delta: delta, full: full,
                              encodeSeconds: (clock.now - start).seconds)
        previous = latest
        latest = version
        return version
    }

    // MARK: To workers

    /// What a worker holding `held` should download to reach the newest version: the delta when it holds the
    /// delta's base, else the full snapshot (made now if this version has none yet).
    public func announcement(forWorkerHolding held: UInt64?) throws -> WeightAnnounce? {
        guard let latest else { return nil }
        var payloads: [WeightPayloadInfo] = []
        if let delta = latest.delta, held == delta.info.baseVersion {
            payloads.append(delta.info)
        } else {
            payloads.append(try full(of: latest).info)
        }
        return announce(latest, payloads: payloads)
    }

    /// The announcement broadcast when a version is published: every payload made so far.
    public func broadcast(_ version: Version) -> WeightAnnounce {
        announce(version, payloads: [version.delta?.info, version.full?.info].compactMap { $0 })
    }

    /// One chunk of a payload of one of the two newest versions.
    public func chunk(_ request: WeightChunkRequest) throws -> WeightChunk {
        guard let version = [latest, previous].compactMap({ $0 }).first(where: { $0.version == request.version }) else {
            throw ErrorReply(code: "no_such_version", inReplyTo: MessageType.weightChunkRequest.rawValue,
                             message: "version \(request.version) is not served (newest: \(latest.map { "\($0.version)" } ?? "none"))")
        }
        let payload: Payload?
        switch request.encoding {
        case precision.deltaEncoding: payload = version.delta?.info.baseVersion == request.baseVersion ? version.delta : nil
        case precision.fullEncoding: payload = try full(of: version)
        default: payload = nil
        }
        guard let payload, request.chunkIndex < payload.info.chunkCount else {
            throw ErrorReply(code: "no_such_payload", inReplyTo: MessageType.weightChunkRequest.rawValue,
                             message: "version \(request.version) has no \(request.encoding) payload from \(request.baseVersion) with chunk \(request.chunkIndex)")
        }
        let start = Int(request.chunkIndex) * chunkSize
        let end = min(start + chunkSize, payload.bytes.count)
        return WeightChunk(version: version.version, encoding: request.encoding, baseVersion: payload.info.baseVersion,
                           chunkIndex: request.chunkIndex, chunkCount: payload.info.chunkCount,
                           bytes: WireArray(payload.bytes[start..<end]))
    }

    private func full(of version: Version) throws -> Payload {
        if let full = version.full { return full }
        let full = try fullPayload(version.weights, version: version.version, sha: version.sha256)
        version.full = full
        return full
    }

    private func fullPayload(_ weights: [UInt8], version: UInt64, sha: [UInt8]) throws -> Payload {
        let bytes = try WeightCodec.encodeFull(weights, precision: precision, compressor: compressor)
        return payload(bytes, encoding: precision.fullEncoding, base: version, decodedBytes: weights.count, sha: sha)
    }

    private func payload(_ bytes: [UInt8], encoding: WeightEncoding, base: UInt64, decodedBytes: Int, sha: [UInt8]) -> Payload {
        Payload(info: WeightPayloadInfo(encoding: encoding, compression: .zstd, baseVersion: base,
                                        decodedBytes: UInt64(decodedBytes), wireBytes: UInt64(bytes.count),
                                        chunkCount: UInt32(max(1, (bytes.count + chunkSize - 1) / chunkSize)), sha256: sha),
                bytes: bytes)
    }

    private func announce(_ version: Version, payloads: [WeightPayloadInfo]) -> WeightAnnounce {
        WeightAnnounce(version: version.version, learnerStep: version.learnerStep,
                       parameterCount: UInt64(version.parameterCount), modelFingerprint: version.modelFingerprint,
                       chunkSize: UInt32(chunkSize), payloads: payloads)
    }
}
