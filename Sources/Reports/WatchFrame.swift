import Foundation

/// One frame of `grpo-lambda watch`: a run's state as terminal text — progress, sparklines of the step metrics,
/// held-out accuracy, the fleet's workers and the weight versions they hold, the newest sampled completions.
public struct WatchFrame {
    public var width: Int
    /// ANSI colours (off when the output is not a terminal).
    public var color: Bool
    public var now: Date

    public init(width: Int = 100, color: Bool = false, now: Date = Date()) {
        self.width = max(60, min(width, 200))
        self.color = color
        self.now = now
    }

    /// The frame's text, lines separated by "\n" (no screen control; the caller clears and redraws).
    public func render(_ run: RunRecord) -> String {
        var out: [String] = []
        let steps = run.effectiveSteps
        let done = steps.last?.step ?? 0
        let target = run.targetSteps

        // Title and progress.
        var title = bold("grpo-lambda watch") + dim(" · ") + bold(run.name)
        if let m = run.method { title += dim(" · ") + m }
        if let age = updatedAgo(run) { title += dim(" · updated \(age)") }
        out.append(title)
        let state = run.finished ? paint("finished", 32) : steps.isEmpty ? paint("warming up", 33) : paint("running", 36)
        if let target, target > 0 {
            let barWidth = max(10, min(40, width - 44))
            let filled = Int((Double(min(done, target)) / Double(target) * Double(barWidth)).rounded())
            let bar = paint(String(repeating: "█", count: filled), 36) + dim(String(repeating: "░", count: barWidth - filled))
            out.append("step \(bold("\(done)"))/\(target)  \(bar) \(pad(String(format: "%3.0f%%", 100 * Double(done) / Double(target)), 4))"
                + "  \(state)" + (steps.last?["version"].map { dim("  version ") + "\(Int($0))" } ?? ""))
        } else {
            out.append("step \(bold("\(done)"))  \(state)")
        }
        out.append(dim(String(repeating: "─", count: width)))

        // Step metrics.
        let metrics: [(String, String, Int, (Double) -> String)] = [
            ("reward", "reward_mean", 32, { String(format: "%.3f", $0) }),
            ("accuracy", "accuracy", 32, { String(format: "%.1f%%", 100 * $0) }),
            ("loss", "loss", 35, { Format.significant($0) }),
            ("approx KL", "approx_kl", 35, { Format.significant($0) }),
            ("clip frac", "clip_fraction", 35, { String(format: "%.3f", $0) }),
            ("entropy", "entropy", 35, { Format.significant($0) }),
            ("length", "response_length_mean", 34, { String(format: "%.1f", $0) }),
            ("tokens/s", "tokens_per_s", 34, { String(format: "%.0f", $0) }),
            ("staleness", "staleness_mean", 34, { String(format: "%.2f", $0) }),
            ("λ", "lambda", 35, { Format.significant($0) }),
        ]
        let sparkWidth = max(10, width - 40)
        for (label, key, hue, format) in metrics {
            let values = run.stepSeries(key).map(\.y)
            guard let last = values.last else { continue }
            let shown = Array(values.suffix(sparkWidth * 4))
            let range = "\(format(shown.min()!))…\(format(shown.max()!))"
            out.append(pad(label, 10) + pad(format(last), 9, right: true) + "  "
                       + paint(Self.sparkline(shown, width: sparkWidth), hue) + "  " + dim(range))
        }
        if steps.isEmpty { out.append(dim("no learner steps yet (metrics.jsonl)")) }

        // Held-out evaluations.
        if !run.evaluations.isEmpty {
            let evals = run.evaluations.suffix(6).map { e -> String in
                var s = "\(e.greedyAccuracy.map { String(format: "%.1f%%", 100 * $0) } ?? "-")"
                if let m = e.meanAtK, let k = e.k { s += dim(" mean@\(k) ") + String(format: "%.1f%%", 100 * m) }
                return s + dim(" @\(e.step)")
            }
            out.append(pad("held-out", 10) + evals.joined(separator: dim("  →  ")) + dim("  (greedy)"))
        }

        // The fleet.
        if run.hasFleet {
            out.append(dim(String(repeating: "─", count: width)))
            if let f = run.fleetSummaries.last {
                var parts = ["\(f.workers) workers"]
                if let g = f.groupsPerSecond { parts.append(String(format: "%.2f groups/s", g)) }
                if let t = f.tokensPerSecond { parts.append(String(format: "%.0f tokens/s", t)) }
                if let s = f.stalenessMean { parts.append(String(format: "staleness %.2f", s)) }
                if let l = f.leasesInFlight { parts.append("in flight \(l)") }
                if let c = f.promptsConsumed { parts.append("consumed \(c)") }
                out.append(pad("fleet", 10) + parts.joined(separator: dim(" · ")))
                let rates = run.fleetSummaries.compactMap(\.groupsPerSecond)
                if rates.count > 1 {
                    out.append(pad("groups/s", 10) + pad("", 9) + "  " + paint(Self.sparkline(Array(rates.suffix(sparkWidth)), width: sparkWidth), 34))
                }
            }
            let latest = run.published.last?.version ?? run.fleetSummaries.last?.latestVersion
            for worker in workers(run) {
                var line = "  " + pad(worker.id, 12)
                line += worker.version.map { "v\($0)" }.map { pad($0, 7) } ?? pad("-", 7)
                if let latest, let v = worker.version, worker.state == "active" {
                    line += latest - v <= 1 ? paint("● current", 32) : paint("● \(latest - v) versions behind", 33)
                } else if worker.state != "active" {
                    line += paint("○ \(worker.state)", 31)
                }
                if let d = worker.lastDelivery {
                    line += dim(String(format: "  last weights %@ in %.2f s", ValueFormat.bytes.value(d.bytes), d.seconds))
                }
                out.append(line)
            }
            if let p = run.published.last {
                let size = p.deltaBytes > 0 ? p.deltaBytes : p.fullBytes
                let kind = p.deltaBytes > 0 ? "delta" : "full"
                var line = pad("weights", 10) + "v\(p.version) published, \(kind) \(ValueFormat.bytes.value(size))"
                if p.rawFloat32Bytes > 0 { line += dim(String(format: " (%.1f%% of float32)", 100 * size / p.rawFloat32Bytes)) }
                out.append(line)
            }
            for event in run.membership.suffix(3) where event.event != "worker_joined" {
                out.append(pad("event", 10) + paint(event.event.replacingOccurrences(of: "_", with: " "), 33) + " "
                           + event.workerID + dim(" " + (event.timestamp.map(Self.clock) ?? "")))
            }
        }

        // The newest sample.
        if let s = run.samples.last {
            out.append(dim(String(repeating: "─", count: width)))
            out.append(pad("sample", 10) + dim("step ") + "\(s.step)" + dim("  gold ") + bold(clip(s.gold, 20)) + dim("  prompt ")
                       + clip(s.prompt, width - 40 - min(s.gold.count, 20)))
            for c in s.completions.prefix(4) {
                let good = c.verdict == "correct" || (c.reward ?? 0) > 0
                let mark = good ? paint("✓", 32) : paint("✗", 31)
                let reward = c.reward.map { String(format: "%.2f", $0) } ?? "  - "
                out.append("  \(mark) \(reward)  " + dim(pad(c.verdict.replacingOccurrences(of: "_", with: " "), 16))
                           + clip(c.text, width - 28))
            }
        }
        if run.finished, let summary = run.summary, let final = summary["final_accuracy"]?.double {
            out.append(dim(String(repeating: "─", count: width)))
            out.append(paint("finished", 32) + ": final greedy accuracy " + bold(String(format: "%.1f%%", 100 * final))
                       + (summary["seconds"]?.double.map { dim(" after " + Format.seconds($0)) } ?? "")
                       + dim("  · grpo-lambda report \(run.directory.path)"))
        }
        return out.map(fit).joined(separator: "\n")
    }

