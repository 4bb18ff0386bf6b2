import Metrics

/// The verifier service's Prometheus metrics (through swift-metrics; exported with `--metrics-listen`).
enum VerifierInstruments {
    static func graded(_ grades: [Grade], seconds: Double) {
        Counter(label: "grpo_verifier_requests_total").increment()
        Timer(label: "grpo_verifier_request_seconds").recordSeconds(seconds)
        var byReason: [String: Int64] = [:]
        for g in grades { byReason[g.reason.rawValue, default: 0] += 1 }
        for (reason, count) in byReason {
            Counter(label: "grpo_verifier_completions_graded_total", dimensions: [("reason", reason)]).increment(by: count)
        }
    }
}
