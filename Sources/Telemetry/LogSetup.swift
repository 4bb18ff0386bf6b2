import Foundation
import Logging

/// How a process logs, chosen once at start-up by its executable (`LoggingSystem.bootstrap` may run only once).
public enum LogSetup {
    public enum Format: String, Sendable, CaseIterable {
        /// One JSON object per line (machines, `jq`, the run directory's log.jsonl).
        case json
        /// swift-log's plain text (people at a terminal).
        case text
    }

    /// Installs the process-wide log backend: `format` on standard error, plus JSON lines appended to `file`.
    /// `consoleLevel` raises the level of standard error alone (a command that prints its own progress lines
    /// keeps the console for those, and its events for the file).
    public static func bootstrap(format: Format, level: Logger.Level, file: URL? = nil,
                                 consoleLevel: Logger.Level? = nil) throws {
        let fileSink = try file.map { try LineSink(appendingTo: $0) }
        let console = max(level, consoleLevel ?? level)
        LoggingSystem.bootstrap { label in
            var handlers: [LogHandler] = []
            switch format {
            case .json: handlers.append(JSONLogHandler(label: label, level: console, sinks: [.standardError]))
            case .text:
                var h = StreamLogHandler.standardError(label: label)
                h.logLevel = console
                handlers.append(h)
            }
            if let fileSink { handlers.append(JSONLogHandler(label: label, level: level, sinks: [fileSink])) }
            return handlers.count == 1 ? handlers[0] : MultiplexLogHandler(handlers)
        }
    }
}
