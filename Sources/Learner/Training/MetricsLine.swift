import Logging
import Telemetry

/// The one way a learner step is written: the same names in metrics.jsonl and in the run log.
public enum MetricsLine {
    /// A metric value: a number, or a nested group of metrics.
    public enum Value: Sendable {
        case number(Double)
        case group([(String, Double)])
        /// One number per optimisation pass (first pass first).
        case series([Double])
    }

    /// The step's metrics, in a fixed order.
    public static func fields(_ m: StepMetrics, version: UInt64, counters: LearnerCore.Counters? = nil,
                              malformed: Int? = nil) -> [(String, Value)] {
        var f: [(String, Value)] = [
            ("step", .number(Double(m.step))), ("version", .number(Double(version))), ("loss", .number(m.loss)),
            ("reward_mean", .number(m.rewardMean)), ("reward_std", .number(m.rewardStd)),
            ("accuracy", .number(m.accuracy)), ("response_length_mean", .number(m.responseLengthMean)),
            ("response_length_max", .number(Double(m.responseLengthMax))), ("clip_fraction", .number(m.clipFraction)),
            ("approx_kl", .number(m.approximateKL)), ("ref_kl", .number(m.referenceKL)), ("entropy", .number(m.entropy)),
            ("grad_norm", .number(m.gradientNorm)), ("learning_rate", .number(m.learningRate)),
            ("groups", .number(Double(m.groups))),
            ("uniform_group_fraction", .number(m.groups > 0 ? Double(m.uniformGroups) / Double(m.groups) : 0)),
            ("tokens", .number(Double(m.tokens))),
            ("staleness_mean", .number(m.stalenessMean)), ("staleness_max", .number(Double(m.stalenessMax))),
            ("tokens_per_s", .number(m.tokensPerSecond)),
            ("seconds", .group([("forward_backward", m.seconds.forwardBackward), ("loss", m.seconds.loss),
                                ("optimizer", m.seconds.optimizer), ("bookkeeping", m.seconds.bookkeeping)])),
        ]
        if let l = m.lengthPreferenceLambda { f.append(("lambda", .number(l))) }
        if !m.epochs.isEmpty {
            f += [("loss_by_epoch", .series(m.epochs.map(\.loss))),
                  ("clip_fraction_by_epoch", .series(m.epochs.map(\.clipFraction))),
                  ("approx_kl_by_epoch", .series(m.epochs.map(\.approximateKL))),
                  ("ratio_by_epoch", .series(m.epochs.map(\.meanRatio))),
                  ("grad_norm_by_epoch", .series(m.epochs.map(\.gradientNorm)))]
        }
        if let counters {
            f += [("groups_received", .number(Double(counters.received))),
                  ("groups_rejected", .number(Double(counters.rejected))),
                  ("groups_stale", .number(Double(counters.stale))),
                  ("groups_uniform_dropped", .number(Double(counters.uniformDropped))),
                  ("groups_duplicate", .number(Double(counters.duplicates)))]
        }
        if let malformed { f.append(("frames_malformed", .number(Double(malformed)))) }
        return f
    }

    /// One metrics.jsonl line: `{"event":"step", ...fields}`.
    public static func json(_ fields: [(String, Value)], event: String = "step") -> String {
        var line = JSONLine()
        line.add("event", event)
        for (key, value) in fields {
            switch value {
            case let .number(v): line.add(key, v)
            case let .group(items):
                var nested = JSONLine()
                for (k, v) in items { nested.add(k, v) }
                line.add(key, nested)
            case let .series(values):
                line.addRaw(key, json: "[" + values.map(JSONLine.number).joined(separator: ",") + "]")
            }
        }
        return line.text
    }

    /// The same fields as log metadata (numbers stay numbers in the JSON log).
    public static func metadata(_ fields: [(String, Value)], event: String = "step") -> Logger.Metadata {
        var metadata: Logger.Metadata = ["event": .string(event)]
        for (key, value) in fields {
            switch value {
            case let .number(v): metadata[key] = .stringConvertible(v)
            case let .group(items):
                metadata[key] = .dictionary(Dictionary(uniqueKeysWithValues: items.map { ($0.0, .stringConvertible($0.1)) }))
            case let .series(values):
                metadata[key] = .array(values.map { .stringConvertible($0) })
            }
        }
        return metadata
    }
}
