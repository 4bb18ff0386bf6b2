import Foundation
import Policy

/// What training a model of N parameters holds in memory, checked before a learner allocates it: Float32
/// weights, gradients and two Adam moments (16 bytes per parameter), a frozen reference copy when the KL term is
/// on (4 more), and the activations of one micro-batch (measured: docs/PERFORMANCE.md). A machine that cannot hold
/// the parameter state gets a clear error instead of an out-of-memory kill half-way through a step.
public struct TrainingMemory: Sendable, Equatable {
    public var parameters: Int
    /// Weights, gradients, Adam moments and the reference copy, in bytes.
    public var parameterStateBytes: Int

    public init(config: ModelConfig, klCoefficient: Double) {
        parameters = ParameterLayout(config: config).count
        parameterStateBytes = parameters * (klCoefficient > 0 ? 20 : 16)
    }

    /// Memory the system reports as available (MemAvailable), nil where /proc/meminfo is not readable.
    public static func availableBytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("MemAvailable:") }),
              let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return nil }
        return kilobytes * 1024
    }

    /// Throws when the parameter state alone does not fit in what the machine has available.
    public func check(available: Int? = TrainingMemory.availableBytes()) throws {
        guard let available, parameterStateBytes > available else { return }
        func gib(_ b: Int) -> String { String(format: "%.1f GiB", Double(b) / Double(1 << 30)) }
        throw RunError.invalidConfiguration(
            "training this model (\(parameters) parameters) needs \(gib(parameterStateBytes)) for Float32 weights, "
                + "gradients and Adam moments before any activation, and this machine has \(gib(available)) available: "
                + "use a smaller model or a machine with more memory")
    }
}
