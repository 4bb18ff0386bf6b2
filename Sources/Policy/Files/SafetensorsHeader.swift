/// The parsed and validated header of one safetensors file (internal; `SafetensorsFile` exposes it).
///
/// Layout of the format: 8 bytes little-endian `UInt64` header length `n`, then `n` bytes of JSON (an object
/// mapping tensor name → `{"dtype", "shape", "data_offsets"}`, plus an optional `"__metadata__"` object of
/// string → string), then the data section. Validation checks every entry against the data section's size and
/// against the others, so later reads never touch memory outside the file.
struct SafetensorsHeader: Sendable {
    /// The format's upper bound on the JSON header (the reference implementation's limit).
    static let maximumLength = 100_000_000

    /// Tensors in data-section order.
    let tensors: [SafetensorsTensorInfo]
    /// `name → index in tensors`.
    let indexByName: [String: Int]
    /// The header's `__metadata__` (string → string); empty when absent.
    let metadata: [String: String]
    /// Byte offset of the data section from the start of the file (`8 + n`).
    let dataStart: Int

    /// Parses `bytes` (the whole file); `path` only labels errors.
    init(bytes: UnsafeRawBufferPointer, path: String) throws {
        guard bytes.count >= 8 else { throw SafetensorsError.truncated(path: path, fileSize: bytes.count) }
        let headerLength = bytes.loadUnaligned(as: UInt64.self).littleEndian
        guard headerLength <= UInt64(Self.maximumLength) else {
            if headerLength > UInt64(bytes.count) {
                throw SafetensorsError.headerLengthBeyondFile(path: path, headerLength: headerLength,
                                                              fileSize: bytes.count)
            }
            throw SafetensorsError.headerTooLarge(path: path, headerLength: headerLength, limit: Self.maximumLength)
        }
        guard 8 + Int(headerLength) <= bytes.count else {
            throw SafetensorsError.headerLengthBeyondFile(path: path, headerLength: headerLength,
                                                          fileSize: bytes.count)
        }
        dataStart = 8 + Int(headerLength)
        let dataSize = bytes.count - dataStart
        let root: JSONValue
        do {
            root = try JSONValue.parse(UnsafeRawBufferPointer(rebasing: bytes[8..<dataStart]))
        } catch {
            throw SafetensorsError.headerNotJSON(path: path, reason: error.description)
        }
        guard case .object(let entries) = root else {
            throw SafetensorsError.headerNotJSON(path: path, reason: "top level is not an object")
        }

        var metadata: [String: String] = [:]
        var tensors: [SafetensorsTensorInfo] = []
        tensors.reserveCapacity(entries.count)
        for (name, value) in entries {
            if name == "__metadata__" {
                guard case .object(let fields) = value else {
                    throw SafetensorsError.malformedEntry(path: path, tensor: name, field: name,
                                                          reason: "is not an object")
                }
                for (key, field) in fields {
                    guard case .string(let text) = field else {
                        throw SafetensorsError.malformedEntry(path: path, tensor: name, field: key,
                                                              reason: "is not a string")
                    }
                    metadata[key] = text
                }
                continue
            }
            tensors.append(try Self.parseEntry(name: name, value: value, dataSize: dataSize, path: path))
        }
        tensors.sort { ($0.dataOffsets.lowerBound, $0.dataOffsets.upperBound, $0.name)
            < ($1.dataOffsets.lowerBound, $1.dataOffsets.upperBound, $1.name) }
        for (previous, next) in zip(tensors, tensors.dropFirst())
        where next.dataOffsets.lowerBound < previous.dataOffsets.upperBound {
            throw SafetensorsError.overlappingTensors(path: path, first: previous.name, second: next.name)
        }
        self.tensors = tensors
        self.metadata = metadata
        var indexByName: [String: Int] = [:]
        indexByName.reserveCapacity(tensors.count)
        for (index, tensor) in tensors.enumerated() { indexByName[tensor.name] = index }
        self.indexByName = indexByName
    }

    private static func parseEntry(name: String, value: JSONValue, dataSize: Int,
                                   path: String) throws -> SafetensorsTensorInfo {
        func malformed(_ field: String, _ reason: String) -> SafetensorsError {
            .malformedEntry(path: path, tensor: name, field: field, reason: reason)
        }
        guard case .object = value else { throw malformed("(entry)", "is not an object") }
        guard case .string(let dtypeName) = value["dtype"] else { throw malformed("dtype", "is missing or not a string") }
        guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
            throw SafetensorsError.unknownDType(path: path, tensor: name, dtype: dtypeName)
        }
        guard let shape = naturalNumbers(value["shape"]) else {
            throw malformed("shape", "is missing or not a list of non-negative integers")
        }
        guard let offsets = naturalNumbers(value["data_offsets"]), offsets.count == 2 else {
            throw malformed("data_offsets", "is missing or not two non-negative integers")
        }
        let (begin, end) = (offsets[0], offsets[1])
        guard begin <= end, end <= dataSize else {
            throw SafetensorsError.offsetsOutsideData(path: path, tensor: name, begin: begin, end: end,
                                                      dataSize: dataSize)
        }
        var byteCount = dtype.byteSize
        for dimension in shape {
            let (product, overflow) = byteCount.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw SafetensorsError.shapeOverflow(path: path, tensor: name, shape: shape) }
            byteCount = product
        }
        guard byteCount == end - begin else {
            throw SafetensorsError.sizeMismatch(path: path, tensor: name, expectedBytes: byteCount,
                                                actualBytes: end - begin)
        }
        return SafetensorsTensorInfo(name: name, dtype: dtype, shape: shape, dataOffsets: begin..<end)
    }

    /// A JSON array of non-negative integers, or nil.
    private static func naturalNumbers(_ value: JSONValue?) -> [Int]? {
        guard case .array(let items)? = value else { return nil }
        var numbers: [Int] = []
        numbers.reserveCapacity(items.count)
        for item in items {
            guard case .integer(let number) = item, number >= 0 else { return nil }
            numbers.append(number)
        }
        return numbers
    }
}
