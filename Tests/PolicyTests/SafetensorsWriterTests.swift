import Foundation
import Testing
import TestSupport
@testable import Policy
import Primitives

@Suite struct SafetensorsWriterTests {
    @Test func f32RoundTripKeepsValuesShapesOrderAndMetadata() throws {
        let scratch = try ScratchDirectory()
        let source = try SafetensorsFile(url: SharedReference.url("models/llama-tiny/model.safetensors"))
        let tensors = try source.tensors.map {
            SafetensorsWriter.Tensor(name: $0.name, shape: $0.shape, values: try source.floats($0.name))
        }
        let url = scratch.file("copy.safetensors")
        try SafetensorsWriter.write(tensors: tensors, dtype: .f32, metadata: ["format": "pt", "step": "12"], to: url)
        let copy = try SafetensorsFile(url: url)
        #expect(copy.metadata == ["format": "pt", "step": "12"])
        #expect(copy.names == tensors.map(\.name))
        for tensor in source.tensors {
            #expect(try copy.info(tensor.name).shape == tensor.shape)
            #expect(try copy.floats(tensor.name) == source.floats(tensor.name))
        }
        // The header is padded to 8 bytes, so F32 data is 4-byte aligned in the mapping.
        let raw = try Data(contentsOf: url)
        #expect(raw.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) } % 8 == 0)
        // No temporary file is left beside the output.
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path) == ["copy.safetensors"])
    }

    @Test func bf16MatchesPyTorchsRoundingBitForBit() throws {
        // model-bf16.safetensors was written by PyTorch (`tensor.to(torch.bfloat16)`, round-to-nearest-even)
        // from the same weights as model.safetensors.
        let scratch = try ScratchDirectory()
        let exact = try SafetensorsFile(url: SharedReference.url("models/qwen2-tiny/model.safetensors"))
        let torch = try SafetensorsFile(url: SharedReference.url("models/qwen2-tiny/model-bf16.safetensors"))
        let url = scratch.file("ours-bf16.safetensors")
        try SafetensorsWriter.write(tensors: exact.tensors.map {
            SafetensorsWriter.Tensor(name: $0.name, shape: $0.shape, values: try exact.floats($0.name))
        }, dtype: .bf16, to: url)
        let ours = try SafetensorsFile(url: url)
        for name in torch.names {
            #expect(try ours.info(name) == torch.info(name))
            let same = try ours.withRawBytes(name) { mine in try torch.withRawBytes(name) { Array(mine) == Array($0) } }
            #expect(same, "\(name): bf16 bytes differ from PyTorch's")
        }
    }

    @Test func bf16RoundsToNearestEvenIncludingTiesAndSpecials() throws {
        // Compare against rounding done in Double: pick the nearer of the two bf16 neighbours, ties to even.
        var values: [Float] = [0, -0, 1, -1, .infinity, -.infinity, .nan, .greatestFiniteMagnitude,
                               .leastNonzeroMagnitude, Float(bitPattern: 0x3F80_8000), Float(bitPattern: 0x3F81_8000),
                               Float(bitPattern: 0x3F80_7FFF), Float(bitPattern: 0x7F7F_FFFF)]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5000 { values.append(Float(bitPattern: UInt32.random(in: 0...UInt32.max, using: &generator))) }
        var halves = [UInt16](repeating: 0, count: values.count)
        values.withUnsafeBufferPointer { source in
            halves.withUnsafeMutableBytes {
                FloatConversion.floatToBFloat16(source.baseAddress!, count: values.count, into: $0.baseAddress!)
            }
        }
        for (value, half) in zip(values, halves) {
            let result = Float(bitPattern: UInt32(half) << 16)
            if value.isNaN {
                #expect(result.isNaN)
                continue
            }
            let down = Float(bitPattern: value.bitPattern & 0xFFFF_0000)
            let up = Float(bitPattern: (value.bitPattern & 0xFFFF_0000) &+ 0x1_0000)
            let distanceDown = abs(Double(value) - Double(down))
            // Above the largest bf16 the upper neighbour is infinity, which IEEE rounding places at ±2^128.
            let distanceUp = abs((up.isInfinite ? (value < 0 ? -0x1p128 : 0x1p128) : Double(up)) - Double(value))
            let expected: Float
            if value.isInfinite || distanceDown < distanceUp {
                expected = down
            } else if distanceUp < distanceDown {
                expected = up
            } else {
                expected = (down.bitPattern >> 16) & 1 == 0 ? down : up
            }
            #expect(result.bitPattern == expected.bitPattern, "\(value.bitPattern)")
        }
    }

    @Test func borrowedBuffersAreWrittenWithoutCopying() throws {
        let scratch = try ScratchDirectory()
        let parameters: [Float] = (0..<40).map { Float($0) / 8 }
        let url = scratch.file("views.safetensors")
        try parameters.withUnsafeBufferPointer { all in
            try SafetensorsWriter.write(tensors: [
                .init(name: "a", shape: [4, 4], borrowing: UnsafeBufferPointer(rebasing: all[0..<16])),
                .init(name: "b", shape: [24], borrowing: UnsafeBufferPointer(rebasing: all[16..<40])),
            ], to: url)
        }
        let file = try SafetensorsFile(url: url)
        #expect(try file.floats("a") + file.floats("b") == parameters)
    }

    @Test func replacesAnExistingFileAtomically() throws {
        let scratch = try ScratchDirectory()
        let url = scratch.file("ckpt.safetensors")
        try SafetensorsWriter.write(tensors: [.init(name: "w", shape: [2], values: [1, 2])], to: url)
        let before = try SafetensorsFile(url: url)
        try SafetensorsWriter.write(tensors: [.init(name: "w", shape: [3], values: [3, 4, 5])], to: url)
        // The old mapping still reads the old bytes (rename replaced the directory entry, not the inode).
        #expect(try before.floats("w") == [1, 2])
        #expect(try SafetensorsFile(url: url).floats("w") == [3, 4, 5])
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path) == ["ckpt.safetensors"])
    }

    @Test func refusesBadTensorsAndLeavesNothingBehind() throws {
        let scratch = try ScratchDirectory()
        let url = scratch.file("bad.safetensors")
        #expect(throws: SafetensorsError.valueCountMismatch(tensor: "w", shape: [2, 3], valueCount: 5)) {
            try SafetensorsWriter.write(tensors: [.init(name: "w", shape: [2, 3], values: [1, 2, 3, 4, 5])], to: url)
        }
        #expect(throws: SafetensorsError.invalidTensorName(name: "w", reason: "appears twice")) {
            try SafetensorsWriter.write(tensors: [.init(name: "w", shape: [1], values: [1]),
                                                  .init(name: "w", shape: [1], values: [2])], to: url)
        }
        #expect(throws: SafetensorsError.invalidTensorName(name: "__metadata__", reason: "empty or reserved")) {
            try SafetensorsWriter.write(tensors: [.init(name: "__metadata__", shape: [1], values: [1])], to: url)
        }
        #expect(throws: SafetensorsError.unsupportedDType(tensor: "w", dtype: .f16)) {
            try SafetensorsWriter.write(tensors: [.init(name: "w", shape: [1], values: [1])], dtype: .f16, to: url)
        }
        let nowhere = scratch.file("no-such-dir/x.safetensors")
        #expect(throws: SafetensorsError.self) {
            try SafetensorsWriter.write(tensors: [.init(name: "w", shape: [1], values: [1])], to: nowhere)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).isEmpty)
    }

    @Test func namesAndMetadataNeedingJSONEscapes() throws {
        let scratch = try ScratchDirectory()
        let url = scratch.file("odd.safetensors")
        let name = "we\"ird\\name\n\u{01}λ"
        try SafetensorsWriter.write(tensors: [.init(name: name, shape: [1], values: [7])],
                                    metadata: ["note": "tab\there \"quoted\""], to: url)
        let file = try SafetensorsFile(url: url)
        #expect(file.names == [name])
        #expect(file.metadata == ["note": "tab\there \"quoted\""])
        #expect(try file.floats(name) == [7])
    }
}
