import ArgumentParser
import Foundation
import Logging
import Telemetry

extension LoggingOptions {
    /// Installs the process's log backend; `file` additionally receives every event as a JSON line.
    func bootstrap(file: URL? = nil) throws {
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        try LogSetup.bootstrap(format: logFormat == .json ? .json : .text, level: level, file: file)
    }
}
