import Foundation
import Learner
import Logging
import Policy
import Primitives
import Protocol
import Reports
import RolloutWorker
import Seeding
import Synchronization
import ServiceLifecycle
import Telemetry

/// `grpo-lambda run`: the whole system on one machine, as separate processes — coordinator, learner, verifier
/// and `workers` rollout workers talking over ipc:// — the way a fleet runs across machines.
///
/// In order: the warm start (in this process, as `train` does it, skipped when the run directory has one) and
/// its evaluation; then the services, supervised (a process that dies is restarted); one progress line per
/// learner step and the coordinator's fleet summaries on the console, and the learner's checkpoints evaluated
/// every `eval_every` steps (here, while the services train); when the learner has completed `steps`,
/// every service is stopped, the final checkpoint is evaluated and `summary.json` written. Stopping `run`
/// (Ctrl-C, SIGTERM) stops every service cleanly; running it again on the same directory resumes.
public final class FleetRun: Service, @unchecked Sendable {
    public let configuration: RunConfiguration
    public let directory: RunDirectory
    /// The `grpo-lambda` executable the services run from.
    public let executable: URL
    /// Extra arguments every service gets (the secret file, TLS files).
    public let serviceArguments: [String]
    /// First port of the services' Prometheus endpoints (nil: none).
    public let metricsPort: Int?
    private let logger: Logger
    private let console: @Sendable (String) -> Void
    private let stopRequested = Atomic<Bool>(false)
    /// The learner process has exited (or a stop was requested): checkpoint evaluation takes its last look.
    private let learnerFinished = Atomic<Bool>(false)
    private let children = Mutex<[ChildProcess]>([])
    /// The summary, once the run finished.
    private let result = Mutex<RunSummary?>(nil)

    public init(configuration: RunConfiguration, directory: RunDirectory, executable: URL, serviceArguments: [String] = [],
                metricsPort: Int? = nil, logger: Logger, console: @escaping @Sendable (String) -> Void) {
        self.metricsPort = metricsPort
        self.configuration = configuration
        self.directory = directory
        self.executable = executable
        self.serviceArguments = serviceArguments
        self.logger = logger
        self.console = console
    }

    /// The run's summary (nil if it was stopped before the end).
    public var summary: RunSummary? { result.withLock { $0 } }

    public func run() async throws {
        try await withGracefulShutdownHandler {
            try await runFleet()
        } onGracefulShutdown: {
            self.stopRequested.store(true, ordering: .relaxed)
        }
    }

    private var stopping: Bool { stopRequested.load(ordering: .relaxed) }

    private func runFleet() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        let c = configuration
        let compute = ThreadPool(threads: 1, name: "run-compute", stackSize: 8 << 20)
        defer { compute.stop() }

