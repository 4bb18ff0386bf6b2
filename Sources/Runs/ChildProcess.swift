import Foundation
import Logging
import Synchronization

/// One service process of a fleet run, started from the `grpo-lambda` executable and supervised: if it dies
/// while the run goes on (a crash, `kill -9`), it is started again, up to `maxRestarts` times, the way systemd
/// would. Its stderr is appended to `<run>/logs/<name>.stderr` (its events go to the run's log.jsonl).
public final class ChildProcess: @unchecked Sendable {
    public let name: String
    public let arguments: [String]
    private let executable: URL
    private let stderrURL: URL
    private let environment: [String: String]?
    private let logger: Logger
    private let maxRestarts: Int
    private let state = Mutex<(process: Process?, restarts: Int, stopping: Bool)>((nil, 0, false))

    public init(name: String, executable: URL, arguments: [String], logDirectory: URL, environment: [String: String]? = nil,
                maxRestarts: Int = 5, logger: Logger) {
        self.name = name
        self.executable = executable
        self.arguments = arguments
        stderrURL = logDirectory.appendingPathComponent("\(name).stderr")
        self.environment = environment
        self.maxRestarts = maxRestarts
        self.logger = logger
    }

    /// The running process's id (nil before start or after it ended for good).
    public var processIdentifier: Int32? {
        state.withLock { $0.process.flatMap { $0.isRunning ? $0.processIdentifier : nil } }
    }

    public var restarts: Int { state.withLock { $0.restarts } }

    public func start() throws {
        try FileManager.default.createDirectory(at: stderrURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: stderrURL.path) {
            _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        let stderr = try FileHandle(forWritingTo: stderrURL)
        try stderr.seekToEnd()
        process.standardError = stderr
        process.terminationHandler = { [weak self] finished in
            try? stderr.close()
            self?.ended(finished)
        }
        try process.run()
        state.withLock { $0.process = process }
        logger.info("process started", metadata: [
            "event": "process_started", "process": "\(name)", "pid": .stringConvertible(process.processIdentifier),
        ])
    }

    /// Asks the process to stop (SIGTERM) and waits up to `timeout`, then kills it (SIGKILL).
    public func stop(timeout: Duration = .seconds(30)) async {
        let process = state.withLock { s -> Process? in
            s.stopping = true
            return s.process
        }
        guard let process, process.isRunning else { return }
        process.terminate()
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning {
            logger.warning("process did not stop in time; killing it", metadata: ["event": "process_killed", "process": "\(name)"])
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// Waits until the process ends for good (not restarted); its last exit status (nil if cancelled first).
    public func waitForExit() async -> Int32? {
        while !Task.isCancelled {
            let (process, stopping, exhausted) = state.withLock { ($0.process, $0.stopping, $0.restarts >= maxRestarts) }
            if let process, !process.isRunning, stopping || exhausted || process.terminationStatus == 0 {
                return process.terminationStatus
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    private func ended(_ process: Process) {
        let status = process.terminationStatus
        let restart = state.withLock { s -> Bool in
            guard !s.stopping, status != 0 || process.terminationReason == .uncaughtSignal, s.restarts < maxRestarts else {
                return false
            }
            s.restarts += 1
            return true
        }
        guard restart else { return }
        logger.warning("process died; restarting it", metadata: [
            "event": "process_died", "process": "\(name)", "status": .stringConvertible(status),
            "restart": .stringConvertible(restarts),
        ])
        DispatchQueue.global().asyncAfter(deadline: .now() + 1) { [weak self] in
            guard let self, !self.state.withLock({ $0.stopping }) else { return }
            do { try self.start() } catch {
                self.logger.error("could not restart process", metadata: ["event": "process_restart_failed",
                                                                          "process": "\(self.name)", "error": "\(error)"])
            }
        }
    }
}
