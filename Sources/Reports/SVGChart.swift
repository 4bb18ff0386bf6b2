import Foundation

/// Draws a `Chart` as inline SVG: axes with a few round ticks, light grid lines, one polyline per series.
/// One run: each series its own colour. Several runs: each run its own colour, each series its own dash.
/// Every polyline carries `data-run` and `data-series`, so a test (or a script) can find the series.
public enum SVGChart {
    /// The colours runs (or, for one run, series) take in turn.
    public static let palette = ["#3b6fd8", "#f07d22", "#2fa25a", "#d9434c", "#8a5cc8", "#1aa3b1", "#c7a21a", "#e05ea2",
                                 "#7a6a58", "#6b7280"]
    static let dashes = ["", "6 4", "2 3", "9 3 2 3"]

    static let width = 440.0, height = 236.0
    static let left = 52.0, right = 14.0, top = 10.0, bottom = 30.0

    /// The colour and dash of a line, given how many runs are drawn.
    static func style(of line: Chart.Line, in chart: Chart, runs: Int) -> (color: String, dash: String) {
        let seriesIndex = chart.seriesKeys.firstIndex(of: line.series) ?? 0
        if runs > 1 {
            return (palette[line.run % palette.count], dashes[seriesIndex % dashes.count])
        }
        return (palette[seriesIndex % palette.count], "")
    }

    public static func svg(_ chart: Chart, runs: Int) -> String {
        let plotW = width - left - right, plotH = height - top - bottom
        let allX = chart.lines.flatMap { $0.points.map(\.x) + $0.band.map(\.x) }
        let allY = chart.lines.flatMap { $0.points.map(\.y) + $0.band.flatMap { [$0.low, $0.high] } }
        guard let x0 = allX.min(), let x1 = allX.max(), let y0 = allY.min(), let y1 = allY.max() else { return "" }
        let xAxis = Axis.nice(min: x0, max: x1 == x0 ? x0 + 1 : x1, target: 6, integer: true, tight: true)
        var lo = y0, hi = y1
        if chart.includeZero { lo = min(lo, 0); hi = max(hi, 0) }
        if chart.format == .percent && lo >= 0 && hi <= 1 && hi > 0.5 { hi = 1 }
        if hi == lo { let pad = lo == 0 ? 1 : abs(lo) * 0.1; lo -= chart.includeZero && lo >= 0 ? 0 : pad; hi += pad }
        let yAxis = Axis.nice(min: lo, max: hi, target: 5, integer: false, tight: false)
        func px(_ x: Double) -> Double { left + (x - xAxis.min) / (xAxis.max - xAxis.min) * plotW }
        func py(_ y: Double) -> Double { top + plotH - (y - yAxis.min) / (yAxis.max - yAxis.min) * plotH }
        let c = Format.coordinate

        var s = "<svg class=\"chart\" data-chart=\"\(Format.html(chart.id))\" viewBox=\"0 0 \(c(width)) \(c(height))\" "
            + "xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"\(Format.html(chart.title))\">"
        // Grid and y ticks.
        s += "<g class=\"axis\">"
        for t in yAxis.ticks {
            let y = c(py(t))
            s += "<line x1=\"\(c(left))\" x2=\"\(c(width - right))\" y1=\"\(y)\" y2=\"\(y)\" class=\"grid\"/>"
            s += "<text x=\"\(c(left - 6))\" y=\"\(y)\" text-anchor=\"end\" dominant-baseline=\"middle\">"
                + Format.html(chart.format.tick(t, step: yAxis.step)) + "</text>"
        }
        let baseY = c(top + plotH)
        s += "<line x1=\"\(c(left))\" x2=\"\(c(width - right))\" y1=\"\(baseY)\" y2=\"\(baseY)\" class=\"base\"/>"
        for t in xAxis.ticks {
            let x = c(px(t))
            s += "<line x1=\"\(x)\" x2=\"\(x)\" y1=\"\(baseY)\" y2=\"\(c(top + plotH + 4))\" class=\"base\"/>"
            s += "<text x=\"\(x)\" y=\"\(c(top + plotH + 16))\" text-anchor=\"middle\">\(Format.compact(t, step: xAxis.step))</text>"
        }
        s += "<text x=\"\(c(width - right))\" y=\"\(c(height - 2))\" text-anchor=\"end\" class=\"label\">"
            + Format.html(chart.xLabel) + "</text></g>"

        // Bands under every line.
        for line in chart.lines where line.band.count > 1 {
            let (color, _) = style(of: line, in: chart, runs: runs)
            let outline = line.band.map { (px($0.x), py($0.low)) } + line.band.reversed().map { (px($0.x), py($0.high)) }
            s += "<polygon class=\"band\" data-run=\"\(Format.html(line.runName))\" data-series=\"\(Format.html(line.series))\" "
                + "points=\"\(outline.map { "\(c($0.0)),\(c($0.1))" }.joined(separator: " "))\" fill=\"\(color)\" "
                + "fill-opacity=\"0.16\" stroke=\"none\"/>"
        }

        // Lines, smoothed ones over their faint raw values.
        s += "<g class=\"lines\" fill=\"none\" stroke-linejoin=\"round\" stroke-linecap=\"round\">"
        for line in chart.lines where !line.points.isEmpty {
            let (color, dash) = style(of: line, in: chart, runs: runs)
            let name = runs > 1 ? "\(line.runName) · \(line.label)" : line.label
            let dashAttribute = dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\""
            let ids = "data-run=\"\(Format.html(line.runName))\" data-series=\"\(Format.html(line.series))\""
            func points(_ p: [(x: Double, y: Double)]) -> String { p.map { "\(c(px($0.x))),\(c(py($0.y)))" }.joined(separator: " ") }
            if line.points.count > 1 {
                if line.smooth && line.points.count >= 12 {
                    s += "<polyline points=\"\(points(line.points))\" stroke=\"\(color)\" stroke-width=\"1\" "
                        + "stroke-opacity=\"0.28\"\(dashAttribute) class=\"raw\"/>"
                    s += "<polyline \(ids) points=\"\(points(smoothed(line.points)))\" stroke=\"\(color)\" "
                        + "stroke-width=\"2\"\(dashAttribute)><title>\(Format.html(name)) (smoothed)</title></polyline>"
                } else {
                    s += "<polyline \(ids) points=\"\(points(line.points))\" stroke=\"\(color)\" stroke-width=\"2\""
                        + "\(dashAttribute)><title>\(Format.html(name))</title></polyline>"
                }
            }
            if line.markers || line.points.count == 1 {
                let marked = line.points.count > 1 ? "" : " \(ids)"
                s += "<g\(marked) fill=\"\(color)\" stroke=\"#fff\" stroke-width=\"1.2\">"
                for p in line.points {
                    s += "<circle cx=\"\(c(px(p.x)))\" cy=\"\(c(py(p.y)))\" r=\"3.6\"><title>"
                        + Format.html("\(name) — \(chart.xLabel) \(Format.plainNumber(p.x)): \(chart.format.value(p.y))")
                        + "</title></circle>"
                }
                s += "</g>"
            }
        }
        s += "</g></svg>"
        return s
    }

