import Coordinator
import Foundation
import Learner
import TestSupport
import Testing

/// A fleet across three hosts made of Linux network namespaces joined by a bridge: coordinator, learner and
/// verifier on the first, a worker on each of the other two, everything over tcp:// with the shared secret. One
/// worker host's link is cut mid-run: the run goes on, that worker's leases are re-issued, and when the link comes
/// back the worker re-joins and receives the current weights; the ledger shows every prompt trained once.
@Suite(.serialized) struct MultiHostTests {
    /// Three hosts and a switch; torn down when released.
    final class Network {
        let prefix = "g" + String(UInt32.random(in: 0..<0xFFFF), radix: 16)
        let subnet = "10.\(Int.random(in: 100...250)).\(Int.random(in: 1...250))"
        var created: [String] = []

        func host(_ i: Int) -> String { "\(prefix)h\(i)" }
        var switchNamespace: String { "\(prefix)sw" }
        func address(_ i: Int) -> String { "\(subnet).\(i)" }
        func switchPort(_ i: Int) -> String { "\(prefix)s\(i)" }

        static func ip(_ arguments: [String]) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
            process.arguments = arguments
            let err = Pipe()
            process.standardError = err
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw NetworkError(command: "ip " + arguments.joined(separator: " "),
                                   message: String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
            }
        }

        struct NetworkError: Error, CustomStringConvertible {
            let command: String
            let message: String
            var description: String { "\(command): \(message)" }
        }

        /// Builds the switch and hosts 1...3.
        func build() throws {
            try Self.ip(["netns", "add", switchNamespace])
            created.append(switchNamespace)
            try Self.ip(["-n", switchNamespace, "link", "add", "br0", "type", "bridge"])
            try Self.ip(["-n", switchNamespace, "link", "set", "br0", "up"])
            for i in 1...3 {
                let ns = host(i)
                try Self.ip(["netns", "add", ns])
                created.append(ns)
                try Self.ip(["-n", ns, "link", "add", "eth0", "type", "veth", "peer", "name", switchPort(i), "netns", switchNamespace])
                try Self.ip(["-n", ns, "addr", "add", "\(address(i))/24", "dev", "eth0"])
                try Self.ip(["-n", ns, "link", "set", "eth0", "up"])
                try Self.ip(["-n", ns, "link", "set", "lo", "up"])
                try Self.ip(["-n", switchNamespace, "link", "set", switchPort(i), "master", "br0"])
                try Self.ip(["-n", switchNamespace, "link", "set", switchPort(i), "up"])
            }
        }

        func setLink(of i: Int, up: Bool) throws {
            try Self.ip(["-n", switchNamespace, "link", "set", switchPort(i), up ? "up" : "down"])
        }

