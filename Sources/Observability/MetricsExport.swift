import Logging
import Metrics
import Prometheus

/// Turns on Prometheus metrics for this process: swift-metrics is bootstrapped with a Prometheus registry (once,
/// as swift-metrics requires) and `MetricsServer` serves it. Services record through swift-metrics
/// (`Counter`, `Gauge`, `Timer`, `Recorder`) whether or not this ran; without it their metrics go nowhere.
public enum MetricsExport {
    /// Starts exporting on `listen` ("host:port"; port 0 picks a free one). Call at most once per process.
    public static func start(listen: String, logger: Logger) async throws -> MetricsServer {
        let (host, port) = try parse(listen)
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10), .seconds(30),
            .seconds(60), .seconds(300),
        ]
        MetricsSystem.bootstrap(factory)
        let server = try await MetricsServer(host: host, port: port, registry: registry)
        logger.info("metrics exported", metadata: [
            "event": "metrics_listening", "url": "http://\(host):\(server.port)/metrics",
        ])
        return server
    }

    public struct BadAddress: Error, CustomStringConvertible {
        public let text: String
        public var description: String { "metrics address \"\(text)\" is not HOST:PORT" }
    }

    static func parse(_ text: String) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (0...65_535).contains(port) else { throw BadAddress(text: text) }
        let host = String(text[..<colon])
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }
}
