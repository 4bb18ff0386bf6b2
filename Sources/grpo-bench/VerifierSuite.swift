import ArgumentParser
import Foundation

/// `grpo-bench verifier --cases FILE [--peer-python PY]`: agreement (with false negatives and false positives per
/// category), pairs/s (one thread and the pool), latency per case; with `--peer-python`, the Math-Verify peer on
/// the same file in the same run, and the ratios.
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
    @Option(help: """
        A Python with Math-Verify installed: also grade the cases with the peer script, in this run, and report \
        both and their ratios under "peer" and "versus_peer".
        """)
    var peerPython: String?
    @Option(help: "The peer script.")
    var peerScript = "bench/math_verify_peer.py"
    @Option(help: "Timed passes of the peer over the file (its pairs/s is their median).")
    var peerRepeats = 1

    func run() throws {
        var result = try VerifierBenchmark.run(casesPath: cases, repeats: common.repeats, threads: threads,
                                                timed: !verdictsOnly)
        result["suite"] = "verifier"
        if let peerPython {
            let peer = try VerifierPeer.run(python: peerPython, script: peerScript, casesPath: cases, repeats: peerRepeats)
            result["peer"] = peer
            result["versus_peer"] = VerifierPeer.comparison(ours: result, peer: peer)
        }
        try emitJSON(result)
    }
}
