import ArgumentParser
import Foundation
import Learner
import Logging
import Policy
import Primitives
import Protocol
import RolloutWorker
import Seeding

/// `grpo-bench weights`: what one weight version costs on the wire and in the coordinator.
///
/// Bytes: after a real optimizer step of the SMALL model at the run's learning rate (AdamW, lr 3e-5, the third
/// step, so the moments are warm), the broadcast delta (bfloat16 XOR previous, byte planes, zstd) against raw
/// float32, against the field's sparse patch (the changed bfloat16 values as int32 indices + values, zstd over
/// them: TRL's delta sync, PULSE) computed on the same step, and against a full bfloat16 snapshot; seconds to
/// encode a version and to apply one. Coordinator: a real `grpo-lambda coordinator` process, new versions
/// published to it, and 1, 4 and 16 worker processes (`grpo-bench weight-fetcher`) fetching each one: the
/// coordinator's CPU seconds per version (from /proc) and the wall time until all workers hold it.
struct WeightsSuite: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weights", abstract: "Bytes per weight version (vs raw float32 and the sparse patch) and coordinator cost for 1/4/16 workers.")

    @OptionGroup var common: CommonBenchOptions
    @Option(help: "tiny or small.") var config = "small"
    @Option(help: "Learning rate of the optimizer steps.") var learningRate: Float = 3e-5
    @Option(help: "Worker process counts to measure.") var workers: [Int] = [1, 4, 16]
    @Option(help: "zstd level of the payloads.") var zstdLevel: Int32 = 3

    func run() async throws {
        let modelConfig: ModelConfig = config == "tiny" ? .benchTiny : .benchSmall
        let stepper = try VersionStepper(config: modelConfig, learningRate: learningRate)
        for _ in 0..<2 { try stepper.step() }  // warm moments, as in a run
        let before = stepper.parameters()
        try stepper.step()
        let after = stepper.parameters()
        let n = after.count
        progress("weights bench: \(config), \(n) parameters, lr \(learningRate)")

        let compressor = try ZstdCompressor(level: zstdLevel)
        let decompressor = try ZstdDecompressor()
        let base = before.withUnsafeBufferPointer { WeightCodec.bytes(of: $0, precision: .bfloat16) }
        let next = after.withUnsafeBufferPointer { WeightCodec.bytes(of: $0, precision: .bfloat16) }
        let delta = try WeightCodec.encodeDelta(next, base: base, precision: .bfloat16, compressor: compressor)
        let full = try WeightCodec.encodeFull(next, precision: .bfloat16, compressor: compressor)
        let float32Delta = try WeightCodec.encodeDelta(after.withUnsafeBytes { Array($0) }, base: before.withUnsafeBytes { Array($0) },
                                                       precision: .float32, compressor: compressor)
        let (patch, changed) = try Self.sparsePatch(next, base: base, compressor: compressor)
        let sha = WeightCodec.digest(next)
        let encode = try BenchmarkStatistics.measure(repeats: common.repeats) {
            try timeSeconds {
                let bytes = after.withUnsafeBufferPointer { WeightCodec.bytes(of: $0, precision: .bfloat16) }
                _ = try WeightCodec.encodeDelta(bytes, base: base, precision: .bfloat16, compressor: compressor)
            }
        }
        var widened = [Float](repeating: 0, count: n)
        let apply = try BenchmarkStatistics.measure(repeats: common.repeats) {
            try timeSeconds {
                let weights = try WeightCodec.applyDelta(delta, to: base, precision: .bfloat16, sha256: sha, decompressor: decompressor)
                widened.withUnsafeMutableBufferPointer { WeightCodec.widen(weights, precision: .bfloat16, into: $0) }
            }
        }
        progress("delta \(delta.count) B, sparse patch \(patch.count) B (\(changed) of \(n) bf16 values changed), full bf16 \(full.count) B")

        var cpu: [String: Any] = [:], deliver: [String: Any] = [:]
        for count in workers {
            let (c, d) = try await CoordinatorCost.measure(workers: count, stepper: stepper, versions: common.repeats,
                                                           modelConfig: modelConfig)
            cpu["\(count)"] = c.json
            deliver["\(count)"] = d.json
            progress("\(count) workers: coordinator \(String(format: "%.4f", c.median)) CPU s/version, all hold it after \(String(format: "%.3f", d.median)) s")
        }
        try emitJSON([
            "suite": "weights", "config": config, "params": n, "learning_rate": Double(learningRate),
            "raw_bytes": n * 4, "wire_bytes": delta.count, "wire_ratio": Double(delta.count) / Double(n * 4),
            "sparse_patch_bytes": patch.count, "wire_vs_sparse_patch": Double(delta.count) / Double(patch.count),
            "bf16_values_changed": changed, "full_bf16_bytes": full.count, "float32_delta_bytes": float32Delta.count,
            "encode_seconds": encode.json, "apply_seconds": apply.json,
            "coordinator_cpu_seconds": cpu, "deliver_seconds": deliver,
        ])
    }

    /// The field's delta encoding: every changed bfloat16 value as an int32 index and its 2 bytes, zstd over them.
    static func sparsePatch(_ weights: [UInt8], base: [UInt8], compressor: ZstdCompressor) throws -> ([UInt8], Int) {
        var indices: [Int32] = [], values: [UInt16] = []
        weights.withUnsafeBytes { w in
            base.withUnsafeBytes { b in
                let new = w.bindMemory(to: UInt16.self), old = b.bindMemory(to: UInt16.self)
                for i in 0..<new.count where new[i] != old[i] {
                    indices.append(Int32(i))
                    values.append(new[i])
                }
            }
        }
        let raw = indices.withUnsafeBytes { Array($0) } + values.withUnsafeBytes { Array($0) }
        return (try raw.withUnsafeBytes { try compressor.compress($0) }, indices.count)
    }
}

