import Foundation

/// Runs a command to its end and returns its exit status and standard output (standard error too, when
/// `includeStandardError`). For tools that finish on their own; a test that talks to a server it started uses
/// `PythonInterop.run`, which keeps blocking reads off the cooperative pool.
public struct CommandRun: Sendable {
    public let status: Int32
    public let output: String

    public static func run(_ executable: URL, _ arguments: [String], includeStandardError: Bool = false) throws -> CommandRun {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = includeStandardError ? out : FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandRun(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}
