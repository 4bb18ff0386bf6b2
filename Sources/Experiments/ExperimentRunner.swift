import Foundation
import Logging
import Primitives
import Runs

/// Runs an experiment's plan with the `grpo-lambda` executable: one warm start per seed (`sft`), copied into
/// every run of that seed, then every arm × seed as `train`, `parallel` at a time. Finished runs (a
/// `summary.json`) are not repeated and an interrupted one resumes from its checkpoint, so running the same
/// file again picks up where it stopped. A finished run whose configuration differs from the file's is an error
/// rather than a silent mix of two studies.
public struct ExperimentRunner: Sendable {
    public struct Job: Sendable, Equatable {
        public var arm: String
        public var seed: UInt64
        public var directory: URL
        public var arguments: [String]
        /// Runs with nothing beside it (a fleet run, whose services use every core).
        public var exclusive = false
    }

    public let configuration: ExperimentConfiguration
    public let executable: URL
    let logger: Logger

    public init(configuration: ExperimentConfiguration, executable: URL, logger: Logger) {
        self.configuration = configuration
        self.executable = executable
        self.logger = logger
    }

    static func setArguments(_ settings: [ExperimentConfiguration.Setting]) -> [String] {
        settings.flatMap { ["--set", "\($0.field)=\($0.json)"] }
    }

    /// `<runs_dir>/warm-start/seed-N`.
    public func warmStartDirectory(seed: UInt64) -> URL {
        configuration.runsDirectory.appendingPathComponent("warm-start/seed-\(seed)")
    }

    /// `<runs_dir>/<arm>/seed-N`.
    public func runDirectory(arm: String, seed: UInt64) -> URL {
        configuration.runsDirectory.appendingPathComponent("\(arm)/seed-\(seed)")
    }

    /// Warm starts first (one per seed any arm uses), then arm by arm in the file's order.
    public func plan() -> (warmStarts: [Job], runs: [Job]) {
        let c = configuration
        let threads = ["--set", "threads=\(c.threadsPerRun)"]
        var seeds: [UInt64] = []
        for arm in c.arms { for s in c.seeds(of: arm) where !seeds.contains(s) { seeds.append(s) } }
        let warm = seeds.map { seed in
            Job(arm: "warm-start", seed: seed, directory: warmStartDirectory(seed: seed),
                arguments: ["sft", "--run-dir", warmStartDirectory(seed: seed).path, "--seed", "\(seed)"] + threads
                    + Self.setArguments(c.common))
        }
        let runs = c.arms.flatMap { arm in
            c.seeds(of: arm).map { seed in
                Job(arm: arm.name, seed: seed, directory: runDirectory(arm: arm.name, seed: seed),
                    arguments: [arm.command.rawValue, "--run-dir", runDirectory(arm: arm.name, seed: seed).path,
                                "--seed", "\(seed)"] + threads + Self.setArguments(c.common + arm.settings),
                    exclusive: arm.command == .run)
            }
        }
        return (warm, runs)
    }

    static func warmStartDone(_ job: Job) -> Bool {
        FileManager.default.fileExists(atPath: job.directory.appendingPathComponent("warm_start/model.safetensors").path)
    }

    static func runDone(_ job: Job) -> Bool {
        FileManager.default.fileExists(atPath: job.directory.appendingPathComponent("summary.json").path)
    }

    /// The fields in which a finished run's recorded configuration differs from what the file asks for.
    public func differences(_ job: Job) throws -> [String] {
        guard let arm = configuration.arms.first(where: { $0.name == job.arm }) else { return [] }
        let expected = try configuration.runConfiguration(arm, seed: job.seed).resolved()
        let recorded = try RunConfiguration.load(file: job.directory.appendingPathComponent("config.json"))
        let a = try JSONSerialization.jsonObject(with: expected.jsonData()) as! [String: Any]
        let b = try JSONSerialization.jsonObject(with: recorded.resolved().jsonData()) as! [String: Any]
        let keys: [String] = Array(Set(a.keys.map { $0 } + b.keys.map { $0 })).sorted()
        var different = keys.filter { key in
            guard let x = a[key], let y = b[key] else { return (a[key] == nil) != (b[key] == nil) }
            return Self.canonicalJSON(x) != Self.canonicalJSON(y)
        }
        // The same fields run by `train` and by the fleet are two different experiments: the fleet's summary
        // says how the fleet did.
        let summary = try? JSONSerialization.jsonObject(with: Data(contentsOf: job.directory.appendingPathComponent("summary.json"))) as? [String: Any]
        if let summary, (summary["fleet"] != nil) != (arm.command == .run) { different.append("command") }
        return different
    }

