import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TestSupport
import Testing

/// Every service of a running fleet serves Prometheus metrics: a real HTTP client scrapes them mid-run and the
/// exposition format parses, with the counters, gauges and histograms the Grafana dashboard in deploy/ plots.
@Suite(.serialized) struct PrometheusExportTests {
    /// One scraped sample: `name{labels} value`.
    struct Sample: Sendable {
        let name: String
        let labels: [String: String]
        let value: Double
    }

    /// Parses the Prometheus text exposition format (comments and `# TYPE` lines skipped, labels read).
    static func parse(_ text: String) throws -> (samples: [Sample], types: [String: String]) {
        var samples: [Sample] = [], types: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.isEmpty {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                if parts.count == 4 { types[String(parts[2])] = String(parts[3]) }
                continue
            }
            if line.hasPrefix("#") { continue }
            let nameEnd = line.firstIndex { $0 == "{" || $0 == " " } ?? line.endIndex
            let name = String(line[..<nameEnd])
            var labels: [String: String] = [:]
            var rest = line[nameEnd...]
            if rest.first == "{", let close = rest.firstIndex(of: "}") {
                for pair in rest[rest.index(after: rest.startIndex)..<close].split(separator: ",") {
                    let kv = pair.split(separator: "=", maxSplits: 1)
                    guard kv.count == 2 else { throw BadLine(line: String(line)) }
                    labels[String(kv[0])] = String(kv[1]).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                }
                rest = rest[rest.index(after: close)...]
            }
            guard let value = Double(rest.trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "") else {
                throw BadLine(line: String(line))
            }
            samples.append(Sample(name: name, labels: labels, value: value))
        }
        return (samples, types)
    }

    struct BadLine: Error { let line: String }

    static func scrape(_ port: Int) async throws -> String {
        let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/metrics")!)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect((response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Content-Type")?.hasPrefix("text/plain") == true)
        return String(decoding: data, as: UTF8.self)
    }

    @Test func everyServiceOfARunningFleetServesItsMetrics() async throws {
        let base = Int.random(in: 30_000..<60_000)
        // Steps of this size take ~40 ms: 400 keep the fleet running while it is scraped.
        let fleet = try Fleet(extraArguments: ["--metrics-port", "\(base)", "--steps", "400"])
        #expect(await fleet.wait { fleet.step() >= 4 })
        var all: [Sample] = []
        var types: [String: String] = [:]
        // Scrape every service (coordinator, learner, verifier, worker-1, worker-2: the order `run` hands out
        // ports) until both workers have sampled groups, a weight delivery was timed and the coordinator has counted
        // four versions, or a minute passes.
        let deadline = ContinuousClock.now + .seconds(60)
        repeat {
            all = []
            types = [:]
            for (offset, service) in ["coordinator", "learner", "verifier", "worker-1", "worker-2"].enumerated() {
                let (samples, declared) = try Self.parse(try await Self.scrape(base + offset))
                #expect(!samples.isEmpty, "\(service) exported nothing")
                all += samples
                types.merge(declared) { $1 }
            }
            let sampled = ["worker-1", "worker-2"].allSatisfy { worker in
                all.contains { $0.name == "grpo_worker_groups_total" && $0.labels["worker"] == worker && $0.value > 0 }
            }
            // The coordinator counts a version when the learner's announcement reaches it, a moment after the
            // learner's step line: wait for it too rather than race it.
            let published = all.filter { $0.name == "grpo_weight_versions_published_total" }.map(\.value).max() ?? 0
            if sampled && types["grpo_weight_sync_seconds"] != nil && published >= 4 { break }
            try await Task.sleep(for: .milliseconds(500))
        } while ContinuousClock.now < deadline
        func total(_ name: String) -> Double { all.filter { $0.name == name }.map(\.value).reduce(0, +) }
        func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
            all.filter { sample in sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value } }.map(\.value).max()
        }
        #expect((value("grpo_learner_steps_total", ["method": "grpo_lambda"]) ?? 0) >= 4)
        #expect(types["grpo_learner_steps_total"] == "counter" && types["grpo_learner_reward_mean"] == "gauge")
        #expect(types["grpo_learner_step_seconds"] == "histogram" && value("grpo_learner_step_seconds_count") ?? 0 >= 4)
        #expect(total("grpo_coordinator_leases_issued_total") >= 8)
        #expect((value("grpo_coordinator_workers") ?? 0) == 2)
        #expect((value("grpo_weight_versions_published_total") ?? 0) >= 4)
        #expect(types["grpo_weight_sync_seconds"] == "histogram", "delivered events so far: \(fleet.events("weights_delivered").count)")
        #expect((value("grpo_worker_tokens_generated_total", ["worker": "worker-1"]) ?? 0) > 0)
        #expect((value("grpo_worker_groups_total", ["worker": "worker-2"]) ?? 0) > 0)
        #expect(all.contains { $0.name == "grpo_verifier_completions_graded_total" && $0.labels["reason"] != nil && $0.value > 0 })
        kill(fleet.process.processIdentifier, SIGINT)  // scraped: stop the run as Ctrl-C would
        #expect(await fleet.exitStatus() != nil)
        #expect(!fleet.anyServiceAlive(), "a service outlived the run")

        // The Grafana dashboard: a dashboard document whose every query names metrics the services export.
        let dashboard = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: PythonInterop.repositoryRoot
            .appendingPathComponent("deploy/grafana/grpo-lambda.json"))) as? [String: Any])
        #expect(dashboard["uid"] as? String == "grpo-lambda" && dashboard["schemaVersion"] is Int && dashboard["title"] is String)
        let panels = try #require(dashboard["panels"] as? [[String: Any]])
        #expect(panels.count >= 12)
        let exported = Set(all.map(\.name))
        for panel in panels {
            #expect(panel["id"] is Int && panel["title"] is String && panel["type"] as? String == "timeseries")
            let grid = panel["gridPos"] as? [String: Int] ?? [:]
            #expect(["x", "y", "w", "h"].allSatisfy { grid[$0] != nil }, "panel \(panel["title"] ?? "?") has no gridPos")
            let targets = try #require(panel["targets"] as? [[String: Any]])
            for target in targets {
                let expr = try #require(target["expr"] as? String)
                let names = expr.split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init).filter { $0.hasPrefix("grpo_") }
                #expect(!names.isEmpty, "query without a grpo metric: \(expr)")
                for name in names where !exported.contains(name) {
                    Issue.record("the dashboard plots \(name), which nothing exports")
                }
            }
        }
        fleet.keepDirectory = false
    }
}
