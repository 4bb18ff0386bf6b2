import Foundation

/// What a run directory says about its run, read from `config.json`, `metrics.jsonl`, `log.jsonl` and
/// `summary.json` (any of them may be missing or still growing). The field names are those of
/// `MetricsLine` (learner steps), `HeldOutEvaluation` (evaluations) and the coordinator's log events.
public struct RunRecord: Sendable {
    /// One learner step: every numeric field of its metrics line (`loss`, `reward_mean`, ...; nested groups
    /// flattened as `seconds.forward_backward`), and the per-epoch arrays.
    public struct Step: Sendable {
        public var step: Int
        public var values: [String: Double]
        public var series: [String: [Double]]
        public subscript(key: String) -> Double? { values[key] }
    }

    /// One held-out evaluation (`"event":"eval"`).
    public struct Evaluation: Sendable {
        public var step: Int
        public var greedyAccuracy: Double?
        public var problems: Int?
        public var k: Int?
        public var meanAtK: Double?
        public var passAtK: Double?
    }

    /// A logged group of sampled completions (`"event":"samples"`).
    public struct Samples: Sendable {
        public struct Completion: Sendable {
            public var text: String
            public var reward: Double?
            public var verdict: String
        }
        public var step: Int
        public var prompt: String
        public var gold: String
        public var completions: [Completion]
    }

    /// A weight version the coordinator published (`weights_published`).
    public struct Published: Sendable {
        public var version: Int
        public var deltaBytes: Double
        public var fullBytes: Double
        public var rawFloat32Bytes: Double
        public var encodeSeconds: Double
    }

    /// A weight version a worker reported holding (`weights_delivered`).
    public struct Delivered: Sendable {
        public var workerID: String
        public var version: Int
        public var bytes: Double
        public var seconds: Double
    }

    /// The coordinator's periodic fleet summary (`fleet_summary`).
    public struct FleetSummary: Sendable {
        public var timestamp: String?
        public var learnerStep: Int?
        public var workers: Int
        public var heldVersions: [String: Int]
        public var latestVersion: Int?
        public var groupsPerSecond: Double?
        public var tokensPerSecond: Double?
        public var rewardMean: Double?
        public var stalenessMean: Double?
        public var leasesInFlight: Int?
        public var promptsConsumed: Int?
    }

    /// A worker's membership change (joined, restarted, left, timed out) or a supervised process dying.
    public struct Membership: Sendable {
        public var timestamp: String?
        public var event: String
        public var workerID: String
    }

    /// The directory's name (how the report and the overlays label the run).
    public var name: String
    public var directory: URL
    /// config.json's fields, sorted by name.
    public var configuration: [(key: String, value: JSONValue)] = []
    /// summary.json, once the run has ended.
    public var summary: JSONValue?
    /// When summary.json was last written (it is read again when that changes).
    public var summaryModified: Date?
    /// Learner steps in step order (a step logged twice, as after a resume, keeps its last line).
    public var steps: [Step] = []
    public var evaluations: [Evaluation] = []
    /// The supervised warm start's loss reports: (SFT step, loss).
    public var warmStart: [(step: Int, loss: Double)] = []
    public var samples: [Samples] = []
    public var published: [Published] = []
    public var delivered: [Delivered] = []
    public var fleetSummaries: [FleetSummary] = []
    public var membership: [Membership] = []
    /// The time of the newest log event read.
    public var lastTimestamp: String?

    /// Steps relayed by the coordinator (`learner_step`), for a directory without the learner's metrics.jsonl.
    var relayedSteps: [Step] = []
    private var stepIndex: [Int: Int] = [:]
    private var sampleKeys: Set<String> = []

    public init(name: String, directory: URL) {
        self.name = name
        self.directory = directory
    }

    /// Reads everything in `directory` (what is there now).
    public static func load(_ directory: URL, name: String? = nil) -> RunRecord {
        var follower = RunFollower(directory: directory, name: name)
        follower.refresh()
        return follower.record
    }

    public func config(_ key: String) -> JSONValue? { configuration.first { $0.key == key }?.value }

    /// The configured number of RL steps.
    public var targetSteps: Int? { config("steps")?.double.map { Int($0) } }
    public var method: String? { config("method")?.string ?? summary?["method"]?.string }

    /// Steps from metrics.jsonl, or the coordinator's relayed ones when there are none.
    public var effectiveSteps: [Step] { steps.isEmpty ? relayedSteps : steps }

    /// Values of `key` per learner step, in step order.
    public func stepSeries(_ key: String) -> [(x: Double, y: Double)] {
        effectiveSteps.compactMap { s in s[key].flatMap { $0.isFinite ? (Double(s.step), $0) : nil } }
    }

