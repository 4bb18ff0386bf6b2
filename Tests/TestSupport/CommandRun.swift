import Foundation

/// Runs a command to its end and returns its exit status and output.
///
/// The waiting (pipe reads, `waitUntilExit`) happens on plain threads, never on Swift's cooperative pool: a test
/// that ran a long command there (an experiment, a headless browser) held one of its few threads for the whole
/// run, and two such tests at once starved every other test and the services they talk to.
public struct CommandRun: Sendable {
    public let status: Int32
    /// Standard output (with standard error interleaved when `includeStandardError`).
    public let output: String
    /// Standard error when it was not merged into `output` (empty otherwise).
    public let standardError: String

    /// - Parameter environment: variables to set (a nil value removes the variable); the rest is inherited.
    public static func run(_ executable: URL, _ arguments: [String], includeStandardError: Bool = false,
                           environment: [String: String?] = [:]) async throws -> CommandRun {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if !environment.isEmpty {
            var merged = ProcessInfo.processInfo.environment
            for (key, value) in environment { merged[key] = value }
            process.environment = merged
        }
        let out = Pipe(), err = includeStandardError ? nil : Pipe()
        process.standardOutput = out
        process.standardError = err ?? out
        try process.run()
        return await withCheckedContinuation { continuation in
            Thread {
                let errors = DataBox()
                let errorsRead = DispatchGroup()
                if let err {
                    errorsRead.enter()
                    Thread { errors.data = err.fileHandleForReading.readDataToEndOfFile(); errorsRead.leave() }.start()
                }
                let output = out.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                errorsRead.wait()
                continuation.resume(returning: CommandRun(status: process.terminationStatus,
                                                          output: String(decoding: output, as: UTF8.self),
                                                          standardError: String(decoding: errors.data, as: UTF8.self)))
            }.start()
        }
    }
}

/// Bytes written by one thread and read by another after a DispatchGroup wait.
private final class DataBox: @unchecked Sendable { var data = Data() }
