import Foundation

/// A mean over seeds with its two-sided 95% confidence interval (Student's t, n − 1 degrees of freedom).
public struct Estimate: Sendable, Equatable, Codable {
    public var mean: Double
    /// Half-width of the 95% interval; nil with fewer than two values.
    public var halfWidth: Double?
    public var count: Int

    public init(_ values: [Double]) {
        count = values.count
        mean = values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
        guard values.count >= 2 else {
            halfWidth = nil
            return
        }
        let m = mean
        let variance = values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)
        halfWidth = Self.tQuantile975(degreesOfFreedom: values.count - 1) * (variance / Double(values.count)).squareRoot()
    }

    public var low: Double { mean - (halfWidth ?? 0) }
    public var high: Double { mean + (halfWidth ?? 0) }
    /// Whether the interval excludes 0 (for a paired difference: a difference the seeds support).
    public var excludesZero: Bool { halfWidth.map { abs(mean) > $0 } ?? false }

    /// The 0.975 quantile of Student's t: exact table values to 30 degrees of freedom, then the usual steps.
    static func tQuantile975(degreesOfFreedom df: Int) -> Double {
        let table: [Double] = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179,
                               2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
                               2.060, 2.056, 2.052, 2.048, 2.045, 2.042]
        if df >= 1 && df <= table.count { return table[df - 1] }
        if df <= 40 { return 2.021 }
        if df <= 60 { return 2.000 }
        if df <= 120 { return 1.980 }
        return 1.960
    }
}
