import Foundation

/// Rotary position embedding in the `rotate_half` layout (Hugging Face Llama/Qwen2): for a head vector `x` of
/// `D` elements and `h = D/2`, `y[i] = x[i]·cos θᵢ − x[i+h]·sin θᵢ`, `y[i+h] = x[i+h]·cos θᵢ + x[i]·sin θᵢ`,
/// with `θᵢ = position · invFreq[i]`.
///
/// Inverse frequencies, including `llama3` scaling, are computed in Float32 exactly as `transformers` computes
/// them, and angles as `Float(position) · invFreq` (one Float32 rounding, as in `transformers`).
struct RotaryEmbedding: Sendable {
    /// `D/2`.
    let halfDimension: Int
    /// `[D/2]`.
    let inverseFrequencies: [Float]

    init(config: ModelConfig) {
        let dim = config.headDim
        halfDimension = dim / 2
        let base = Float(config.ropeTheta)
        var inverse = (0..<(dim / 2)).map { i in 1 / Foundation.pow(base, Float(2 * i) / Float(dim)) }
        if case let .llama3(factor, lowFactor, highFactor, originalMax) = config.ropeScaling {
            let factor = Float(factor), lowFactor = Float(lowFactor), highFactor = Float(highFactor)
            let oldContext = Float(originalMax)
            let lowWavelength = oldContext / lowFactor
            let highWavelength = oldContext / highFactor
            inverse = inverse.map { frequency in
                let wavelength = 2 * Float.pi / frequency
                let scaled = wavelength > lowWavelength ? frequency / factor : frequency
                let isMedium = !(wavelength < highWavelength) && !(wavelength > lowWavelength)
                guard isMedium else { return scaled }
                let smooth = (oldContext / wavelength - lowFactor) / (highFactor - lowFactor)
                return (1 - smooth) * scaled / factor + smooth * scaled
            }
        }
        inverseFrequencies = inverse
    }

    /// Fills `cos` and `sin` (each `[count, D/2]`) for positions `first..<first+count`.
    func fillTables(cos: UnsafeMutablePointer<Float>, sin: UnsafeMutablePointer<Float>, first: Int, count: Int) {
        for p in 0..<count {
            let position = Float(first + p)
            for i in 0..<halfDimension {
                let angle = Double(position * inverseFrequencies[i])
                cos[p * halfDimension + i] = Float(Foundation.cos(angle))
                sin[p * halfDimension + i] = Float(Foundation.sin(angle))
            }
        }
    }

    /// Rotates `heads` consecutive head vectors of one token in place (`x` `[heads, D]`), with that token's
    /// `cos`/`sin` rows (`[D/2]` each); `inverse` rotates by −θ, which is the backward (the transposed rotation).
    @inline(__always)
    static func rotate(_ x: UnsafeMutablePointer<Float>, heads: Int, halfDimension h: Int,
                       cos: UnsafePointer<Float>, sin: UnsafePointer<Float>, inverse: Bool = false) {
        let sign: Float = inverse ? -1 : 1
        let signs = VectorMath.Vector(repeating: sign)
        for head in 0..<heads {
            let lo = x + head * 2 * h, hi = lo + h
            var i = 0
            while i + 8 <= h {
                let a = VectorMath.load(lo + i), b = VectorMath.load(hi + i)
                let c = VectorMath.load(cos + i), s = VectorMath.load(sin + i) * signs
                VectorMath.store(a * c - b * s, lo + i)
                VectorMath.store(b * c + a * s, hi + i)
                i += 8
            }
            while i < h {
                let a = lo[i], b = hi[i], s = sin[i] * sign
                lo[i] = a * cos[i] - b * s
                hi[i] = b * cos[i] + a * s
                i += 1
            }
        }
    }
}
