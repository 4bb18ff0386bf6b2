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

    /// Runs the client with `arguments` to its end: its JSON on `output`, its complaints on `standardError`.
    public static func run(_ arguments: [String]) async throws -> CommandRun {
        let script = repositoryRoot.appendingPathComponent("Tests/interop/protocol_client.py").path
        let command = python.split(separator: " ").map(String.init)
        return try await CommandRun.run(URL(fileURLWithPath: command[0]), Array(command.dropFirst()) + [script] + arguments)
    }
}
