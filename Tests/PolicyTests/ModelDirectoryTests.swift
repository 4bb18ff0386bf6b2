import Foundation
import Testing
@testable import Policy

@Suite struct ModelDirectoryTests {
    static func fixture(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/transformers-models/\(name)")
    }

    /// A `save_pretrained` directory opens, its eos ids become stop ids, and the model loads.
    @Test func opensATransformersDirectory() throws {
        let directory = try ModelDirectory(url: Self.fixture("llama3"))
        #expect(directory.config.architecture == .llama)
        #expect(directory.stopTokenIDs == [2])
        let model = try directory.loadModel()
        #expect(model.layout.count == directory.weights.names.reduce(0) { total, name in
            total + ((try? directory.weights.info(name).shape.reduce(1, *)) ?? 0)
        })
        // No tokenizer.json in this fixture: a typed error, not a crash.
        #expect(throws: (any Error).self) { try directory.loadTokenizer() }
    }

    /// generation_config.json's eos ids (a list) join config.json's, without duplicates.
    @Test func mergesGenerationConfigStopIDs() throws {
        let scratch = try ScratchDirectory()
        for file in ["config.json", "model.safetensors"] {
            try FileManager.default.copyItem(at: Self.fixture("qwen2").appendingPathComponent(file),
                                             to: scratch.file(file))
        }
        try Data(#"{"eos_token_id": [7, 2, 9]}"#.utf8).write(to: scratch.file("generation_config.json"))
        #expect(try ModelDirectory(url: scratch.url).stopTokenIDs == [2, 7, 9])
        #expect(throws: (any Error).self) { try ModelDirectory(url: scratch.file("missing")) }
    }
}
