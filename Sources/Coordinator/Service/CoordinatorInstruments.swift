import Metrics

/// The coordinator's Prometheus metrics (through swift-metrics; exported with `--metrics-listen`).
enum CoordinatorInstruments {
    /// Creates the metrics that only move on rare events, so a scrape shows them (at zero) from the start.
    static func register() {
        _ = Timer(label: "grpo_weight_sync_seconds")
        _ = Counter(label: "grpo_coordinator_workers_timed_out_total")
        _ = Counter(label: "grpo_weight_versions_published_total")
        _ = Counter(label: "grpo_weight_bytes_served_total")
        for outcome in ["consumed", "returned", "duplicate", "lost", "expired"] {
            _ = Counter(label: "grpo_coordinator_leases_settled_total", dimensions: [("outcome", outcome)])
        }
    }

    static func fleet(workers: Int, inFlight: Int, consumed: UInt64, retryBacklog: Int) {
        Gauge(label: "grpo_coordinator_workers").record(Double(workers))
        Gauge(label: "grpo_coordinator_leases_in_flight").record(Double(inFlight))
        Gauge(label: "grpo_coordinator_prompts_consumed").record(Double(consumed))
        Gauge(label: "grpo_coordinator_retry_backlog").record(Double(retryBacklog))
    }

    static func issued(_ count: Int, worker: String) {
        Counter(label: "grpo_coordinator_leases_issued_total", dimensions: [("worker", worker)]).increment(by: Int64(count))
    }

    /// Leases closed or handed over (`outcome`: consumed, returned, duplicate, lost, expired).
    static func settled(_ count: Int, outcome: String) {
        guard count > 0 else { return }
        Counter(label: "grpo_coordinator_leases_settled_total", dimensions: [("outcome", outcome)]).increment(by: Int64(count))
    }

    static func workerTimedOut() { Counter(label: "grpo_coordinator_workers_timed_out_total").increment() }

    static func published(deltaBytes: Int, fullBytes: Int, encodeSeconds: Double, version: UInt64) {
        Counter(label: "grpo_weight_versions_published_total").increment()
        Gauge(label: "grpo_weight_version").record(Double(version))
        Gauge(label: "grpo_weight_delta_bytes").record(Double(deltaBytes))
        Gauge(label: "grpo_weight_full_bytes").record(Double(fullBytes))
        Timer(label: "grpo_weight_encode_seconds").recordSeconds(encodeSeconds)
    }

    static func served(bytes: Int) { Counter(label: "grpo_weight_bytes_served_total").increment(by: Int64(bytes)) }

    /// A worker reports holding a version: how long after its publication (per worker: the log's
    /// `weights_delivered` events).
    static func delivered(seconds: Double) {
        Timer(label: "grpo_weight_sync_seconds").recordSeconds(seconds)
    }

    static func refusedFrame() { Counter(label: "grpo_coordinator_frames_refused_total").increment() }
}