        // 1. The warm start and its evaluation, once per run directory.
        let policy = try RunPolicy(c)
        let warmStartSeconds = try await compute.run {
            try WarmStart(configuration: c, directory: self.directory, logger: self.logger).loadOrTrain(policy)
        }
        let evaluation = try HeldOutEvaluation(policy: policy, configuration: c, grader: VerifierGrader(), pool: compute,
                                           metrics: directory.metrics, logger: logger)
        let warmRecord: EvaluationRecord
        if let saved = try? JSONDecoder().decode(EvaluationRecord.self, from: Data(contentsOf: warmStartEvaluationURL)) {
            warmRecord = saved
        } else {
            warmRecord = try await evaluation.evaluate(step: 0)
            // A model directory without a warm start has no warm_start/ yet: the evaluation is the model's own.
            try FileManager.default.createDirectory(at: warmStartEvaluationURL.deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
            try JSONEncoder().encode(warmRecord).write(to: warmStartEvaluationURL, options: .atomic)
        }
        console("warm start: greedy accuracy \(Self.percent(warmRecord.greedyAccuracy))"
                + (warmRecord.meanAtK.map { ", mean@\(c.evalSamples) \(Self.percent($0))" } ?? "")
                + " on \(warmRecord.problems) held-out problems")
        if stopping { return }

        // 2. The services.
        let sockets = try socketDirectory()
        func url(_ name: String) -> String { "ipc://\(sockets.appendingPathComponent(name).path)" }
        let common = ["--config", directory.url.appendingPathComponent("config.json").path, "--run-dir", directory.url.path,
                      "--log-format", "json"] + serviceArguments
        let logs = directory.url.appendingPathComponent("logs")
        var started: [ChildProcess] = []
        // Metrics ports in a fixed order: coordinator, learner, verifier, then worker 1, 2, ...
        func metricsOffset(_ name: String) -> Int {
            switch name {
            case "coordinator": 0
            case "learner": 1
            case "verifier": 2
            default: 2 + (Int(name.split(separator: "-").last ?? "") ?? 1)
            }
        }
        func child(_ name: String, _ arguments: [String], restarts: Int = 5) -> ChildProcess {
            var arguments = arguments
            if let base = metricsPort {
                let port = base + metricsOffset(name)
                arguments += ["--metrics-listen", "127.0.0.1:\(port)"]
                console("\(name): metrics at http://127.0.0.1:\(port)/metrics")
            }
            return ChildProcess(name: name, executable: executable, arguments: arguments, logDirectory: logs,
                                maxRestarts: restarts, logger: logger)
        }
        started.append(child("verifier", ["verifier", "--listen", url("verifier.ipc"), "--threads", "1",
                                          "--log-format", "json"] + serviceArguments))
        started.append(child("coordinator", ["coordinator", "--workers", url("coordinator-workers.ipc"),
                                             "--learner", url("coordinator-learner.ipc"),
                                             "--announce", url("announce.ipc")] + common))
        // The learner starts from the warm start when there is one, else from the model (directory) itself.
        let warmWeights = FileManager.default.fileExists(atPath: directory.warmStartWeights.path)
            ? ["--weights", directory.warmStartWeights.path] : []
        let learner = child("learner", ["learner", "--rollouts", url("rollouts.ipc"), "--coordinator",
                                        url("coordinator-learner.ipc")] + warmWeights + common)
        started.append(learner)
        for i in 1...c.workers {
            started.append(child("worker-\(i)", ["worker", "--coordinator", url("coordinator-workers.ipc"),
                                                 "--announce", url("announce.ipc"), "--learner", url("rollouts.ipc"),
                                                 "--verifier", url("verifier.ipc"), "--worker-id", "worker-\(i)"] + common))
        }
        children.withLock { $0 = started }
        for process in started { try process.start() }
        console("fleet: coordinator, learner, verifier and \(c.workers) workers started (logs: \(directory.log.path))")
        let rlStart = clock.now

        // 3. Watch the learner until it has done its steps (or we are asked to stop).
        let startCursor = ProgressCursor(metrics: fileSize(directory.url.appendingPathComponent("metrics.jsonl")),
                                         log: fileSize(directory.log))
        let progress = Task { await self.followProgress(from: startCursor) }
        // The learner's checkpoints are evaluated here while a task waits for the learner (or a stop request).
        let learnerWait = Task { () -> Int32? in
            let status: Int32? = await withTaskGroup(of: Int32?.self) { group in
                group.addTask { await learner.waitForExit() }
                group.addTask {
                    while !self.stopping && !Task.isCancelled { try? await Task.sleep(for: .milliseconds(100)) }
                    return nil
                }
                let first = await group.next()!
                group.cancelAll()
                return first
            }
            self.learnerFinished.store(true, ordering: .relaxed)
            return status
        }
        var evaluations = await evaluateCheckpoints(evaluation, policy: policy, pool: compute)
        let learnerStatus = await learnerWait.value
        progress.cancel()
        var cursor = await progress.value
        showProgress(&cursor)
        for process in started.reversed() { await process.stop() }
        let rlSeconds = (clock.now - rlStart).seconds
        guard let learnerStatus, learnerStatus == 0 else {
            console(stopping ? "stopped; run the same command again to resume" : "the learner failed (see \(logs.path))")
            if !stopping { throw RunError.runDirectory("the learner exited with status \(learnerStatus ?? -1)") }
            return
        }

        // 4. The final evaluation and the summary.
        let store = CheckpointStore(directory: directory.checkpoints)
        let state = try await compute.run { () throws -> TrainerState in
            try store.loadLatestWeights(into: policy.model)
        }
        if evaluations.last?.step != state.step {
            evaluations.append(try await evaluation.evaluate(step: state.step))
            try saveEvaluations(evaluations)
        }
        let finalRecord = evaluations.last!
        var summary = RunSummary(configuration: c, progress: RunProgress(warmStartAccuracy: warmRecord.greedyAccuracy,
                                                                          evaluations: [warmRecord] + evaluations),
                                 steps: state.step, seconds: (clock.now - start).seconds,
                                 warmStartSeconds: warmStartSeconds)
        summary.fleet = fleetFigures(rlSeconds: rlSeconds)
        try summary.write(to: directory)
        directory.writeReport(logger: logger)
        result.withLock { $0 = summary }
        console("final: greedy accuracy \(Self.percent(finalRecord.greedyAccuracy))"
                + (finalRecord.meanAtK.map { ", mean@\(c.evalSamples) \(Self.percent($0))" } ?? "")
                + " after \(state.step) steps; summary in \(directory.summary.path), report in \(directory.report.path)")
    }

