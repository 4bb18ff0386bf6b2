import Foundation
import Reports

/// The results directory of an experiment: small files only (no checkpoints), meant to be committed.
///
///     runs.csv / runs.json     one row per run (arm, seed, figures at the budget, curve)
///     arms.csv / arms.json     one row per arm: mean ± 95% CI over seeds, paired difference against the baseline
///     results.md               the arms table and the plots, for docs
///     *.svg                    learning curves: the mean over seeds with its 95% band
public struct ExperimentReport: Sendable {
    public var runs: [RunResult]
    public var arms: [ArmSummary]
    public var baseline: String?
    public var target: ExperimentConfiguration.Target?

    /// Reads every finished run of the plan (unfinished ones are left out and listed in results.md).
    public init(configuration: ExperimentConfiguration, runner: ExperimentRunner) throws {
        var runs: [RunResult] = []
        for job in runner.plan().runs where ExperimentRunner.runDone(job) {
            runs.append(try RunResult.load(job.directory, arm: job.arm, seed: job.seed,
                                           target: configuration.target))
        }
        self.init(runs: runs, armOrder: configuration.arms.map(\.name), baseline: configuration.baseline,
                  target: configuration.target)
    }

    public init(runs: [RunResult], armOrder: [String], baseline: String?, target: ExperimentConfiguration.Target?) {
        self.runs = runs
        self.baseline = baseline
        self.target = target
        let baselineRuns = baseline.map { b in runs.filter { $0.arm == b } }
        arms = armOrder.compactMap { name in
            let mine = runs.filter { $0.arm == name }
            return mine.isEmpty ? nil : ArmSummary(arm: name, runs: mine, baseline: baselineRuns, baselineName: baseline)
        }
    }