    /// summary.json covers the newest step logged (a resumed run going past its old summary is not finished).
    public var finished: Bool {
        guard let summarised = summary?["steps"]?.double else { return false }
        return Int(summarised) >= (effectiveSteps.last?.step ?? 0)
    }

    public var hasFleet: Bool { !fleetSummaries.isEmpty || !published.isEmpty || !delivered.isEmpty }

    // MARK: Ingesting lines

    /// One line of metrics.jsonl.
    public mutating func ingestMetricsLine(_ line: Substring) {
        guard let event = Self.eventName(line), ["step", "eval", "warm_start"].contains(event),
              let o = Self.object(line) else { return }
        switch event {
        case "step": if let s = Self.step(o) { addStep(s) }
        case "eval": addEvaluation(o)
        default:
            if let step = Self.int(o["step"]), let loss = Self.double(o["loss"]) { warmStart.append((step, loss)) }
        }
    }

    /// One line of log.jsonl (events the report does not use are skipped without being parsed).
    public mutating func ingestLogLine(_ line: Substring) {
        guard let event = Self.eventName(line), Self.logEvents.contains(event), let o = Self.object(line) else { return }
        if let ts = o["ts"] as? String { lastTimestamp = ts }
        switch event {
        case "samples": addSamples(o)
        case "weights_published":
            // The coordinator's line (the learner logs its own handing-over under the same event, without sizes).
            guard let version = Self.int(o["version"]), o["full_bytes"] != nil || o["delta_bytes"] != nil else { return }
            published.append(Published(version: version, deltaBytes: Self.double(o["delta_bytes"]) ?? 0,
                                       fullBytes: Self.double(o["full_bytes"]) ?? 0,
                                       rawFloat32Bytes: Self.double(o["raw_float32_bytes"]) ?? 0,
                                       encodeSeconds: Self.double(o["encode_seconds"]) ?? 0))
        case "weights_delivered":
            guard let version = Self.int(o["version"]), let worker = o["worker_id"] as? String else { return }
            delivered.append(Delivered(workerID: worker, version: version, bytes: Self.double(o["bytes"]) ?? 0,
                                       seconds: Self.double(o["seconds"]) ?? 0))
        case "fleet_summary":
            var held: [String: Int] = [:]
            for (worker, version) in (o["held_versions"] as? [String: Any]) ?? [:] {
                if let v = Self.int(version) { held[worker] = v }
            }
            fleetSummaries.append(FleetSummary(
                timestamp: o["ts"] as? String, learnerStep: Self.int(o["learner_step"]),
                workers: Self.int(o["workers"]) ?? held.count, heldVersions: held,
                latestVersion: Self.int(o["latest_version"]), groupsPerSecond: Self.double(o["groups_per_s"]),
                tokensPerSecond: Self.double(o["tokens_per_s"]), rewardMean: Self.double(o["reward_mean"]),
                stalenessMean: Self.double(o["staleness_mean"]), leasesInFlight: Self.int(o["leases_in_flight"]),
                promptsConsumed: Self.int(o["prompts_consumed"])))
        case "learner_step":
            if let s = Self.step(o) {
                if let last = relayedSteps.last, last.step >= s.step { relayedSteps.removeAll { $0.step >= s.step } }
                relayedSteps.append(s)
            }
        default:
            let worker = (o["worker_id"] as? String) ?? (o["process"] as? String) ?? "?"
            membership.append(Membership(timestamp: o["ts"] as? String, event: event, workerID: worker))
        }
    }

    static let logEvents: Set<String> = [
        "samples", "weights_published", "weights_delivered", "fleet_summary", "learner_step",
        "worker_joined", "worker_restarted", "worker_left", "worker_timed_out", "process_died",
    ]

    private mutating func addStep(_ s: Step) {
        if let i = stepIndex[s.step] {
            steps[i] = s
        } else if let last = steps.last, last.step > s.step {
            // Out of order (a resumed run re-logging earlier steps): insert in place.
            let i = steps.firstIndex { $0.step > s.step }!
            steps.insert(s, at: i)
            stepIndex = Dictionary(uniqueKeysWithValues: steps.enumerated().map { ($1.step, $0) })
        } else {
            stepIndex[s.step] = steps.count
            steps.append(s)
        }
    }

    private mutating func addEvaluation(_ o: [String: Any]) {
        guard let step = Self.int(o["step"]) else { return }
        let e = Evaluation(step: step, greedyAccuracy: Self.double(o["greedy_accuracy"]), problems: Self.int(o["problems"]),
                           k: Self.int(o["k"]), meanAtK: Self.double(o["mean_at_k"]), passAtK: Self.double(o["pass_at_k"]))
        evaluations.removeAll { $0.step == step }
        evaluations.append(e)
        evaluations.sort { $0.step < $1.step }
    }

