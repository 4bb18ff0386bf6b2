import Foundation

/// One chart of the report: a metric (or a few related ones) against the learner step, for every run.
public struct Chart: Sendable {
    /// One polyline: one series of one run.
    public struct Line: Sendable {
        /// Index of the run among those reported (its colour when several are overlaid).
        public var run: Int
        public var runName: String
        /// The metric's key (`reward_mean`, `greedy_accuracy`, `delivery_seconds:worker-1`, ...).
        public var series: String
        public var label: String
        public var points: [(x: Double, y: Double)]
        /// Few points (evaluations): drawn with a marker at each.
        public var markers = false
        /// Noisy per-step values: drawn faint, with an exponential moving average over them.
        public var smooth = false
        /// An interval around the line (a confidence band over seeds), drawn as a translucent area.
        public var band: [(x: Double, low: Double, high: Double)] = []

        public init(run: Int, runName: String, series: String, label: String, points: [(x: Double, y: Double)],
                    markers: Bool = false, smooth: Bool = false, band: [(x: Double, low: Double, high: Double)] = []) {
            self.run = run
            self.runName = runName
            self.series = series
            self.label = label
            self.points = points
            self.markers = markers
            self.smooth = smooth
            self.band = band
        }
    }

    public var id: String
    public var title: String
    /// A line under the title: what the metric is or where it comes from.
    public var note: String
    public var xLabel = "step"
    public var format: ValueFormat = .plain
    /// The y axis reaches 0 (sizes, rates, fractions).
    public var includeZero = false
    public var lines: [Line] = []

    public init(id: String, title: String, note: String, xLabel: String = "step", format: ValueFormat = .plain,
                includeZero: Bool = false, lines: [Line] = []) {
        self.id = id
        self.title = title
        self.note = note
        self.xLabel = xLabel
        self.format = format
        self.includeZero = includeZero
        self.lines = lines
    }

    public var isEmpty: Bool { lines.allSatisfy { $0.points.isEmpty } }
    /// Series keys in first-seen order (their dash pattern when several runs are overlaid).
    public var seriesKeys: [String] {
        var seen: [String] = []
        for l in lines where !seen.contains(l.series) { seen.append(l.series) }
        return seen
    }
}

/// A group of charts under one heading.
public struct ChartSection: Sendable {
    public var title: String
    public var charts: [Chart]
}

