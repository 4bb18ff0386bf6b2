import Metrics

/// A worker's Prometheus metrics, labelled with its id (through swift-metrics; exported with `--metrics-listen`).
struct WorkerInstruments {
    let worker: String
    private var labels: [(String, String)] { [("worker", worker)] }

    func pushed(groups: Int, tokens: Int) {
        Counter(label: "grpo_worker_groups_total", dimensions: labels).increment(by: Int64(groups))
        Counter(label: "grpo_worker_tokens_generated_total", dimensions: labels).increment(by: Int64(tokens))
    }

    func generated(seconds: Double) { Timer(label: "grpo_worker_generation_seconds", dimensions: labels).recordSeconds(seconds) }

    func loaded(version: UInt64, seconds: Double) {
        Gauge(label: "grpo_worker_weight_version", dimensions: labels).record(Double(version))
        Timer(label: "grpo_worker_weight_fetch_seconds", dimensions: labels).recordSeconds(seconds)
    }

    func refusedWeights() { Counter(label: "grpo_worker_weights_refused_total", dimensions: labels).increment() }
}
