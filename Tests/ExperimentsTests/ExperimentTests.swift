import Foundation
import Reports
import Testing
import TestSupport
@testable import Experiments

@Suite struct EstimateTests {
    @Test func meanAndStudentInterval() {
        let e = Estimate([1, 2, 3])
        #expect(e.mean == 2 && e.count == 3)
        // s = 1, t(0.975, 2) = 4.303: half-width 4.303 / √3.
        #expect(abs(e.halfWidth! - 4.303 / 3.0.squareRoot()) < 1e-9)
        #expect(!e.excludesZero && Estimate([2, 3, 4]).excludesZero)
        #expect(!Estimate([-1, 1]).excludesZero)
        #expect(Estimate([0.5]).halfWidth == nil && !Estimate([0.5]).excludesZero)
        #expect(Estimate.tQuantile975(degreesOfFreedom: 4) == 2.776 && Estimate.tQuantile975(degreesOfFreedom: 1000) == 1.96)
    }
}

@Suite struct ExperimentConfigurationTests {
    static func parse(_ yaml: String) throws -> ExperimentConfiguration {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("experiment-\(UUID().uuidString).yaml")
        try yaml.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        return try ExperimentConfiguration.load(url, base: URL(fileURLWithPath: "/base"))
    }

    @Test func armsSeedsAndSettings() throws {
        let c = try Self.parse("""
            runs_dir: runs/x
            results_dir: /abs/results
            seeds: [1, 2]
            parallel: 2
            baseline: grpo
            target_accuracy: 0.5
            set: {steps: 40, learning_rate: 3e-5}
            arms:
              - {name: grpo, set: {method: grpo}}
              - {name: sweep-early-0.9, seeds: [1], set: {trace_style: early, trace_lambda: 0.9}}
              - {name: stale-2, command: run, seeds: [2], set: {max_staleness: 2}}
            """)
        #expect(c.runsDirectory.path == "/base/runs/x" && c.resultsDirectory.path == "/abs/results")
        #expect(c.seeds == [1, 2] && c.parallel == 2 && c.threadsPerRun == 1 && c.baseline == "grpo" && c.target == .accuracy(0.5))
        #expect(c.seeds(of: c.arms[1]) == [1] && c.seeds(of: c.arms[0]) == [1, 2])
        let run = try c.runConfiguration(c.arms[1], seed: 1)
        #expect(run.steps == 40 && abs(run.learningRate - 3e-5) < 1e-10 && run.traceStyle == .early && run.traceLambda == 0.9 && run.threads == 1)

        let runner = ExperimentRunner(configuration: c, executable: URL(fileURLWithPath: "/bin/true"), logger: .init(label: "t"))
        let (warm, runs) = runner.plan()
        #expect(warm.map(\.seed) == [1, 2] && runs.map { "\($0.arm)/\($0.seed)" } == ["grpo/1", "grpo/2", "sweep-early-0.9/1", "stale-2/2"])
        #expect(runs[2].arguments.contains("trace_style=\"early\"") && runs[2].arguments.contains("steps=40"))
        // A fleet arm runs `run`, alone; the others `train`.
        #expect(runs.map { $0.arguments[0] } == ["train", "train", "train", "run"] && runs.map(\.exclusive) == [false, false, false, true])
        #expect(runs[3].arguments.contains("max_staleness=2"))
        #expect(runs[2].directory.path == "/base/runs/x/sweep-early-0.9/seed-1")
    }

    @Test func mistakesAreNamedBeforeAnythingRuns() throws {
        let base = "runs_dir: r\nresults_dir: s\nseeds: [1]\n"
        let cases: [(String, String)] = [
            (base + "arms: [{name: a, set: {method: nope}}]", "arm a"),
            (base + "arms: [{name: a, set: {stpes: 3}}]", "unknown run field \"stpes\""),
            (base + "arms: [{name: a, set: {level: 2}}]", "shared warm start"),
            (base + "baseline: b\narms: [{name: a}]", "baseline b"),
            (base + "arms: [{name: a}, {name: a}]", "two arms"),
            (base + "arms: [{name: 'a/b'}]", "name"),
            (base + "armz: []\narms: [{name: a}]", "unknown field \"armz\""),
            ("runs_dir: r\nresults_dir: s\nseeds: [1, 1]\narms: [{name: a}]", "twice"),
            (base + "set: {seed: 3}\narms: [{name: a}]", "seed"),
            (base + "target_gain: 0.1\ntarget_accuracy: 0.5\narms: [{name: a}]", "not both"),
            (base + "arms: [{name: a, command: fleet}]", "train or run"),
        ]
        for (yaml, expected) in cases {
            do {
                _ = try Self.parse(yaml)
                Issue.record("accepted: \(yaml)")
            } catch let error as ExperimentError {
                #expect("\(error)".contains(expected), "\(error)")
            }
        }
    }
}

