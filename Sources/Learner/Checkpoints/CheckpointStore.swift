import Foundation
import Logging
import Policy
import Protocol

/// Crash-safe checkpoints in `<run>/checkpoints/step-NNNNNNNN/`: `model.safetensors` (float32 weights under
/// Hugging Face names), `optimizer.safetensors` (AdamW moments and step), `trainer.json` (`TrainerState`),
/// and `manifest.json` listing every file's size and SHA-256.
///
/// A checkpoint is written into a hidden `.partial-…` directory, each file fsynced, the manifest last, then the
/// directory is renamed into place and the parent fsynced: a crash leaves either the old set or the new one,
/// never half a checkpoint. Loading verifies the manifest; a truncated or corrupt checkpoint is refused with
/// a reason and the previous one is used. The newest `keep` checkpoints are kept.
public struct CheckpointStore: Sendable {
    public let directory: URL
    public let keep: Int

    static let files = ["model.safetensors", "optimizer.safetensors", "trainer.json"]
    static let manifestName = "manifest.json"

    struct Manifest: Codable {
        struct Entry: Codable { let name: String; let bytes: Int; let sha256: String }
        let format: Int
        let step: Int
        let files: [Entry]
    }

    /// Files copied into every checkpoint beside the weights (a Hugging Face model's config.json and tokenizer
    /// files), so that a checkpoint of a run started from a model directory is itself one.
    public let companions: [URL]

    public init(directory: URL, keep: Int = 3, companions: [URL] = []) {
        self.directory = directory
        self.keep = max(1, keep)
        self.companions = companions
    }

