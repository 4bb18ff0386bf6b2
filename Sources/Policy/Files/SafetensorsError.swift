/// Everything that can be wrong with a safetensors file, a sharded index, or a write.
///
/// Each case names the file (`path`), the tensor and the numbers involved, so a message says exactly what is
/// malformed. Byte offsets are relative to the start of the data section (after the 8-byte length and the
/// JSON header), as in the format's `data_offsets`.
public enum SafetensorsError: Error, Sendable, Equatable {
    /// The file could not be opened, sized or mapped (`errno` from the failing call).
    case cannotOpen(path: String, operation: String, errno: Int32)
    /// The file is shorter than the 8-byte little-endian header length.
    case truncated(path: String, fileSize: Int)
    /// The 8-byte header length points past the end of the file (or is larger than `limit`).
    case headerLengthBeyondFile(path: String, headerLength: UInt64, fileSize: Int)
    /// The header is larger than the format's 100 MB limit.
    case headerTooLarge(path: String, headerLength: UInt64, limit: Int)
    /// The header bytes are not a JSON object.
    case headerNotJSON(path: String, reason: String)
    /// An entry of the header lacks a field or has one of the wrong type (`field` is e.g. "shape").
    case malformedEntry(path: String, tensor: String, field: String, reason: String)
    /// A dtype string the format does not define.
    case unknownDType(path: String, tensor: String, dtype: String)
    /// `data_offsets` run backwards or past the end of the data section (`dataSize` bytes).
    case offsetsOutsideData(path: String, tensor: String, begin: Int, end: Int, dataSize: Int)
    /// Two tensors' byte ranges overlap.
    case overlappingTensors(path: String, first: String, second: String)
    /// `end - begin` differs from shape × dtype size.
    case sizeMismatch(path: String, tensor: String, expectedBytes: Int, actualBytes: Int)
    /// The element count of `shape` overflows `Int`.
    case shapeOverflow(path: String, tensor: String, shape: [Int])
    /// A read asked for a shape (or a buffer size) other than the tensor's.
    case shapeMismatch(tensor: String, expected: [Int], found: [Int])
    /// The destination buffer's element count differs from the tensor's.
    case bufferSizeMismatch(tensor: String, elementCount: Int, bufferCount: Int)
    /// The tensor's dtype does not convert to `Float` (only F32, BF16 and F16 do), or the writer was asked for it.
    case unsupportedDType(tensor: String, dtype: SafetensorsDType)
    /// No tensor of this name in the file or the sharded set.
    case missingTensor(name: String, path: String)
    /// `model.safetensors.index.json` names a shard that is not on disk.
    case missingShard(index: String, shard: String)
    /// The index is not JSON or lacks a `weight_map` of name → file strings.
    case malformedIndex(path: String, reason: String)
    /// A directory with neither `model.safetensors.index.json` nor `model.safetensors`.
    case noSafetensorsInDirectory(path: String)
    /// Writer: two tensors share a name, or a name is empty or reserved (`__metadata__`).
    case invalidTensorName(name: String, reason: String)
    /// Writer: a tensor's value count differs from the product of its shape.
    case valueCountMismatch(tensor: String, shape: [Int], valueCount: Int)
    /// Writing, syncing or renaming the output failed (`errno` from the failing call).
    case writeFailed(path: String, operation: String, errno: Int32)
}

extension SafetensorsError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .cannotOpen(path, operation, errno):
            "\(path): \(operation) failed (errno \(errno))"
        case let .truncated(path, fileSize):
            "\(path): truncated: \(fileSize) bytes, shorter than the 8-byte header length"
        case let .headerLengthBeyondFile(path, headerLength, fileSize):
            "\(path): header length \(headerLength) runs past the end of the \(fileSize)-byte file"
        case let .headerTooLarge(path, headerLength, limit):
            "\(path): header length \(headerLength) exceeds the limit of \(limit) bytes"
        case let .headerNotJSON(path, reason):
            "\(path): header is not a JSON object: \(reason)"
        case let .malformedEntry(path, tensor, field, reason):
            "\(path): tensor '\(tensor)': field '\(field)' \(reason)"
        case let .unknownDType(path, tensor, dtype):
            "\(path): tensor '\(tensor)': unknown dtype '\(dtype)'"
        case let .offsetsOutsideData(path, tensor, begin, end, dataSize):
            "\(path): tensor '\(tensor)': data_offsets [\(begin), \(end)] outside the \(dataSize)-byte data section"
        case let .overlappingTensors(path, first, second):
            "\(path): tensors '\(first)' and '\(second)' overlap"
        case let .sizeMismatch(path, tensor, expectedBytes, actualBytes):
            "\(path): tensor '\(tensor)': data_offsets span \(actualBytes) bytes, shape × dtype needs \(expectedBytes)"
        case let .shapeOverflow(path, tensor, shape):
            "\(path): tensor '\(tensor)': shape \(shape) overflows"
        case let .shapeMismatch(tensor, expected, found):
            "tensor '\(tensor)': expected shape \(expected), file has \(found)"
        case let .bufferSizeMismatch(tensor, elementCount, bufferCount):
            "tensor '\(tensor)': \(elementCount) elements, destination holds \(bufferCount)"
        case let .unsupportedDType(tensor, dtype):
            "tensor '\(tensor)': dtype \(dtype.rawValue) is not F32, BF16 or F16"
        case let .missingTensor(name, path):
            "\(path): no tensor named '\(name)'"
        case let .missingShard(index, shard):
            "\(index): shard '\(shard)' is listed but missing"
        case let .malformedIndex(path, reason):
            "\(path): malformed index: \(reason)"
        case let .noSafetensorsInDirectory(path):
            "\(path): neither model.safetensors.index.json nor model.safetensors"
        case let .invalidTensorName(name, reason):
            "tensor name '\(name)': \(reason)"
        case let .valueCountMismatch(tensor, shape, valueCount):
            "tensor '\(tensor)': shape \(shape) needs \(shape.reduce(1, &*)) values, got \(valueCount)"
        case let .writeFailed(path, operation, errno):
            "\(path): \(operation) failed (errno \(errno))"
        }
    }
}