@Suite struct RunResultTests {
    /// A resumed fleet learner counts its groups from 0 again: the completions of the run add both processes'.
    @Test func completionsSurviveALearnerRestart() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("grpo-result-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try #"{"group_size": 4, "groups_per_step": 2, "method": "grpo_lambda"}"#
            .write(to: directory.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        try #"{"steps": 4, "warm_start_accuracy": 0.5, "final_accuracy": 0.6, "method": "grpo_lambda", "fleet": {"workers": 2}}"#
            .write(to: directory.appendingPathComponent("summary.json"), atomically: true, encoding: .utf8)
        // Steps 1–2 by the first learner (2 then 5 groups: a stale one refused), 3–4 by the resumed one.
        let lines = [(0, 0), (1, 2), (2, 5), (3, 2), (4, 4)].map { step, received in
            step == 0 ? #"{"event":"eval","step":0,"greedy_accuracy":0.5}"#  // compact, as the services write them
                : #"{"event":"step","step":\#(step),"groups_received":\#(received)}"#
        }
        try (lines.joined(separator: "\n") + "\n").write(to: directory.appendingPathComponent("metrics.jsonl"), atomically: true, encoding: .utf8)
        let result = try RunResult.load(directory, arm: "fleet", seed: 1, target: nil)
        #expect(result.completionsSampled == (5 + 4) * 4)
    }
}

/// The command end to end with real processes: two arms × two seeds of tiny runs, side by side; the results
/// directory; a second invocation that repeats nothing; an edited file that no longer matches a finished run.
@Suite struct ExperimentCommandTests {
    @Test func runsResumesSummarizesAndRefusesAMismatch() async throws {
        let binary = try BuiltProduct.path("grpo-lambda")
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("grpo-experiment-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let small = "{warm_start_steps: 4, warm_start_batch_size: 4, steps: 2, groups_per_step: 2, group_size: 4, "
            + "held_out_problems: 6, max_new_tokens: 16, eval_every: 1, eval_samples: 2, level: 2, report_every: 0}"
        func write(_ grpoLambdaSet: String) throws -> URL {
            let file = root.appendingPathComponent("study.yaml")
            try """
                runs_dir: \(root.path)/runs
                results_dir: \(root.path)/results
                seeds: [1, 2]
                parallel: 2
                baseline: grpo
                target_gain: 0.0
                set: \(small)
                arms:
                  - {name: grpo, set: {method: grpo}}
                  - {name: grpo_lambda, set: \(grpoLambdaSet)}
                  - {name: fleet, command: run, seeds: [1], set: {method: grpo_lambda, checkpoint_every: 1, workers: 1}}
                """.write(to: file, atomically: true, encoding: .utf8)
            return file
        }
        let file = try write("{method: grpo_lambda, trace_lambda: 0.9}")
        let first = try await CommandRun.run(binary, ["experiment", "--config", file.path, "--log-format", "json"], includeStandardError: true)
        #expect(first.status == 0, "\(first.output)")
        #expect(first.output.contains("| grpo_lambda | 2 |"))

        let results = root.appendingPathComponent("results")
        let runsCSV = try String(contentsOf: results.appendingPathComponent("runs.csv"), encoding: .utf8)
        #expect(runsCSV.split(separator: "\n").count == 6)  // header + 2 arms × 2 seeds + the fleet's one
        let arms = try JSONSerialization.jsonObject(with: Data(contentsOf: results.appendingPathComponent("arms.json"))) as! [[String: Any]]
        #expect(arms.map { $0["arm"] as? String } == ["grpo", "grpo_lambda", "fleet"])

        // The fleet arm ran `run` (the fleet's summary), alone: no other run started while it ran. Its summary
        // holds the evaluation of the learner's step-1 checkpoint between the warm start's and the final one.
        let events = first.output.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }.filter { ($0["event"] as? String)?.hasPrefix("experiment_run_") == true }
        let fleetStart = try #require(events.firstIndex { $0["event"] as? String == "experiment_run_started" && $0["arm"] as? String == "fleet" })
        #expect(events[fleetStart + 1]["event"] as? String == "experiment_run_finished" && events[fleetStart + 1]["arm"] as? String == "fleet",
                "\(events.map { "\($0["event"]!) \($0["arm"]!)" })")
        let fleetSummary = try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("runs/fleet/seed-1/summary.json"))) as! [String: Any]
        #expect(fleetSummary["fleet"] != nil)
        let evaluated = (fleetSummary["evaluations"] as? [[String: Any]])?.compactMap { $0["step"] as? Int }
        #expect(evaluated == [0, 1, 2], "\(fleetSummary)")
        let paired = try #require(arms[1]["versus_baseline"] as? [String: Any])
        #expect(paired["seeds"] as? [Int] == [1, 2] && paired["baseline"] as? String == "grpo")
        #expect((arms[0]["reached_target"] as? Int) == 2)  // a gain of 0: the first evaluation reaches it
        let curve = try String(contentsOf: results.appendingPathComponent("held_out_greedy.svg"), encoding: .utf8)
        #expect(curve.contains("<polygon class=\"band\"") && curve.contains("data-run=\"grpo_lambda\""))
        // The warm start is shared: every run of a seed starts from the same weights.
        let runs = root.appendingPathComponent("runs")
        for seed in [1, 2] {
            let a = try Data(contentsOf: runs.appendingPathComponent("grpo/seed-\(seed)/warm_start/model.safetensors"))
            let b = try Data(contentsOf: runs.appendingPathComponent("grpo_lambda/seed-\(seed)/warm_start/model.safetensors"))
            #expect(a == b)
        }

        // Again: nothing pending, nothing rerun (the step lines are not written twice).
        let metrics = runs.appendingPathComponent("grpo/seed-1/metrics.jsonl")
        let before = try Data(contentsOf: metrics)
        let plan = try await CommandRun.run(binary, ["experiment", "--config", file.path, "--dry-run"])
        #expect(plan.status == 0 && !plan.output.contains("pending") && plan.output.contains("done    grpo seed 1"))
        let second = try await CommandRun.run(binary, ["experiment", "--config", file.path], includeStandardError: true)
        #expect(second.status == 0, "\(second.output)")
        #expect(try Data(contentsOf: metrics) == before)

        // A finished arm whose settings changed in the file is refused, naming the field.
        let edited = try write("{method: grpo_lambda, trace_lambda: 0.95}")
        let refused = try await CommandRun.run(binary, ["experiment", "--config", edited.path], includeStandardError: true)
        #expect(refused.status != 0 && refused.output.contains("trace_lambda"), "\(refused.output)")
    }
}