    /// The held-out evaluations of the RL phase so far (they survive an interrupted run): `evaluations.json`.
    private var evaluationsURL: URL { directory.url.appendingPathComponent("evaluations.json") }

    private func savedEvaluations() -> [EvaluationRecord] {
        (try? JSONDecoder().decode([EvaluationRecord].self, from: Data(contentsOf: evaluationsURL))) ?? []
    }

    private func saveEvaluations(_ evaluations: [EvaluationRecord]) throws {
        try JSONEncoder().encode(evaluations).write(to: evaluationsURL, options: .atomic)
    }

    /// Evaluates, as `train` does every `eval_every` steps, each learner checkpoint whose step is a multiple of
    /// `eval_every` (and below `steps`: the end is evaluated after the fleet stops), in step order, while the
    /// learner trains; once the learner has exited, one last look at the checkpoints and it returns every
    /// evaluation of the RL phase, those of an earlier, interrupted invocation included. The learner keeps only
    /// `keep_checkpoints` checkpoints: one pruned before it was read is skipped with a log line.
    private func evaluateCheckpoints(_ evaluation: HeldOutEvaluation, policy: RunPolicy,
                                     pool: ThreadPool) async -> [EvaluationRecord] {
        var evaluations = savedEvaluations()
        let every = configuration.evalEvery, steps = configuration.steps
        guard every > 0 else { return evaluations }
        let store = CheckpointStore(directory: directory.checkpoints)
        var unreadable: Set<Int> = []
        while true {
            if stopping { return evaluations }
            let finished = learnerFinished.load(ordering: .relaxed)
            let done = evaluations.last?.step ?? 0
            let due = store.checkpoints().reversed().compactMap { url -> (Int, URL)? in
                guard let step = Int(url.lastPathComponent.dropFirst("step-".count)), step > done, step < steps,
                      step % every == 0, !unreadable.contains(step) else { return nil }
                return (step, url)
            }
            for (step, url) in due {
                do {
                    _ = try await pool.run { try store.loadWeights(url, into: policy.model) }
                    evaluations.append(try await evaluation.evaluate(step: step))
                    try saveEvaluations(evaluations)
                } catch {
                    unreadable.insert(step)
                    logger.warning("checkpoint not evaluated", metadata: [
                        "event": "checkpoint_evaluation_skipped", "step": .stringConvertible(step), "error": "\(error)",
                    ])
                }
            }
            if finished { return evaluations }
            try? await Task.sleep(for: .milliseconds(500))
        }
    }

    private var warmStartEvaluationURL: URL { directory.warmStartWeights.deletingLastPathComponent().appendingPathComponent("evaluation.json") }

