/// Vectorised conversions between `Float` and the 16-bit float formats stored in checkpoints and sent to
/// samplers (the policy engine reads and writes them; the coordinator and workers encode weight versions).
///
/// Sources and destinations may be unaligned (safetensors data offsets need not be multiples of the element
/// size). The loops work on 16 lanes at a time with SIMD integer arithmetic, so the optimiser emits vector code
/// with no per-element calls; the scalar tails use the same arithmetic.
public enum FloatConversion {
    /// bfloat16 (the high half of a float32) → `Float`: `count` values from `source` (2 bytes each).
    public static func bfloat16ToFloat(_ source: UnsafeRawPointer, count: Int, into destination: UnsafeMutablePointer<Float>) {
        let output = UnsafeMutableRawPointer(destination)
        var i = 0
        while i + 16 <= count {
            let halves = source.loadUnaligned(fromByteOffset: 2 * i, as: SIMD16<UInt16>.self)
            let words = SIMD16<UInt32>(truncatingIfNeeded: halves) &<< 16
            output.storeBytes(of: words, toByteOffset: 4 * i, as: SIMD16<UInt32>.self)
            i += 16
        }
        while i < count {
            let half = source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)
            destination[i] = Float(bitPattern: UInt32(half) << 16)
            i += 1
        }
    }

    /// IEEE binary16 → `Float`, exact for every input including subnormals, infinities and NaNs.
    public static func float16ToFloat(_ source: UnsafeRawPointer, count: Int, into destination: UnsafeMutablePointer<Float>) {
        let output = UnsafeMutableRawPointer(destination)
        var i = 0
        while i + 16 <= count {
            let halves = SIMD16<UInt32>(truncatingIfNeeded: source.loadUnaligned(fromByteOffset: 2 * i,
                                                                                  as: SIMD16<UInt16>.self))
            output.storeBytes(of: widenHalf(halves), toByteOffset: 4 * i, as: SIMD16<UInt32>.self)
            i += 16
        }
        while i < count {
            let half = UInt32(source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
            let word = widenHalf(SIMD16<UInt32>(repeating: half))[0]
            destination[i] = Float(bitPattern: word)
            i += 1
        }
    }

    /// `Float` → bfloat16 with round-to-nearest-even; NaNs stay (quiet) NaNs. Writes `2 × count` bytes.
    public static func floatToBFloat16(_ source: UnsafePointer<Float>, count: Int, into destination: UnsafeMutableRawPointer) {
        let input = UnsafeRawPointer(source)
        var i = 0
        while i + 16 <= count {
            let words = input.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<UInt32>.self)
            destination.storeBytes(of: SIMD16<UInt16>(truncatingIfNeeded: roundToBFloat16(words)),
                                   toByteOffset: 2 * i, as: SIMD16<UInt16>.self)
            i += 16
        }
        while i < count {
            let word = roundToBFloat16(SIMD16<UInt32>(repeating: source[i].bitPattern))[0]
            destination.storeBytes(of: UInt16(truncatingIfNeeded: word), toByteOffset: 2 * i, as: UInt16.self)
            i += 1
        }
    }

    /// Float32 bit patterns → bfloat16 bit patterns (in the low 16 bits), round-to-nearest-even.
    @inline(__always)
    private static func roundToBFloat16(_ words: SIMD16<UInt32>) -> SIMD16<UInt32> {
        let upper = words &>> 16
        let rounded = (words &+ 0x7FFF &+ (upper & 1)) &>> 16
        let isNaN = (words & 0x7FFF_FFFF) .> 0x7F80_0000
        return rounded.replacing(with: upper | 0x0040, where: isNaN)
    }

    /// binary16 bit patterns (low 16 bits) → float32 bit patterns.
    ///
    /// Normal numbers rebias the exponent by 112; infinities and NaNs get the all-ones exponent; subnormals
    /// (exponent 0) are `mantissa × 2⁻²⁴`, computed exactly in float arithmetic; zero falls out of the same path.
    @inline(__always)
    private static func widenHalf(_ half: SIMD16<UInt32>) -> SIMD16<UInt32> {
        let magnitude = (half & 0x7FFF) &<< 13
        let exponent = magnitude & 0x0F80_0000
        var result = magnitude &+ 0x3800_0000
        result.replace(with: result &+ 0x3800_0000, where: exponent .== 0x0F80_0000)
        let subnormal = SIMD16<Float>(half & 0x03FF) * SIMD16<Float>(repeating: 0x1p-24)
        result.replace(with: unsafeBitCast(subnormal, to: SIMD16<UInt32>.self), where: exponent .== 0)
        return result | ((half & 0x8000) &<< 16)
    }
}
