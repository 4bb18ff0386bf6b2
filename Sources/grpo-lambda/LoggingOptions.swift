import ArgumentParser
import Foundation
import Logging
import Telemetry

/// Logging flags every long-running command takes.
struct LoggingOptions: ParsableArguments {
    @Option(help: "Log format on stderr: json (one object per line) or text.")
    var logFormat: LogSetup.Format = .text

    @Option(help: "Lowest level logged: \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")).")
    var logLevel: Logger.Level = .info

    /// Installs the process's log backend; `file` additionally receives every event as a JSON line.
    /// `quietConsole` keeps text-format stderr to warnings and errors (the command prints its own progress).
    func bootstrap(file: URL? = nil, quietConsole: Bool = false) throws {
        try LogSetup.bootstrap(format: logFormat, level: logLevel, file: file,
                               consoleLevel: quietConsole && logFormat == .text ? .warning : nil)
    }
}

extension LogSetup.Format: ExpressibleByArgument {}
extension Logger.Level: @retroactive ExpressibleByArgument {}
