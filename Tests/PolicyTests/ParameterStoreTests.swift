import Foundation
import Testing
import TestSupport
@testable import Policy

@Suite struct ParameterStoreTests {
    /// The layout names exactly the tensors of the reference checkpoints, with their shapes.
    @Test(arguments: ["llama-tiny", "qwen2-tiny"])
    func layoutMatchesCheckpoint(name: String) throws {
        let reference = try ReferenceModel(name)
        let layout = ParameterLayout(config: reference.config)
        #expect(Set(layout.names) == Set(reference.weights.names))
        for tensor in layout.tensors {
            #expect(try reference.weights.info(tensor.name).shape == tensor.shape)
        }
        #expect(layout.count == layout.tensors.reduce(0) { $0 + $1.count })
    }

    /// F32 round-trips exactly; BF16 holds every weight to bf16 precision, and the BF16 reference file loads to
    /// the same values.
    @Test func writesAndReadsF32AndBF16() throws {
        let reference = try ReferenceModel("qwen2-tiny")
        let model = try reference.model()
        let scratch = try ScratchDirectory()
        try model.parameters.write(to: scratch.file("f32.safetensors"))
        try model.parameters.write(to: scratch.file("bf16.safetensors"), dtype: .bf16)
        let f32 = ParameterStore(layout: model.layout)
        try f32.load(from: SafetensorsArchive(url: scratch.file("f32.safetensors")))
        #expect(f32.withUnsafeBufferPointer(Array.init) == model.parameters.withUnsafeBufferPointer(Array.init))

        let bf16 = ParameterStore(layout: model.layout)
        try bf16.load(from: SafetensorsArchive(url: scratch.file("bf16.safetensors")))
        let shipped = ParameterStore(layout: model.layout)
        try shipped.load(from: try ReferenceModel("qwen2-tiny", weightsFile: "model-bf16.safetensors").weights)
        #expect(bf16.withUnsafeBufferPointer(Array.init) == shipped.withUnsafeBufferPointer(Array.init))
        #expect(toleranceRatio(bf16.withUnsafeBufferPointer(Array.init),
                               model.parameters.withUnsafeBufferPointer(Array.init), rtol: 1.0 / 256, atol: 0) <= 1)
    }

    /// Weights that do not fit the config: typed errors naming the tensor.
    @Test func mismatchedCheckpointsAreRefused() throws {
        let reference = try ReferenceModel("llama-tiny")
        var wider = reference.config
        wider.intermediateSize += 1
        #expect(throws: EngineError.tensorShapeMismatch(name: "model.layers.0.mlp.gate_proj.weight",
                                                        expected: [161, 64], found: [160, 64])) {
            try Transformer(config: wider, weights: reference.weights)
        }
        var tiedless = try ReferenceModel("qwen2-tiny").config
        tiedless.tieWordEmbeddings = false
        #expect(throws: SafetensorsError.self) {
            try Transformer(config: tiedless, weights: try ReferenceModel("qwen2-tiny").weights)
        }
        var huge = reference.config
        huge.vocabSize = 1 << 40
        #expect(throws: EngineError.self) { try Transformer(config: huge, weights: reference.weights) }
        var badHeads = reference.config
        badHeads.numKVHeads = 3
        #expect(throws: EngineError.self) { try Transformer(config: badHeads, seed: 1) }
        let store = ParameterStore(layout: ParameterLayout(config: .benchTiny))
        #expect(throws: EngineError.layoutMismatch(expected: ParameterLayout(config: reference.config).count,
                                                   found: store.count)) {
            try Transformer(config: reference.config, parameters: store)
        }
    }

    @Test func clippingScalesToTheMaximumNorm() {
        let store = ParameterStore(layout: ParameterLayout(config: .benchTiny))
        store.withUnsafeMutableBufferPointer { buffer in
            for i in buffer.indices { buffer[i] = i % 2 == 0 ? 0.01 : -0.02 }
        }
        let before = store.squaredNorm().squareRoot()
        #expect(abs(Double(store.clipGlobalNorm(maxNorm: 1)) - before) < 1e-3 * before)
        #expect(abs(store.squaredNorm().squareRoot() - 1) < 1e-4)
        #expect(abs(Double(store.clipGlobalNorm(maxNorm: 5)) - 1) < 1e-4)
        #expect(abs(store.squaredNorm().squareRoot() - 1) < 1e-4)
    }
}
