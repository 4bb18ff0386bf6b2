import Foundation

/// Builds one JSON object on one line, keys in insertion order, for logs and metrics that machines read.
///
/// Numbers that are not finite (NaN, ±∞) are written as strings so every line stays valid JSON.
public struct JSONLine: Sendable {
    private var body = "{"
    private var first = true

    public init() {}

    private mutating func key(_ k: String) {
        if !first { body += "," }
        first = false
        Self.appendQuoted(k, to: &body)
        body += ":"
    }

    public mutating func add(_ k: String, _ value: String) {
        key(k)
        Self.appendQuoted(value, to: &body)
    }

    public mutating func add(_ k: String, _ value: Int) {
        key(k)
        body += String(value)
    }

    public mutating func add(_ k: String, _ value: Double) {
        key(k)
        body += Self.number(value)
    }

    public mutating func add(_ k: String, _ value: Bool) {
        key(k)
        body += value ? "true" : "false"
    }

    /// A value already encoded as JSON (an array or a nested object).
    public mutating func addRaw(_ k: String, json: String) {
        key(k)
        body += json
    }

    /// Adds a nested object.
    public mutating func add(_ k: String, _ value: JSONLine) {
        addRaw(k, json: value.text)
    }

    /// The finished object, without a newline.
    public var text: String { body + "}" }

    /// A number as JSON: integral values without a fraction, non-finite ones as strings ("nan", "inf").
    public static func number(_ value: Double) -> String {
        guard value.isFinite else {
            var out = ""
            appendQuoted(String(value), to: &out)
            return out
        }
        return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// JSON array of numbers.
    public static func array(_ values: [Double]) -> String {
        "[" + values.map(number).joined(separator: ",") + "]"
    }

    /// JSON array of strings.
    public static func array(_ values: [String]) -> String {
        var out = "["
        for (i, v) in values.enumerated() {
            if i > 0 { out += "," }
            appendQuoted(v, to: &out)
        }
        return out + "]"
    }

    /// Appends `s` as a JSON string literal (quotes, backslashes and control characters escaped).
    public static func appendQuoted(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20:
                out += "\\u" + String(repeating: "0", count: 4 - String(c.value, radix: 16).count) + String(c.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
