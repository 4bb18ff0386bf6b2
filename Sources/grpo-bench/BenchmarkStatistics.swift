import Foundation
import Primitives

/// Median, minimum and maximum of repeated measurements, as every timed figure in grpo-bench is reported.
struct BenchmarkStatistics {
    let values: [Double]

    init(_ values: [Double]) {
        precondition(!values.isEmpty, "no measurements")
        self.values = values.sorted()
    }

    var median: Double {
        let n = values.count
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2
    }

    var json: [String: Double] { ["median": median, "min": values.first!, "max": values.last!] }

    /// Runs `body` `repeats` times and collects what it returns.
    static func measure(repeats: Int, _ body: () throws -> Double) rethrows -> BenchmarkStatistics {
        BenchmarkStatistics(try (0..<max(1, repeats)).map { _ in try body() })
    }
}

/// Seconds elapsed while running `body`, on the monotonic clock.
func timeSeconds(_ body: () throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    return try clock.measure(body).seconds
}
