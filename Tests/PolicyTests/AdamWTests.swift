import Foundation
import Testing
@testable import Policy

@Suite struct AdamWTests {
    /// Three steps match `torch.optim.AdamW` (matrices decayed, norm weights not; `Fixtures/adamw.json`).
    @Test func matchesPyTorch() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/adamw.json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let config = ModelConfig(vocabSize: 5, hiddenSize: 4, intermediateSize: 6, numLayers: 1, numHeads: 2,
                                 numKVHeads: 1)
        let layout = ParameterLayout(config: config)
        func fill(_ store: ParameterStore, _ values: Any?) throws {
            let tensors = try #require(values as? [String: [Double]])
            #expect(Set(tensors.keys) == Set(layout.names))
            for tensor in layout.tensors {
                let data = try #require(tensors[tensor.name])
                store.withTensor(tensor) { view in for i in view.indices { view[i] = Float(data[i]) } }
            }
        }
        let number = { (key: String) in Float(json[key] as? Double ?? .nan) }
        let optimizer = try AdamW(layout: layout, configuration: .init(
            beta1: number("beta1"), beta2: number("beta2"), epsilon: number("epsilon"),
            weightDecay: number("weight_decay")))
        let parameters = ParameterStore(layout: layout), gradients = ParameterStore(layout: layout)
        let expected = ParameterStore(layout: layout)
        try fill(parameters, json["initial"])
        let rates = try #require(json["learning_rates"] as? [Double])
        let steps = try #require(json["steps"] as? [[String: Any]])
        for (rate, step) in zip(rates, steps) {
            try fill(gradients, step["gradients"])
            try optimizer.update(parameters: parameters, gradients: gradients, learningRate: Float(rate))
            try fill(expected, step["parameters"])
            #expect(toleranceRatio(parameters.withUnsafeBufferPointer(Array.init),
                                   expected.withUnsafeBufferPointer(Array.init), rtol: 1e-5, atol: 1e-6) <= 1)
        }
        #expect(optimizer.step == 3)
    }

    /// The state written for a checkpoint restores the exact same next update.
    @Test func stateRoundTrips() throws {
        let layout = ParameterLayout(config: .samplerTest)
        let parameters = ParameterStore(layout: layout), gradients = ParameterStore(layout: layout)
        gradients.withUnsafeMutableBufferPointer { for i in $0.indices { $0[i] = Float(i % 13) - 6 } }
        let first = try AdamW(layout: layout)
        for _ in 0..<2 { try first.update(parameters: parameters, gradients: gradients, learningRate: 1e-3) }
        let scratch = try ScratchDirectory()
        try first.writeState(to: scratch.file("adam.safetensors"))
        let second = try AdamW(layout: layout)
        try second.readState(from: scratch.file("adam.safetensors"))
        #expect(second.step == 2)
        let copy = ParameterStore(copying: parameters)
        try first.update(parameters: parameters, gradients: gradients, learningRate: 1e-3)
        try second.update(parameters: copy, gradients: gradients, learningRate: 1e-3)
        #expect(parameters.withUnsafeBufferPointer(Array.init) == copy.withUnsafeBufferPointer(Array.init))
        #expect(throws: EngineError.self) {
            try AdamW(layout: ParameterLayout(config: .benchTiny)).readState(from: scratch.file("adam.safetensors"))
        }
    }

    @Test func scheduleWarmsUpThenDecays() {
        let schedule = LearningRateSchedule(peak: 1, minimum: 0.1, warmupSteps: 4, totalSteps: 14)
        #expect(schedule.learningRate(at: 0) == 0.25)
        #expect(schedule.learningRate(at: 3) == 1)
        #expect(abs(schedule.learningRate(at: 9) - 0.55) < 1e-6)
        #expect(abs(schedule.learningRate(at: 14) - 0.1) < 1e-6)
        #expect(abs(schedule.learningRate(at: 100) - 0.1) < 1e-6)
    }
}
