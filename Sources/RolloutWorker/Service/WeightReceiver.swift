import Foundation
import Logging
import Policy
import Primitives
import Protocol

/// A worker's copy of the weights: which version it holds (verified), and how it reaches a newer one — ask the
/// coordinator what to download (`weight_info_request`), fetch the payload's chunks, rebuild the weights
/// (`WeightCodec`), check their SHA-256 and only then load them into the model. A payload that fails any check
/// is refused and logged; the next attempt asks for a full snapshot. Not thread-safe: the worker's loop owns it.
public final class WeightReceiver {
    /// The verified weights the sampler uses now.
    public struct Held: Sendable {
        public let version: UInt64
        public let sha256: [UInt8]
        public let precision: WeightCodec.Precision
        /// The weights in `precision` (the base the next delta applies to).
        public let bytes: [UInt8]
    }

    public let workerID: String
    public private(set) var held: Held?
    private let model: Transformer
    private let decompressor: ZstdDecompressor
    private let logger: Logger
    private var lastFailureVersion: UInt64?
    /// Bytes downloaded so far.
    public private(set) var bytesReceived = 0

    public init(workerID: String, model: Transformer, logger: Logger) throws {
        self.workerID = workerID
        self.model = model
        decompressor = try ZstdDecompressor()
        self.logger = logger
    }

    /// Brings the model to the newest version if it is not there yet (or if the coordinator's copy of the held
    /// version differs: a new learner lineage). Returns the version held afterwards, nil if still none.
    /// `loadOnto` runs the copy into the model (on the thread that owns the sampler).
    @discardableResult
    public func update(from coordinator: MessageChannel, timeout: Duration,
                       loadOnto: (@escaping () -> Void) async -> Void) async throws -> UInt64? {
        let askFull = held == nil || lastFailureVersion != nil
        let request = WeightInfoRequest(workerID: workerID, heldVersion: askFull ? nil : held?.version)
        let announce = try await coordinator.request(request, expecting: WeightAnnounce.self, timeout: timeout)
        if let held, held.version == announce.version, announce.payloads.allSatisfy({ $0.sha256 == held.sha256 }) {
            return held.version
        }
        guard announce.modelFingerprint == model.layout.fingerprint, Int(announce.parameterCount) == model.layout.count else {
            throw RolloutWorkerError.badWeights("version \(announce.version) is for another model (fingerprint or size differs)")
        }
        guard let payload = announce.payloads.first else {
            throw RolloutWorkerError.badWeights("version \(announce.version) was announced without a payload")
        }
        let start = ContinuousClock.now
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(payload.wireBytes))
        for index in 0..<payload.chunkCount {
            let chunk = try await coordinator.request(
                WeightChunkRequest(version: announce.version, encoding: payload.encoding, baseVersion: payload.baseVersion,
                                   chunkIndex: index),
                expecting: WeightChunk.self, timeout: timeout)
            bytes += chunk.bytes.array
        }
        bytesReceived += bytes.count
        let precision = WeightCodec.Precision(payload.encoding)
        let weights: [UInt8]
        do {
            if payload.encoding.isDelta {
                guard let base = held, base.version == payload.baseVersion, base.precision == precision else {
                    throw WeightCodec.PayloadError.baseMismatch("holding \(held.map { "\($0.version)" } ?? "nothing"), delta from \(payload.baseVersion)")
                }
                weights = try WeightCodec.applyDelta(bytes, to: base.bytes, precision: precision, sha256: payload.sha256,
                                                     decompressor: decompressor)
            } else {
                weights = try WeightCodec.decodeFull(bytes, parameterCount: model.layout.count, precision: precision,
                                                     sha256: payload.sha256, decompressor: decompressor)
            }
        } catch {
            lastFailureVersion = announce.version
            logger.warning("refused weights that failed their check", metadata: [
                "event": "weights_refused", "worker_id": "\(workerID)", "version": .stringConvertible(announce.version),
                "encoding": "\(payload.encoding)", "error": "\(error)",
            ])
            throw RolloutWorkerError.badWeights("version \(announce.version): \(error)")
        }
        let model = self.model
        await loadOnto {
            model.parameters.withUnsafeMutableBufferPointer { WeightCodec.widen(weights, precision: precision, into: $0) }
        }
        held = Held(version: announce.version, sha256: payload.sha256, precision: precision, bytes: weights)
        lastFailureVersion = nil
        logger.info("weights loaded", metadata: [
            "event": "weights_loaded", "worker_id": "\(workerID)", "version": .stringConvertible(announce.version),
            "encoding": "\(payload.encoding)", "bytes": .stringConvertible(bytes.count),
            "seconds": .stringConvertible((ContinuousClock.now - start).seconds),
        ])
        return announce.version
    }
}
