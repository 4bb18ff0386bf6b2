import Foundation
import Learner
import Logging
import Policy
import Testing
import TestSupport
@testable import Runs

/// Training a Hugging Face directory on a GSM8K-style file: transformers-written tiny Qwen2.5 (BF16, tied, biases)
/// and Llama-3 (F32, llama3 RoPE) directories with real chat templates (Fixtures/make_hf_models.py), trained for
/// two steps; every checkpoint a model directory our loader reads back with the trained weights' logits; the
/// export in the source dtype; dataset lines that are wrong named by number.
@Suite(.serialized) struct HuggingFaceModelRunTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let dataset = fixtures.appendingPathComponent("gsm8k-20.jsonl")
    static func model(_ name: String) -> URL { fixtures.appendingPathComponent("hf-models/\(name)") }

    /// Two SFT steps on the dataset's solutions first: random weights earn no reward, so RL alone would leave them
    /// as they are (zero advantages) and the checkpoint could not show it holds trained weights.
    static func configuration(_ model: String, _ extra: [String: Any] = [:]) throws -> RunConfiguration {
        try RunConfiguration.load(overrides: [
            "warm_start_steps": 2, "warm_start_batch_size": 2,
            "model_directory": Self.model(model).path, "dataset": dataset.path, "steps": 2, "groups_per_step": 2,
            "group_size": 2, "max_new_tokens": 12, "eval_every": 0, "eval_samples": 2, "checkpoint_every": 1,
            "threads": 1, "report_every": 0,
        ].merging(extra) { $1 })
    }

    static func temporary() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("grpo-hf-\(UUID().uuidString)")
    }

    /// The logits of every position of `tokens`.
    static func logits(_ model: Transformer, _ tokens: [Int32]) throws -> [Float] {
        try SequenceScorer(model: model, threads: 1).logits(of: tokens)
    }

    @Test func aModelDirectoryTakesItsDefaultsFromWhatItIs() throws {
        let c = try RunConfiguration.load(overrides: ["model_directory": Self.model("qwen2.5").path, "dataset": Self.dataset.path])
        #expect(c.warmStartSteps == 0 && c.effectiveTemplate == .chat && c.effectiveTrainReward == .answer)
        #expect(try RunConfiguration.load(overrides: ["model_directory": "/m", "warm_start_steps": 5]).warmStartSteps == 5)
        let builtin = try RunConfiguration.load()
        #expect(builtin.warmStartSteps == 300 && builtin.effectiveTemplate == .plain && builtin.effectiveTrainReward == .chain)

        let policy = try RunPolicy(c)
        let prompt = policy.template.render("What is 2+3?")
        #expect(prompt.hasPrefix("<|im_start|>system\nYou are Qwen, created by Alibaba Cloud.") && prompt.hasSuffix("<|im_start|>assistant\n"))
        #expect(prompt.contains("What is 2+3?\n\nPlease reason step by step, and put your final answer within \\boxed{}."))
        let imEnd = try #require(policy.tokenizer.id(for: "<|im_end|>"))
        #expect(policy.stopTokenIDs.contains(imEnd))
        // 20 problems: a quarter held out, the rest trained on, nothing in both.
        let training = try RunPolicy.trainingProblems(c), heldOut = try RunPolicy.heldOutProblems(c)
        #expect(training.count == 15 && heldOut.count == 5)
        let trainedIDs = Set((0..<15).map { training.problem(at: $0).id })
        #expect(trainedIDs.isDisjoint(with: heldOut.map(\.id)))
        let numeric = heldOut[0].goldAnswer.allSatisfy { $0.isNumber }
        #expect(numeric)
    }

    @Test(arguments: ["qwen2.5", "llama3"])
    func trainsTwoStepsAndEveryCheckpointIsAModelDirectory(model: String) async throws {
        let url = Self.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        let c = try Self.configuration(model)
        let directory = try RunDirectory.prepare(url, configuration: c)
        let summary = try await ColocatedRun(configuration: c, directory: directory, logger: Logger(label: "hf-test")).run()
        #expect(summary.steps == 2 && summary.evaluations.count == 2 && summary.heldOutProblems == 300)
        #expect(summary.evaluations[0].problems == 5)

        let checkpoint = try #require(CheckpointStore(directory: url.appendingPathComponent("checkpoints")).checkpoints().first)
        for file in ["config.json", "tokenizer.json", "tokenizer_config.json", "model.safetensors"] {
            #expect(FileManager.default.fileExists(atPath: checkpoint.appendingPathComponent(file).path), "\(file)")
        }
        // The checkpoint loads as a model directory; its logits are the trained weights' (and differ from the start).
        let reloaded = try ModelDirectory(url: checkpoint)
        let trained = try reloaded.loadModel()
        let original = try ModelDirectory(url: Self.model(model)).loadModel()
        let tokens = try reloaded.loadTokenizer().encode("Tom has 3 apples.")
        let trainedLogits = try Self.logits(trained, tokens)
        #expect(trainedLogits != (try Self.logits(original, tokens)))

        // Exported in F32 it is bit-identical; in the source dtype it is that dtype, within its rounding.
        let exported = url.appendingPathComponent("export-f32"), sourceTyped = url.appendingPathComponent("export-source")
        let sourceDType = HuggingFaceExport.storedDType(of: Self.model(model))
        try HuggingFaceExport.write(trained.parameters, config: reloaded.config, source: checkpoint, dtype: .f32, to: exported)
        try HuggingFaceExport.write(trained.parameters, config: reloaded.config, source: checkpoint,
                                    dtype: HuggingFaceExport.writableDType(nil, source: sourceDType), to: sourceTyped)
        #expect(try Self.logits(ModelDirectory(url: exported).loadModel(), tokens) == trainedLogits)
        #expect(HuggingFaceExport.storedDType(of: sourceTyped) == sourceDType)
        let rounded = try Self.logits(ModelDirectory(url: sourceTyped).loadModel(), tokens)
        let worst = zip(rounded, trainedLogits).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst < (sourceDType == .bf16 ? 0.05 : 1e-6), "max |Δlogit| \(worst)")
        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: sourceTyped.appendingPathComponent("config.json"))) as! [String: Any]
        #expect(config["torch_dtype"] as? String == (sourceDType == .bf16 ? "bfloat16" : "float32"))
    }

    /// MATH-style files are recognised by their fields and graded by the last \boxed{}; other field names work
    /// with an explicit format; a second file holds the evaluation problems.
    @Test func mathFilesCustomFieldsAndASecondFileForEvaluation() throws {
        let url = Self.temporary()
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: url) }
        let math = url.appendingPathComponent("math.jsonl"), custom = url.appendingPathComponent("custom.jsonl")
        try (1...8).map { #"{"problem": "What is $\\frac{\#($0)}{2}+\\frac{1}{2}$?", "solution": "It is $\\boxed{\\frac{\#($0 + 1)}{2}}$."}"# }
            .joined(separator: "\n").write(to: math, atomically: true, encoding: .utf8)
        try (1...3).map { "{\"q\": \"\($0)+\($0)?\", \"a\": \"#### \($0 * 2)\"}" }.joined(separator: "\n")
            .write(to: custom, atomically: true, encoding: .utf8)
        let c = try RunConfiguration.load(overrides: ["dataset": math.path])
        let heldOut = try RunPolicy.heldOutProblems(c)
        #expect(heldOut.count == 2 && heldOut.last?.goldAnswer == "\\frac{9}{2}")
        let withEval = try RunConfiguration.load(overrides: [
            "dataset": math.path, "eval_dataset": custom.path, "dataset_format": "gsm8k", "question_field": "q", "answer_field": "a",
        ])
        // One format for both files: the MATH file has no `q` field, so it is refused by line.
        #expect(throws: RunError.self) { try RunPolicy.trainingProblems(withEval) }
        let customOnly = try RunConfiguration.load(overrides: [
            "dataset": custom.path, "eval_dataset": custom.path, "dataset_format": "gsm8k", "question_field": "q", "answer_field": "a",
        ])
        #expect(try RunPolicy.heldOutProblems(customOnly).map(\.goldAnswer) == ["2", "4", "6"])
        #expect(try RunPolicy.trainingProblems(customOnly).count == 3)
    }

    @Test func badDatasetLinesAreNamedByNumber() throws {
        let url = Self.temporary()
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: url) }
        let good = try String(contentsOf: Self.dataset, encoding: .utf8).split(separator: "\n").map(String.init)
        let cases: [(String, String)] = [
            ("{\"question\": \"x?\"}", ":3: no string field \"answer\""),
            ("{\"question\": \"x?\", \"answer\": \"no marker\"}", ":3: no gold answer"),
            ("not json", ":3: not a JSON object"),
        ]
        for (bad, expected) in cases {
            let file = url.appendingPathComponent("bad.jsonl")
            try (good.prefix(2) + [bad] + good.dropFirst(2)).joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
            let c = try RunConfiguration.load(overrides: ["dataset": file.path])
            do {
                _ = try RunPolicy.trainingProblems(c)
                Issue.record("accepted \(bad)")
            } catch {
                #expect("\(error)".contains(expected), "\(error)")
            }
        }
        let other = url.appendingPathComponent("other.jsonl")
        try "{\"prompt\": \"x\", \"response\": \"y\"}\n".write(to: other, atomically: true, encoding: .utf8)
        #expect(throws: RunError.self) { try RunPolicy.trainingProblems(try RunConfiguration.load(overrides: ["dataset": other.path])) }
    }

    /// The fleet: `run --model --dataset` starts the coordinator, learner and a worker on the directory (each
    /// loads it), trains two steps, and its checkpoints are model directories too; `export` writes one in BF16.
    @Test func theFleetTrainsAModelDirectoryAndExportWritesItInItsDtype() async throws {
        let url = Self.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        let binary = try BuiltProduct.path("grpo-lambda")
        let run = try await CommandRun.run(binary, [
            "run", "--run-dir", url.path, "--model", Self.model("qwen2.5").path, "--dataset", Self.dataset.path,
            "--steps", "2", "--groups-per-step", "2", "--group-size", "2", "--threads", "1", "--eval-samples", "0",
            "--checkpoint-every", "1", "--set", "max_new_tokens=12", "--set", "workers=1", "--set", "worker_slots=2",
            "--set", "heartbeat_interval_ms=200", "--set", "failure_timeout_ms=1500", "--set", "lease_timeout_ms=3000",
            "--log-format", "json",
        ], includeStandardError: true)
        #expect(run.status == 0, "\(run.output.suffix(3000))")
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: url.appendingPathComponent("summary.json"))) as! [String: Any]
        #expect(summary["steps"] as? Int == 2)

        // `eval` reads the run's own configuration: no flag repeated, config.json left as the run wrote it.
        let recorded = try Data(contentsOf: url.appendingPathComponent("config.json"))
        let evaluated = try await CommandRun.run(binary, ["eval", "--run-dir", url.path, "--eval-samples", "2", "--threads", "1"])
        #expect(evaluated.status == 0, "\(evaluated.output)")
        let record = try JSONSerialization.jsonObject(with: Data(evaluated.output.utf8)) as? [String: Any]
        #expect(record?["step"] as? Int == 2 && record?["problems"] as? Int == 5 && record?["pass_at_k"] != nil)
        #expect(try Data(contentsOf: url.appendingPathComponent("config.json")) == recorded)
        // And the untrained directory scored on the same file, in a fresh directory.
        let fresh = try await CommandRun.run(binary, ["eval", "--run-dir", url.appendingPathComponent("untrained").path, "--model",
                                                Self.model("qwen2.5").path, "--dataset", Self.dataset.path, "--eval-samples", "2",
                                                "--threads", "1", "--set", "max_new_tokens=12"])
        #expect(fresh.status == 0 && fresh.output.contains("greedy_accuracy"), "\(fresh.output)")

        let exported = url.appendingPathComponent("exported")
        let export = try await CommandRun.run(binary, ["export", url.path, "--out", exported.path], includeStandardError: true)
        #expect(export.status == 0, "\(export.output)")
        #expect(HuggingFaceExport.storedDType(of: exported) == .bf16)
        let directory = try ModelDirectory(url: exported)
        #expect(directory.config == (try ModelDirectory(url: Self.model("qwen2.5")).config))
        #expect(try directory.loadTokenizer().chatTemplate != nil)
    }
}

