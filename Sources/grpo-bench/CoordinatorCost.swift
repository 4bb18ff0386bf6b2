import ArgumentParser
import Foundation
import Learner
import Logging
import Policy
import Primitives
import Protocol
import RolloutWorker
import Synchronization

/// Measures a real `grpo-lambda coordinator` process while worker processes fetch each new weight version.
enum CoordinatorCost {
    /// CPU seconds the coordinator spends per version (receiving it, encoding it once, serving every worker) and
    /// the wall time from publication until every worker holds it, over `versions` new versions.
    static func measure(workers: Int, stepper: VersionStepper, versions: Int,
                        modelConfig: ModelConfig) async throws -> (cpu: BenchmarkStatistics, deliver: BenchmarkStatistics) {
        let scratch = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("grpo-bench-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let url = { (name: String) in "ipc://\(scratch.appendingPathComponent(name).path)" }
        let coordinator = try spawn(sibling("grpo-lambda"), [
            "coordinator", "--workers", url("w"), "--learner", url("l"), "--announce", url("a"), "--run-dir", scratch.path,
            "--set", "full_snapshot_every=1000000", "--set", "lease_window=1", "--log-format", "json", "--log-level", "warning",
        ])
        defer { coordinator.terminate(); coordinator.waitUntilExit() }
        let learner = try MessageChannel(.request)
        defer { learner.close() }
        try learner.socket.dial(url("l"))
        try await publish(stepper.snapshot(), over: learner)

        let held = HeldVersions()
        var fetchers: [Process] = []
        defer { for f in fetchers { f.terminate(); f.waitUntilExit() } }
        for i in 0..<workers {
            let process = Process()
            process.executableURL = try sibling("grpo-bench")
            process.arguments = ["weight-fetcher", "--coordinator", url("w"), "--announce", url("a"), "--id", "fetcher-\(i)",
                                 "--config", modelConfig == .benchTiny ? "tiny" : "small"]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            fetchers.append(process)
            held.follow(out.fileHandleForReading, id: i)
        }
        try await held.wait(all: workers, atLeast: stepper.version)

        var cpu: [Double] = [], deliver: [Double] = []
        for _ in 0..<max(1, versions) {
            try stepper.step()
            let snapshot = stepper.snapshot()
            let cpu0 = try cpuSeconds(of: coordinator.processIdentifier)
            let start = ContinuousClock.now
            try await publish(snapshot, over: learner)
            try await held.wait(all: workers, atLeast: snapshot.version)
            deliver.append((ContinuousClock.now - start).seconds)
            cpu.append(try cpuSeconds(of: coordinator.processIdentifier) - cpu0)
        }
        return (BenchmarkStatistics(cpu), BenchmarkStatistics(deliver))
    }

    static func publish(_ snapshot: WeightSnapshot, over learner: MessageChannel) async throws {
        let (announcement, chunks) = snapshot.messages(chunkBytes: 4 << 20)
        _ = try await learner.request(announcement, expecting: Ack.self, timeout: .seconds(60))
        for chunk in chunks { _ = try await learner.request(chunk, expecting: Ack.self, timeout: .seconds(60)) }
    }

    /// utime + stime of a process, from /proc/PID/stat (clock ticks → seconds).
    static func cpuSeconds(of pid: Int32) throws -> Double {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        let fields = stat[stat.index(after: stat.lastIndex(of: ")")!)...].split(separator: " ")
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        return (Double(fields[11])! + Double(fields[12])!) / ticks
    }

    static func sibling(_ name: String) throws -> URL {
        let me = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
        return me.deletingLastPathComponent().appendingPathComponent(name)
    }

    static func spawn(_ executable: URL, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }
}

/// The version each fetcher process last reported holding ("held V" lines on its stdout).
final class HeldVersions: Sendable {
    private let versions = Mutex<[Int: UInt64]>([:])

    func follow(_ handle: FileHandle, id: Int) {
        Thread { [self] in
            var buffer = Data()
            while true {
                let data = handle.availableData
                if data.isEmpty { return }
                buffer.append(data)
                while let newline = buffer.firstIndex(of: 0x0A) {
                    let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                    buffer.removeSubrange(buffer.startIndex...newline)
                    if line.hasPrefix("held "), let v = UInt64(line.dropFirst(5)) { versions.withLock { $0[id] = v } }
                }
            }
        }.start()
    }

    func wait(all count: Int, atLeast version: UInt64, timeout: Duration = .seconds(300)) async throws {
        let deadline = ContinuousClock.now + timeout
        while versions.withLock({ v in v.count < count || v.values.contains { $0 < version } }) {
            if ContinuousClock.now > deadline { throw ValidationError("workers never reached version \(version)") }
            try await Task.sleep(for: .milliseconds(2))
        }
    }
}

/// `grpo-bench weight-fetcher`: a worker that only fetches weights (for `grpo-bench weights`): it registers,
/// brings its model to every announced version (verified), and prints "held V" after each.
struct WeightFetcher: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "weight-fetcher", abstract: "A weight-fetching worker for the weights suite.",
                                                    shouldDisplay: false)
    @Option var coordinator: String
    @Option var announce: String
    @Option var id: String
    @Option var config = "small"

    func run() async throws {
        let model = try Transformer(config: config == "tiny" ? .benchTiny : .benchSmall, seed: 1)
        let receiver = try WeightReceiver(workerID: id, model: model, logger: Logger(label: "fetcher"))
        let requests = try MessageChannel(.request)
        let announcements = try MessageChannel(.subscriber)
        try requests.socket.dial(coordinator)
        try announcements.socket.subscribe()
        try announcements.socket.dial(announce)
        _ = try await requests.request(WorkerRegister(workerID: id, host: "bench", pid: UInt32(getpid()), slots: 1),
                                       expecting: WorkerRegistered.self, timeout: .seconds(30))
        func update() async throws {
            if let v = try await receiver.update(from: requests, timeout: .seconds(60), loadOnto: { $0() }) {
                FileHandle.standardOutput.write(Data("held \(v)\n".utf8))
            }
        }
        try await update()
        while true {
            if case let .weightAnnounce(a) = try await announcements.receive(), a.version != receiver.held?.version {
                try await update()
            }
        }
    }
}
