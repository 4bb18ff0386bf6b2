import Foundation
import Reports
import TestSupport
import Testing

/// The report and the watch view read real run directories: a colocated `train` run and a fleet `run`
/// (Fixtures/, trimmed from real runs), plus files still being written and lines that are not JSON.
@Suite struct ReportTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let colocated = fixtures.appendingPathComponent("colocated-run")
    static let fleet = fixtures.appendingPathComponent("fleet-run")

    /// Series names the page draws, as `data-chart` → `data-series` pairs.
    static func series(in html: String) -> Set<String> {
        var found = Set<String>()
        var chart = ""
        for piece in html.components(separatedBy: "<") {
            if piece.hasPrefix("svg "), let id = Self.attribute("data-chart", in: piece) { chart = id }
            if let s = Self.attribute("data-series", in: piece) { found.insert("\(chart)/\(s)") }
        }
        return found
    }

    static func attribute(_ name: String, in tag: String) -> String? {
        guard let r = tag.range(of: "\(name)=\"") else { return nil }
        return String(tag[r.upperBound...].prefix { $0 != "\"" })
    }

    @Test func aColocatedRunIsReadWhole() throws {
        let run = RunRecord.load(Self.colocated)
        #expect(run.steps.count == 60)
        #expect(run.steps.map(\.step) == Array(1...60))
        #expect(run.finished)
        #expect(run.method == "grpo_lambda")
        #expect(run.targetSteps == 60)
        #expect(run.evaluations.map(\.step) == [0, 20, 40, 60])
        #expect(run.evaluations.allSatisfy { $0.k == 8 && $0.meanAtK != nil && $0.greedyAccuracy != nil })
        #expect(!run.samples.isEmpty)
        #expect(run.samples.allSatisfy { !$0.completions.isEmpty && !$0.gold.isEmpty })
        #expect(run.warmStart.count == 3)
        #expect(run.stepSeries("reward_mean").count == 60)
        #expect(!run.hasFleet)
    }

    @Test func theReportIsSelfContainedAndDrawsEveryCurve() throws {
        let html = HTMLReport.html(runs: [RunRecord.load(Self.colocated)])
        #expect(!html.contains("<script"))
        #expect(!html.contains("src=\"http") && !html.contains("href=\"http") && !html.contains("url(http"))
        let drawn = Self.series(in: html)
        for expected in ["reward/reward_mean", "held_out_accuracy/greedy_accuracy", "held_out_accuracy/mean_at_k",
                         "loss/loss", "kl/approx_kl", "clip_fraction/clip_fraction", "entropy/entropy",
                         "response_length/response_length_mean", "tokens_per_s/tokens_per_s", "grad_norm/grad_norm",
                         "staleness/staleness_mean", "warm_start_loss/warm_start_loss"] {
            #expect(drawn.contains(expected), "missing \(expected); drawn: \(drawn.sorted())")
        }
        // The effective configuration and sample completions with their verdicts.
        #expect(html.contains("train_reward"))
        #expect(html.contains("class=\"verdict v-correct\""))
        // A polyline's points lie inside the chart's view box.
        let points = html.components(separatedBy: "points=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
        #expect(!points.isEmpty)
        for list in points {
            for pair in list.split(separator: " ") {
                let xy = pair.split(separator: ",").compactMap { Double($0) }
                #expect(xy.count == 2 && (0...440).contains(xy[0]) && (0...236).contains(xy[1]), "point \(pair)")
            }
        }
    }

    @Test func aFleetRunShowsItsWorkersAndWeightSync() throws {
        let run = RunRecord.load(Self.fleet)
        #expect(run.hasFleet)
        #expect(!run.published.isEmpty && !run.delivered.isEmpty && !run.fleetSummaries.isEmpty)
        let html = HTMLReport.html(runs: [run])
        let drawn = Self.series(in: html)
        for expected in ["weight_bytes/delta_bytes", "groups_per_s/groups_per_s", "staleness/staleness_mean"] {
            #expect(drawn.contains(expected), "missing \(expected); drawn: \(drawn.sorted())")
        }
        #expect(drawn.contains { $0.hasPrefix("weight_seconds/delivery_seconds:worker-") })
        let frame = WatchFrame(width: 100).render(run)
        #expect(frame.contains("worker-1") && frame.contains("worker-2"))
        #expect(frame.contains("groups/s"))
    }

    @Test func severalRunsAreOverlaidOnePolylinePerRun() throws {
        let directories = [Self.colocated, Self.fleet]
        let labels = HTMLReport.runLabels(directories)
        #expect(labels == ["colocated-run", "fleet-run"])
        let html = HTMLReport.html(runs: zip(directories, labels).map { RunRecord.load($0, name: $1) })
        for label in labels {
            #expect(html.contains("data-run=\"\(label)\" data-series=\"reward_mean\""))
            #expect(html.contains("data-run=\"\(label)\" data-series=\"greedy_accuracy\""))
        }
        // Two directories with one name are told apart by their parents.
        let clash = HTMLReport.runLabels([URL(fileURLWithPath: "/a/x/run"), URL(fileURLWithPath: "/a/y/run")])
        #expect(clash == ["x/run", "y/run"])
    }

    @Test func aFollowerReadsOnlyWholeLinesAndSkipsGarbage() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("report-follow-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let metrics = directory.appendingPathComponent("metrics.jsonl")
        try Data().write(to: metrics)
        let handle = try FileHandle(forWritingTo: metrics)
        defer { try? handle.close() }
        var follower = RunFollower(directory: directory)
        let nothingYet = follower.refresh()
        #expect(!nothingYet)
        try handle.write(contentsOf: Data("{\"event\":\"step\",\"step\":1,\"reward_mean\":0.25}\nnot json at all\n{\"event\":\"step\",\"st".utf8))
        let first = follower.refresh()
        #expect(first)
        #expect(follower.record.steps.map(\.step) == [1])
        try handle.write(contentsOf: Data("ep\":2,\"reward_mean\":0.5,\"seconds\":{\"loss\":0.1}}\n{\"event\":\"step\"}\n\u{0}\u{FF}\n".utf8))
        let second = follower.refresh()
        #expect(second)
        #expect(follower.record.steps.map(\.step) == [1, 2])
        #expect(follower.record.steps[1]["seconds.loss"] == 0.1)
        #expect(!follower.record.finished)
        // The page of a run with no files at all still renders.
        let empty = HTMLReport.html(runs: [RunRecord.load(directory.appendingPathComponent("missing"))])
        #expect(empty.contains("</html>"))
    }

    @Test func theWatchFrameShowsProgressSparklinesAndTheNewestSample() throws {
        let run = RunRecord.load(Self.colocated)
        let frame = WatchFrame(width: 100, color: false).render(run)
        #expect(frame.contains("step 60/60"))
        #expect(frame.contains("finished"))
        #expect(frame.contains("reward"))
        #expect(frame.contains("held-out"))
        #expect(frame.contains { "▁▂▃▄▅▆▇█".contains($0) })
        #expect(frame.contains("sample"))
        #expect(!frame.contains("\u{1B}["), "no escape codes without colour")
        #expect(frame.split(separator: "\n").allSatisfy { $0.count <= 110 })
        #expect(WatchFrame.sparkline([0, 1, 2, 3, 4, 5, 6, 7], width: 8) == "▁▂▃▄▅▆▇█")
        #expect(WatchFrame.sparkline(Array(repeating: 1, count: 100), width: 10).count == 10)
    }

    /// The page as a person sees it: headless Chromium (Debian's chromium, installed by scripts/setup.sh)
    /// renders report.html to a PNG, which must be neither blank nor one flat colour.
    @Test func chromiumRendersTheReport() async throws {
        let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let chromium else {
            Issue.record("chromium is not installed: run scripts/setup.sh (apt-get install chromium)")
            return
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("report-shot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let page = directory.appendingPathComponent("report.html")
        try HTMLReport.write(runDirectories: [Self.colocated], to: page)
        let png = directory.appendingPathComponent("report.png")
        let render = try await Self.run(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                                             "--user-data-dir=\(directory.appendingPathComponent("profile").path)",
                                             "--window-size=1000,1400", "--screenshot=\(png.path)", page.absoluteString])
        #expect(FileManager.default.fileExists(atPath: png.path), "chromium wrote no screenshot: \(render)")
        let stats = try await Self.run("/usr/bin/env", ["python3", Self.fixtures.appendingPathComponent("png_stats.py").path, png.path])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(stats.utf8)) as? [String: Any], "\(stats)")
        #expect(object["width"] as? Int == 1000)
        let drawn = try #require(object["non_background"] as? Double)
        let colours = try #require(object["colours"] as? Int)
        #expect(drawn > 0.03, "the screenshot is nearly blank (\(drawn) of pixels differ from the background)")
        #expect(colours > 20, "the screenshot has only \(colours) colours")
    }

    static func run(_ executable: String, _ arguments: [String]) async throws -> String {
        try await CommandRun.run(URL(fileURLWithPath: executable), arguments).output
    }
}