    /// A line cut to `width` visible characters (escape sequences pass through uncounted).
    private func fit(_ line: String) -> String {
        var visible = 0, inEscape = false
        for ch in line {
            if inEscape { inEscape = ch != "m" } else if ch == "\u{1B}" { inEscape = true } else { visible += 1 }
        }
        guard visible > width else { return line }
        var kept = 0, result = ""
        inEscape = false
        for ch in line {
            if inEscape { inEscape = ch != "m" } else if ch == "\u{1B}" { inEscape = true } else {
                if kept == width - 1 { break }
                kept += 1
            }
            result.append(ch)
        }
        return result + "…" + (color ? "\u{1B}[0m" : "")
    }

    /// Values as a line of block characters (▁…█), scaled between their min and max; averaged into `width`
    /// columns when there are more values than that.
    public static func sparkline(_ values: [Double], width: Int) -> String {
        let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        let finite = values.filter(\.isFinite)
        guard !finite.isEmpty, width > 0 else { return "" }
        var columns = finite
        if finite.count > width {
            columns = (0..<width).map { i in
                let a = i * finite.count / width, b = max(a + 1, (i + 1) * finite.count / width)
                return finite[a..<b].reduce(0, +) / Double(b - a)
            }
        }
        let lo = columns.min()!, hi = columns.max()!
        return String(columns.map { v in
            hi > lo ? blocks[min(7, Int((v - lo) / (hi - lo) * 7.999))] : blocks[3]
        })
    }

