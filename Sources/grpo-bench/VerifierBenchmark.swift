import Foundation
import Verifier

/// `grpo-bench verifier --cases FILE [--repeats N] [--threads T]`: grades a verifier case file (JSONL with `id`,
/// `category`, `gold`, `prediction`, `expected`) and reports agreement, throughput and latency with the keys of
/// DESIGN.md §8:
/// `{"cases", "agreement", "pairs_per_s": {"median","min","max"}, "p50_ms", "p99_ms", "max_ms", "per_category"}`
/// plus `"threads"`, `"pairs_per_s_threaded"` (the same cases graded by `threads` threads at once, as the
/// service's pool does), `"max_steps"`, `"work_budget"` and `"reasons"`.
///
/// A pair is one gold read (`prepareGold`) plus one completion graded, as the Math-Verify peer parses both sides
/// of every pair. Each timed run grades the file enough times to take at least `minimumPairs` pairs; latencies
/// are per pair, pooled over all single-threaded runs.
enum VerifierBenchmark {
    /// One line of the case file.
    struct Case: Decodable, Sendable {
        let id: String
        let category: String
        let gold: String
        let prediction: String
        let expected: Bool
    }

    /// Errors reading the case file.
    enum BenchmarkError: Error, CustomStringConvertible {
        case unreadable(path: String, reason: String)
        case badLine(path: String, line: Int, reason: String)
        case empty(path: String)

        var description: String {
            switch self {
            case .unreadable(let path, let reason): return "cannot read \(path): \(reason)"
            case .badLine(let path, let line, let reason): return "\(path):\(line): \(reason)"
            case .empty(let path): return "\(path) holds no cases"
            }
        }
    }

    static func loadCases(path: String) throws -> [Case] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw BenchmarkError.unreadable(path: path, reason: "\(error)")
        }
        var cases: [Case] = []
        let decoder = JSONDecoder()
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            do {
                cases.append(try decoder.decode(Case.self, from: Data(line.utf8)))
            } catch {
                throw BenchmarkError.badLine(path: path, line: i + 1, reason: "\(error)")
            }
        }
        if cases.isEmpty { throw BenchmarkError.empty(path: path) }
        return cases
    }

    /// Runs the benchmark; the result is JSON-serialisable (`JSONSerialization`).
    static func run(casesPath: String, repeats: Int = 3, threads: Int = 2, minimumPairs: Int = 20_000,
                    configuration: GraderConfiguration = GraderConfiguration()) throws -> [String: Any]
    {
        let cases = try loadCases(path: casesPath)
        let grader = Grader(configuration: configuration)
        let repeats = max(1, repeats), threads = max(1, threads)
        let passes = max(1, (minimumPairs + cases.count - 1) / cases.count)

        // Verdicts (and steps) from one untimed pass.
        var perCategory: [String: (agree: Int, total: Int)] = [:]
        var reasons: [String: Int] = [:]
        var agreed = 0, maxSteps = 0
        var disagreements: [String] = []
        for c in cases {
            let grade = grader.grade(completion: c.prediction, against: grader.prepareGold(c.gold))
            let agree = grade.isCorrect == c.expected
            agreed += agree ? 1 : 0
            perCategory[c.category, default: (0, 0)].total += 1
            perCategory[c.category, default: (0, 0)].agree += agree ? 1 : 0
            reasons[grade.reason.rawValue, default: 0] += 1
            maxSteps = max(maxSteps, grade.steps)
            if !agree { disagreements.append(c.id) }
        }

        // Single thread: per-pair latency and pairs/s.
        var rates: [Double] = []
        var latencies: [Double] = []
        latencies.reserveCapacity(repeats * passes * cases.count)
        for _ in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<passes {
                for c in cases {
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    let grade = grader.grade(completion: c.prediction, against: grader.prepareGold(c.gold))
                    let t1 = DispatchTime.now().uptimeNanoseconds
                    latencies.append(Double(t1 - t0) / 1e6)
                    if grade.steps < 0 { fatalError("unreachable") }
                }
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            rates.append(Double(passes * cases.count) / seconds)
        }
        latencies.sort()

        // `threads` threads, each grading its share of the passes, like the service's pool.
        var threadedRates: [Double] = []
        for _ in 0..<repeats {
            let counter = CorrectCounter(slots: threads)
            let start = DispatchTime.now().uptimeNanoseconds
            DispatchQueue.concurrentPerform(iterations: threads) { t in
                var correct = 0
                var index = t
                let total = passes * cases.count
                while index < total {
                    let c = cases[index % cases.count]
                    correct += grader.grade(completion: c.prediction, against: grader.prepareGold(c.gold)).isCorrect ? 1 : 0
                    index += threads
                }
                counter.set(t, correct)
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            threadedRates.append(Double(passes * cases.count) / seconds)
            if counter.total < 0 { fatalError("unreachable") }
        }

        func summary(_ xs: [Double]) -> [String: Double] {
            let s = xs.sorted()
            return ["median": s[s.count / 2], "min": s[0], "max": s[s.count - 1]]
        }
        func percentile(_ p: Double) -> Double {
            latencies[min(latencies.count - 1, Int(p * Double(latencies.count)))]
        }
        var categories: [String: Any] = [:]
        for (name, counts) in perCategory {
            categories[name] = ["cases": counts.total, "agreement": Double(counts.agree) / Double(counts.total)]
        }
        return [
            "cases": cases.count,
            "agreement": Double(agreed) / Double(cases.count),
            "pairs_per_s": summary(rates),
            "p50_ms": percentile(0.5),
            "p99_ms": percentile(0.99),
            "max_ms": latencies[latencies.count - 1],
            "per_category": categories,
            "threads": threads,
            "pairs_per_s_threaded": summary(threadedRates),
            "repeats": repeats,
            "pairs_per_run": passes * cases.count,
            "max_steps": maxSteps,
            "work_budget": configuration.limits.workBudget,
            "reasons": reasons,
            "disagreements": disagreements,
        ]
    }

    /// Per-thread result slots, written once each from `concurrentPerform` (distinct indices, no overlap).
    final class CorrectCounter: @unchecked Sendable {
        private var slots: [Int]
        init(slots: Int) { self.slots = Array(repeating: 0, count: slots) }
        func set(_ i: Int, _ v: Int) { slots.withUnsafeMutableBufferPointer { $0[i] = v } }
        var total: Int { slots.reduce(0, +) }
    }
}