    /// Checkpoint directories, newest first.
    public func checkpoints() -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasPrefix("step-") }.sorted(by: >).map { directory.appendingPathComponent($0) }
    }

    /// Writes a checkpoint of the model, the optimizer and `state`; returns its directory.
    @discardableResult
    public func save(model: Transformer, optimizer: AdamW, state: TrainerState) throws -> URL {
        let fm = FileManager.default
        try fm.createDirectory(at: directory, withIntermediateDirectories: true)
        let name = String(format: "step-%08d", state.step)
        let final = directory.appendingPathComponent(name)
        let partial = directory.appendingPathComponent(".partial-\(name)-\(ProcessInfo.processInfo.processIdentifier)")
        try? fm.removeItem(at: partial)
        try fm.createDirectory(at: partial, withIntermediateDirectories: false)

        try model.parameters.write(to: partial.appendingPathComponent("model.safetensors"), dtype: .f32,
                                   metadata: ["format": "pt", "step": "\(state.step)"])
        try optimizer.writeState(to: partial.appendingPathComponent("optimizer.safetensors"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try Self.writeSynced(encoder.encode(state), to: partial.appendingPathComponent("trainer.json"))
        for file in companions where !Self.files.contains(file.lastPathComponent) {
            try fm.copyItem(at: file, to: partial.appendingPathComponent(file.lastPathComponent))
        }
        let entries = try (Self.files + companions.map(\.lastPathComponent).filter { !Self.files.contains($0) }).map { file -> Manifest.Entry in
            let url = partial.appendingPathComponent(file)
            let (bytes, digest) = try Self.sizeAndDigest(of: url)
            return Manifest.Entry(name: file, bytes: bytes, sha256: digest)
        }
        try Self.writeSynced(encoder.encode(Manifest(format: 1, step: state.step, files: entries)),
                             to: partial.appendingPathComponent(Self.manifestName))
        Self.fsync(path: partial.path)
        if fm.fileExists(atPath: final.path) { try fm.removeItem(at: final) }
        try fm.moveItem(at: partial, to: final)
        Self.fsync(path: directory.path)
        prune()
        return final
    }

    /// Loads the newest usable checkpoint into `model` and `optimizer`. Corrupt or incomplete ones are skipped and
    /// logged (the previous one is used); a checkpoint that is intact but does not fit — another model, or a state
    /// `accepting` refuses (it returns why) — stops the load with `checkpointMismatch`, since an older one of the
    /// same run would not fit either. Nothing is modified unless a checkpoint is loaded.
    public func loadLatest(into model: Transformer, optimizer: AdamW, logger: Logger? = nil,
                           accepting: (TrainerState) -> String? = { _ in nil }) throws -> (state: TrainerState, url: URL) {
        for url in checkpoints() {
            let state: TrainerState
            do {
                state = try verify(url)
            } catch {
                logger?.error("skipping unusable checkpoint", metadata: [
                    "event": "checkpoint_refused", "path": "\(url.path)", "error": "\(error)",
                ])
                continue
            }
            if let refusal = accepting(state) { throw LearnerError.checkpointMismatch(path: url.path, reason: refusal) }
            return (try load(url, state: state, into: model, optimizer: optimizer), url)
        }
        throw LearnerError.noCheckpoint(directory: directory.path)
    }

    /// Loads only the weights of the newest usable checkpoint (evaluation); returns its state.
    public func loadLatestWeights(into model: Transformer, logger: Logger? = nil) throws -> TrainerState {
        for url in checkpoints() {
            do {
                return try loadWeights(url, into: model)
            } catch let error as LearnerError {
                if case .checkpointMismatch = error { throw error }
                logger?.error("skipping unusable checkpoint", metadata: [
                    "event": "checkpoint_refused", "path": "\(url.path)", "error": "\(error)",
                ])
            }
        }
        throw LearnerError.noCheckpoint(directory: directory.path)
    }

    /// Verifies one checkpoint and loads only its weights (evaluation); returns its state.
    public func loadWeights(_ url: URL, into model: Transformer) throws -> TrainerState {
        let state = try verify(url)
        guard state.modelConfig == model.config else {
            throw LearnerError.checkpointMismatch(path: url.path, reason: "it was written for another model configuration")
        }
        try model.parameters.load(from: SafetensorsArchive(url: url.appendingPathComponent("model.safetensors")))
        return state
    }

    /// Verifies one checkpoint and loads it. Nothing is modified unless verification passes.
    public func load(_ url: URL, into model: Transformer, optimizer: AdamW) throws -> TrainerState {
        try load(url, state: verify(url), into: model, optimizer: optimizer)
    }

    private func load(_ url: URL, state: TrainerState, into model: Transformer, optimizer: AdamW) throws -> TrainerState {
        guard state.modelConfig == model.config else {
            throw LearnerError.checkpointMismatch(path: url.path, reason: "it was written for another model configuration")
        }
        let archive = try SafetensorsArchive(url: url.appendingPathComponent("model.safetensors"))
        let staged = ParameterStore(layout: model.layout)
        try staged.load(from: archive)
        try optimizer.readState(from: url.appendingPathComponent("optimizer.safetensors"))
        try model.parameters.copy(from: staged)
        return state
    }

    /// Checks the manifest (every file present, sizes and SHA-256 as recorded) and decodes the trainer state.
    public func verify(_ url: URL) throws -> TrainerState {
        let manifestURL = url.appendingPathComponent(Self.manifestName)
        guard let data = FileManager.default.contents(atPath: manifestURL.path) else {
            throw LearnerError.corruptCheckpoint(path: url.path, reason: "no manifest.json (incomplete write)")
        }
        let manifest: Manifest
        do { manifest = try JSONDecoder().decode(Manifest.self, from: data) } catch {
            throw LearnerError.corruptCheckpoint(path: url.path, reason: "manifest.json does not parse")
        }
        for file in Self.files {
            guard let entry = manifest.files.first(where: { $0.name == file }) else {
                throw LearnerError.corruptCheckpoint(path: url.path, reason: "manifest lacks \(file)")
            }
            let fileURL = url.appendingPathComponent(file)
            guard FileManager.default.fileExists(atPath: fileURL.path) else {
                throw LearnerError.corruptCheckpoint(path: url.path, reason: "\(file) is missing")
            }
            let (bytes, digest) = try Self.sizeAndDigest(of: fileURL)
            guard bytes == entry.bytes else {
                throw LearnerError.corruptCheckpoint(path: url.path, reason: "\(file) has \(bytes) bytes, manifest says \(entry.bytes) (truncated?)")
            }
            guard digest == entry.sha256 else {
                throw LearnerError.corruptCheckpoint(path: url.path, reason: "\(file) SHA-256 mismatch")
            }
        }
        do {
            let state = try JSONDecoder().decode(TrainerState.self, from: Data(contentsOf: url.appendingPathComponent("trainer.json")))
            guard state.randomGenerator != nil else {
                throw LearnerError.corruptCheckpoint(path: url.path, reason: "invalid generator state")
            }
            return state
        } catch let error as LearnerError {
            throw error
        } catch {
            throw LearnerError.corruptCheckpoint(path: url.path, reason: "trainer.json does not decode: \(error)")
        }
    }

    /// Removes all but the newest `keep` checkpoints, and partial directories left by crashes.
    private func prune() {
        let fm = FileManager.default
        for old in checkpoints().dropFirst(keep) { try? fm.removeItem(at: old) }
        let names = (try? fm.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names where name.hasPrefix(".partial-") {
            try? fm.removeItem(at: directory.appendingPathComponent(name))
        }
    }

    static func sizeAndDigest(of url: URL) throws -> (Int, String) {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256Digest.Hasher()
        var total = 0
        while let chunk = try handle.read(upToCount: 8 << 20), !chunk.isEmpty {
            total += chunk.count
            chunk.withUnsafeBytes { hasher.update($0) }
        }
        return (total, hasher.finalize().map { String(format: "%02x", $0) }.joined())
    }

    static func writeSynced(_ data: Data, to url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.write(contentsOf: data)
        try handle.synchronize()
    }

    /// fsync a directory so a rename inside it is durable.
    static func fsync(path: String) {
        let fd = open(path, O_RDONLY)
        if fd >= 0 {
            _ = Glibc.fsync(fd)
            close(fd)
        }
    }
}