    /// Writes every file; returns their names.
    @discardableResult
    public func write(to directory: URL, title: String, notes: [String] = []) throws -> [String] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        var files: [String: Data] = [
            "runs.json": try encoder.encode(runs), "arms.json": try encoder.encode(arms),
            "runs.csv": Data(runsCSV().utf8), "arms.csv": Data(armsCSV().utf8),
        ]
        let plots = charts()
        for (name, chart, count) in plots { files[name] = Data(SVGChart.document(chart, runs: count).utf8) }
        files["results.md"] = Data(markdown(title: title, plots: plots.map(\.0), notes: notes).utf8)
        for (name, data) in files { try data.write(to: directory.appendingPathComponent(name), options: .atomic) }
        return files.keys.sorted()
    }

    // MARK: - Tables

    static func csvNumber(_ v: Double?) -> String { v.map { $0.isFinite ? String(format: "%.6g", $0) : "" } ?? "" }

    func runsCSV() -> String {
        var s = "arm,seed,method,steps,completions_sampled,warm_start_greedy,warm_start_mean_at_k,final_greedy,final_mean_at_k,"
            + "final_pass_at_k,steps_to_target,samples_to_target,response_length,clip_fraction,approx_kl,staleness,final_lambda,minutes\n"
        for r in runs {
            let n = Self.csvNumber
            s += [r.arm, "\(r.seed)", r.method, "\(r.steps)", "\(r.completionsSampled)", n(r.warmStartGreedy), n(r.warmStartMeanAtK),
                  n(r.finalGreedy), n(r.finalMeanAtK), n(r.finalPassAtK), r.stepsToTarget.map(String.init) ?? "",
                  r.samplesToTarget.map(String.init) ?? "", n(r.responseLength), n(r.clipFraction), n(r.approxKL),
                  n(r.staleness), n(r.finalLambda), n(r.minutes)].joined(separator: ",") + "\n"
        }
        return s
    }

    func armsCSV() -> String {
        var s = "arm,method,seeds,final_greedy,final_greedy_ci,final_mean_at_k,final_mean_at_k_ci,final_pass_at_k,gain_greedy,"
            + "gain_greedy_ci,gain_mean_at_k,gain_mean_at_k_ci,vs_baseline_greedy,vs_baseline_greedy_ci,vs_baseline_mean_at_k,"
            + "vs_baseline_mean_at_k_ci,reached_target,samples_to_target,samples_to_target_ci,completions_sampled,"
            + "response_length,clip_fraction,approx_kl,staleness,final_lambda,minutes\n"
        for a in arms {
            let n = Self.csvNumber
            func pair(_ e: Estimate?) -> [String] { [n(e?.mean), n(e?.halfWidth)] }
            s += ([a.arm, a.method, "\(a.seeds.count)"] + pair(a.finalGreedy) + pair(a.finalMeanAtK) + [n(a.finalPassAtK?.mean)]
                  + pair(a.gainGreedy) + pair(a.gainMeanAtK) + pair(a.versusBaseline?.greedy) + pair(a.versusBaseline?.meanAtK)
                  + ["\(a.reachedTarget)"] + pair(a.samplesToTarget)
                  + [n(a.completionsSampled.mean), n(a.responseLength?.mean), n(a.clipFraction?.mean), n(a.approxKL?.mean),
                     n(a.staleness?.mean), n(a.finalLambda?.mean), n(a.minutes.mean)]).joined(separator: ",") + "\n"
        }
        return s
    }

    /// "62.3 ± 3.1" in percent (points for differences), "62.3" for one seed.
    static func percent(_ e: Estimate?, signed: Bool = false) -> String {
        guard let e, e.mean.isFinite else { return "—" }
        let mean = String(format: signed ? "%+.1f" : "%.1f", 100 * e.mean)
        return e.halfWidth.map { mean + String(format: " ± %.1f", 100 * $0) } ?? mean
    }

    func markdown(title: String, plots: [String], notes: [String]) -> String {
        var s = "# \(title)\n\n"
        for note in notes { s += note + "\n\n" }
        s += "Figures are held-out accuracy at the end of each run (the same sample budget for every arm), the mean over seeds "
            + "± the half-width of its 95% confidence interval (Student's t). Gains are over each seed's own warm start; "
            + (baseline.map { "Δ \($0) is the paired difference against the \($0) arm on the same seeds (same warm start). " } ?? "")
            + (target.map { "Samples to target: completions sampled before the first evaluation \($0.description), over the seeds that got there. " } ?? "")
            + "\n\n"
        s += "| arm | seeds | greedy | mean@k | pass@k | gain greedy | gain mean@k"
            + (baseline.map { " | Δ \($0) greedy | Δ \($0) mean@k" } ?? "")
            + " | samples to target | completions | response length | clip fraction | KL to sampler | staleness | minutes per run |\n"
        s += "|---|---|---|---|---|---|---" + (baseline == nil ? "" : "|---|---") + "|---|---|---|---|---|---|---|\n"
        for a in arms {
            let target = a.samplesToTarget.map { e in
                String(format: "%.1fk", e.mean / 1000) + (e.halfWidth.map { String(format: " ± %.1fk", $0 / 1000) } ?? "")
                    + " (\(a.reachedTarget)/\(a.seeds.count))"
            } ?? "— (0/\(a.seeds.count))"
            var row = [a.arm + (a.finalLambda.map { String(format: " (λ → %.3f)", $0.mean) } ?? ""), "\(a.seeds.count)",
                       Self.percent(a.finalGreedy), Self.percent(a.finalMeanAtK), Self.percent(a.finalPassAtK),
                       Self.percent(a.gainGreedy, signed: true), Self.percent(a.gainMeanAtK, signed: true)]
            if baseline != nil {
                let paired = a.versusBaseline
                row += a.arm == baseline ? ["(baseline)", "(baseline)"]
                    : [Self.percent(paired?.greedy, signed: true) + (paired?.greedy.excludesZero == true ? " *" : ""),
                       Self.percent(paired?.meanAtK, signed: true) + (paired?.meanAtK?.excludesZero == true ? " *" : "")]
            }
            row += [target, String(format: "%.0f", a.completionsSampled.mean),
                    a.responseLength.map { String(format: "%.1f", $0.mean) } ?? "—",
                    a.clipFraction.map { String(format: "%.4f", $0.mean) } ?? "—",
                    a.approxKL.map { String(format: "%.2g", $0.mean) } ?? "—",
                    a.staleness.map { String(format: "%.2f", $0.mean) } ?? "—", String(format: "%.1f", a.minutes.mean)]
            s += "| " + row.joined(separator: " | ") + " |\n"
        }
        if baseline != nil { s += "\n\\* the 95% interval of the paired difference excludes 0.\n" }
        s += "\n"
        for plot in plots { s += "![\(plot)](\(plot))\n" }
        return s
    }

    // MARK: - Plots

    /// Mean and 95% band over the arm's seeds, position by position (seeds of one arm share their evaluation steps,
    /// except DAPO's, whose samples per step vary: its x is the mean over seeds).
    static func meanCurve(_ series: [[(x: Double, y: Double)]]) -> (points: [(x: Double, y: Double)], band: [(x: Double, low: Double, high: Double)]) {
        let length = series.map(\.count).min() ?? 0
        var points: [(x: Double, y: Double)] = [], band: [(x: Double, low: Double, high: Double)] = []
        for i in 0..<length {
            let x = series.map { $0[i].x }.reduce(0, +) / Double(series.count)
            let e = Estimate(series.map { $0[i].y })
            points.append((x, e.mean))
            if e.halfWidth != nil { band.append((x, e.low, e.high)) }
        }
        return (points, band)
    }

    func charts() -> [(String, Chart, Int)] {
        // The bands are drawn for the arms with the most seeds; arms with fewer (a sweep point, a control) go in a
        // chart of their own as means, where a 2-seed interval (t = 12.7) would not hide the others.
        let most = arms.map(\.seeds.count).max() ?? 0
        let multiSeed = arms.filter { $0.seeds.count == most && most >= 2 }
        let fewerSeeds = arms.filter { $0.seeds.count < most || most < 2 }
        func curves(_ arms: [ArmSummary], bands: Bool = true, _ value: (RunResult) -> [(x: Double, y: Double)]) -> [Chart.Line] {
            arms.enumerated().compactMap { i, arm in
                let series = runs.filter { $0.arm == arm.arm }.map(value)
                guard series.allSatisfy({ !$0.isEmpty }) else { return nil }
                let (points, band) = Self.meanCurve(series)
                return Chart.Line(run: i, runName: arm.arm, series: "mean", label: "", points: points,
                                  markers: points.count <= 12, band: bands ? band : [])
            }
        }
        /// Accuracy minus the seed's own warm start: seeds start 20 points apart, their gains much closer.
        func gain(_ key: KeyPath<RunResult.Point, Double?>) -> (RunResult) -> [(x: Double, y: Double)] {
            { r in
                guard let start = r.curve.first?[keyPath: key] else { return [] }
                return r.curve.compactMap { p in p[keyPath: key].map { (Double(p.samples) / 1000, $0 - start) } }
            }
        }
        func byStep(_ values: [Double]) -> [(x: Double, y: Double)] { values.enumerated().map { (Double($0.offset + 1), $0.element) } }
        var out: [(String, Chart, Int)] = []
        func add(_ name: String, _ chart: Chart, _ lines: [Chart.Line]) {
            guard !lines.isEmpty else { return }
            var c = chart
            c.lines = lines
            out.append((name, c, lines.count))
        }
        let band = "mean over seeds, 95% band"
        let gainNote = "accuracy minus the seed's warm start; " + band
        add("held_out_greedy.svg", Chart(id: "greedy", title: "Held-out greedy accuracy gained", note: gainNote,
                                         xLabel: "completions sampled (thousands)", format: .percent, includeZero: true),
            curves(multiSeed, gain(\.greedyAccuracyValue)))
        add("held_out_mean_at_k.svg", Chart(id: "mean_at_k", title: "Held-out mean@k gained (k samples at the training temperature)",
                                            note: gainNote, xLabel: "completions sampled (thousands)", format: .percent,
                                            includeZero: true),
            curves(multiSeed, gain(\.meanAtK)))
        add("response_length.svg", Chart(id: "response_length", title: "Mean response length (tokens)", note: band),
            curves(multiSeed, { byStep($0.responseLengthByStep) }))
        add("lambda.svg", Chart(id: "lambda", title: "λ-GRPO's learned length preference λ", note: band),
            curves(arms.filter { a in runs.contains { $0.arm == a.arm && !$0.lambdaByStep.isEmpty } }) { byStep($0.lambdaByStep) })
        add("fewer_seeds_greedy.svg", Chart(id: "fewer_seeds", title: "Arms with fewer seeds: held-out greedy accuracy gained",
                                            note: "mean over each arm's seeds (the sweep: one), no band",
                                            xLabel: "completions sampled (thousands)", format: .percent, includeZero: true),
            curves(fewerSeeds, bands: false, gain(\.greedyAccuracyValue)))
        return out
    }
}