    /// Unix socket paths must be short (about 100 bytes): the sockets live under /tmp, named after the run.
    private func socketDirectory() throws -> URL {
        let url = URL(fileURLWithPath: NSTemporaryDirectory())
            .appendingPathComponent("grpo-lambda-\(String(StableHash.fnv1a(directory.url.standardizedFileURL.path), radix: 16))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? [] {
            try? FileManager.default.removeItem(at: url.appendingPathComponent(name))
        }
        return url
    }

    /// Where the console has read metrics.jsonl and log.jsonl up to.
    private struct ProgressCursor: Sendable {
        var metrics = 0
        var log = 0
    }

    /// One console line per learner step (from metrics.jsonl) and each fleet summary (from log.jsonl), until
    /// cancelled; the cursor it ends with.
    private func followProgress(from start: ProgressCursor) async -> ProgressCursor {
        var cursor = start
        while !Task.isCancelled {
            showProgress(&cursor)
            try? await Task.sleep(for: .milliseconds(300))
        }
        return cursor
    }

    private func showProgress(_ cursor: inout ProgressCursor) {
        for line in RunFollower.newLines(directory.url.appendingPathComponent("metrics.jsonl"), offset: &cursor.metrics) {
            guard let o = Self.object(line), o["event"] as? String == "step" else { continue }
            console(Self.stepLine(o, steps: configuration.steps))
            let step = Int(o["step"] as? Double ?? 0), every = configuration.reportEvery
            if every > 0, step % every == 0, step < configuration.steps { directory.writeReport(logger: logger) }
        }
        for line in RunFollower.newLines(directory.log, offset: &cursor.log) {
            guard let o = Self.object(line), let event = o["event"] as? String else { continue }
            if event == "fleet_summary" || event == "process_died" || event == "worker_timed_out",
               let message = o["msg"] as? String {
                console(message)
            }
        }
    }

    private func fileSize(_ url: URL) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
    }

    static func stepLine(_ o: [String: Any], steps: Int) -> String {
        func f(_ key: String, _ format: String) -> String { (o[key] as? Double).map { String(format: format, $0) } ?? "-" }
        return "step \(Int(o["step"] as? Double ?? 0))/\(steps)  reward \(f("reward_mean", "%.3f"))  acc \(f("accuracy", "%.3f"))"
            + "  kl \(f("approx_kl", "%.4f"))  clip \(f("clip_fraction", "%.3f"))  len \(f("response_length_mean", "%.1f"))"
            + "  staleness \(f("staleness_mean", "%.2f"))  wait \(f("wait_seconds", "%.2f"))s"
    }

    static func percent(_ x: Double) -> String { String(format: "%.1f%%", 100 * x) }

    static func object(_ line: Substring) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }

    /// Throughput of the RL phase from the learner's step lines: groups per second and the learner's idle share.
    private func fleetFigures(rlSeconds: Double) -> RunSummary.Fleet {
        var offset = 0
        let steps = RunFollower.newLines(directory.url.appendingPathComponent("metrics.jsonl"), offset: &offset)
            .compactMap(Self.object).filter { $0["event"] as? String == "step" && $0["wait_seconds"] != nil }
        let groups = steps.reduce(0.0) { $0 + ($1["groups"] as? Double ?? 0) }
        let waited = steps.reduce(0.0) { $0 + ($1["wait_seconds"] as? Double ?? 0) }
        let trained = steps.reduce(0.0) { $0 + (($1["seconds"] as? [String: Any]).map { s in
            s.values.reduce(0.0) { $0 + ($1 as? Double ?? 0) } } ?? 0) }
        return RunSummary.Fleet(workers: configuration.workers, rlSeconds: rlSeconds,
                                groupsPerSecond: rlSeconds > 0 ? groups / rlSeconds : 0,
                                learnerIdleFraction: waited + trained > 0 ? waited / (waited + trained) : 0,
                                restarts: children.withLock { $0.reduce(0) { $0 + $1.restarts } })
    }
}
