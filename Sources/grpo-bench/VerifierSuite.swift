import ArgumentParser
import Foundation

/// `grpo-bench verifier --cases FILE`: agreement, pairs/s (one thread and the pool), latency per case.
struct VerifierSuite: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verifier", abstract: "Grade a case file: agreement, throughput and latency of the Verifier.")

    @OptionGroup var common: CommonBenchOptions
    @Option(help: "JSONL case file (gold, prediction, expected, category).")
    var cases = "../shared/reference/verifier_cases.jsonl"
    @Option(help: "Threads for the pooled throughput figure.")
    var threads = ProcessInfo.processInfo.activeProcessorCount
    @Flag(help: "Grade each case once and report verdicts only (no timing, no hostile probes).")
    var verdictsOnly = false

    func run() throws {
        var result = try VerifierBenchmark.run(casesPath: cases, repeats: common.repeats, threads: threads,
                                                timed: !verdictsOnly)
        result["suite"] = "verifier"
        try emitJSON(result)
    }
}
