import Foundation
import Logging

/// A swift-log backend that writes one JSON object per event, one per line:
/// `{"ts":"2026-11-23T00:12:41.123Z","level":"info","service":"learner","event":"step","msg":"...", ...metadata}`.
///
/// Metadata keys become top-level fields (nested dictionaries and arrays stay JSON); by convention every event
/// carries an `event` key naming what happened, so `jq 'select(.event == "step")'` finds them.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let label: String
    private let sinks: [LineSink]

    public init(label: String, level: Logger.Level = .info, sinks: [LineSink]) {
        self.label = label
        self.logLevel = level
        self.sinks = sinks
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = JSONLine()
        line.add("ts", Self.timestamp())
        line.add("level", event.level.rawValue)
        line.add("service", label)
        line.add("msg", event.message.description)
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        for key in merged.keys.sorted() {
            line.addRaw(key, json: Self.json(merged[key]!))
        }
        let text = line.text
        for sink in sinks { sink.write(text) }
    }

    /// Metadata as JSON. `.string` stays a string; `.stringConvertible` numbers and booleans become JSON numbers
    /// and booleans, so log metrics as `"loss": .stringConvertible(loss)` and tools can plot them.
    static func json(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case let .string(s):
            var out = ""
            JSONLine.appendQuoted(s, to: &out)
            return out
        case let .stringConvertible(c):
            switch c {
            case let b as Bool: return b ? "true" : "false"
            case let i as any BinaryInteger: return i.description
            case let d as Double: return JSONLine.number(d)
            case let f as Float: return JSONLine.number(Double(f))
            default: return json(.string(c.description))
            }
        case let .array(values): return "[" + values.map(json).joined(separator: ",") + "]"
        case let .dictionary(d):
            return "{" + d.keys.sorted().map { k in
                var key = ""
                JSONLine.appendQuoted(k, to: &key)
                return key + ":" + json(d[k]!)
            }.joined(separator: ",") + "}"
        }
    }

    static func timestamp() -> String {
        var tv = timeval()
        gettimeofday(&tv, nil)
        var t = time_t(tv.tv_sec)
        var parts = tm()
        gmtime_r(&t, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(tv.tv_usec / 1000))
    }
}
