import Metrics

/// The learner's Prometheus metrics (through swift-metrics: exported when the process turns `--metrics-listen`
/// on, recorded into nothing otherwise). Names follow Prometheus conventions: `_total` counters, `_seconds`
/// histograms, gauges for the latest step's figures.
struct LearnerInstruments {
    let method: String

    init(method: String) {
        self.method = method
        // Counters that move only on some runs: exported at zero from the start.
        for reason in ["stale", "duplicate"] {
            _ = Counter(label: "grpo_learner_groups_refused_total", dimensions: [("method", method), ("reason", reason)])
        }
    }

    func step(_ m: StepMetrics, version: UInt64, waited: Double) {
        let labels = [("method", method)]
        Counter(label: "grpo_learner_steps_total", dimensions: labels).increment()
        Timer(label: "grpo_learner_step_seconds", dimensions: labels).recordSeconds(m.seconds.total)
        FloatingPointCounter(label: "grpo_learner_wait_seconds_total", dimensions: labels).increment(by: waited)
        Counter(label: "grpo_learner_tokens_trained_total", dimensions: labels).increment(by: Int64(m.tokens))
        for (name, value) in [
            ("grpo_learner_reward_mean", m.rewardMean), ("grpo_learner_accuracy", m.accuracy), ("grpo_learner_loss", m.loss),
            ("grpo_learner_approx_kl", m.approximateKL), ("grpo_learner_clip_fraction", m.clipFraction),
            ("grpo_learner_entropy", m.entropy), ("grpo_learner_grad_norm", m.gradientNorm),
            ("grpo_learner_response_length_mean", m.responseLengthMean), ("grpo_learner_staleness_mean", m.stalenessMean),
            ("grpo_learner_weight_version", Double(version)), ("grpo_learner_tokens_per_second", m.tokensPerSecond),
        ] {
            Gauge(label: name, dimensions: labels).record(value)
        }
        if let lambda = m.lengthPreferenceLambda { Gauge(label: "grpo_learner_lambda", dimensions: labels).record(lambda) }
    }

    func received() { Counter(label: "grpo_learner_groups_received_total", dimensions: [("method", method)]).increment() }

    /// Groups refused (`reason`: a rejection code, `stale` or `duplicate`).
    func refused(reason: String) {
        Counter(label: "grpo_learner_groups_refused_total", dimensions: [("method", method), ("reason", reason)]).increment()
    }
}