    private mutating func addSamples(_ o: [String: Any]) {
        let step = Self.int(o["step"]) ?? 0
        let prompt = (o["prompt"] as? String) ?? ""
        let completions = ((o["completions"] as? [Any]) ?? []).compactMap { c -> Samples.Completion? in
            guard let c = c as? [String: Any] else { return nil }
            return Samples.Completion(text: (c["text"] as? String) ?? "", reward: Self.double(c["reward"]),
                                      verdict: (c["verdict"] as? String) ?? "")
        }
        // The learner logs its samples and the coordinator relays them: keep one copy.
        let key = "\(step)\u{1}\(prompt)\u{1}\(completions.first?.text ?? "")"
        guard sampleKeys.insert(key).inserted else { return }
        samples.append(Samples(step: step, prompt: prompt, gold: (o["gold"] as? String) ?? "", completions: completions))
    }

    // MARK: JSON helpers

    /// The value of a line's `"event":"..."` without parsing the line.
    static func eventName(_ line: Substring) -> String? {
        guard let r = line.range(of: "\"event\":\"") else { return nil }
        let rest = line[r.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }

    static func object(_ line: Substring) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }

    static func double(_ value: Any?) -> Double? {
        switch value {
        case let n as NSNumber: return n.doubleValue
        case let d as Double: return d
        case let i as Int: return Double(i)
        case let s as String: return Double(s)
        default: return nil
        }
    }

    static func int(_ value: Any?) -> Int? {
        guard let d = double(value), d.isFinite, abs(d) < 1e15 else { return nil }
        return Int(d)
    }

    static func step(_ o: [String: Any]) -> Step? {
        guard let step = int(o["step"]) else { return nil }
        var values: [String: Double] = [:]
        var series: [String: [Double]] = [:]
        for (key, value) in o {
            if let nested = value as? [String: Any] {
                for (k, v) in nested { if let d = double(v) { values["\(key).\(k)"] = d } }
            } else if let array = value as? [Any] {
                series[key] = array.compactMap { double($0) }
            } else if !(value is String), let d = double(value) {
                values[key] = d
            }
        }
        return Step(step: step, values: values, series: series)
    }
}

/// Reads a run directory and keeps reading it: each `refresh()` takes in the lines appended to metrics.jsonl
/// and log.jsonl since the last one (only whole lines), and re-reads config.json and summary.json.
public struct RunFollower: Sendable {
    public private(set) var record: RunRecord
    private var metricsOffset = 0
    private var logOffset = 0

    public init(directory: URL, name: String? = nil) {
        record = RunRecord(name: name ?? directory.standardizedFileURL.lastPathComponent, directory: directory)
    }

    /// Takes in what was appended since the last call; true if anything new was read.
    @discardableResult
    public mutating func refresh() -> Bool {
        let directory = record.directory
        if record.configuration.isEmpty, let data = try? Data(contentsOf: directory.appendingPathComponent("config.json")),
           case let .object(fields)? = JSONValue.parse(data) {
            record.configuration = fields.keys.sorted().map { ($0, fields[$0]!) }
        }
        let summaryURL = directory.appendingPathComponent("summary.json")
        let summaryModified = Self.modified(summaryURL)
        if let summaryModified, summaryModified != record.summaryModified, let data = try? Data(contentsOf: summaryURL) {
            record.summary = JSONValue.parse(data)
            record.summaryModified = summaryModified
        }
        let metrics = Self.newLines(directory.appendingPathComponent("metrics.jsonl"), offset: &metricsOffset)
        for line in metrics { record.ingestMetricsLine(line) }
        let log = Self.newLines(directory.appendingPathComponent("log.jsonl"), offset: &logOffset)
        for line in log { record.ingestLogLine(line) }
        return !metrics.isEmpty || !log.isEmpty
    }

    static func modified(_ url: URL) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date
    }

    /// Whole lines appended to `url` since `offset` (which advances past them); a line still being written waits.
    public static func newLines(_ url: URL, offset: inout Int) -> [Substring] {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return [] }
        defer { try? handle.close() }
        guard (try? handle.seek(toOffset: UInt64(offset))) != nil, let data = try? handle.readToEnd(), !data.isEmpty,
              let end = data.lastIndex(of: 0x0A) else { return [] }
        let consumed = end - data.startIndex + 1
        offset += consumed
        return String(decoding: data.prefix(consumed - 1), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
    }
}