/// Real optimizer steps on synthetic groups: each call moves the weights as one learner step would.
final class VersionStepper {
    let trainer: GRPOTrainer
    private let groups: [RolloutGroup]
    private(set) var version: UInt64 = 0

    init(config: ModelConfig, learningRate: Float) throws {
        let model = try Transformer(config: config, seed: 1)
        trainer = try GRPOTrainer(model: model, configuration: TrainerConfiguration(
            loss: .grpo(), schedule: .init(peak: learningRate, minimum: learningRate, totalSteps: 1_000), seed: 1),
                                  threads: ProcessInfo.processInfo.activeProcessorCount)
        var rng = SeededGenerator(seed: 3)
        let vocabulary = UInt64(config.vocabSize)
        groups = (0..<4).map { p in
            let prompt = (0..<8).map { _ in Int32(rng.next() % vocabulary) }
            return RolloutGroup(
                leaseID: UInt64(p), promptIndex: UInt64(p), workerID: "bench", policyVersion: 0, prompt: "",
                promptTokens: WireArray(prompt), goldAnswer: "", temperature: 1, topP: 1, topK: 0, maxNewTokens: 32,
                generationSeconds: 0,
                completions: (0..<4).map { c in
                    let tokens = (0..<32).map { _ in Int32(rng.next() % vocabulary) }
                    let lp = [Float](repeating: -Float(log(Double(vocabulary))), count: 32)
                    return ScoredCompletion(tokens: WireArray(tokens), samplerLogProbs: WireArray(lp), policyLogProbs: WireArray(lp),
                                            finishReason: .length, reward: Float(c % 2), correct: c % 2 == 1, verdict: "", text: "")
                })
        }
    }

    func step() throws {
        _ = try trainer.train(on: groups)
        version += 1
    }

    func parameters() -> [Float] { trainer.model.parameters.withUnsafeBufferPointer { Array($0) } }

    func snapshot() -> WeightSnapshot {
        WeightSnapshot(parameters: trainer.model.parameters, version: version, learnerStep: Int(version))
    }
}
