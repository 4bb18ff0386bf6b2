import Foundation
import Testing
import TestSupport
@testable import Policy

@Suite struct SafetensorsArchiveTests {
    /// Splits the reference Llama checkpoint into two shards plus an index, as `save_pretrained` does.
    private func writeShardedCopy(in scratch: ScratchDirectory) throws -> SafetensorsFile {
        let source = try SafetensorsFile(url: SharedReference.url("models/llama-tiny/model.safetensors"))
        let half = source.tensors.count / 2
        var weightMap: [String: String] = [:]
        for (shard, range) in [(1, 0..<half), (2, half..<source.tensors.count)] {
            let file = "model-0000\(shard)-of-00002.safetensors"
            let tensors = try source.tensors[range].map {
                weightMap[$0.name] = file
                return SafetensorsWriter.Tensor(name: $0.name, shape: $0.shape, values: try source.floats($0.name))
            }
            try SafetensorsWriter.write(tensors: tensors, dtype: shard == 1 ? .f32 : .bf16,
                                        metadata: ["format": "pt"], to: scratch.file(file))
        }
        let index: [String: Any] = ["metadata": ["total_size": 12345], "weight_map": weightMap]
        try JSONSerialization.data(withJSONObject: index).write(to: scratch.file("model.safetensors.index.json"))
        return source
    }

    @Test func shardedDirectoryLooksUpEveryTensorInItsShard() throws {
        let scratch = try ScratchDirectory()
        let source = try writeShardedCopy(in: scratch)
        let archive = try SafetensorsArchive(url: scratch.url)
        #expect(archive.files.count == 2)
        #expect(archive.names == source.names.sorted())
        #expect(archive.metadata["total_size"] == "12345")
        for tensor in source.tensors {
            #expect(try archive.info(tensor.name).shape == tensor.shape)
            let values = try archive.floats(tensor.name, shape: tensor.shape)
            let original = try source.floats(tensor.name)
            if try archive.info(tensor.name).dtype == .f32 {
                #expect(values == original)
            } else {
                let worst = zip(values, original).map { abs($0 - $1) / max(abs($1), 1e-30) }.max() ?? 0
                #expect(worst <= 0x1p-8)
            }
        }
        // The index file itself opens the same set.
        let viaIndex = try SafetensorsArchive(url: scratch.file("model.safetensors.index.json"))
        #expect(viaIndex.names == archive.names)
        #expect(throws: SafetensorsError.missingTensor(name: "lm_head.bias",
                                                       path: scratch.file("model.safetensors.index.json").path)) {
            _ = try archive.floats("lm_head.bias")
        }
    }

    @Test func singleFileAndDirectoryWithOneFile() throws {
        let scratch = try ScratchDirectory()
        let reference = try SharedReference.url("models/qwen2-tiny/model.safetensors")
        try FileManager.default.copyItem(at: reference, to: scratch.file("model.safetensors"))
        let archive = try SafetensorsArchive(url: scratch.url)
        #expect(archive.files.count == 1)
        #expect(archive.metadata == ["format": "pt"])
        let direct = try SafetensorsArchive(url: reference)
        #expect(direct.names == archive.names)
        #expect(try direct.floats("model.norm.weight") == archive.floats("model.norm.weight"))
    }

    @Test func shardListedButMissing() throws {
        let scratch = try ScratchDirectory()
        _ = try writeShardedCopy(in: scratch)
        try FileManager.default.removeItem(at: scratch.file("model-00002-of-00002.safetensors"))
        #expect(throws: SafetensorsError.missingShard(index: scratch.file("model.safetensors.index.json").path,
                                                      shard: "model-00002-of-00002.safetensors")) {
            _ = try SafetensorsArchive(url: scratch.url)
        }
    }

    @Test func indexNamesATensorItsShardLacks() throws {
        let scratch = try ScratchDirectory()
        try SafetensorsWriter.write(tensors: [.init(name: "a", shape: [1], values: [1])],
                                    to: scratch.file("one.safetensors"))
        let index = #"{"weight_map": {"a": "one.safetensors", "b": "one.safetensors"}}"#
        try Data(index.utf8).write(to: scratch.file("model.safetensors.index.json"))
        #expect(throws: SafetensorsError.missingTensor(name: "b", path: scratch.file("one.safetensors").path)) {
            _ = try SafetensorsArchive(url: scratch.url)
        }
    }

    @Test func malformedIndexes() throws {
        let scratch = try ScratchDirectory()
        let url = scratch.file("model.safetensors.index.json")
        for text in ["{not json", "[]", #"{"metadata": {}}"#, #"{"weight_map": {"a": 3}}"#,
                     #"{"weight_map": {"a": "../escape.safetensors"}}"#] {
            try Data(text.utf8).write(to: url)
            let error = #expect(throws: SafetensorsError.self) { _ = try SafetensorsArchive(url: url) }
            guard case .malformedIndex = error else {
                Issue.record("\(text): unexpected \(String(describing: error))")
                continue
            }
        }
    }

    @Test func emptyDirectory() throws {
        let scratch = try ScratchDirectory()
        #expect(throws: SafetensorsError.noSafetensorsInDirectory(path: scratch.url.path)) {
            _ = try SafetensorsArchive(url: scratch.url)
        }
    }
}
