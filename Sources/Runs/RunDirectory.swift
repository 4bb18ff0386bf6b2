import Foundation
import Logging
import Reports
import Telemetry

/// A run's directory and what lives in it: `config.json` (the effective configuration), `log.jsonl` (events,
/// written by the process's log setup), `metrics.jsonl` (one line per step, evaluation and warm-start report),
/// `warm_start/model.safetensors`, `checkpoints/step-NNNNNNNN/` and `summary.json`.
public struct RunDirectory: Sendable {
    public let url: URL
    /// metrics.jsonl, shared by every writer of the run (lines are appended whole, O_APPEND).
    public let metrics: LineSink

    /// Creates the directory if needed, writes `config.json` (unless `recordConfiguration` is off: a command that
    /// only reads the run) and opens `metrics.jsonl`.
    public static func prepare(_ url: URL, configuration: RunConfiguration, recordConfiguration: Bool = true) throws -> RunDirectory {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            let recorded = url.appendingPathComponent("config.json")
            if recordConfiguration || !FileManager.default.fileExists(atPath: recorded.path) {
                try configuration.resolved().jsonData().write(to: recorded, options: .atomic)
            }
            return RunDirectory(url: url, metrics: try LineSink(appendingTo: url.appendingPathComponent("metrics.jsonl")))
        } catch {
            throw RunError.runDirectory("cannot prepare \(url.path): \(error.localizedDescription)")
        }
    }

    public var log: URL { Self.logFile(in: url) }
    /// The coordinator's lease ledger.
    public var ledger: URL { url.appendingPathComponent("ledger.jsonl") }

    /// Where every process of a run appends its events.
    public static func logFile(in directory: URL) -> URL { directory.appendingPathComponent("log.jsonl") }
    public var warmStartWeights: URL { url.appendingPathComponent("warm_start/model.safetensors") }
    public var checkpoints: URL { url.appendingPathComponent("checkpoints") }
    public var summary: URL { url.appendingPathComponent("summary.json") }
    public var report: URL { url.appendingPathComponent("report.html") }

    /// Rewrites `report.html` from what the run's files hold now. A report that cannot be written is logged and
    /// skipped: it never stops a run.
    public func writeReport(logger: Logger) {
        do {
            try HTMLReport.write(runDirectories: [url], to: report)
        } catch {
            logger.warning("report not written", metadata: ["event": "report_failed", "path": "\(report.path)",
                                                           "error": "\(error)"])
        }
    }
}
