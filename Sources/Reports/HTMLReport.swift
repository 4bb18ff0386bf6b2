import Foundation

/// `report.html`: one self-contained page (inline CSS and SVG, no scripts, nothing fetched) for one run or
/// several overlaid — the runs at a glance, every curve, sampled completions with their rewards and verdicts,
/// and the effective configuration.
public enum HTMLReport {
    /// Reads the run directories and writes the page to `output`. Runs are labelled by directory name
    /// (with parent folders added where two names clash).
    public static func write(runDirectories: [URL], to output: URL, generated: Date = Date()) throws {
        let labels = runLabels(runDirectories)
        let runs = zip(runDirectories, labels).map { RunRecord.load($0, name: $1) }
        let page = html(runs: runs, generated: generated)
        try Data(page.utf8).write(to: output, options: .atomic)
    }

    /// The report of one run, written into its directory as `report.html` (what `run` and `train` call).
    @discardableResult
    public static func write(runDirectory: URL) throws -> URL {
        let output = runDirectory.appendingPathComponent("report.html")
        try write(runDirectories: [runDirectory], to: output)
        return output
    }

    /// Names that tell the runs apart: each directory's last component, with parents prefixed while two clash.
    public static func runLabels(_ directories: [URL]) -> [String] {
        let components = directories.map { $0.standardizedFileURL.pathComponents.filter { $0 != "/" } }
        var depth = Array(repeating: 1, count: directories.count)
        func label(_ i: Int) -> String { components[i].suffix(depth[i]).joined(separator: "/") }
        for _ in 0..<8 {
            let labels = directories.indices.map(label)
            var clashed = false
            for i in directories.indices where labels.filter({ $0 == labels[i] }).count > 1 && depth[i] < components[i].count {
                depth[i] += 1
                clashed = true
            }
            if !clashed { break }
        }
        var labels = directories.indices.map(label)
        // Same directory twice: number the copies.
        for i in labels.indices where labels[..<i].contains(labels[i]) { labels[i] += " (\(i + 1))" }
        return labels.map { $0.isEmpty ? "run" : $0 }
    }

