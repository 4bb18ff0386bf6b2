import Foundation

/// AdamW (Loshchilov & Hutter) over one flat parameter buffer, with PyTorch's update rule: decoupled weight
/// decay `θ ← θ·(1 − lr·λ)`, then `θ ← θ − lr·m̂/(√v̂ + ε)` with bias-corrected moments.
///
/// The state — first and second moments in two `ParameterStore`s of the model's layout, and the step count —
/// is what a checkpoint must carry (`writeState(to:)` / `readState(from:)`). By default weight decay applies
/// to matrices only (embeddings and projections), not to norm weights or biases, as in Hugging Face's trainer.
public final class AdamW {
    /// Fixed hyperparameters (the learning rate is passed to each step, so schedules stay outside).
    public struct Configuration: Sendable, Equatable, Hashable, Codable {
        public var beta1: Float
        public var beta2: Float
        public var epsilon: Float
        public var weightDecay: Float
        /// Also decay rank-1 tensors (norm weights, biases).
        public var decayVectors: Bool

        public init(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0.01,
                    decayVectors: Bool = false) {
            self.beta1 = beta1
            self.beta2 = beta2
            self.epsilon = epsilon
            self.weightDecay = weightDecay
            self.decayVectors = decayVectors
        }
    }

    public let configuration: Configuration
    public let layout: ParameterLayout
    /// Exponential moving averages of the gradient and of its square.
    public let firstMoment: ParameterStore
    public let secondMoment: ParameterStore
    /// Updates taken so far (the bias corrections use it).
    public private(set) var step = 0
    /// Threads for the update loop.
    public let threads: Int
    /// Contiguous ranges of the buffer and whether they decay.
    private let segments: [(range: Range<Int>, decays: Bool)]

    public init(layout: ParameterLayout, configuration: Configuration = Configuration(),
                threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws {
        let c = configuration
        for (name, value, valid) in [("beta1", c.beta1, c.beta1 >= 0 && c.beta1 < 1),
                                     ("beta2", c.beta2, c.beta2 >= 0 && c.beta2 < 1),
                                     ("epsilon", c.epsilon, c.epsilon > 0),
                                     ("weightDecay", c.weightDecay, c.weightDecay >= 0)]
            where !valid || !value.isFinite {
            throw EngineError.invalidOption(name: name, value: "\(value)", reason: "outside the optimizer's domain")
        }
        self.configuration = configuration
        self.layout = layout
        self.threads = max(1, threads)
        firstMoment = ParameterStore(layout: layout)
        secondMoment = ParameterStore(layout: layout)
        // Merge neighbouring tensors with the same decay flag into one segment.
        var segments: [(range: Range<Int>, decays: Bool)] = []
        for tensor in layout.tensors {
            let decays = configuration.weightDecay > 0 && (configuration.decayVectors || tensor.shape.count >= 2)
            if let last = segments.last, last.decays == decays, last.range.upperBound == tensor.offset {
                segments[segments.count - 1].range = last.range.lowerBound..<tensor.range.upperBound
            } else {
                segments.append((tensor.range, decays))
            }
        }
        self.segments = segments
    }

    /// One update of `parameters` from `gradients` (both in this optimizer's layout) at `learningRate`.
    public func update(parameters: ParameterStore, gradients: ParameterStore, learningRate: Float) throws {
        guard parameters.layout == layout else {
            throw EngineError.layoutMismatch(expected: layout.count, found: parameters.count)
        }
        guard gradients.layout == layout else {
            throw EngineError.layoutMismatch(expected: layout.count, found: gradients.count)
        }
        guard learningRate.isFinite, learningRate >= 0 else {
            throw EngineError.invalidOption(name: "learningRate", value: "\(learningRate)", reason: "must be ≥ 0")
        }
        step += 1
        let c = configuration
        let correction1 = 1 - Foundation.pow(c.beta1, Float(step))
        let correction2 = 1 - Foundation.pow(c.beta2, Float(step))
        let constants = Constants(stepSize: learningRate / correction1,
                                  inverseRootCorrection2: 1 / correction2.squareRoot(), epsilon: c.epsilon,
                                  beta1: c.beta1, beta2: c.beta2, decayFactor: 1 - learningRate * c.weightDecay)
        let p = parameters.base, g = gradients.base, m = firstMoment.base, v = secondMoment.base
        // Blocks of 64k elements spread over the threads; each block lies inside one segment.
        var blocks: [(range: Range<Int>, decays: Bool)] = []
        for segment in segments {
            var start = segment.range.lowerBound
            while start < segment.range.upperBound {
                let end = min(segment.range.upperBound, start + 65_536)
                blocks.append((start..<end, segment.decays))
                start = end
            }
        }
        Parallel.forEach(blocks.count, threads: threads) { index, _ in
            let block = blocks[index]
            Self.update(range: block.range, decays: block.decays, p: p, g: g, m: m, v: v, constants)
        }
    }

    /// Sets the step count (restoring a checkpoint).
    func restoreStep(_ value: Int) { step = value }

    private struct Constants {
        let stepSize, inverseRootCorrection2, epsilon, beta1, beta2, decayFactor: Float
    }

    private static func update(range: Range<Int>, decays: Bool, p: UnsafeMutablePointer<Float>,
                               g: UnsafePointer<Float>, m: UnsafeMutablePointer<Float>,
                               v: UnsafeMutablePointer<Float>, _ k: Constants) {
        typealias Vector = VectorMath.Vector
        let decay = Vector(repeating: decays ? k.decayFactor : 1)
        let b1 = Vector(repeating: k.beta1), b2 = Vector(repeating: k.beta2)
        let c1 = Vector(repeating: 1 - k.beta1), c2 = Vector(repeating: 1 - k.beta2)
        let step = Vector(repeating: k.stepSize), root = Vector(repeating: k.inverseRootCorrection2)
        let eps = Vector(repeating: k.epsilon)
        var i = range.lowerBound
        while i + 8 <= range.upperBound {
            let gv = VectorMath.load(g + i)
            let mv = b1 * VectorMath.load(m + i) + c1 * gv
            let vv = b2 * VectorMath.load(v + i) + c2 * gv * gv
            VectorMath.store(mv, m + i)
            VectorMath.store(vv, v + i)
            let denominator = vv.squareRoot() * root + eps
            VectorMath.store(VectorMath.load(p + i) * decay - step * mv / denominator, p + i)
            i += 8
        }
        while i < range.upperBound {
            m[i] = k.beta1 * m[i] + (1 - k.beta1) * g[i]
            v[i] = k.beta2 * v[i] + (1 - k.beta2) * g[i] * g[i]
            let denominator = v[i].squareRoot() * k.inverseRootCorrection2 + k.epsilon
            p[i] = p[i] * (decays ? k.decayFactor : 1) - k.stepSize * m[i] / denominator
            i += 1
        }
    }
}
