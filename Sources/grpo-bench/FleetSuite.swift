import ArgumentParser
import Foundation
import Logging
import Primitives
import Protocol
import Synchronization

/// `grpo-bench fleet`: the control plane under load and the whole system's throughput.
///
/// - A real `grpo-lambda coordinator` process with `--simulated-workers` workers (default 256, in this process,
///   each with its own REQ socket) that heartbeat every second and lease a group every two, and a stand-in learner
///   that reports every group received, used and consumed: the coordinator's CPU as a fraction of one core.
/// - `grpo-lambda run` with 1 and with 2 workers on the built-in default (fewer steps; the warm start is made once
///   and reused): groups trained per second and the learner's idle fraction, from each run's summary.json.
struct FleetSuite: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet", abstract: "Coordinator CPU with 256 simulated workers; groups/s and learner idle fraction of `run` with 1 and 2 workers.")

    @OptionGroup var common: CommonBenchOptions
    @Option(help: "Simulated workers heartbeating and leasing.") var simulatedWorkers = 256
    @Option(help: "Seconds the coordinator is measured under that load.") var seconds = 20.0
    @Option(help: "Learner steps of each end-to-end run.") var steps = 12
    @Option(help: "Worker counts of the end-to-end runs.") var workers: [Int] = [1, 2]
    @Flag(help: "Skip the end-to-end runs.") var controlPlaneOnly = false

    func run() async throws {
        let fraction = try await coordinatorLoad()
        progress("coordinator with \(simulatedWorkers) workers: \(String(format: "%.3f", fraction)) of a core")
        var groups: [String: Any] = [:], idle: [String: Any] = [:], figures: [String: Any] = [:]
        if !controlPlaneOnly {
            let scratch = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("grpo-bench-fleet-\(UUID().uuidString.prefix(8))")
            defer { try? FileManager.default.removeItem(at: scratch) }
            for count in workers {
                let summary = try endToEnd(workers: count, scratch: scratch)
                let fleet = summary["fleet"] as? [String: Any] ?? [:]
                groups["\(count)"] = fleet["groups_per_second"]
                idle["\(count)"] = fleet["learner_idle_fraction"]
                figures["\(count)"] = summary
                progress("run with \(count) workers: \(fleet["groups_per_second"] ?? "?") groups/s, learner idle \(fleet["learner_idle_fraction"] ?? "?")")
            }
        }
        try emitJSON([
            "suite": "fleet", "simulated_workers": simulatedWorkers, "measured_seconds": seconds,
            "coordinator_cpu_fraction_256_workers": fraction, "groups_per_s": groups, "learner_idle_fraction": idle,
            "steps": steps, "runs": figures,
        ])
    }

    /// The coordinator's CPU share while the simulated fleet works.
    private func coordinatorLoad() async throws -> Double {
        let scratch = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("grpo-bench-coord-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let url = { (name: String) in "ipc://\(scratch.appendingPathComponent(name).path)" }
        let coordinator = try CoordinatorCost.spawn(CoordinatorCost.sibling("grpo-lambda"), [
            "coordinator", "--workers", url("w"), "--learner", url("l"), "--announce", url("a"), "--run-dir", scratch.path,
            "--set", "lease_window=\(simulatedWorkers * 2)", "--group-size", "16", "--log-format", "json", "--log-level", "warning",
        ])
        defer { coordinator.terminate(); coordinator.waitUntilExit() }
        let learner = try MessageChannel(.request)
        defer { learner.close() }
        try learner.socket.dial(url("l"))
        // One published version, so that leases are granted.
        let parameters = [Float](repeating: 0.01, count: 1 << 16)
        let bytes = parameters.withUnsafeBytes { Array($0) }
        _ = try await learner.request(NewWeightVersion(version: 0, learnerStep: 0, parameterCount: UInt64(parameters.count),
                                                       modelFingerprint: 1, chunkSize: UInt32(bytes.count), chunkCount: 1,
                                                       sha256: bytes.withUnsafeBytes { SHA256Digest.of($0) }),
                                      expecting: Ack.self, timeout: .seconds(30))
        _ = try await learner.request(WeightChunk(version: 0, encoding: .float32, baseVersion: 0, chunkIndex: 0, chunkCount: 1,
                                                  bytes: WireArray(bytes)), expecting: Ack.self, timeout: .seconds(30))

        let shared = SimulationState()
        let workerCount = simulatedWorkers, duration = seconds
        let clients = try (0..<simulatedWorkers).map { _ -> MessageChannel in
            let c = try MessageChannel(.request)
            try c.socket.dial(url("w"))
            return c
        }
        defer { for c in clients { c.close() } }
        // Register everyone first (not measured).
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (i, c) in clients.enumerated() {
                group.addTask {
                    _ = try await c.request(WorkerRegister(workerID: "sim-\(i)", host: "bench", pid: UInt32(i), slots: 1),
                                            expecting: WorkerRegistered.self, timeout: .seconds(30))
                }
            }
            try await group.waitForAll()
        }
        let cpu0 = try CoordinatorCost.cpuSeconds(of: coordinator.processIdentifier)
        let start = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            for (i, c) in clients.enumerated() {
                group.addTask {
                    var active: [UInt64] = []
                    var tick = 0
                    try? await Task.sleep(for: .milliseconds(Int64(i * 1000 / max(1, workerCount))))
                    while !shared.stop.load(ordering: .relaxed) {
                        _ = try? await c.request(Heartbeat(workerID: "sim-\(i)", heldWeightVersion: 0, activeLeaseIDs: active,
                                                           groupsCompleted: UInt64(tick), tokensGenerated: UInt64(tick * 500)),
                                                 expecting: HeartbeatAck.self, timeout: .seconds(10))
                        if tick % 2 == 1 {
                            shared.leased.withLock { $0 += active }  // the group is "pushed"
                            active = (try? await c.request(LeaseRequest(workerID: "sim-\(i)", maxGroups: 1),
                                                           expecting: LeaseGrant.self, timeout: .seconds(10)))?.leases.map(\.leaseID) ?? []
                        }
                        tick += 1
                        try? await Task.sleep(for: .seconds(1))
                    }
                }
            }
            group.addTask {
                // The learner: what arrived last second is received, used and (as if checkpointed) consumed.
                var step: UInt64 = 0
                while !shared.stop.load(ordering: .relaxed) {
                    let arrived = shared.leased.withLock { l in defer { l.removeAll() }; return l }
                    step += 1
                    _ = try? await learner.request(LeaseReport(learnerStep: step, weightVersion: 0, received: arrived,
                                                               used: arrived, consumed: arrived),
                                                   expecting: Ack.self, timeout: .seconds(10))
                    try? await Task.sleep(for: .seconds(1))
                }
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(duration))
                shared.stop.store(true, ordering: .relaxed)
            }
        }
        let elapsed = (ContinuousClock.now - start).seconds
        return (try CoordinatorCost.cpuSeconds(of: coordinator.processIdentifier) - cpu0) / elapsed
    }

    /// `grpo-lambda run` with `workers` workers for `steps` steps; its summary.json.
    private func endToEnd(workers: Int, scratch: URL) throws -> [String: Any] {
        let directory = scratch.appendingPathComponent("run-\(workers)")
        let warm = scratch.appendingPathComponent("warm_start")
        if FileManager.default.fileExists(atPath: warm.path) {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: warm, to: directory.appendingPathComponent("warm_start"))
        }
        let process = try CoordinatorCost.spawn(CoordinatorCost.sibling("grpo-lambda"), [
            "run", "--run-dir", directory.path, "--workers", "\(workers)", "--steps", "\(steps)", "--eval-every", "0",
        ])
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ValidationError("run with \(workers) workers failed (\(directory.path))") }
        if !FileManager.default.fileExists(atPath: warm.path) {
            try FileManager.default.copyItem(at: directory.appendingPathComponent("warm_start"), to: warm)
        }
        return try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("summary.json"))) as? [String: Any] ?? [:]
    }
}

/// What the simulated workers and the stand-in learner share.
private final class SimulationState: Sendable {
    let leased = Mutex<[UInt64]>([])
    let stop = Atomic<Bool>(false)
}
