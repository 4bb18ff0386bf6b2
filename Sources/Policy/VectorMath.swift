/// Vectorised helpers the layers share: an 8-lane `exp`, and loads/stores of `SIMD8<Float>` at any address.
///
/// `exp` follows Cephes' `expf` (range reduction by ln 2, degree-5 polynomial): about 1 ulp, which keeps the
/// engine within 1e-6 relative of a float64 reference, and several times faster than calling `expf` per lane.
enum VectorMath {
    typealias Vector = SIMD8<Float>
    static let width = 8

    @inline(__always)
    static func load(_ pointer: UnsafePointer<Float>) -> Vector {
        UnsafeRawPointer(pointer).loadUnaligned(as: Vector.self)
    }

    @inline(__always)
    static func load(_ pointer: UnsafeMutablePointer<Float>) -> Vector {
        UnsafeRawPointer(pointer).loadUnaligned(as: Vector.self)
    }

    @inline(__always)
    static func store(_ value: Vector, _ pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: Vector.self)
    }

    /// `e^x` lane by lane; inputs below −87.3 give about 1e-38, above 88.7 give about 3e38 (never inf or NaN).
    @inline(__always)
    static func exp(_ input: Vector) -> Vector {
        // `replacing(with:where:)` compiles to compare-and-blend; `pointwiseMin/Max` would be a per-lane loop.
        let high = Vector(repeating: 88.7), low = Vector(repeating: -87.3)
        var x = input.replacing(with: high, where: input .> high)
        x.replace(with: low, where: x .< low)
        // Round x·log2(e) to the nearest integer n with the 1.5·2^23 trick: adding it pushes the fraction out of
        // the mantissa, whose low bits then hold n (no SSE4 `roundps` or per-lane libm call needed).
        let magic = Vector(repeating: 12_582_912)
        let shifted = x * 1.442_695_04 + magic
        let n = shifted - magic
        var r = x - n * 0.693_359_375
        r = r - n * -2.121_944_4e-4
        var p = Vector(repeating: 1.987_569_15e-4)
        p = p * r + 1.398_199_950_7e-3
        p = p * r + 8.333_451_907_3e-3
        p = p * r + 4.166_579_589_4e-2
        p = p * r + 1.666_666_545_9e-1
        p = p * r + 5.000_000_120_1e-1
        let y = p * (r * r) + r + 1
        // 2^n from its bit pattern; n is in [-126, 128], so build it as 2^(n/2)·2^(n − n/2) to stay in range.
        let exponent = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000
        let half = exponent &>> 1
        let scaleA = unsafeBitCast((half &+ 127) &<< 23, to: Vector.self)
        let scaleB = unsafeBitCast((exponent &- half &+ 127) &<< 23, to: Vector.self)
        return y * scaleA * scaleB
    }

    /// `e^x` for one value through the vector path, so scalar tails round exactly like full lanes.
    @inline(__always)
    static func exp(_ x: Float) -> Float {
        exp(Vector(repeating: x))[0]
    }

    /// The largest of `count` values (−inf when `count` is 0).
    @inline(__always)
    static func maximum(_ values: UnsafePointer<Float>, _ count: Int) -> Float {
        var best = Vector(repeating: -.infinity)
        var i = 0
        while i + width <= count {
            let v = load(values + i)
            best.replace(with: v, where: v .> best)
            i += width
        }
        var result = best.max()
        while i < count {
            result = Swift.max(result, values[i])
            i += 1
        }
        return result
    }

    /// `Σ a[i]·b[i]`, accumulated in eight Float lanes.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
        var acc0 = Vector(), acc1 = Vector()
        var i = 0
        while i + 2 * width <= count {
            acc0 += load(a + i) * load(b + i)
            acc1 += load(a + i + width) * load(b + i + width)
            i += 2 * width
        }
        if i + width <= count {
            acc0 += load(a + i) * load(b + i)
            i += width
        }
        var result = (acc0 + acc1).sum()
        while i < count {
            result += a[i] * b[i]
            i += 1
        }
        return result
    }
}
