import Foundation
import Logging
import Protocol
import Synchronization

/// The coordinator's learner endpoint as a test sees it: a REP socket that acknowledges every lease report,
/// weight announcement and chunk, and records them in order.
public final class FakeCoordinator: Sendable {
    public let url: String
    private let channel: MessageChannel
    private let recorded = Recorder()
    private let serving: Task<Void, any Error>

    public init(url: String, codec: FrameCodec = FrameCodec()) throws {
        self.url = url
        channel = try MessageChannel(.reply, codec: codec)
        try channel.socket.listen(url)
        let server = RequestServer(channel: channel, concurrency: 1, logger: Logger(label: "fake-coordinator"))
        let recorded = self.recorded
        serving = ServiceThreads.start {
            try? await server.run { message in
                recorded.messages.withLock { $0.append(message) }
                return Ack()
            }
        }
    }

    public func close() {
        serving.cancel()
        channel.close()
    }

    /// Everything received so far.
    public var messages: [Message] { recorded.messages.withLock { $0 } }

    /// The lease reports received so far.
    public var reports: [LeaseReport] {
        messages.compactMap { if case let .leaseReport(r) = $0 { r } else { nil } }
    }

    /// Versions announced so far, in order.
    public var announcedVersions: [UInt64] {
        messages.compactMap { if case let .newWeightVersion(v) = $0 { v.version } else { nil } }
    }

    /// Waits (polling every 20 ms, up to `timeout`) until `condition` holds for what was received; returns
    /// whether it did. For tests: the condition names the exact event awaited, so no test sleeps for luck.
    public func wait(timeout: Duration = .seconds(30), until condition: (FakeCoordinator) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !condition(self) {
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }
}

private final class Recorder: Sendable {
    let messages = Mutex<[Message]>([])
}
