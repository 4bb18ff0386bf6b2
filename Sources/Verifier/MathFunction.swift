#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A named function an answer may apply; exact rules for it live in `Canonicalizer`, numeric ones here.
enum MathFunction: String, Sendable, CaseIterable {
    case sin, cos, tan, sec, csc, cot, arcsin, arccos, arctan, sinh, cosh, tanh
    /// Natural logarithm (`\ln`, and `\log` without a base, as sympy reads it).
    case ln
    /// Logarithm with a base: arguments `[base, x]`.
    case log
    case abs, factorial, binomial, floor, ceil, gcd, lcm, min, max

    /// The function a LaTeX command or a bare word names (`"sin"`, `"arcsin"`, `"lg"` ...), if any.
    init?(commandName name: String) {
        switch name {
        case "sin", "cos", "tan", "sec", "csc", "cot", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh",
             "gcd", "lcm", "min", "max", "floor", "ceil":
            self.init(rawValue: name)
        case "ln", "log": self = .ln
        case "lg": self = .log
        case "cosec": self = .csc
        case "ctg", "cotan": self = .cot
        case "tg": self = .tan
        case "asin": self = .arcsin
        case "acos": self = .arccos
        case "atan": self = .arctan
        default: return nil
        }
    }

    /// The value at real arguments; NaN outside the domain (the caller treats NaN as undefined).
    func evaluate(_ x: [Double]) -> Double {
        guard let a = x.first else { return .nan }
        switch self {
        case .sin: return realSin(a)
        case .cos: return realCos(a)
        case .tan: return realTan(a)
        case .sec: return 1 / realCos(a)
        case .csc: return 1 / realSin(a)
        case .cot: return 1 / realTan(a)
        case .arcsin: return asin(a)
        case .arccos: return acos(a)
        case .arctan: return atan(a)
        case .sinh: return realSinh(a)
        case .cosh: return realCosh(a)
        case .tanh: return realTanh(a)
        case .ln: return a > 0 ? realLog(a) : .nan
        case .log:
            guard x.count == 2, a > 0, a != 1, x[1] > 0 else { return .nan }
            return realLog(x[1]) / realLog(a)
        case .abs: return Swift.abs(a)
        case .factorial: return a >= 0 && a == a.rounded() ? tgamma(a + 1) : .nan
        case .binomial:
            guard x.count == 2 else { return .nan }
            return exp(lgamma(a + 1) - lgamma(x[1] + 1) - lgamma(a - x[1] + 1)).rounded()
        case .floor: return a.rounded(.down)
        case .ceil: return a.rounded(.up)
        case .min: return x.min() ?? .nan
        case .max: return x.max() ?? .nan
        case .gcd, .lcm: return .nan  // exact-only; evaluated in `Canonicalizer` for integers
        }
    }
}

// The C math functions under names that the enum's cases (`sin`, `log` ...) do not shadow.
@inline(__always) private func realSin(_ x: Double) -> Double { sin(x) }
@inline(__always) private func realCos(_ x: Double) -> Double { cos(x) }
@inline(__always) private func realTan(_ x: Double) -> Double { tan(x) }
@inline(__always) private func realSinh(_ x: Double) -> Double { sinh(x) }
@inline(__always) private func realCosh(_ x: Double) -> Double { cosh(x) }
@inline(__always) private func realTanh(_ x: Double) -> Double { tanh(x) }
@inline(__always) private func realLog(_ x: Double) -> Double { log(x) }
