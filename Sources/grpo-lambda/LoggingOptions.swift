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
    func bootstrap(file: URL? = nil) throws {
        try LogSetup.bootstrap(format: logFormat, level: logLevel, file: file)
    }
}

extension LogSetup.Format: ExpressibleByArgument {}
extension Logger.Level: @retroactive ExpressibleByArgument {}