        deinit {
            for ns in created.reversed() { try? Self.ip(["netns", "delete", ns]) }
        }
    }

    /// A service started inside a host's namespace (`ip netns exec` becomes the service, so its pid is the service's).
    static func start(in namespace: String, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        process.arguments = ["netns", "exec", namespace, try BuiltProduct.path("grpo-lambda").path] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func events(_ url: URL) -> [[String: Any]] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    static func wait(_ timeout: Duration = .seconds(120), until condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return true
    }

    @Test func cuttingAWorkerHostsLinkLosesNothingAndTheWorkerComesBack() async throws {
        let network = Network()
        do {
            try network.build()
        } catch {
            // Only a machine that cannot make namespaces (no root, no iproute2) gets here.
            print("MultiHostTests SKIPPED: this machine cannot create network namespaces (\(error))")
            return
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("grpo-multihost-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var keep = true
        defer { if !keep { try? FileManager.default.removeItem(at: directory) } else { print("multi-host run kept at \(directory.path)") } }
        let secret = directory.appendingPathComponent("secret")
        try "a secret the three hosts share, long enough".write(to: secret, atomically: true, encoding: .utf8)

        let head = network.address(1)
        // Fleet.steps (120), not fewer: at ~40 ms a step a 40-step run could be within 3 steps of its end by the time
        // the cut worker is declared dead, and "training goes on" then waited for steps that never came.
        let steps = Fleet.steps
        let common = Fleet.smallRun
            + ["--secret-file", secret.path, "--log-format", "json"]
        var processes: [Process] = []
        defer { for p in processes where p.isRunning { kill(p.processIdentifier, SIGKILL); p.waitUntilExit() } }
        let run = ["--run-dir", directory.path]
        processes.append(try Self.start(in: network.host(1), ["coordinator", "--workers", "tcp://\(head):5557",
                                                               "--learner", "tcp://\(head):5558", "--announce", "tcp://\(head):5559"] + run + common))
        processes.append(try Self.start(in: network.host(1), ["verifier", "--listen", "tcp://\(head):5556", "--threads", "1",
                                                               "--secret-file", secret.path]))
        let learner = try Self.start(in: network.host(1), ["learner", "--rollouts", "tcp://\(head):5555",
                                                           "--coordinator", "tcp://\(head):5558"] + run + common)
        processes.append(learner)
        for i in 2...3 {
            processes.append(try Self.start(in: network.host(i), [
                "worker", "--coordinator", "tcp://\(head):5557", "--announce", "tcp://\(head):5559",
                "--learner", "tcp://\(head):5555", "--verifier", "tcp://\(head):5556", "--worker-id", "host\(i)",
                "--run-dir", directory.appendingPathComponent("host\(i)").path,
            ] + common.filter { $0 != "--run-dir" }))
        }
        let log = directory.appendingPathComponent("log.jsonl")
        func step() -> Int {
            Self.events(directory.appendingPathComponent("metrics.jsonl")).filter { $0["event"] as? String == "step" }
                .compactMap { ($0["step"] as? Double).map(Int.init) }.max() ?? 0
        }
        func coordinatorEvents(_ name: String, worker: String) -> [[String: Any]] {
            Self.events(log).filter { $0["service"] as? String == "coordinator" && $0["event"] as? String == name
                && $0["worker_id"] as? String == worker }
        }
        #expect(await Self.wait { step() >= 3 }, "the fleet never trained over tcp://")

        // Cut host 2 off: the coordinator declares its worker dead and re-issues its leases; training goes on.
        try network.setLink(of: 2, up: false)
        #expect(await Self.wait { !coordinatorEvents("worker_timed_out", worker: "host2").isEmpty })
        let cutAt = step()
        #expect(await Self.wait { step() >= cutAt + 3 }, "training stopped while host 2 was cut off")

        // Bring it back: the worker registers again and loads the weights current at that time.
        let versionAtReturn = UInt64(step())
        try network.setLink(of: 2, up: true)
        #expect(await Self.wait {
            !coordinatorEvents("worker_joined", worker: "host2").isEmpty && coordinatorEvents("worker_joined", worker: "host2").count >= 2
        })
        let hostLog = directory.appendingPathComponent("host2/log.jsonl")
        #expect(await Self.wait {
            Self.events(hostLog).contains { $0["event"] as? String == "weights_loaded" && ($0["version"] as? Double).map(UInt64.init) ?? 0 >= versionAtReturn }
        }, "host 2 never received the current weights")

        // The run finishes; every prompt was trained once.
        #expect(await Self.wait(.seconds(240)) { !learner.isRunning })
        #expect(learner.terminationStatus == 0)
        for p in processes where p.isRunning { kill(p.processIdentifier, SIGTERM) }
        for p in processes { p.waitUntilExit() }
        let audit = try LedgerAudit(file: directory.appendingPathComponent("ledger.jsonl"))
        #expect(audit.exactlyOnce && audit.consumedTwice.isEmpty && audit.consumed == 2 * steps, "\(audit)")
        #expect(!coordinatorEvents("worker_timed_out", worker: "host2").isEmpty)
        keep = false
    }
}
