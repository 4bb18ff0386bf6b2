import Foundation
import Testing
import TestSupport
@testable import Policy
import Primitives

/// Builds safetensors bytes by hand: 8-byte little-endian length, `header`, then `data`.
private func safetensorsBytes(header: String, data: [UInt8] = []) -> [UInt8] {
    let json = Array(header.utf8)
    return withUnsafeBytes(of: UInt64(json.count).littleEndian, Array.init) + json + data
}

private func floatBytes(_ values: [Float]) -> [UInt8] {
    values.withUnsafeBytes(Array.init)
}

/// Opens the corrupt bytes and returns the error it throws (failing the test if none).
private func openError(_ bytes: [UInt8], in scratch: ScratchDirectory) throws -> SafetensorsError {
    let url = try scratch.write("bad.safetensors", bytes)
    do {
        _ = try SafetensorsFile(url: url)
    } catch let error as SafetensorsError {
        return error
    }
    Issue.record("opening \(bytes.count) corrupt bytes did not throw")
    throw CancellationError()
}

@Suite struct SafetensorsFileTests {
    @Test func readsTheReferenceModelAndMatchesItsHeader() throws {
        let url = try SharedReference.url("models/llama-tiny/model.safetensors")
        let file = try SafetensorsFile(url: url)
        #expect(file.metadata == ["format": "pt"])
        #expect(file.names.contains("model.embed_tokens.weight"))
        let (dtype, shape) = try file.info("model.embed_tokens.weight")
        #expect(dtype == .f32)
        #expect(shape == [97, 64])

        // The F32 values are the bytes of the file, independent of our reader: slice them out by hand.
        let raw = try Data(contentsOf: url)
        let headerLength = Int(raw.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        let info = try file.tensorInfo("model.norm.weight")
        let start = 8 + headerLength + info.dataOffsets.lowerBound
        let expected = raw[start..<(start + 4 * info.elementCount)].withUnsafeBytes {
            Array($0.bindMemory(to: Float.self))
        }
        #expect(try file.floats("model.norm.weight", shape: [64]) == expected)
        // Tensors tile the data section in order.
        let total = file.tensors.reduce(0) { $0 + $1.dataOffsets.count }
        #expect(total == raw.count - 8 - headerLength)
    }

    @Test func bf16FileWidensToTheRoundedF32Values() throws {
        let f32 = try SafetensorsFile(url: SharedReference.url("models/qwen2-tiny/model.safetensors"))
        let bf16 = try SafetensorsFile(url: SharedReference.url("models/qwen2-tiny/model-bf16.safetensors"))
        #expect(Set(f32.names) == Set(bf16.names))
        for name in bf16.names {
            #expect(try bf16.info(name).dtype == .bf16)
            let exact = try f32.floats(name)
            let widened = try bf16.floats(name)
            #expect(widened.count == exact.count)
            // bf16 keeps 8 significant bits: after rounding to nearest the relative error is at most 2^-8.
            let worst = zip(exact, widened).map { abs($0 - $1) / max(abs($0), 1e-30) }.max() ?? 0
            #expect(worst <= 0x1p-8, "\(name): relative error \(worst)")
        }
    }

    @Test func readChecksShapeAndBufferSize() throws {
        let file = try SafetensorsFile(url: SharedReference.url("models/llama-tiny/model.safetensors"))
        #expect(throws: SafetensorsError.shapeMismatch(tensor: "model.norm.weight", expected: [65], found: [64])) {
            _ = try file.floats("model.norm.weight", shape: [65])
        }
        var small = [Float](repeating: 0, count: 63)
        #expect(throws: SafetensorsError.bufferSizeMismatch(tensor: "model.norm.weight", elementCount: 64,
                                                           bufferCount: 63)) {
            try small.withUnsafeMutableBufferPointer { try file.read("model.norm.weight", into: $0) }
        }
        #expect(throws: SafetensorsError.missingTensor(name: "nope", path: file.url.path)) {
            _ = try file.info("nope")
        }
    }

    @Test func f16AndUnalignedDataConvertExactly() throws {
        let scratch = try ScratchDirectory()
        let halves: [Float16] = [0, -0, 1, -2.5, 65504, .infinity, -.infinity, Float16(bitPattern: 0x0001),
                                 Float16(bitPattern: 0x03FF), Float16(bitPattern: 0x8200), 0.333, 1e-3]
            + (0..<37).map { Float16(Float($0) * 0.71 - 9) }
        let data = [0x55] + halves.withUnsafeBytes(Array.init)  // one pad byte: the tensor starts at odd offset 1
        let header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[\(halves.count)],\"data_offsets\":[1,\(data.count)]},"
            + "\"pad\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}"
        let url = try scratch.write("f16.safetensors", safetensorsBytes(header: header, data: data))
        let file = try SafetensorsFile(url: url)
        #expect(file.names == ["pad", "h"])
        #expect(try file.floats("h") == halves.map(Float.init))
        #expect(throws: SafetensorsError.unsupportedDType(tensor: "pad", dtype: .u8)) { _ = try file.floats("pad") }
        #expect(try file.withRawBytes("pad") { Array($0) } == [0x55])
    }

    @Test func everyFloat16BitPatternWidensLikeTheStandardLibrary() {
        let patterns = (0...UInt16.max).map { $0 }
        var widened = [Float](repeating: 0, count: patterns.count)
        patterns.withUnsafeBytes { source in
            widened.withUnsafeMutableBufferPointer {
                FloatConversion.float16ToFloat(source.baseAddress!, count: patterns.count, into: $0.baseAddress!)
            }
        }
        var mismatches = 0
        for (pattern, value) in zip(patterns, widened) {
            let expected = Float(Float16(bitPattern: pattern))
            if expected.isNaN ? !value.isNaN : expected.bitPattern != value.bitPattern { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    @Test func scalarAndEmptyTensors() throws {
        let scratch = try ScratchDirectory()
        let header = "{\"s\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]},"
            + "\"e\":{\"dtype\":\"BF16\",\"shape\":[0,5],\"data_offsets\":[4,4]}}"
        let url = try scratch.write("s.safetensors", safetensorsBytes(header: header, data: floatBytes([2.5])))
        let file = try SafetensorsFile(url: url)
        #expect(try file.floats("s") == [2.5])
        #expect(try file.floats("e").isEmpty)
        #expect(file.metadata.isEmpty)
    }

    // MARK: malformed files: each gets its own typed error

    @Test func emptyAndTruncatedFiles() throws {
        let scratch = try ScratchDirectory()
        #expect(try openError([], in: scratch) == .truncated(path: scratch.file("bad.safetensors").path, fileSize: 0))
        #expect(try openError([1, 2, 3, 4, 5], in: scratch)
            == .truncated(path: scratch.file("bad.safetensors").path, fileSize: 5))
    }

    @Test func aRealFileCutShortIsRefused() throws {
        let scratch = try ScratchDirectory()
        let original = try [UInt8](Data(contentsOf: SharedReference.url("models/llama-tiny/model.safetensors")))
        let error = try openError(Array(original.prefix(original.count / 2)), in: scratch)
        guard case .offsetsOutsideData(_, _, _, let end, let dataSize) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(end > dataSize)
        // Cut inside the header itself: the length now runs past the end.
        let insideHeader = try openError(Array(original.prefix(100)), in: scratch)
        guard case .headerLengthBeyondFile(_, _, let fileSize) = insideHeader else {
            Issue.record("unexpected \(insideHeader)")
            return
        }
        #expect(fileSize == 100)
    }

    @Test func headerLengthBeyondTheFileOrTheLimit() throws {
        let scratch = try ScratchDirectory()
        let lying = withUnsafeBytes(of: UInt64(1000).littleEndian, Array.init) + Array("{}".utf8)
        #expect(try openError(lying, in: scratch) == .headerLengthBeyondFile(
            path: scratch.file("bad.safetensors").path, headerLength: 1000, fileSize: 10))
        let huge = withUnsafeBytes(of: UInt64.max.littleEndian, Array.init) + Array("{}".utf8)
        guard case .headerLengthBeyondFile(_, UInt64.max, 10) = try openError(huge, in: scratch) else {
            Issue.record("UInt64.max header length not refused as beyond the file")
            return
        }
        // A (sparse) file larger than the 100 MB header limit whose header claims all of it.
        let big = scratch.file("big.safetensors")
        let length = UInt64(SafetensorsHeader.maximumLength + 8)
        try Data(withUnsafeBytes(of: length.littleEndian, Array.init)).write(to: big)
        let handle = try FileHandle(forWritingTo: big)
        try handle.truncate(atOffset: length + 8)
        try handle.close()
        #expect(throws: SafetensorsError.headerTooLarge(path: big.path, headerLength: length,
                                                        limit: SafetensorsHeader.maximumLength)) {
            _ = try SafetensorsFile(url: big)
        }
    }

    @Test func headerThatIsNotAJSONObject() throws {
        let scratch = try ScratchDirectory()
        for header in ["{\"a\": ", "not json at all", "[1, 2, 3]", "\"text\""] {
            let error = try openError(safetensorsBytes(header: header), in: scratch)
            guard case .headerNotJSON = error else {
                Issue.record("\(header): unexpected \(error)")
                continue
            }
        }
    }

    @Test func malformedEntries() throws {
        let scratch = try ScratchDirectory()
        let cases: [(String, String)] = [
            ("{\"t\":{\"shape\":[1],\"data_offsets\":[0,4]}}", "dtype"),
            ("{\"t\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", "shape"),
            ("{\"t\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", "shape"),
            ("{\"t\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", "shape"),
            ("{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", "data_offsets"),
            ("{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":\"0-4\"}}", "data_offsets"),
            ("{\"t\":[1,2]}", "(entry)"),
            ("{\"__metadata__\":{\"format\":7}}", "format"),
        ]
        for (header, field) in cases {
            let error = try openError(safetensorsBytes(header: header, data: [UInt8](repeating: 0, count: 8)),
                                      in: scratch)
            guard case .malformedEntry(_, _, let named, _) = error else {
                Issue.record("\(header): unexpected \(error)")
                continue
            }
            #expect(named == field, "\(header)")
        }
    }

    @Test func unknownDType() throws {
        let scratch = try ScratchDirectory()
        let error = try openError(safetensorsBytes(
            header: "{\"w\":{\"dtype\":\"F12\",\"shape\":[2],\"data_offsets\":[0,3]}}", data: [0, 0, 0]), in: scratch)
        #expect(error == .unknownDType(path: scratch.file("bad.safetensors").path, tensor: "w", dtype: "F12"))
    }

    @Test func offsetsOutsideTheDataSection() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.file("bad.safetensors").path
        let past = try openError(safetensorsBytes(
            header: "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", data: floatBytes([1, 2])),
            in: scratch)
        #expect(past == .offsetsOutsideData(path: path, tensor: "w", begin: 0, end: 16, dataSize: 8))
        let backwards = try openError(safetensorsBytes(
            header: "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}}", data: floatBytes([1, 2])),
            in: scratch)
        #expect(backwards == .offsetsOutsideData(path: path, tensor: "w", begin: 8, end: 4, dataSize: 8))
    }

    @Test func overlappingTensors() throws {
        let scratch = try ScratchDirectory()
        let header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}"
        let error = try openError(safetensorsBytes(header: header, data: floatBytes([1, 2, 3])), in: scratch)
        #expect(error == .overlappingTensors(path: scratch.file("bad.safetensors").path, first: "a", second: "b"))
    }

    @Test func offsetsThatDisagreeWithShapeAndDType() throws {
        let scratch = try ScratchDirectory()
        let error = try openError(safetensorsBytes(
            header: "{\"w\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[0,8]}}", data: floatBytes([1, 2])),
            in: scratch)
        #expect(error == .sizeMismatch(path: scratch.file("bad.safetensors").path, tensor: "w", expectedBytes: 6,
                                       actualBytes: 8))
        let overflow = try openError(safetensorsBytes(
            header: "{\"w\":{\"dtype\":\"F64\",\"shape\":[1099511627776,1099511627776],\"data_offsets\":[0,8]}}",
            data: floatBytes([1, 2])), in: scratch)
        guard case .shapeOverflow(_, "w", _) = overflow else {
            Issue.record("unexpected \(overflow)")
            return
        }
    }

    @Test func missingFile() throws {
        let scratch = try ScratchDirectory()
        let url = scratch.file("absent.safetensors")
        #expect(throws: SafetensorsError.cannotOpen(path: url.path, operation: "open", errno: ENOENT)) {
            _ = try SafetensorsFile(url: url)
        }
    }
}
