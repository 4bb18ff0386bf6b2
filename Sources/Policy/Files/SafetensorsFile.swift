import Foundation
import Primitives

/// One safetensors file, memory-mapped and validated on open; tensors are converted to `Float` on read.
///
/// Opening reads only the JSON header; tensor bytes are paged in from the mapping as they are read. F32 is
/// copied, BF16 and F16 are widened with vectorised integer arithmetic. Immutable after `init`, so one instance
/// may be read from several threads at once.
///
/// ```swift
/// let file = try SafetensorsFile(url: dir.appendingPathComponent("model.safetensors"))
/// let (dtype, shape) = try file.info("model.norm.weight")
/// try file.read("model.norm.weight", shape: [hidden], into: normView)
/// ```
public final class SafetensorsFile: Sendable {
    /// Where the file was opened from.
    public let url: URL
    /// The header's `__metadata__` (e.g. `["format": "pt"]`); empty when absent.
    public var metadata: [String: String] { header.metadata }
    /// Every tensor in the file, in data-section order.
    public var tensors: [SafetensorsTensorInfo] { header.tensors }
    /// Tensor names in data-section order.
    public var names: [String] { header.tensors.map(\.name) }

    private let mapping: MappedFile
    private let header: SafetensorsHeader

    /// Maps the file at `url` and validates its header: every entry's dtype, shape, and offsets (inside the
    /// data section, non-overlapping, exactly shape × dtype size). Throws `SafetensorsError` naming the problem.
    public init(url: URL) throws {
        self.url = url
        mapping = try MappedFile(path: url.path)
        header = try SafetensorsHeader(bytes: mapping.bytes, path: url.path)
    }

    /// Whether the file holds a tensor named `name`.
    public func contains(_ name: String) -> Bool { header.indexByName[name] != nil }

    /// The full header entry for `name`; throws `.missingTensor` if absent.
    public func tensorInfo(_ name: String) throws -> SafetensorsTensorInfo {
        guard let index = header.indexByName[name] else {
            throw SafetensorsError.missingTensor(name: name, path: url.path)
        }
        return header.tensors[index]
    }

    /// The stored dtype and shape of `name`; throws `.missingTensor` if absent.
    public func info(_ name: String) throws -> (dtype: SafetensorsDType, shape: [Int]) {
        let info = try tensorInfo(name)
        return (info.dtype, info.shape)
    }

    /// Converts tensor `name` to `Float` into `destination`, which must hold exactly its element count.
    ///
    /// - Parameter shape: when given, the tensor's stored shape must equal it (else `.shapeMismatch`); pass the
    ///   shape the model expects so a checkpoint of another model is refused rather than silently reinterpreted.
    public func read(_ name: String, shape: [Int]? = nil, into destination: UnsafeMutableBufferPointer<Float>) throws {
        let info = try tensorInfo(name)
        if let shape, shape != info.shape {
            throw SafetensorsError.shapeMismatch(tensor: name, expected: shape, found: info.shape)
        }
        let count = info.elementCount
        guard destination.count == count else {
            throw SafetensorsError.bufferSizeMismatch(tensor: name, elementCount: count, bufferCount: destination.count)
        }
        guard count > 0, let output = destination.baseAddress else { return }
        let source = mapping.bytes.baseAddress! + header.dataStart + info.dataOffsets.lowerBound
        switch info.dtype {
        case .f32:
            UnsafeMutableRawPointer(output).copyMemory(from: source, byteCount: 4 * count)
        case .bf16:
            FloatConversion.bfloat16ToFloat(source, count: count, into: output)
        case .f16:
            FloatConversion.float16ToFloat(source, count: count, into: output)
        default:
            throw SafetensorsError.unsupportedDType(tensor: name, dtype: info.dtype)
        }
    }

    /// Tensor `name` converted to a new `[Float]` (row-major, `elementCount` values).
    public func floats(_ name: String, shape: [Int]? = nil) throws -> [Float] {
        let count = try tensorInfo(name).elementCount
        return try [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            try read(name, shape: shape, into: buffer)
            initialized = count
        }
    }

    /// Lends the tensor's stored bytes (little-endian, in its own dtype) for the duration of `body`.
    public func withRawBytes<R>(_ name: String, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        let info = try tensorInfo(name)
        let start = header.dataStart + info.dataOffsets.lowerBound
        return try body(UnsafeRawBufferPointer(rebasing: mapping.bytes[start..<(start + info.dataOffsets.count)]))
    }
}
