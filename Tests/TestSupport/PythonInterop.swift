import Foundation

/// Runs the independent Python client of the protocol (Tests/interop/protocol_client.py) for interop tests.
public enum PythonInterop {
    public static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The interpreter with pynng and zstandard: $GRPO_PYTHON, else the repository's .venv (scripts/setup.sh),
    /// else python3.
    public static var python: String {
        if let p = ProcessInfo.processInfo.environment["GRPO_PYTHON"] { return p }
        let venv = repositoryRoot.appendingPathComponent(".venv/bin/python").path
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : "/usr/bin/env python3"
    }

    public struct Result: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// Runs the client with `arguments` and waits for it on plain threads: blocking reads must never occupy
    /// Swift's cooperative pool, which the servers a test runs need to answer the client.
    public static func run(_ arguments: [String]) async throws -> Result {
        let script = repositoryRoot.appendingPathComponent("Tests/interop/protocol_client.py").path
        let process = Process()
        let command = python.split(separator: " ").map(String.init)
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst()) + [script] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return await withCheckedContinuation { continuation in
            Thread {
                let e = DataBox()
                let stderrDone = DispatchGroup()
                stderrDone.enter()
                Thread { e.data = err.fileHandleForReading.readDataToEndOfFile(); stderrDone.leave() }.start()
                let o = out.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                stderrDone.wait()
                continuation.resume(returning: Result(status: process.terminationStatus,
                                                      stdout: String(decoding: o, as: UTF8.self),
                                                      stderr: String(decoding: e.data, as: UTF8.self)))
            }.start()
        }
    }
}

/// Bytes written by one thread and read by another after a DispatchGroup wait.
private final class DataBox: @unchecked Sendable { var data = Data() }
