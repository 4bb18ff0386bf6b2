import Coordinator
import Foundation
import Learner
import TestSupport
import Testing

/// `grpo-lambda run` as a real process tree on a small configuration, with what a test needs to watch it: the
/// events of every process (log.jsonl), the learner's steps (metrics.jsonl), and the pids of the services.
final class Fleet {
    let directory: URL
    let process: Process
    /// Kept for a person to read unless the test got to its end (it clears this).
    var keepDirectory = true

    /// A run small enough for a test: B = 2 groups of G = 4, short completions, fast heartbeats and timeouts.
    /// A step takes ~40 ms on one epoch, so 120 steps leave the fault tests (kills at steps 2, 10 and 18, Ctrl-C
    /// mid-run) seconds of run after each fault instead of racing the end.
    static let steps = 120
    static let smallRun = [
        "--steps", "\(steps)", "--warm-start-steps", "5", "--set", "warm_start_batch_size=4", "--groups-per-step", "2",
        "--group-size", "4", "--held-out-problems", "10", "--threads", "1", "--checkpoint-every", "2", "--level", "2",
        "--set", "max_new_tokens=24", "--set", "worker_slots=2", "--set", "heartbeat_interval_ms=200",
        "--set", "failure_timeout_ms=1500", "--set", "lease_timeout_ms=3000", "--set", "summary_interval_s=2",
    ]

    init(directory: URL? = nil, extraArguments: [String] = [], environment: [String: String] = [:]) throws {
        self.directory = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("grpo-fleet-\(UUID().uuidString)")
        process = Process()
        process.executableURL = try BuiltProduct.path("grpo-lambda")
        process.arguments = ["run", "--run-dir", self.directory.path] + Self.smallRun + extraArguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        // Services whose parent was killed: find them by their run directory and stop them.
        for pid in servicePIDs() { kill(pid, SIGKILL) }
        if keepDirectory {
            print("fleet test: run directory kept at \(directory.path)")
        } else {
            try? FileManager.default.removeItem(at: directory)
        }
    }

    /// Every JSON event in the run's log so far.
    func events() -> [[String: Any]] {
        guard let text = try? String(contentsOf: directory.appendingPathComponent("log.jsonl"), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    func events(_ name: String) -> [[String: Any]] { events().filter { $0["event"] as? String == name } }

    /// The learner's completed steps (from metrics.jsonl).
    func step() -> Int {
        guard let text = try? String(contentsOf: directory.appendingPathComponent("metrics.jsonl"), encoding: .utf8) else { return 0 }
        return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            .filter { $0["event"] as? String == "step" }.compactMap { ($0["step"] as? Double).map(Int.init) }.max() ?? 0
    }

    /// The newest pid of service `name` (from the supervisor's `process_started` events).
    func pid(of name: String) -> Int32? {
        events("process_started").last { $0["process"] as? String == name }.flatMap { ($0["pid"] as? Double).map(Int32.init) }
    }

    func starts(of name: String) -> Int { events("process_started").filter { $0["process"] as? String == name }.count }

    /// Whether any service process this run started is still alive.
    func anyServiceAlive() -> Bool { servicePIDs().contains { kill($0, 0) == 0 } }

    private func servicePIDs() -> [Int32] {
        events("process_started").compactMap { ($0["pid"] as? Double).map(Int32.init) }
    }

    /// Waits (polling, up to `timeout`) for `condition`; false if it never held.
    func wait(_ timeout: Duration = .seconds(120), until condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            if ContinuousClock.now >= deadline || !process.isRunning && !condition() { return condition() }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return true
    }

    /// Waits for `run` to exit (up to `timeout`); its status, nil if it had to be killed.
    func exitStatus(_ timeout: Duration = .seconds(180)) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now >= deadline {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                return nil
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return process.terminationStatus
    }

    func summary() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("summary.json"))) as? [String: Any] ?? [:]
    }

    func audit() throws -> LedgerAudit { try LedgerAudit(file: directory.appendingPathComponent("ledger.jsonl")) }

    func finalCheckpoint() throws -> TrainerState? {
        let store = CheckpointStore(directory: directory.appendingPathComponent("checkpoints"))
        return try store.checkpoints().first.map { try store.verify($0) }
    }
}
