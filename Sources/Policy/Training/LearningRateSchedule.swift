import Foundation

/// Linear warm-up to `peak`, then cosine decay to `minimum` at `totalSteps` (and `minimum` after).
///
/// Step `s` (0-based) of the warm-up gets `peak·(s + 1)/warmupSteps`, so the first update is not wasted at 0.
public struct LearningRateSchedule: Sendable, Equatable, Hashable, Codable {
    public var peak: Float
    public var minimum: Float
    public var warmupSteps: Int
    public var totalSteps: Int

    public init(peak: Float, minimum: Float = 0, warmupSteps: Int = 0, totalSteps: Int) {
        self.peak = peak
        self.minimum = minimum
        self.warmupSteps = max(0, warmupSteps)
        self.totalSteps = max(totalSteps, self.warmupSteps)
    }

    /// The learning rate of update `step` (0-based).
    public func learningRate(at step: Int) -> Float {
        if step < warmupSteps { return peak * Float(step + 1) / Float(warmupSteps) }
        let decaySteps = totalSteps - warmupSteps
        guard decaySteps > 0 else { return peak }
        let progress = min(1, Double(step - warmupSteps) / Double(decaySteps))
        return minimum + (peak - minimum) * Float(0.5 * (1 + cos(Double.pi * progress)))
    }
}