    struct Worker {
        var id: String
        var version: Int?
        var state: String
        var lastDelivery: RunRecord.Delivered?
    }

    /// Workers and the weight version each holds: the newest fleet summary, moved on by later deliveries;
    /// their state from the newest membership event.
    func workers(_ run: RunRecord) -> [Worker] {
        var byID: [String: Worker] = [:]
        for (id, v) in run.fleetSummaries.last?.heldVersions ?? [:] {
            byID[id] = Worker(id: id, version: v >= 0 ? v : nil, state: "active")
        }
        for d in run.delivered {
            var w = byID[d.workerID] ?? Worker(id: d.workerID, version: nil, state: "active")
            w.version = max(w.version ?? -1, d.version)
            w.lastDelivery = d
            byID[d.workerID] = w
        }
        for m in run.membership where m.workerID.hasPrefix("worker") || byID[m.workerID] != nil {
            var w = byID[m.workerID] ?? Worker(id: m.workerID, version: nil, state: "active")
            switch m.event {
            case "worker_left": w.state = "left"
            case "worker_timed_out": w.state = "timed out"
            case "process_died": w.state = "died, restarting"
            default: w.state = "active"
            }
            byID[m.workerID] = w
        }
        return byID.values.sorted { $0.id.localizedStandardCompare($1.id) == .orderedAscending }
    }

    private func updatedAgo(_ run: RunRecord) -> String? {
        let files = ["metrics.jsonl", "log.jsonl"].map { run.directory.appendingPathComponent($0).path }
        let dates = files.compactMap { (try? FileManager.default.attributesOfItem(atPath: $0))?[.modificationDate] as? Date }
        guard let newest = dates.max() else { return nil }
        let s = max(0, now.timeIntervalSince(newest))
        if s < 90 { return "\(Int(s)) s ago" }
        if s < 5400 { return "\(Int(s / 60)) min ago" }
        return "\(Int(s / 3600)) h ago"
    }

    static func clock(_ timestamp: String) -> String {
        // 2026-11-28T09:20:19.743Z → 09:20:19
        guard let t = timestamp.firstIndex(of: "T") else { return timestamp }
        return String(timestamp[timestamp.index(after: t)...].prefix(8))
    }

    // MARK: Text

    private func paint(_ s: String, _ code: Int) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
    private func bold(_ s: String) -> String { color ? "\u{1B}[1m\(s)\u{1B}[0m" : s }
    private func dim(_ s: String) -> String { color ? "\u{1B}[2m\(s)\u{1B}[0m" : s }

    private func pad(_ s: String, _ n: Int, right: Bool = false) -> String {
        let count = s.count
        guard count < n else { return s + " " }
        let fill = String(repeating: " ", count: n - count)
        return right ? fill + s : s + fill
    }

    /// One line of at most `n` characters: newlines shown as ⏎, the rest cut with an ellipsis.
    private func clip(_ s: String, _ n: Int) -> String {
        let flat = s.replacingOccurrences(of: "\n", with: "⏎").replacingOccurrences(of: "\t", with: " ")
            .unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(String.init).joined()
        let limit = max(8, n)
        return flat.count <= limit ? flat : String(flat.prefix(limit - 1)) + "…"
    }
}