@Suite struct TrainingMemoryTests {
    @Test func aModelTooLargeForTheMachineIsRefusedBeforeTraining() throws {
        // Qwen2.5-0.5B's shape: 494 M parameters, 16 bytes each for weights, gradients and Adam.
        let qwen = ModelConfig(architecture: .qwen2, vocabSize: 151_936, hiddenSize: 896, intermediateSize: 4864, numLayers: 24,
                               numHeads: 14, numKVHeads: 2, tieWordEmbeddings: true)
        let memory = TrainingMemory(config: qwen, klCoefficient: 0)
        #expect(memory.parameters == 494_032_768 && memory.parameterStateBytes == 16 * 494_032_768)
        #expect(TrainingMemory(config: qwen, klCoefficient: 0.04).parameterStateBytes == 20 * 494_032_768)
        try memory.check(available: 16 << 30)
        // Activations: ~3.3 MB a token for this shape, so a 24 GiB machine trains it a few thousand tokens at a time.
        #expect(memory.activationBytesPerToken == 4 * 24 * (8 * 896 + 3 * 4864) + 8 * 151_936)
        let pieces = memory.microBatchTokens(requested: 0, available: 20 << 30)
        #expect(pieces > 1000 && pieces < 4000, "\(pieces)")
        #expect(memory.microBatchTokens(requested: 512, available: 20 << 30) == 512)
        #expect(memory.microBatchTokens(requested: 0, available: 8 << 30) == 256)
        #expect(TrainingMemory(config: .builtinTiny, klCoefficient: 0).microBatchTokens(requested: 0, available: 4 << 30) == 32_768)
        do {
            try memory.check(available: 4 << 30)
            Issue.record("a 7.4 GiB parameter state passed on 4 GiB")
        } catch {
            #expect("\(error)".contains("494032768 parameters") && "\(error)".contains("4.0 GiB available"))
        }
    }
}
