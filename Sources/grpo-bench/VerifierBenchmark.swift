import Foundation
import Verifier

/// `grpo-bench verifier --cases FILE [--repeats N] [--threads T]`: grades a verifier case file (JSONL with `id`,
/// `category`, `gold`, `prediction`, `expected`) and reports agreement, throughput and latency with the keys of
/// DESIGN.md §8:
/// `{"cases", "agreement", "pairs_per_s": {"median","min","max"}, "p50_ms", "p99_ms", "max_ms", "per_category"}`
/// (each category with its `"false_negatives"` and `"false_positives"`) plus `"disagreement_details"` (id, kind,
/// reason, method, extracted answer), `"threads"`, `"pairs_per_s_threaded"` (the same cases graded by `threads`
/// threads at once, as the service's pool does), `"max_steps"`, `"work_budget"`, `"reasons"` and `"hostile"`
/// (synthetic worst-case requests: wall and thread-CPU milliseconds, steps spent, verdict). `--verdicts-only`
/// stops after the verdicts.
///
/// A pair is one gold read (`prepareGold`) plus one completion graded, as the Math-Verify peer parses both sides
/// of every pair. Each timed run grades the file enough times to take at least `minimumPairs` pairs. A case's
/// latency is the median of its timings over all single-threaded runs (so a preempted sample on a shared machine
/// does not stand for the case); `p50_ms`, `p99_ms` and `max_ms` are taken over cases, and `max_sample_ms` is the
/// single slowest timing seen.
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
                    timed: Bool = true, configuration: GraderConfiguration = GraderConfiguration()) throws
        -> [String: Any]
    {
        let cases = try loadCases(path: casesPath)
        let grader = Grader(configuration: configuration)
        let repeats = max(1, repeats), threads = max(1, threads)
        let passes = max(1, (minimumPairs + cases.count - 1) / cases.count)

        // Verdicts (and steps) from one untimed pass.
        let verdicts = VerifierVerdictReport(cases: cases, grader: grader)
        var result = verdictFields(verdicts, cases: cases.count)
        guard timed else { return result }

        // Single thread: per-pair latency and pairs/s.
        var rates: [Double] = []
        var samples = Array(repeating: [Double](), count: cases.count)
        var stepsTotal = 0  // consumed below so the optimiser keeps every grading
        for _ in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<passes {
                for (i, c) in cases.enumerated() {
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    let grade = grader.grade(completion: c.prediction, against: grader.prepareGold(c.gold))
                    let t1 = DispatchTime.now().uptimeNanoseconds
                    samples[i].append(Double(t1 - t0) / 1e6)
                    stepsTotal &+= grade.steps
                }
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            rates.append(Double(passes * cases.count) / seconds)
        }
        let latencies = samples.map { $0.sorted()[$0.count / 2] }.sorted()
        let slowestSample = samples.map { $0.max() ?? 0 }.max() ?? 0

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
            stepsTotal &+= counter.total
        }

        func summary(_ xs: [Double]) -> [String: Double] {
            let s = xs.sorted()
            return ["median": s[s.count / 2], "min": s[0], "max": s[s.count - 1]]
        }
        func percentile(_ p: Double) -> Double {
            latencies[min(latencies.count - 1, Int(p * Double(latencies.count)))]
        }
        let timing: [String: Any] = [
            "pairs_per_s": summary(rates),
            "p50_ms": percentile(0.5),
            "p99_ms": percentile(0.99),
            "max_ms": latencies[latencies.count - 1],
            "max_sample_ms": slowestSample,
            "threads": threads,
            "pairs_per_s_threaded": summary(threadedRates),
            "repeats": repeats,
            "pairs_per_run": passes * cases.count,
            "work_budget": configuration.limits.workBudget,
            "steps_checksum": stepsTotal,
            "hostile": runHostileProbes(configuration: configuration),
        ]
        result.merge(timing) { _, new in new }
        return result
    }

    /// The verdict half of the suite's JSON: agreement, per-category false negatives and positives, reasons and
    /// the disagreements with what was extracted.
    static func verdictFields(_ verdicts: VerifierVerdictReport, cases: Int) -> [String: Any] {
        [
            "cases": cases,
            "agreement": verdicts.agreement,
            "false_negatives": verdicts.total.falseNegatives,
            "false_positives": verdicts.total.falsePositives,
            "per_category": verdicts.categoriesJSON,
            "max_steps": verdicts.maxSteps,
            "reasons": verdicts.reasons,
            "disagreements": verdicts.disagreements.map(\.id),
            "disagreement_details": verdicts.disagreementsJSON,
        ]
    }

    /// Per-thread result slots, each written once by its own `concurrentPerform` iteration (distinct indices,
    /// read only after `concurrentPerform` returns).
    final class CorrectCounter: @unchecked Sendable {
        private var slots: [Int]
        init(slots: Int) { self.slots = Array(repeating: 0, count: slots) }
        func set(_ i: Int, _ v: Int) { slots.withUnsafeMutableBufferPointer { $0[i] = v } }
        var total: Int { slots.reduce(0, +) }
    }
}

