import Foundation

/// A checkpoint's tensors across one or several safetensors files, looked up by name.
///
/// Opens either a single `.safetensors` file, a sharded set's `model.safetensors.index.json` (whose
/// `weight_map` maps tensor name → shard file name, relative to the index), or a model directory holding one of
/// the two (the index wins). Every shard is mapped and validated on open, and every name the index lists must be
/// in the shard it names.
public final class SafetensorsArchive: Sendable {
    /// The shards, in the order of their first appearance in the index (one element for a single file).
    public let files: [SafetensorsFile]
    /// The index's `metadata` object (e.g. `total_size`) as strings, or the single file's `__metadata__`.
    public let metadata: [String: String]
    /// `name → index into files`.
    private let shardByName: [String: Int]
    /// The path reported in `.missingTensor` errors (the index or the single file).
    private let path: String

    /// Opens `url`: a `.safetensors` file, a `*.index.json`, or a directory containing
    /// `model.safetensors.index.json` or `model.safetensors`.
    public convenience init(url: URL) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            let index = url.appendingPathComponent("model.safetensors.index.json")
            let single = url.appendingPathComponent("model.safetensors")
            if FileManager.default.fileExists(atPath: index.path) {
                try self.init(indexURL: index)
            } else if FileManager.default.fileExists(atPath: single.path) {
                try self.init(file: SafetensorsFile(url: single))
            } else {
                throw SafetensorsError.noSafetensorsInDirectory(path: url.path)
            }
        } else if url.lastPathComponent.hasSuffix(".json") {
            try self.init(indexURL: url)
        } else {
            try self.init(file: SafetensorsFile(url: url))
        }
    }

    /// An archive over one already opened file.
    public init(file: SafetensorsFile) {
        files = [file]
        metadata = file.metadata
        path = file.url.path
        shardByName = Dictionary(uniqueKeysWithValues: file.names.map { ($0, 0) })
    }

    private init(indexURL: URL) throws {
        let indexPath = indexURL.path
        let indexFile = try MappedFile(path: indexPath)
        let root: JSONValue
        do {
            root = try withExtendedLifetime(indexFile) { try JSONValue.parse(indexFile.bytes) }
        } catch {
            throw SafetensorsError.malformedIndex(path: indexPath, reason: "not JSON: \(error)")
        }
        guard case .object = root else {
            throw SafetensorsError.malformedIndex(path: indexPath, reason: "top level is not an object")
        }
        guard case .object(let weightMap)? = root["weight_map"] else {
            throw SafetensorsError.malformedIndex(path: indexPath, reason: "no 'weight_map' object")
        }
        var metadata: [String: String] = [:]
        if case .object(let fields)? = root["metadata"] {
            for (key, value) in fields {
                switch value {
                case .string(let text): metadata[key] = text
                case .integer(let number): metadata[key] = String(number)
                case .number(let number): metadata[key] = String(number)
                case .bool(let flag): metadata[key] = String(flag)
                default: continue
                }
            }
        }

        let directory = indexURL.deletingLastPathComponent()
        var shardNames: [String] = []
        var shardIndex: [String: Int] = [:]
        var shardByName: [String: Int] = [:]
        for (name, value) in weightMap.sorted(by: { $0.key < $1.key }) {
            guard case .string(let shard) = value, !shard.isEmpty else {
                throw SafetensorsError.malformedIndex(path: indexPath,
                                                      reason: "weight_map['\(name)'] is not a file name")
            }
            guard !shard.contains("/"), shard != "..", shard != "." else {
                throw SafetensorsError.malformedIndex(path: indexPath,
                                                      reason: "shard '\(shard)' is not a plain file name")
            }
            if shardIndex[shard] == nil {
                shardIndex[shard] = shardNames.count
                shardNames.append(shard)
            }
            shardByName[name] = shardIndex[shard]
        }
        var files: [SafetensorsFile] = []
        for shard in shardNames {
            let shardURL = directory.appendingPathComponent(shard)
            guard FileManager.default.fileExists(atPath: shardURL.path) else {
                throw SafetensorsError.missingShard(index: indexPath, shard: shard)
            }
            files.append(try SafetensorsFile(url: shardURL))
        }
        for (name, shard) in shardByName where !files[shard].contains(name) {
            throw SafetensorsError.missingTensor(name: name, path: files[shard].url.path)
        }
        self.files = files
        self.metadata = metadata
        self.shardByName = shardByName
        self.path = indexPath
    }

    /// All tensor names, sorted.
    public var names: [String] { shardByName.keys.sorted() }

    /// Whether any shard holds `name` (according to the index).
    public func contains(_ name: String) -> Bool { shardByName[name] != nil }

    /// The file holding `name`; throws `.missingTensor` if no shard does.
    public func file(containing name: String) throws -> SafetensorsFile {
        guard let shard = shardByName[name] else { throw SafetensorsError.missingTensor(name: name, path: path) }
        return files[shard]
    }

    /// The full header entry for `name`.
    public func tensorInfo(_ name: String) throws -> SafetensorsTensorInfo {
        try file(containing: name).tensorInfo(name)
    }

    /// The stored dtype and shape of `name`.
    public func info(_ name: String) throws -> (dtype: SafetensorsDType, shape: [Int]) {
        try file(containing: name).info(name)
    }

    /// Converts `name` to `Float` into `destination`; see `SafetensorsFile.read(_:shape:into:)`.
    public func read(_ name: String, shape: [Int]? = nil, into destination: UnsafeMutableBufferPointer<Float>) throws {
        try file(containing: name).read(name, shape: shape, into: destination)
    }

    /// `name` converted to a new `[Float]`.
    public func floats(_ name: String, shape: [Int]? = nil) throws -> [Float] {
        try file(containing: name).floats(name, shape: shape)
    }
}
