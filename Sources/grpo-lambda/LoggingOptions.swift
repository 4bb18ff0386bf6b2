import ArgumentParser
import Foundation
import Logging
import Policy
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
        if let blas = BLASCore.selection {
            let level: Logger.Level = blas.best.map { BLASCore.isWeaker(blas.core, than: $0) } == true ? .warning : .info
            let kept = level == .warning && blas.source == .environment
                ? "; OPENBLAS_CORETYPE from the environment is kept (unset it to let grpo-lambda choose)" : ""
            Logger(label: "grpo-lambda").log(level: level, "matrix products: \(blas)\(kept)", metadata: [
                "event": "blas_core", "core": "\(blas.core)", "source": "\(blas.source.rawValue)",
                "best_for_cpu": "\(blas.best ?? "unknown")", "check_error": "\(blas.checkError)",
                "decode_kernel": "\(EngineKernels.decode)",
            ])
        }
    }
}

extension LogSetup.Format: ExpressibleByArgument {}
extension Logger.Level: @retroactive ExpressibleByArgument {}
