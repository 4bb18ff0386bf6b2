import Foundation

/// Runs the Math-Verify peer (`bench/math_verify_peer.py`) on the same case file in the same `grpo-bench verifier`
/// run, so that both tools are measured back to back under the same load and the report can give their ratio.
enum VerifierPeer {
    /// Errors running the peer.
    enum PeerError: Error, CustomStringConvertible {
        case failed(status: Int32)
        case badOutput(String)

        var description: String {
            switch self {
            case .failed(let status): return "peer exited with status \(status) (its stderr is above)"
            case .badOutput(let text): return "peer printed no JSON object: \(text.prefix(300))"
            }
        }
    }

    /// The peer's JSON (`agreement`, `pairs_per_s`, `per_category` ... like ours).
    static func run(python: String, script: String, casesPath: String, repeats: Int) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, "--cases", casesPath, "--repeats", String(max(1, repeats))]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.standardError  // its progress (and warnings) pass through, never block it
        progress("verifier: running the Math-Verify peer (\(script)) on \(casesPath)")
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw PeerError.failed(status: process.terminationStatus) }
        guard let object = try? JSONSerialization.jsonObject(with: stdout) as? [String: Any] else {
            throw PeerError.badOutput(String(decoding: stdout, as: UTF8.self))
        }
        return object
    }

    /// `{"pairs_per_s", "p50_ms", "p99_ms", "max_ms"}`: ours over the peer's (throughput) and the peer's over
    /// ours (latencies), so every ratio reads "times better"; plus both agreements.
    static func comparison(ours: [String: Any], peer: [String: Any]) -> [String: Any] {
        func median(_ r: [String: Any]) -> Double? { (r["pairs_per_s"] as? [String: Any])?["median"] as? Double }
        var out: [String: Any] = ["agreement": ours["agreement"] ?? 0, "peer_agreement": peer["agreement"] ?? 0]
        if let a = median(ours), let b = median(peer), b > 0 { out["pairs_per_s"] = a / b }
        for key in ["p50_ms", "p99_ms", "max_ms"] {
            if let a = ours[key] as? Double, let b = peer[key] as? Double, a > 0 { out[key] = b / a }
        }
        return out
    }
}