/// The report's charts, built from the runs: which metrics, how they are labelled, where each comes from.
public enum ReportCharts {
    public static func sections(for runs: [RunRecord]) -> [ChartSection] {
        func chart(_ id: String, _ title: String, _ note: String, format: ValueFormat = .plain, includeZero: Bool = false,
                   xLabel: String = "step", _ lines: (Int, RunRecord) -> [Chart.Line]) -> Chart {
            Chart(id: id, title: title, note: note, xLabel: xLabel, format: format, includeZero: includeZero,
                  lines: runs.enumerated().flatMap { lines($0.offset, $0.element) })
        }
        func step(_ key: String, _ label: String, smooth: Bool = true) -> (Int, RunRecord) -> [Chart.Line] {
            { i, run in [Chart.Line(run: i, runName: run.name, series: key, label: label, points: run.stepSeries(key), smooth: smooth)] }
        }
        func steps(_ keys: [(String, String)], smooth: Bool = true) -> (Int, RunRecord) -> [Chart.Line] {
            { i, run in keys.map { Chart.Line(run: i, runName: run.name, series: $0.0, label: $0.1, points: run.stepSeries($0.0), smooth: smooth) } }
        }
        /// Series that are zero throughout (ref_kl without a KL penalty) are left out.
        func nonZero(_ make: @escaping (Int, RunRecord) -> [Chart.Line]) -> (Int, RunRecord) -> [Chart.Line] {
            { i, run in make(i, run).filter { $0.points.contains { $0.y != 0 } } }
        }

        var rewards = [
            chart("reward", "Reward", "mean reward of the step's completions", includeZero: true,
                  steps([("reward_mean", "reward mean")])),
            chart("held_out_accuracy", "Held-out accuracy", "greedy, and mean@k / pass@k when evaluations sample k",
                  format: .percent, includeZero: true) { i, run in heldOut(i, run) },
            chart("train_accuracy", "Training accuracy", "share of the step's completions graded right", format: .percent,
                  includeZero: true, step("accuracy", "accuracy")),
            chart("probe", "Probe accuracy", "per-step probe on the first held-out problems (probe_problems)",
                  format: .percent, includeZero: true,
                  steps([("probe_greedy_accuracy", "greedy"), ("probe_mean_at_k", "mean@k")], smooth: false)),
        ]
        let optimisation = [
            chart("loss", "Loss", "policy-gradient loss of the step", steps([("loss", "loss")])),
            chart("kl", "KL divergence", "approx. KL to the sampling policy, and to the reference when penalised",
                  includeZero: true, nonZero(steps([("approx_kl", "approx KL"), ("ref_kl", "ref KL")]))),
            chart("clip_fraction", "Clip fraction", "share of tokens whose importance ratio was clipped",
                  format: .percent, includeZero: true, step("clip_fraction", "clip fraction")),
            chart("entropy", "Entropy", "mean token entropy of the sampled completions", step("entropy", "entropy")),
            chart("grad_norm", "Gradient norm", "before clipping to max_gradient_norm", includeZero: true,
                  step("grad_norm", "grad norm")),
            chart("lambda", "λ-GRPO λ", "the learned length preference", step("lambda", "λ", smooth: false)),
            chart("warm_start_loss", "Warm-start loss", "supervised fine-tuning before RL", xLabel: "SFT step") { i, run in
                [Chart.Line(run: i, runName: run.name, series: "warm_start_loss", label: "SFT loss",
                            points: run.warmStart.map { (Double($0.step), $0.loss) }, markers: run.warmStart.count <= 30)]
            },
        ]
        let rollouts = [
            chart("response_length", "Response length", "tokens per completion", includeZero: true,
                  steps([("response_length_mean", "mean"), ("response_length_max", "max")])),
            chart("tokens_per_s", "Tokens / s", "learner: tokens trained per second; fleet: tokens sampled per second",
                  includeZero: true) { i, run in
                var lines = [Chart.Line(run: i, runName: run.name, series: "tokens_per_s", label: "learner",
                                        points: run.stepSeries("tokens_per_s"), smooth: true)]
                let fleet = run.fleetSummaries.compactMap { f in
                    // A summary after the workers stopped has no sampling to rate: not a point of the curve.
                    f.learnerStep.flatMap { s in f.tokensPerSecond.flatMap { $0 > 0 ? (Double(s), $0) : nil } }
                }
                if !fleet.isEmpty {
                    lines.append(Chart.Line(run: i, runName: run.name, series: "fleet_tokens_per_s", label: "fleet sampling",
                                            points: fleet, markers: fleet.count <= 30))
                }
                return lines
            },
            chart("uniform_groups", "Uniform groups", "share of groups whose completions all got the same reward",
                  format: .percent, includeZero: true, step("uniform_group_fraction", "uniform groups")),
        ]
        let fleet = [
            chart("staleness", "Staleness", "weight versions between sampling and training", includeZero: true,
                  steps([("staleness_mean", "mean"), ("staleness_max", "max")], smooth: false)),
            chart("groups_per_s", "Groups / s", "rollout groups the fleet delivered per second (fleet summaries)",
                  includeZero: true) { i, run in
                let points = run.fleetSummaries.compactMap { f in
                    f.learnerStep.flatMap { s in f.groupsPerSecond.map { (Double(s), $0) } }
                }
                return [Chart.Line(run: i, runName: run.name, series: "groups_per_s", label: "groups/s", points: points,
                                   markers: points.count <= 30)]
            },
            chart("weight_bytes", "Weight sync: bytes", "per published version: the bf16 delta and, when made, the full snapshot",
                  format: .bytes, includeZero: true, xLabel: "version") { i, run in
                [Chart.Line(run: i, runName: run.name, series: "delta_bytes", label: "delta",
                            points: run.published.filter { $0.deltaBytes > 0 }.map { (Double($0.version), $0.deltaBytes) }),
                 Chart.Line(run: i, runName: run.name, series: "full_bytes", label: "full snapshot",
                            points: run.published.filter { $0.fullBytes > 0 }.map { (Double($0.version), $0.fullBytes) },
                            markers: true)]
            },
            chart("weight_seconds", "Weight sync: seconds", "delivery to each worker (announce → verified), and encoding",
                  format: .seconds, includeZero: true, xLabel: "version") { i, run in
                let workers = Array(Set(run.delivered.map(\.workerID))).sorted()
                var lines = workers.map { w in
                    Chart.Line(run: i, runName: run.name, series: "delivery_seconds:\(w)", label: "\(w) delivery",
                               points: run.delivered.filter { $0.workerID == w }.map { (Double($0.version), $0.seconds) })
                }
                lines.append(Chart.Line(run: i, runName: run.name, series: "encode_seconds", label: "encode",
                                        points: run.published.map { (Double($0.version), $0.encodeSeconds) }))
                return lines.filter { !$0.points.isEmpty }
            },
            chart("wait_seconds", "Learner wait", "seconds the learner waited for groups before each step",
                  format: .seconds, includeZero: true, step("wait_seconds", "wait")),
        ]
        // With the `answer` reward, training accuracy is the reward: one chart is enough.
        let sameAsReward = runs.allSatisfy { run in
            zip(run.stepSeries("accuracy"), run.stepSeries("reward_mean")).allSatisfy { abs($0.y - $1.y) < 1e-9 }
        }
        if sameAsReward { rewards.removeAll { $0.id == "train_accuracy" } }
        return [
            ChartSection(title: "Reward and accuracy", charts: rewards),
            ChartSection(title: "Optimisation", charts: optimisation),
            ChartSection(title: "Rollouts", charts: rollouts),
            ChartSection(title: "Fleet", charts: fleet),
        ].map { ChartSection(title: $0.title, charts: $0.charts.filter { !$0.isEmpty }.map(Self.dropEmptyLines)) }
            .filter { !$0.charts.isEmpty }
    }

    private static func dropEmptyLines(_ c: Chart) -> Chart {
        var c = c
        c.lines.removeAll { $0.points.isEmpty }
        return c
    }

    private static func heldOut(_ i: Int, _ run: RunRecord) -> [Chart.Line] {
        let evals = run.evaluations
        func line(_ key: String, _ label: String, _ value: (RunRecord.Evaluation) -> Double?) -> Chart.Line {
            Chart.Line(run: i, runName: run.name, series: key, label: label,
                       points: evals.compactMap { e in value(e).map { (Double(e.step), $0) } }, markers: true)
        }
        let k = evals.compactMap(\.k).last.map(String.init) ?? "k"
        return [line("greedy_accuracy", "greedy", \.greedyAccuracy), line("mean_at_k", "mean@\(k)", \.meanAtK),
                line("pass_at_k", "pass@\(k)", \.passAtK)]
    }
}
