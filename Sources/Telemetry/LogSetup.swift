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
    public static func bootstrap(format: Format, level: Logger.Level, file: URL? = nil) throws {
        let fileSink = try file.map { try LineSink(appendingTo: $0) }
        LoggingSystem.bootstrap { label in
            var handlers: [LogHandler] = []
            switch format {
            case .json: handlers.append(JSONLogHandler(label: label, level: level, sinks: [.standardError]))
            case .text:
                var h = StreamLogHandler.standardError(label: label)
                h.logLevel = level
                handlers.append(h)
            }
            if let fileSink { handlers.append(JSONLogHandler(label: label, level: level, sinks: [fileSink])) }
            return handlers.count == 1 ? handlers[0] : MultiplexLogHandler(handlers)
        }
    }
}
