import ArgumentParser
import Foundation
import Logging
import Observability
import Protocol

/// Security flags every service takes (coordinator, learner, worker, verifier), with the same meaning in each.
struct ServiceOptions: ParsableArguments {
    @Option(help: "File holding the run's shared secret (≥ 16 bytes): every frame then carries an HMAC and frames without a valid one are refused.")
    var secretFile: String?

    @Option(help: "PEM certificate + private key, for this service's tls+tcp:// listeners (and as its client certificate).")
    var tlsCertificateKey: String?

    @Option(help: "PEM CA certificate(s) that verify the peers this service dials over tls+tcp://.")
    var tlsCAFile: String?

    @Option(help: "Name to expect in the certificate of the peers this service dials, when it differs from the URL's host.")
    var tlsServerName: String?

    @Option(help: "Which frames' payloads this service covers with the CRC: unless-link-protects (the default: not on ipc://, inproc:// and tls+tcp:// links, which protect the bytes themselves) or always. Every frame's header is checksummed either way.")
    var payloadChecksum: FrameCodec.PayloadChecksum = .unlessLinkProtects

    @Option(help: "Serve Prometheus metrics at http://HOST:PORT/metrics (off by default).")
    var metricsListen: String?

    /// Starts the Prometheus endpoint when `--metrics-listen` asks for one.
    func startMetrics(logger: Logger) async throws -> MetricsServer? {
        guard let metricsListen else { return nil }
        return try await MetricsExport.start(listen: metricsListen, logger: logger)
    }

    /// The frame codec options: HMAC with the shared secret when one is given, the payload checksum asked for.
    func codecOptions() throws -> FrameCodec.Options {
        FrameCodec.Options(secret: try secretFile.map { try SharedSecret.load(path: $0) }, payloadChecksum: payloadChecksum)
    }

    /// TLS settings for `tls+tcp://` URLs, or nil when no TLS flag is given.
    var tls: TLSConfiguration? {
        guard tlsCertificateKey != nil || tlsCAFile != nil || tlsServerName != nil else { return nil }
        return TLSConfiguration(caFile: tlsCAFile, certificateKeyFile: tlsCertificateKey, serverName: tlsServerName)
    }
}

extension FrameCodec.PayloadChecksum: ExpressibleByArgument {}
