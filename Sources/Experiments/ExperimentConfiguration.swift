import Foundation
import Runs
import Yams

/// What `grpo-lambda experiment --config FILE` runs: arms (a name and the run fields that make it, e.g. a method),
/// each over the same seeds so differences are paired, with a shared warm start per seed.
///
///     runs_dir: runs/methods            # run directories (checkpoints: large, not for git)
///     results_dir: results/methods      # small files: per-run and per-arm CSV/JSON, plots, results.md
///     seeds: [1, 2, 3, 4, 5]
///     parallel: 2                       # runs side by side ...
///     threads_per_run: 1                # ... on this many engine threads each
///     baseline: grpo                    # paired differences are taken against this arm
///     target_gain: 0.05                 # "samples to reach": the first evaluation 5 points above the seed's
///                                       # warm start (or target_accuracy: 0.55, an absolute greedy accuracy)
///     set: {steps: 100}                 # fields every run gets (warm starts too)
///     arms:
///       - {name: grpo, set: {method: grpo}}
///       - {name: grpo_lambda, set: {method: grpo_lambda}}
///       - {name: sweep-early-0.9, seeds: [1], set: {trace_style: early, trace_lambda: 0.9}}
///       - {name: fleet-stale-2, command: run, set: {max_staleness: 2}}   # the fleet (`run`), not `train`
///
/// Relative paths are taken from the directory the command runs in. Every arm's configuration is built and
/// validated when the file is read, so a typo fails before the first run starts.
public struct ExperimentConfiguration: Sendable, Equatable {
    /// One run field and its value as JSON text (what `--set field=value` passes on).
    public struct Setting: Sendable, Equatable {
        public var field: String
        public var json: String
    }

    public struct Arm: Sendable, Equatable {
        public var name: String
        public var settings: [Setting]
        /// The experiment's seeds unless the arm names its own (a one-seed sweep point).
        public var seeds: [UInt64]?
        /// How the arm's runs are made.
        public var command: Command = .train
    }

    /// `train`: one process, strictly on-policy, bit-reproducible. `run`: the fleet (coordinator, learner,
    /// verifier and `workers` workers as processes, asynchronous up to `max_staleness`); its services share the
    /// machine's cores, so a fleet run runs alone, whatever `parallel` says.
    public enum Command: String, Sendable, Equatable, CaseIterable {
        case train, run
    }

    public var runsDirectory: URL
    public var resultsDirectory: URL
    public var seeds: [UInt64]
    public var parallel: Int
    public var threadsPerRun: Int
    public var baseline: String?
    public var target: Target?
    /// What "samples to reach the target" measures to.
    public enum Target: Sendable, Equatable, Codable {
        /// Greedy held-out accuracy at or above this fraction.
        case accuracy(Double)
        /// Greedy held-out accuracy at least this much above the seed's own warm start (seeds start far apart).
        case gain(Double)

        public func threshold(warmStart: Double) -> Double {
            switch self {
            case let .accuracy(a): a
            case let .gain(g): warmStart + g
            }
        }

        public var description: String {
            switch self {
            case let .accuracy(a): String(format: "≥ %.0f%% greedy", 100 * a)
            case let .gain(g): String(format: "≥ %.0f points above the seed's warm start (greedy)", 100 * g)
            }
        }
    }

    /// Fields every run and every warm start gets.
    public var common: [Setting]
    public var arms: [Arm]

    /// Fields that change the warm start an arm would need: arms share their seed's warm start, so only the
    /// experiment-wide `set` may change them.
    static let warmStartFields: Set = ["level", "warm_start_steps", "warm_start_batch_size", "warm_start_learning_rate",
                                       "model_directory", "template", "seed", "threads"]

    /// The seeds an arm runs.
    public func seeds(of arm: Arm) -> [UInt64] { arm.seeds ?? seeds }

    /// The run configuration of one arm at one seed (validated).
    public func runConfiguration(_ arm: Arm, seed: UInt64) throws -> RunConfiguration {
        var overrides: [String: Any] = ["seed": seed, "threads": threadsPerRun]
        for s in common + arm.settings { overrides[s.field] = try Self.value(s.json) }
        return try RunConfiguration.load(overrides: overrides)
    }

