import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Prometheus

/// Serves a Prometheus registry over HTTP: `GET /metrics` answers the text exposition format, `GET /health`
/// answers `ok`; anything else is 404. One small swift-nio server per process, started by `MetricsExport`.
public final class MetricsServer: Sendable {
    public let host: String
    /// The bound port (useful when asked for port 0).
    public let port: Int
    private let channel: any Channel
    private let group: MultiThreadedEventLoopGroup

    /// Binds `host:port` and starts serving `registry`.
    public init(host: String, port: Int, registry: PrometheusCollectorRegistry) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 64)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.pipeline.configureHTTPServerPipeline().flatMap {
                        channel.pipeline.addHandler(MetricsHandler(registry: registry))
                    }
                }
                .bind(host: host, port: port).get()
            self.channel = channel
            self.group = group
            self.host = host
            self.port = channel.localAddress?.port ?? port
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    public func close() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }
}

/// One HTTP request at a time per connection: the path decides the answer.
private final class MetricsHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let registry: PrometheusCollectorRegistry
    private var head: HTTPRequestHead?

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(request): head = request
        case .body: break
        case .end:
            guard let request = head else { return }
            head = nil
            let path = request.uri.split(separator: "?").first.map(String.init) ?? request.uri
            let (status, type, body): (HTTPResponseStatus, String, [UInt8]) = switch (request.method, path) {
            case (.GET, "/metrics"): (.ok, "text/plain; version=0.0.4; charset=utf-8", registry.emitToBuffer())
            case (.GET, "/health"): (.ok, "text/plain; charset=utf-8", Array("ok\n".utf8))
            default: (.notFound, "text/plain; charset=utf-8", Array("not found: GET /metrics or /health\n".utf8))
            }
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: type)
            headers.add(name: "Content-Length", value: "\(body.count)")
            headers.add(name: "Connection", value: request.isKeepAlive ? "keep-alive" : "close")
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))),
                          promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
            let keepAlive = request.isKeepAlive
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
                if !keepAlive { bound.value.close(promise: nil) }
            }
        }
    }
}