    public static func html(runs: [RunRecord], generated: Date = Date()) -> String {
        let sections = ReportCharts.sections(for: runs)
        let title = runs.count == 1 ? "\(runs[0].name) — grpo-lambda run report" : "\(runs.count) runs — grpo-lambda report"
        var h = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="grpo-lambda report">
            <title>\(Format.html(title))</title>
            <style>\(css)</style></head><body>
            <header><div class="brand">grpo-lambda</div><h1>\(runs.count == 1 ? "Run report" : "Runs compared")</h1>
            <div class="runs">\(runs.enumerated().map { chip($0.offset, $0.element.name) }.joined())</div>
            <div class="generated">generated \(Format.html(timestamp(generated)))</div></header>
            <main>
            """
        h += runsTable(runs)
        for section in sections {
            h += "<section><h2>\(Format.html(section.title))</h2><div class=\"grid\">"
            for chart in section.charts { h += card(chart, runs: runs.count) }
            h += "</div></section>"
        }
        h += samplesSection(runs)
        h += configurationSection(runs)
        h += "</main><footer>Made by <code>grpo-lambda report</code> from config.json, metrics.jsonl, log.jsonl and "
            + "summary.json. Smoothed curves are exponential moving averages drawn over the raw values (faint).</footer>"
        h += "</body></html>\n"
        return h
    }

    // MARK: Parts

    static func chip(_ i: Int, _ name: String) -> String {
        "<span class=\"chip\"><i style=\"background:\(SVGChart.palette[i % SVGChart.palette.count])\"></i>\(Format.html(name))</span>"
    }

    static func timestamp(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return f.string(from: date)
    }

    static func card(_ chart: Chart, runs: Int) -> String {
        var legend = ""
        for line in chart.lines {
            let (color, dash) = SVGChart.style(of: line, in: chart, runs: runs)
            let name = runs > 1 ? "\(line.runName) · \(line.label)" : line.label
            let last = line.points.last.map { chart.format.value($0.y) } ?? ""
            legend += "<span class=\"key\"><svg width=\"20\" height=\"8\" aria-hidden=\"true\"><line x1=\"1\" y1=\"4\" x2=\"19\" "
                + "y2=\"4\" stroke=\"\(color)\" stroke-width=\"2.5\"\(dash.isEmpty ? "" : " stroke-dasharray=\"\(dash == "2 3" ? "2 2" : "4 3")\"")/>"
                + "</svg>\(Format.html(name)) <b>\(Format.html(last))</b></span>"
        }
        return "<figure class=\"card\" id=\"chart-\(Format.html(chart.id))\"><figcaption><h3>\(Format.html(chart.title))</h3>"
            + "<p>\(Format.html(chart.note))</p></figcaption>\(SVGChart.svg(chart, runs: runs))"
            + "<div class=\"legend\">\(legend)</div></figure>"
    }

    static func runsTable(_ runs: [RunRecord]) -> String {
        var rows = ""
        for (i, run) in runs.enumerated() {
            let steps = run.effectiveSteps
            let done = steps.last?.step ?? 0
            let target = run.targetSteps.map { "/\($0)" } ?? ""
            let finished = run.finished
            let status = finished ? "<span class=\"ok\">finished</span>" : (steps.isEmpty ? "starting" : "running")
            let first = run.evaluations.first, last = run.evaluations.count > 1 ? run.evaluations.last : nil
            func change(_ a: Double?, _ b: Double?) -> String {
                guard let a else { return "–" }
                guard let b else { return ValueFormat.percent.value(a) }
                let delta = (b - a) * 100
                let sign = delta > 0.05 ? "up" : delta < -0.05 ? "down" : "flat"
                return "\(ValueFormat.percent.value(a)) → <b>\(ValueFormat.percent.value(b))</b> "
                    + "<span class=\"\(sign)\">\(delta >= 0 ? "+" : "−")\(Format.fixed(abs(delta), decimals: 1))</span>"
            }
            let recent = steps.suffix(10).compactMap { $0["reward_mean"] }
            let reward = recent.isEmpty ? "–" : Format.fixed(recent.reduce(0, +) / Double(recent.count), decimals: 3)
            let k = run.evaluations.compactMap(\.k).last
            let meanAtK = k.map { "<br><small>mean@\($0) " + change(first?.meanAtK, last?.meanAtK) + "</small>" } ?? ""
            let seconds = run.summary?["seconds"]?.double.map(Format.seconds) ?? "–"
            var fleet = "colocated"
            if let f = run.summary?["fleet"], let w = f["workers"]?.double, let g = f["groups_per_second"]?.double {
                fleet = "\(Int(w)) workers · \(Format.fixed(g, decimals: 2)) groups/s"
                if let restarts = f["restarts"]?.double, restarts > 0 { fleet += " · \(Int(restarts)) restarts" }
            } else if run.hasFleet {
                let workers = run.fleetSummaries.last?.workers ?? Set(run.delivered.map(\.workerID)).count
                fleet = "\(workers) workers"
            }
            let problems = first?.problems.map { " <small>(\($0) problems)</small>" } ?? ""
            rows += "<tr><td>\(chip(i, run.name))</td><td>\(Format.html(run.method ?? "–"))</td><td>\(done)\(target)</td>"
                + "<td>\(change(first?.greedyAccuracy, last?.greedyAccuracy))\(problems)\(meanAtK)</td><td>\(reward)</td>"
                + "<td>\(Format.html(fleet))</td><td>\(seconds)</td><td>\(status)</td></tr>"
        }
        return "<section><table class=\"runs-table\"><thead><tr><th>run</th><th>method</th><th>steps</th>"
            + "<th>held-out accuracy (greedy)</th><th>reward, last 10 steps</th><th>rollouts</th><th>wall time</th>"
            + "<th>status</th></tr></thead><tbody>\(rows)</tbody></table></section>"
    }

    static func samplesSection(_ runs: [RunRecord]) -> String {
        guard runs.contains(where: { !$0.samples.isEmpty }) else { return "" }
        let perRun = runs.count == 1 ? 4 : 2
        var h = "<section><h2>Sample completions</h2><p class=\"hint\">The newest sampled groups the run logged "
            + "(every <code>sample_log_every</code> steps): the prompt, the gold answer, and a few completions with "
            + "their reward and the verifier's verdict.</p><div class=\"samples\">"
        for (i, run) in runs.enumerated() {
            for s in run.samples.suffix(perRun).reversed() {
                h += "<article class=\"sample\"><header>\(runs.count > 1 ? chip(i, run.name) : "")<span class=\"step\">step "
                    + "\(s.step)</span><span class=\"gold\">gold <code>\(Format.html(s.gold))</code></span></header>"
                    + "<pre class=\"prompt\">\(Format.html(s.prompt))</pre><ol>"
                for c in s.completions {
                    let good = c.verdict == "correct" || (c.reward ?? 0) > 0
                    h += "<li><div class=\"badges\"><span class=\"reward \(good ? "good" : "bad")\">"
                        + "\(c.reward.map { Format.fixed($0, decimals: 2) } ?? "–")</span>"
                        + "<span class=\"verdict v-\(Format.html(c.verdict))\">\(Format.html(c.verdict.replacingOccurrences(of: "_", with: " ")))</span>"
                        + "</div><pre>\(Format.html(c.text))</pre></li>"
                }
                h += "</ol></article>"
            }
        }
        return h + "</div></section>"
    }

    static func configurationSection(_ runs: [RunRecord]) -> String {
        let keys = runs.reduce(into: [String]()) { keys, run in
            for (k, _) in run.configuration where !keys.contains(k) { keys.append(k) }
        }.sorted()
        guard !keys.isEmpty else { return "" }
        var h = "<section><h2>Configuration</h2>"
        if runs.count == 1 {
            h += "<p class=\"hint\">The effective configuration (config.json: every field, method defaults resolved).</p>"
                + "<dl class=\"config\">"
            for (k, v) in runs[0].configuration { h += "<div><dt>\(Format.html(k))</dt><dd>\(Format.html(v.display))</dd></div>" }
            return h + "</dl></section>"
        }
        h += "<p class=\"hint\">Each run's config.json; fields that differ between the runs are highlighted and listed first.</p>"
        let values = keys.map { k in runs.map { $0.config(k)?.display ?? "–" } }
        let order = keys.indices.sorted { a, b in
            let da = Set(values[a]).count > 1, db = Set(values[b]).count > 1
            return da != db ? da : keys[a] < keys[b]
        }
        h += "<table class=\"config-table\"><thead><tr><th>field</th>"
            + runs.enumerated().map { "<th>\(chip($0.offset, $0.element.name))</th>" }.joined() + "</tr></thead><tbody>"
        for i in order {
            let differs = Set(values[i]).count > 1
            h += "<tr\(differs ? " class=\"differs\"" : "")><td>\(Format.html(keys[i]))</td>"
                + values[i].map { "<td>\(Format.html($0))</td>" }.joined() + "</tr>"
        }
        return h + "</tbody></table></section>"
    }

    static let css = """
        :root{--bg:#f5f6f8;--card:#fff;--ink:#1f2430;--muted:#6b7280;--line:#e6e8ec}
        *{box-sizing:border-box}
        body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",sans-serif}
        header{background:#171b26;color:#fff;padding:18px 28px 16px;display:flex;flex-wrap:wrap;align-items:center;gap:8px 18px}
        header h1{font-size:20px;margin:0;font-weight:600}
        .brand{font:600 12px/1 ui-monospace,"DejaVu Sans Mono",monospace;letter-spacing:.08em;text-transform:uppercase;color:#9aa4b8;border:1px solid #3a4256;border-radius:4px;padding:5px 7px}
        header .runs{display:flex;flex-wrap:wrap;gap:8px;flex:1}
        header .chip{color:#fff;background:#262c3b}
        .generated{color:#9aa4b8;font-size:12px}
        main{padding:8px 28px 24px;max-width:1500px;margin:0 auto}
        h2{font-size:15px;font-weight:650;margin:22px 0 10px;color:#374151;text-transform:uppercase;letter-spacing:.06em}
        .chip{display:inline-flex;align-items:center;gap:6px;background:#eef0f4;border-radius:999px;padding:2px 10px 2px 7px;font-size:13px;white-space:nowrap}
        .chip i{width:10px;height:10px;border-radius:50%;display:inline-block}
        .grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(360px,1fr));gap:14px}
        .card{margin:0;background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px 10px;box-shadow:0 1px 2px rgba(16,24,40,.04)}
        .card h3{font-size:14px;margin:0;font-weight:600}
        .card figcaption p{margin:1px 0 4px;color:var(--muted);font-size:12px}
        svg.chart{width:100%;height:auto;display:block;font:11px system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
        svg.chart text{fill:#6b7280}
        svg.chart .grid{stroke:#eceef2;stroke-width:1}
        svg.chart .base{stroke:#c5cad3;stroke-width:1}
        svg.chart .label{fill:#9ca3af;font-size:10px}
        .legend{display:flex;flex-wrap:wrap;gap:2px 14px;font-size:12px;color:#4b5563;margin-top:2px}
        .legend .key{display:inline-flex;align-items:center;gap:5px}
        .legend b{font-weight:600;color:var(--ink);font-variant-numeric:tabular-nums}
        table{border-collapse:collapse;background:var(--card);border:1px solid var(--line);border-radius:10px;overflow:hidden;width:100%}
        th,td{text-align:left;padding:8px 12px;border-bottom:1px solid var(--line);vertical-align:top;font-variant-numeric:tabular-nums}
        th{font-size:12px;color:var(--muted);font-weight:600;background:#fafbfc}
        tr:last-child td{border-bottom:0}
        .runs-table{margin-top:16px}
        .up{color:#15803d;font-weight:600}.down{color:#b91c1c;font-weight:600}.flat{color:var(--muted)}
        .ok{color:#15803d;font-weight:600}
        small{color:var(--muted)}
        .hint{color:var(--muted);margin:-4px 0 10px;font-size:13px}
        code,pre{font-family:ui-monospace,"SFMono-Regular","DejaVu Sans Mono",Menlo,monospace;font-size:12.5px}
        .samples{display:grid;grid-template-columns:repeat(auto-fill,minmax(420px,1fr));gap:14px}
        .sample{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px}
        .sample header{background:none;color:var(--ink);padding:0;gap:10px;margin-bottom:6px}
        .sample .step{font-weight:600}
        .sample .gold{color:var(--muted)}.sample .gold code{color:var(--ink);background:#eef6ee;padding:1px 6px;border-radius:4px}
        .sample pre{white-space:pre-wrap;word-break:break-word;margin:0}
        .sample .prompt{background:#f3f4f6;border-radius:6px;padding:7px 9px;margin-bottom:6px}
        .sample ol{list-style:none;margin:0;padding:0}
        .sample li{display:flex;gap:10px;align-items:flex-start;padding:6px 0;border-top:1px dashed var(--line)}
        .badges{display:flex;flex-direction:column;gap:3px;min-width:108px}
        .reward{font:600 12px ui-monospace,"DejaVu Sans Mono",monospace;padding:1px 6px;border-radius:4px;text-align:center}
        .reward.good{background:#dcfce7;color:#166534}.reward.bad{background:#fee2e2;color:#991b1b}
        .verdict{font-size:11px;color:var(--muted);text-align:center}
        .verdict.v-correct{color:#166534}
        .config{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:0 18px;background:var(--card);border:1px solid var(--line);border-radius:10px;padding:8px 14px;margin:0}
        .config div{display:flex;justify-content:space-between;gap:12px;border-bottom:1px solid #f0f1f4;padding:4px 0}
        .config dt{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:12.5px;color:#374151}
        .config dd{margin:0;font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:12.5px;font-weight:600;text-align:right}
        .config-table td:first-child{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:12.5px}
        .config-table tr.differs td{background:#fff8e1;font-weight:600}
        footer{color:var(--muted);font-size:12px;padding:0 28px 28px;max-width:1500px;margin:0 auto}
        """
}