    static func canonicalJSON(_ value: Any) -> String {
        (try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys]))
            .map { String(decoding: $0, as: UTF8.self) } ?? "\(value)"
    }

    /// Every job not yet done; finished runs are checked against the file first.
    public func pending() throws -> (warmStarts: [Job], runs: [Job]) {
        let (warm, runs) = plan()
        for job in runs where Self.runDone(job) {
            let different = try differences(job)
            if !different.isEmpty {
                throw ExperimentError.mismatchedRun("\(job.directory.path) was run with other values of "
                    + "\(different.joined(separator: ", ")); move it away or restore the file's settings")
            }
        }
        return (warm.filter { !Self.warmStartDone($0) }, runs.filter { !Self.runDone($0) })
    }

    /// Runs what is pending; returns the jobs that failed (their `.err` file beside the run directory says why).
    public func run() async throws -> [Job] {
        let (warm, runs) = try pending()
        let planned = plan()
        logger.info("experiment starting", metadata: [
            "event": "experiment_started", "runs": .stringConvertible(planned.runs.count),
            "runs_pending": .stringConvertible(runs.count), "warm_starts_pending": .stringConvertible(warm.count),
            "parallel": .stringConvertible(configuration.parallel), "runs_dir": "\(configuration.runsDirectory.path)",
        ])
        var failed = try await execute(warm, total: warm.count)
        let failedSeeds = Set(failed.map(\.seed))
        failed += try await execute(runs.filter { !failedSeeds.contains($0.seed) }, total: runs.count)
        return failed
    }

    private func execute(_ jobs: [Job], total: Int) async throws -> [Job] {
        let executable = executable, logger = logger, parallel = configuration.parallel
        let warmStart = warmStartDirectory
        return try await withThrowingTaskGroup(of: (Job, Int32, Double).self) { group in
            var next = 0, finished = 0, running = 0, exclusiveRunning = false
            var failed: [Job] = []
            /// The next job may start: fewer than `parallel` run, and neither it nor one running is exclusive.
            func mayLaunch() -> Bool {
                guard next < jobs.count, running < parallel, !exclusiveRunning else { return false }
                return !jobs[next].exclusive || running == 0
            }
            func launch() throws {
                let job = jobs[next]
                next += 1
                running += 1
                exclusiveRunning = job.exclusive
                try FileManager.default.createDirectory(at: job.directory, withIntermediateDirectories: true)
                if job.arm != "warm-start" {
                    let source = warmStart(job.seed).appendingPathComponent("warm_start")
                    let target = job.directory.appendingPathComponent("warm_start")
                    if !FileManager.default.fileExists(atPath: target.path) {
                        try FileManager.default.copyItem(at: source, to: target)
                    }
                }
                logger.info("experiment run started", metadata: [
                    "event": "experiment_run_started", "arm": "\(job.arm)", "seed": .stringConvertible(job.seed),
                    "directory": "\(job.directory.path)",
                ])
                group.addTask {
                    let start = ContinuousClock.now
                    let status = try await Self.runProcess(executable, job.arguments,
                                                           output: job.directory.appendingPathExtension("out"),
                                                           error: job.directory.appendingPathExtension("err"))
                    return (job, status, (ContinuousClock.now - start).seconds)
                }
            }
            while mayLaunch() { try launch() }
            while let (job, status, seconds) = try await group.next() {
                finished += 1
                running -= 1
                if job.exclusive { exclusiveRunning = false }
                var metadata: Logger.Metadata = [
                    "event": "experiment_run_finished", "arm": "\(job.arm)", "seed": .stringConvertible(job.seed),
                    "status": .stringConvertible(status), "minutes": "\(String(format: "%.1f", seconds / 60))",
                    "done": "\(finished)/\(total)",
                ]
                if status == 0, let summary = try? RunSummaryFile.read(job.directory) {
                    metadata["warm_start_accuracy"] = "\(summary.warm)"
                    metadata["final_accuracy"] = "\(summary.final)"
                    logger.info("experiment run finished", metadata: metadata)
                } else if status == 0 {
                    logger.info("experiment run finished", metadata: metadata)
                } else {
                    failed.append(job)
                    metadata["stderr"] = "\(job.directory.appendingPathExtension("err").path)"
                    logger.error("experiment run failed", metadata: metadata)
                }
                while mayLaunch() { try launch() }
            }
            return failed
        }
    }

    /// Starts a child and waits for it without blocking a thread.
    static func runProcess(_ executable: URL, _ arguments: [String], output: URL, error: URL) async throws -> Int32 {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: error.path, contents: nil)
        let out = try FileHandle(forWritingTo: output), err = try FileHandle(forWritingTo: error)
        process.standardOutput = out
        process.standardError = err
        return try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in
                try? out.close()
                try? err.close()
                continuation.resume(returning: finished.terminationStatus)
            }
            do { try process.run() } catch {
                try? out.close()
                try? err.close()
                continuation.resume(throwing: error)
            }
        }
    }
}

/// The two figures a progress line quotes, read from a finished run's summary.json.
enum RunSummaryFile {
    static func read(_ directory: URL) throws -> (warm: Double, final: Double) {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("summary.json"))) as? [String: Any]
        guard let warm = object?["warm_start_accuracy"] as? Double, let final = object?["final_accuracy"] as? Double else {
            throw ExperimentError.mismatchedRun("\(directory.path)/summary.json lacks accuracies")
        }
        return (warm, final)
    }
}
