import Foundation
import Learner
import Logging
import Policy
import Testing
@testable import Runs

/// `grpo-lambda train`'s own path, end to end on a small configuration: warm start, evaluations, RL steps,
/// checkpoints, summary; resuming to more steps; refusing a contradicting configuration; the no-update control.
@Suite(.serialized) struct ColocatedRunTests {
    static var small: [String: Any] { [
        "warm_start_steps": 4, "warm_start_batch_size": 4, "steps": 2, "groups_per_step": 2, "group_size": 4,
        "held_out_problems": 6, "max_new_tokens": 24, "eval_every": 0, "checkpoint_every": 1, "threads": 1,
        "sample_log_every": 1, "level": 2,
    ] }

    static func configuration(_ extra: [String: Any] = [:]) throws -> RunConfiguration {
        try RunConfiguration.load(overrides: small.merging(extra) { $1 })
    }

    static func run(_ configuration: RunConfiguration, in url: URL) async throws -> RunSummary {
        let directory = try RunDirectory.prepare(url, configuration: configuration)
        return try await ColocatedRun(configuration: configuration, directory: directory, logger: Logger(label: "run-test")).run()
    }

    static func lines(_ url: URL, event: String) throws -> [[String: Any]] {
        try String(contentsOf: url.appendingPathComponent("metrics.jsonl"), encoding: .utf8).split(separator: "\n")
            .compactMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            .filter { $0["event"] as? String == event }
    }

    @Test func trainsResumesToMoreStepsAndRefusesAContradictingConfiguration() async throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("grpo-run-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: url) }
        // Two optimisation passes per batch, so the step lines carry a diagnostic per pass.
        let first = try await Self.run(try Self.configuration(["probe_problems": 3, "probe_samples": 2, "epochs": 2]), in: url)
        #expect(first.steps == 2 && first.method == "grpo_lambda")
        #expect(first.evaluations.map(\.step) == [0, 2] && first.warmStartAccuracy == first.evaluations[0].greedyAccuracy)
        #expect(FileManager.default.fileExists(atPath: url.appendingPathComponent("warm_start/model.safetensors").path))
        #expect(FileManager.default.fileExists(atPath: url.appendingPathComponent("summary.json").path))
        let report = try String(contentsOf: url.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(report.contains("data-series=\"reward_mean\"") && report.contains("finished"))

        // Every step line carries the per-epoch diagnostics and the probe.
        for line in try Self.lines(url, event: "step") {
            // On the first pass the policy is the sampler: KL 0 up to float rounding, ratio 1.
            #expect((line["clip_fraction_by_epoch"] as? [Double])?.count == 2)
            #expect(abs((line["approx_kl_by_epoch"] as? [Double])?.first ?? 1) < 1e-6)
            #expect(abs(((line["ratio_by_epoch"] as? [Double])?.first ?? 0) - 1) < 1e-4)
            #expect(line["probe_mean_at_k"] is Double && line["probe_k"] as? Double == 2)
        }

        // The same directory with more steps resumes: steps 1 and 2 are not taken again.
        let resumed = try await Self.run(try Self.configuration(["steps": 3, "epochs": 2]), in: url)
        #expect(resumed.steps == 3 && resumed.evaluations.map(\.step) == [0, 2, 3])
        #expect(resumed.warmStartAccuracy == first.warmStartAccuracy)
        #expect(try Self.lines(url, event: "step").map { $0["step"] as? Double } == [1, 2, 3])
        #expect(try Self.lines(url, event: "warm_start").count == 1)
        let store = CheckpointStore(directory: url.appendingPathComponent("checkpoints"))
        let state = try store.verify(try #require(store.checkpoints().first))
        #expect(state.step == 3 && state.weightVersion == 3 && state.dataCursor == 6 && state.maxStaleness == 1)
        #expect(state.usedPrompts.count == 6)

        // Another method on the same directory is refused before it trains anything.
        do {
            _ = try await Self.run(try Self.configuration(["steps": 4, "epochs": 2, "method": "dapo"]), in: url)
            Issue.record("a run directory trained with grpo_lambda accepted dapo")
        } catch let LearnerError.checkpointMismatch(_, reason) {
            #expect(reason.contains("method"))
        }
    }

    /// The no-signal control that needs no statistics: learning rate 0 must not move a single weight, so every
    /// held-out figure stays exactly where the warm start put it.
    @Test func learningRateZeroLeavesTheHeldOutFiguresUnchanged() async throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("grpo-run-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: url) }
        let summary = try await Self.run(try Self.configuration(["learning_rate": 0, "eval_every": 1, "eval_samples": 2]),
                                         in: url)
        #expect(summary.evaluations.count == 3)
        #expect(Set(summary.evaluations.map(\.greedyAccuracy)).count == 1)
        #expect(Set(summary.evaluations.map(\.meanAtK)).count == 1 && summary.finalMeanAtK != nil)
        let warm = ParameterStore(layout: ParameterLayout(config: .builtinTiny))
        try warm.load(from: SafetensorsArchive(url: url.appendingPathComponent("warm_start/model.safetensors")))
        let final = ParameterStore(layout: ParameterLayout(config: .builtinTiny))
        let store = CheckpointStore(directory: url.appendingPathComponent("checkpoints"))
        try final.load(from: SafetensorsArchive(url: try #require(store.checkpoints().first).appendingPathComponent("model.safetensors")))
        #expect(warm.withUnsafeBufferPointer { Array($0) } == final.withUnsafeBufferPointer { Array($0) })
    }

    /// An equal budget in samples: the run stops after the step at which `sample_budget` completions were drawn,
    /// before `steps`, and says how many it drew; the last evaluation is at that step.
    @Test func aSampleBudgetEndsTheRunBeforeItsSteps() async throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("grpo-run-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: url) }
        // 2 groups × 4 completions per step: a budget of 12 is crossed during step 2.
        let summary = try await Self.run(try Self.configuration(["steps": 5, "sample_budget": 12, "method": "gspo"]), in: url)
        #expect(summary.steps == 2 && summary.method == "gspo")
        #expect(summary.completionsSampled == 16)
        #expect(summary.evaluations.map(\.step) == [0, 2])
    }
}