    /// A chart as a file of its own (for docs): title, note, the chart and a legend, with the styles inline.
    public static func document(_ chart: Chart, runs: Int) -> String {
        let names = chart.lines.map { runs > 1 && !$0.label.isEmpty ? "\($0.runName) · \($0.label)" : runs > 1 ? $0.runName : $0.label }
        let perRow = 3, rowHeight = 16.0, headerHeight = 38.0
        let rows = (names.count + perRow - 1) / perRow
        let total = headerHeight + height + Double(rows) * rowHeight + 6
        let c = Format.coordinate
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(c(width)) \(c(total))\" width=\"\(c(width * 1.5))\" "
            + "height=\"\(c(total * 1.5))\" font-family=\"system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif\">"
            + "<style>text{fill:#6b7280;font-size:11px} .grid{stroke:#eceef2;stroke-width:1} .base{stroke:#c5cad3;stroke-width:1} "
            + ".label{fill:#9ca3af;font-size:10px} .title{fill:#111827;font-size:13px;font-weight:600}</style>"
            + "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>"
            + "<text x=\"8\" y=\"16\" class=\"title\">\(Format.html(chart.title))</text>"
            + "<text x=\"8\" y=\"31\">\(Format.html(chart.note))</text>"
            + "<svg x=\"0\" y=\"\(c(headerHeight))\" width=\"\(c(width))\" height=\"\(c(height))\">" + svg(chart, runs: runs) + "</svg>"
        for (i, line) in chart.lines.enumerated() {
            let (color, dash) = style(of: line, in: chart, runs: runs)
            let x = 10 + Double(i % perRow) * (width - 20) / Double(perRow)
            let y = headerHeight + height + 4 + Double(i / perRow) * rowHeight
            s += "<line x1=\"\(c(x))\" y1=\"\(c(y + 6))\" x2=\"\(c(x + 18))\" y2=\"\(c(y + 6))\" stroke=\"\(color)\" stroke-width=\"2.5\""
                + (dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"") + "/>"
                + "<text x=\"\(c(x + 23))\" y=\"\(c(y + 10))\">\(Format.html(names[i]))</text>"
        }
        return s + "</svg>\n"
    }

    /// An exponential moving average, debiased at the start (as TensorBoard smooths); heavier for longer runs.
    static func smoothed(_ points: [(x: Double, y: Double)]) -> [(x: Double, y: Double)] {
        let weight = min(0.9, max(0.5, 1 - 10 / Double(points.count)))
        var average = 0.0
        return points.enumerated().map { i, p in
            average = average * weight + (1 - weight) * p.y
            return (p.x, average / (1 - pow(weight, Double(i + 1))))
        }
    }
}

/// An axis with round tick values (1, 2 or 5 × 10ⁿ apart).
struct Axis {
    var min: Double
    var max: Double
    var step: Double
    var ticks: [Double]

    /// `tight`: the axis ends at the data (x); otherwise it is widened to the outer ticks (y).
    static func nice(min lo: Double, max hi: Double, target: Int, integer: Bool, tight: Bool) -> Axis {
        let span = Swift.max(hi - lo, 1e-12)
        let raw = span / Double(Swift.max(target - 1, 1))
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        var step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        if integer { step = Swift.max(1, step.rounded()) }
        let first = (lo / step).rounded(.up) * step
        let start = tight ? lo : (lo / step).rounded(.down) * step
        let end = tight ? hi : (hi / step).rounded(.up) * step
        var ticks: [Double] = []
        let from = tight ? first : start
        var i = 0.0
        while from + i * step <= end + step * 1e-9 {
            let t = from + i * step
            ticks.append(abs(t) < step * 1e-9 ? 0 : t)
            i += 1
        }
        return Axis(min: start, max: Swift.max(end, start + step * 1e-9), step: step, ticks: ticks)
    }
}
