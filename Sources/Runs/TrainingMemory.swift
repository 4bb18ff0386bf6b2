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
    /// What one token position held for the backward pass costs: per layer about 8 hidden-sized and 3
    /// intermediate-sized Float32 rows, plus the logits and their gradient (2 × vocabulary). For Qwen2.5-0.5B's shape
    /// 3.3 MB, which is what training it measured (docs/PERFORMANCE.md).
    public var activationBytesPerToken: Int

    public init(config: ModelConfig, klCoefficient: Double) {
        parameters = ParameterLayout(config: config).count
        parameterStateBytes = parameters * (klCoefficient > 0 ? 20 : 16)
        activationBytesPerToken = 4 * config.numLayers * (8 * config.hiddenSize + 3 * config.intermediateSize)
            + 8 * config.vocabSize
    }

    /// Token positions to forward and backward at once: `requested` when set (> 0), else as many as 80% of what is
    /// left after the parameter state holds (with a quarter spare), between 256 and 32,768. A 0.5B model on a 24 GiB
    /// machine gets a few thousand; the built-in model the maximum.
    public func microBatchTokens(requested: Int, available: Int? = TrainingMemory.availableBytes()) -> Int {
        if requested > 0 { return requested }
        guard let available else { return 32_768 }
        let budget = Double(available - parameterStateBytes) * 0.8
        let tokens = Int(budget / (Double(activationBytesPerToken) * 1.25))
        return min(32_768, max(256, tokens))
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
