import Foundation

/// How a chart's values read: plain numbers, percentages, bytes or seconds.
public enum ValueFormat: Sendable {
    case plain
    case percent
    case bytes
    case seconds

    /// A tick label, with as many decimals as the tick spacing `step` needs.
    func tick(_ value: Double, step: Double) -> String {
        switch self {
        case .percent: return Format.fixed(value * 100, decimals: Format.decimals(for: step * 100)) + "%"
        case .bytes: return Format.bytes(value, step: step)
        case .seconds: return Format.compact(value, step: step) + "s"
        case .plain: return Format.compact(value, step: step)
        }
    }

    /// A single value (tooltips, the runs table, the terminal view).
    public func value(_ value: Double) -> String {
        switch self {
        case .percent: return Format.fixed(value * 100, decimals: 1) + "%"
        case .bytes: return Format.bytes(value, step: abs(value) / 100)
        case .seconds: return Format.significant(value) + " s"
        case .plain: return Format.significant(value)
        }
    }
}

enum Format {
    /// Decimals that tell ticks `step` apart.
    static func decimals(for step: Double) -> Int {
        guard step > 0, step.isFinite else { return 0 }
        return max(0, min(8, Int((-log10(step)).rounded(.up))))
    }

    static func fixed(_ value: Double, decimals: Int) -> String {
        let s = String(format: "%.\(decimals)f", value)
        return s == "-0" || s.hasPrefix("-0.") && Double(s) == 0 ? String(s.dropFirst()) : s
    }

    /// 1.5k, 2M, 0.05, 2e-4: short labels for ticks `step` apart.
    static func compact(_ value: Double, step: Double) -> String {
        let magnitude = max(abs(value), step)
        if magnitude >= 1e9 { return fixed(value / 1e9, decimals: decimals(for: step / 1e9)) + "G" }
        if magnitude >= 1e6 { return fixed(value / 1e6, decimals: decimals(for: step / 1e6)) + "M" }
        if magnitude >= 1e4 { return fixed(value / 1e3, decimals: decimals(for: step / 1e3)) + "k" }
        if step < 1e-3 && value == 0 { return "0" }
        if step < 1e-3 {
            let exponent = Int(log10(step).rounded(.down))
            let scaled = value / pow(10, Double(exponent))
            return fixed(scaled, decimals: decimals(for: step / pow(10, Double(exponent)))) + "e\(exponent)"
        }
        return fixed(value, decimals: decimals(for: step))
    }

    static func bytes(_ value: Double, step: Double) -> String {
        let units: [(Double, String)] = [(1e9, "GB"), (1e6, "MB"), (1e3, "kB")]
        let magnitude = max(abs(value), step)
        for (scale, unit) in units where magnitude >= scale {
            return fixed(value / scale, decimals: decimals(for: step / scale)) + " " + unit
        }
        return fixed(value, decimals: 0) + " B"
    }

    /// Four significant digits, no exponent for ordinary sizes.
    static func significant(_ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        if value == 0 { return "0" }
        let a = abs(value)
        if a >= 1e5 || a < 1e-3 { return String(format: "%.3g", value) }
        let decimals = max(0, 3 - Int(log10(a).rounded(.down)))
        var s = String(format: "%.\(decimals)f", value)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s
    }

    /// A number as config.json writes it: integers without a fraction, others shortest.
    static func plainNumber(_ d: Double) -> String {
        if d.isFinite, d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
        return "\(d)"
    }

    static func seconds(_ s: Double) -> String {
        guard s.isFinite else { return "-" }
        if s < 60 { return String(format: "%.1f s", s) }
        if s < 3600 { return String(format: "%d min %02d s", Int(s) / 60, Int(s) % 60) }
        return String(format: "%d h %02d min", Int(s) / 3600, (Int(s) % 3600) / 60)
    }

    /// Text for HTML content and attribute values.
    static func html(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters other than newline and tab cannot appear in HTML text.
                if c.value < 0x20 && c != "\n" && c != "\t" { out += "\u{FFFD}" } else { out.unicodeScalars.append(c) }
            }
        }
        return out
    }

    /// Coordinates in SVG: two decimals at most.
    static func coordinate(_ v: Double) -> String {
        let r = (v * 100).rounded() / 100
        return r == r.rounded() ? String(Int(r)) : String(format: "%.2f", r)
    }
}
