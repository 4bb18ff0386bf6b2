import Foundation
import Primitives
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// POSIX `write(2)`, named apart from `SafetensorsWriter.write`.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}

/// Writes Float32 tensors to a safetensors file, as F32 or BF16, atomically.
///
/// The file appears complete or not at all: bytes go to a temporary file in the destination's directory,
/// which is `fsync`ed and then `rename`d over `url` (and the directory is synced). Tensors are laid out in the
/// order given; the header is padded with spaces to a multiple of 8 bytes, as the reference implementation
/// does, so F32 data is 4-byte aligned when mapped.
public enum SafetensorsWriter {
    /// One tensor to write: a name, a row-major shape and its Float32 values.
    public struct Tensor {
        /// The name in the header, e.g. `model.norm.weight`.
        public let name: String
        /// Outermost dimension first; the values must number exactly its product.
        public let shape: [Int]
        fileprivate let values: Values

        fileprivate enum Values {
            case array([Float])
            case buffer(UnsafeBufferPointer<Float>)
        }

        /// A tensor whose values are copied from (or shared with) an array.
        public init(name: String, shape: [Int], values: [Float]) {
            self.name = name
            self.shape = shape
            self.values = .array(values)
        }

        /// A tensor that borrows `values` (e.g. a view into the parameter buffer): the memory must stay valid
        /// and unchanged until `write` returns. Nothing is copied.
        public init(name: String, shape: [Int], borrowing values: UnsafeBufferPointer<Float>) {
            self.name = name
            self.shape = shape
            self.values = .buffer(values)
        }

        fileprivate func withValues<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
            switch values {
            case .array(let array): try array.withUnsafeBufferPointer(body)
            case .buffer(let buffer): try body(buffer)
            }
        }
    }

    /// Writes `tensors` as `dtype` (`.f32` or `.bf16`, round-to-nearest-even) with `metadata` as the header's
    /// `__metadata__` to `url`, replacing any file there atomically.
    public static func write(tensors: [Tensor], dtype: SafetensorsDType = .f32, metadata: [String: String] = [:],
                             to url: URL) throws {
        guard dtype == .f32 || dtype == .bf16 else {
            throw SafetensorsError.unsupportedDType(tensor: tensors.first?.name ?? "", dtype: dtype)
        }
        let header = try headerBytes(tensors: tensors, dtype: dtype, metadata: metadata)
        let path = url.path
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
            .path
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SafetensorsError.writeFailed(path: temporary, operation: "open", errno: errno) }
        var renamed = false
        defer {
            if !renamed { unlink(temporary) }
        }
        do {
            defer { close(fd) }
            var length = UInt64(header.count).littleEndian
            try withUnsafeBytes(of: &length) { try writeAll(fd, $0, path: temporary) }
            try header.withUnsafeBytes { try writeAll(fd, $0, path: temporary) }
            var scratch = [UInt16](repeating: 0, count: dtype == .bf16 ? 1 << 16 : 0)
            for tensor in tensors {
                try tensor.withValues { values in
                    guard let base = values.baseAddress, !values.isEmpty else { return }
                    if dtype == .f32 {
                        try writeAll(fd, UnsafeRawBufferPointer(values), path: temporary)
                        return
                    }
                    var start = 0
                    while start < values.count {
                        let count = min(scratch.count, values.count - start)
                        try scratch.withUnsafeMutableBytes { bytes in
                            FloatConversion.floatToBFloat16(base + start, count: count, into: bytes.baseAddress!)
                            try writeAll(fd, UnsafeRawBufferPointer(rebasing: bytes[0..<(2 * count)]), path: temporary)
                        }
                        start += count
                    }
                }
            }
            guard fsync(fd) == 0 else {
                throw SafetensorsError.writeFailed(path: temporary, operation: "fsync", errno: errno)
            }
        }
        guard rename(temporary, path) == 0 else {
            throw SafetensorsError.writeFailed(path: path, operation: "rename", errno: errno)
        }
        renamed = true
        let directory = open(url.deletingLastPathComponent().path, O_RDONLY | O_CLOEXEC)
        if directory >= 0 {
            _ = fsync(directory)
            close(directory)
        }
    }

    /// The JSON header, space-padded to a multiple of 8 bytes; validates names and value counts.
    static func headerBytes(tensors: [Tensor], dtype: SafetensorsDType, metadata: [String: String]) throws -> [UInt8] {
        var json = "{"
        if !metadata.isEmpty {
            json += "\"__metadata__\":{"
            json += metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }
                .joined(separator: ",")
            json += "},"
        }
        var seen = Set<String>()
        var offset = 0
        for tensor in tensors {
            guard !tensor.name.isEmpty, tensor.name != "__metadata__" else {
                throw SafetensorsError.invalidTensorName(name: tensor.name, reason: "empty or reserved")
            }
            guard seen.insert(tensor.name).inserted else {
                throw SafetensorsError.invalidTensorName(name: tensor.name, reason: "appears twice")
            }
            var count = 1
            for dimension in tensor.shape {
                let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
                guard dimension >= 0, !overflow else {
                    throw SafetensorsError.valueCountMismatch(tensor: tensor.name, shape: tensor.shape,
                                                              valueCount: tensor.withValues(\.count))
                }
                count = product
            }
            let valueCount = tensor.withValues(\.count)
            guard valueCount == count else {
                throw SafetensorsError.valueCountMismatch(tensor: tensor.name, shape: tensor.shape,
                                                          valueCount: valueCount)
            }
            let end = offset + count * dtype.byteSize
            json += "\(jsonString(tensor.name)):{\"dtype\":\"\(dtype.rawValue)\",\"shape\":["
                + tensor.shape.map(String.init).joined(separator: ",")
                + "],\"data_offsets\":[\(offset),\(end)]},"
            offset = end
        }
        if json.hasSuffix(",") { json.removeLast() }
        json += "}"
        var bytes = Array(json.utf8)
        while bytes.count % 8 != 0 { bytes.append(0x20) }
        return bytes
    }

    /// `text` as a JSON string literal.
    private static func jsonString(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        // Encoding a String cannot fail.
        return (try? encoder.encode(text)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
    }

    private static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        var written = 0
        while written < bytes.count {
            let result = systemWrite(fd, bytes.baseAddress! + written, bytes.count - written)
            if result < 0 {
                if errno == EINTR { continue }
                throw SafetensorsError.writeFailed(path: path, operation: "write", errno: errno)
            }
            written += result
        }
    }
}