extension VerifierBenchmark {
    /// A 16 × 16 `pmatrix` with entries `entry(row, column)`.
    static func matrix16(_ entry: (Int, Int) -> Int) -> String {
        let rows = (0..<16).map { r in (0..<16).map { c in String(entry(r, c)) }.joined(separator: "&") }
        return "\\begin{pmatrix}" + rows.joined(separator: "\\\\") + "\\end{pmatrix}"
    }

    /// Synthetic hostile requests, each built to spend as much work as it can (big integers, expansions,
    /// radicals, nesting, long inputs): `name`, `gold`, `completion`.
    static func hostileProbes() -> [(name: String, gold: String, completion: String)] {
        let digits = String(repeating: "9876543210", count: 120)
        let bigFraction = "\\frac{\(digits)1}{\(digits)3}"
        return [
            ("big_rationals", "1", "\\boxed{" + Array(repeating: bigFraction, count: 40).joined(separator: "+") + "}"),
            ("big_integer_powers", "1", "\\boxed{" + (1...60).map { "\($0 + 1)^{\(4000 / ($0 + 1))}" }.joined(separator: "+") + "}"),
            ("expansion", "1", "\\boxed{(x+y+z+w+1)^{9} - (1+w+z+y+x)^{9}}"),
            ("radical_expansion", "1", "\\boxed{(1+\\sqrt{2}+\\sqrt{3}+\\sqrt{5}+\\sqrt{7})^{8}}"),
            ("big_radicands", "1", "\\boxed{" + (1...20).map { "\\sqrt{\(digits)\($0)}" }.joined(separator: "+") + "}"),
            ("factorials", "1", "\\boxed{" + (1...40).map { "\(400 + $0)!" }.joined(separator: "+") + "}"),
            ("inverse_atoms", "x", "\\boxed{" + (1...200).map { "\\frac{1}{x+\($0)}" }.joined(separator: "+") + "}"),
            ("big_sets", "\\{" + (1...256).map(String.init).joined(separator: ",") + "\\}",
             "\\boxed{\\{" + (1...256).reversed().map { "\\frac{\(2 * $0)}{2}" }.joined(separator: ",") + "\\}}"),
            ("nested_radicals", "2", "\\boxed{" + String(repeating: "\\sqrt{2+", count: 40) + "2" + String(repeating: "}", count: 40) + "}"),
            ("power_towers", "1", "\\boxed{" + (2...40).map { "\($0)^{\($0)^{\($0)^{\($0)}}}" }.joined(separator: "-") + "}"),
            ("long_sum", "30000", "\\boxed{" + String(repeating: "1+", count: 29_999) + "1}"),
            ("megabyte_text", "7", String(repeating: "blah ", count: 200_000) + "so the answer is $\\boxed{7}$"),
            ("deep_braces", "3", "\\boxed{" + String(repeating: "{", count: 30_000) + "3" + String(repeating: "}", count: 30_000) + "}"),
            ("many_sets", (1...64).map { "\\{\\frac{\($0)}{2}, \($0)\\}" }.joined(separator: ", "),
             "\\boxed{" + (1...64).reversed().map { "\\{\\frac{\($0 + 1)}{2}, \($0)\\}" }.joined(separator: ", ") + "}"),
            ("fraction_list", "1", "\\boxed{" + (1...3000).map { "\\frac{\($0)}{\($0 + 1)}" }.joined(separator: ", ") + "}"),
            ("nested_boxes", "3", String(repeating: "$\\boxed{", count: 5_000) + "3" + String(repeating: "}$", count: 5_000)),
            ("unterminated_openers", "1", String(repeating: "\\( 1 ", count: 150_000)),
            ("letter_run", "5", "\\boxed{5 " + String(repeating: "xz", count: 30_000) + "}"),
            ("implicit_products", "1", "\\boxed{" + String(repeating: "x z ", count: 14_000) + "}"),
            ("unterminated_text", "5", "\\boxed{5" + String(repeating: " \\text{", count: 9_000) + "}"),
            ("numeric_functions", "1", "\\boxed{" + (1...150).map { "\\sin(\($0)x)^{2}+\\cos(\($0)x)^{2}" }.joined(separator: "+") + "}"),
            // The answer-style paths: template-token and think-tag floods, box runs, joined spans, layout
            // arguments, locale numbers, matrix powers.
            ("template_openers", "7", String(repeating: "<|im", count: 200_000) + " the answer is 7"),
            ("think_tags", "7", String(repeating: "</think><think>", count: 60_000) + "</think> \\boxed{7}"),
            ("box_run", (1...256).map(String.init).joined(separator: ", "),
             (1...4_000).map { "\\boxed{\($0 % 256 + 1)}" }.joined(separator: " and ")),
            ("joined_spans", "1", "The answer is " + String(repeating: "$1$ and ", count: 7_000) + "$1$."),
            ("layout_openers", "7", "\\boxed{" + String(repeating: "\\hspace{", count: 10_000) + "7}"),
            ("locale_numbers", "1", "\\boxed{" + String(repeating: "1 234,5 ", count: 8_000) + "}"),
            ("new_turn_lines", "7", "The answer is 7.\n" + String(repeating: "\nQuestion: and 8?", count: 50_000)),
            ("matrix_power", matrix16 { _, _ in 0 }, "\\boxed{" + matrix16 { r, c in (r * 7 + c * 3) % 10 } + "^{16}}"),
            ("repeating_decimals", "1",
             "\\boxed{" + Array(repeating: "0.\\overline{" + String(repeating: "9", count: 40) + "}", count: 500)
                .joined(separator: "+") + "}"),
        ]
    }

    /// CPU time of the calling thread (unaffected by other processes sharing the cores).
    static func threadCPUNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// Runs every hostile probe once (after one warm-up) and reports milliseconds, steps and the reason.
    static func runHostileProbes(configuration: GraderConfiguration = GraderConfiguration()) -> [[String: Any]] {
        let grader = Grader(configuration: configuration)
        return hostileProbes().map { probe in
            _ = grader.grade(completions: [probe.completion], gold: probe.gold)
            var best = Double.infinity, bestCPU = Double.infinity
            var grade: Grade?
            for _ in 0..<3 {
                let c0 = threadCPUNanoseconds(), t0 = DispatchTime.now().uptimeNanoseconds
                grade = grader.grade(completions: [probe.completion], gold: probe.gold)[0]
                best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
                bestCPU = min(bestCPU, Double(threadCPUNanoseconds() - c0) / 1e6)
            }
            return ["name": probe.name, "ms": best, "cpu_ms": bestCPU, "steps": grade?.steps ?? 0,
                    "reason": grade?.reason.rawValue ?? "", "limit": grade?.limit?.rawValue ?? "",
                    "bytes": probe.completion.utf8.count]
        }
    }
}