    static func value(_ json: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])
    }

    public static func load(_ file: URL, base: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) throws -> ExperimentConfiguration {
        let data: Data
        do { data = try Data(contentsOf: file) } catch {
            throw ExperimentError.configuration("cannot read \(file.path): \(error.localizedDescription)")
        }
        let loaded: Any?
        do { loaded = try Yams.load(yaml: String(decoding: data, as: UTF8.self)) } catch {
            throw ExperimentError.configuration("\(file.path) is not valid YAML or JSON: \(error)")
        }
        guard let object = loaded as? [String: Any] else {
            throw ExperimentError.configuration("\(file.path) is not a mapping of fields")
        }
        return try parse(object, base: base, source: file.path)
    }

    static func parse(_ object: [String: Any], base: URL, source: String) throws -> ExperimentConfiguration {
        func fail(_ why: String) -> ExperimentError { .configuration("\(source): \(why)") }
        let known: Set = ["runs_dir", "results_dir", "seeds", "parallel", "threads_per_run", "baseline", "target_accuracy",
                          "target_gain", "set", "arms"]
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw fail("unknown field \"\(unknown)\" (fields: \(known.sorted().joined(separator: ", ")))")
        }
        func path(_ key: String) throws -> URL {
            guard let text = object[key] as? String, !text.isEmpty else { throw fail("\(key) must name a directory") }
            return text.hasPrefix("/") ? URL(fileURLWithPath: text) : base.appendingPathComponent(text)
        }
        func integer(_ value: Any?, _ key: String, default fallback: Int) throws -> Int {
            guard let value else { return fallback }
            guard let n = value as? Int ?? (value as? String).flatMap({ Int($0) }) else { throw fail("\(key) must be an integer") }
            return n
        }
        func seedList(_ value: Any?, _ key: String) throws -> [UInt64] {
            guard let list = value as? [Any], !list.isEmpty else { throw fail("\(key) must be a non-empty list of seeds") }
            let seeds = try list.map { item -> UInt64 in
                guard let n = item as? Int, n >= 0 else { throw fail("\(key): \(item) is not a seed (an integer ≥ 0)") }
                return UInt64(n)
            }
            guard Set(seeds).count == seeds.count else { throw fail("\(key) lists a seed twice") }
            return seeds
        }
        func settings(_ value: Any?, _ key: String) throws -> [Setting] {
            guard let value else { return [] }
            guard let map = value as? [String: Any] else { throw fail("\(key) must be a mapping of run fields") }
            let fields = Set(RunConfiguration.fieldNames)
            return try map.keys.sorted().map { field in
                guard fields.contains(field) else { throw fail("\(key): unknown run field \"\(field)\"") }
                var v = map[field]!
                // YAML 1.1 reads 3e-5 as a string; a number-looking string is taken as the number.
                if let text = v as? String, let number = Double(text) { v = number }
                if v is NSNull { v = NSNull() }
                let json = try JSONSerialization.data(withJSONObject: v, options: [.fragmentsAllowed, .sortedKeys])
                return Setting(field: field, json: String(decoding: json, as: UTF8.self))
            }
        }

        let seeds = try seedList(object["seeds"], "seeds")
        let parallel = try integer(object["parallel"], "parallel", default: 1)
        let threads = try integer(object["threads_per_run"], "threads_per_run", default: 1)
        guard parallel >= 1, threads >= 1 else { throw fail("parallel and threads_per_run must be ≥ 1") }
        let common = try settings(object["set"], "set")
        if let bad = common.first(where: { ["seed", "threads"].contains($0.field) }) {
            throw fail("set: \(bad.field) is the experiment's to choose (seeds, threads_per_run)")
        }
        guard let armList = object["arms"] as? [Any], !armList.isEmpty else { throw fail("arms must be a non-empty list") }
        var arms: [Arm] = []
        for (i, item) in armList.enumerated() {
            guard let map = item as? [String: Any] else { throw fail("arms[\(i)] must be a mapping with name and set") }
            if let unknown = map.keys.sorted().first(where: { !["name", "set", "seeds", "command"].contains($0) }) {
                throw fail("arms[\(i)]: unknown field \"\(unknown)\" (name, set, seeds, command)")
            }
            var command = Command.train
            if let value = map["command"] {
                guard let text = value as? String, let c = Command(rawValue: text) else {
                    throw fail("arms[\(i)].command must be train or run (the fleet), not \(value)")
                }
                command = c
            }
            guard let name = map["name"] as? String, !name.isEmpty,
                  name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
                throw fail("arms[\(i)] needs a name of letters, digits, - _ and . (it names its directory)")
            }
            guard !arms.contains(where: { $0.name == name }) else { throw fail("two arms are named \(name)") }
            let armSettings = try settings(map["set"], "arms[\(i)].set")
            if let shared = armSettings.first(where: { warmStartFields.contains($0.field) }) {
                throw fail("arm \(name) sets \(shared.field), which the seed's shared warm start depends on; set it for the whole experiment")
            }
            arms.append(Arm(name: name, settings: armSettings,
                            seeds: map["seeds"] == nil ? nil : try seedList(map["seeds"], "arms[\(i)].seeds"),
                            command: command))
        }
        let baseline = object["baseline"] as? String
        if let baseline, !arms.contains(where: { $0.name == baseline }) { throw fail("baseline \(baseline) is not an arm") }
        func fraction(_ key: String) throws -> Double? {
            guard let t = object[key] else { return nil }
            guard let v = (t as? Double) ?? (t as? Int).map(Double.init), (0...1).contains(v) else {
                throw fail("\(key) must be a fraction in [0, 1]")
            }
            return v
        }
        let accuracy = try fraction("target_accuracy"), gain = try fraction("target_gain")
        if accuracy != nil && gain != nil { throw fail("set target_accuracy or target_gain, not both") }
        let target: Target? = accuracy.map(Target.accuracy) ?? gain.map(Target.gain)
        let configuration = ExperimentConfiguration(
            runsDirectory: try path("runs_dir"), resultsDirectory: try path("results_dir"), seeds: seeds, parallel: parallel,
            threadsPerRun: threads, baseline: baseline, target: target, common: common, arms: arms)
        for arm in arms {
            do { _ = try configuration.runConfiguration(arm, seed: configuration.seeds(of: arm)[0]) } catch {
                throw fail("arm \(arm.name): \(error)")
            }
        }
        return configuration
    }
}

public enum ExperimentError: Error, Sendable, Equatable, CustomStringConvertible {
    case configuration(String)
    /// A run directory holds a run of another configuration (a renamed arm, an edited file).
    case mismatchedRun(String)
    case runsFailed([String])

    public var description: String {
        switch self {
        case let .configuration(why): "experiment configuration: \(why)"
        case let .mismatchedRun(why): "experiment run directory: \(why)"
        case let .runsFailed(runs): "\(runs.count) run(s) failed: \(runs.joined(separator: ", ")) (their .err files say why; run the experiment again to retry them)"
        }
    }
}
