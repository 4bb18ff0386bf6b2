import Foundation
import Logging
import TestSupport
import Testing
@testable import Protocol

/// Real nng sockets on inproc, ipc and tcp loopback.
@Suite struct TransportTests {
    enum Transport: String, CaseIterable { case inproc, ipc, tcp }

    /// A fresh address for `transport` (tcp binds port 0; use the returned URL for dialing).
    static func listen(_ socket: NNGSocket, _ transport: Transport) throws -> String {
        switch transport {
        case .inproc:
            let url = "inproc://grpo-test-\(UUID().uuidString)"
            try socket.listen(url)
            return url
        case .ipc:
            let url = IPCAddress.unique("test")
            try socket.listen(url)
            return url
        case .tcp:
            let port = try #require(try socket.listen("tcp://127.0.0.1:0"))
            return "tcp://127.0.0.1:\(port)"
        }
    }

    @Test(arguments: Transport.allCases)
    func pushPullCarriesEveryMessageIncludingLargeGroups(transport: Transport) async throws {
        let pull = try MessageChannel(.pull)
        let push = try MessageChannel(.push)
        defer { push.close(); pull.close() }
        let url = try Self.listen(pull.socket, transport)
        try push.socket.dial(url)
        let big = RolloutGroup.synthetic(payloadBytes: 4 << 20)
        let messages = SampleMessages.all + [big]
        // Receive while sending: a PUSH socket blocks once the peer's buffers are full.
        let receiving = Task {
            var received: [Message] = []
            for _ in messages { received.append(try await pull.receive(timeout: .seconds(20))) }
            return received
        }
        for m in messages { try await push.send(m, timeout: .seconds(20)) }
        #expect(try await receiving.value == messages.map { Message($0) })
    }

    @Test(arguments: Transport.allCases)
    func requestReplyServesConcurrentClientsAndSurvivesGarbage(transport: Transport) async throws {
        let server = try MessageChannel(.reply)
        let client = try MessageChannel(.request)
        defer { client.close(); server.close() }
        let url = try Self.listen(server.socket, transport)
        try client.socket.dial(url)
        let logger = Logger(label: "test.request-server")
        let serving = ServiceThreads.start {
            try await RequestServer(channel: server, concurrency: 4, logger: logger).run { message in
                guard case let .verifyRequest(request) = message else {
                    throw ErrorReply(code: "unexpected", inReplyTo: message.type.rawValue, message: "only verify")
                }
                return VerifyResponse(requestID: request.requestID,
                                      grades: request.completions.map { VerifyGrade(reward: Float($0.count), correct: true, reason: "len", extractedAnswer: $0) },
                                      elapsedMicroseconds: 1)
            }
        }
        defer { serving.cancel() }

        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<32 {
                group.addTask {
                    let reply = try await client.request(VerifyRequest(requestID: UInt64(i), goldAnswer: "x",
                                                                       completions: [String(repeating: "a", count: i)]),
                                                         expecting: VerifyResponse.self, timeout: .seconds(20))
                    #expect(reply.requestID == UInt64(i))
                    #expect(reply.grades.map(\.reward) == [Float(i)])
                }
            }
            try await group.waitForAll()
        }

        // Garbage and a wrong message type get typed error replies; the server keeps serving afterwards.
        let raw = try client.socket.makeContext()
        defer { raw.close() }
        try await raw.send(NNGMessage(copying: Array("definitely not a grpo-lambda frame".utf8)), timeout: .seconds(10))
        let refusal = try FrameCodec().decode(await raw.receive(timeout: .seconds(10)))
        guard case let .error(reply) = refusal else { Issue.record("no error reply: \(refusal)"); return }
        #expect(reply.code == "bad_magic")
        await #expect(throws: ErrorReply.self) {
            _ = try await client.request(Ack(), expecting: VerifyResponse.self, timeout: .seconds(10))
        }
        let after = try await client.request(VerifyRequest(requestID: 99, goldAnswer: "", completions: []),
                                             expecting: VerifyResponse.self, timeout: .seconds(10))
        #expect(after.requestID == 99)
    }

    @Test(arguments: Transport.allCases)
    func framesLeaveThePayloadOutOfTheCRCOnlyOnLinksThatProtectIt(transport: Transport) async throws {
        let pull = try MessageChannel(.pull)
        let push = try MessageChannel(.push)
        defer { push.close(); pull.close() }
        #expect(!push.socket.linksProtectPayload, "a socket without links protects nothing")
        try push.socket.dial(try Self.listen(pull.socket, transport))
        let protects = transport != .tcp
        #expect(push.socket.linksProtectPayload == protects && pull.socket.linksProtectPayload == protects)
        try await push.send(SampleMessages.rolloutGroup, timeout: .seconds(10))
        let frame = try await pull.socket.receive(timeout: .seconds(10))
        let flags = FrameCodec.Flags(rawValue: frame.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 8, as: UInt32.self) })
        #expect(flags.contains(.payloadUnchecksummed) == protects)
        #expect(frame.arrivedOverProtectedLink == protects)
        #expect(try pull.unframe(frame) == Message(SampleMessages.rolloutGroup))
    }

    /// One PULL socket listening on tcp:// and ipc://: as a whole it protects nothing, so each frame without a
    /// payload checksum is judged by the pipe it came over.
    @Test func unchecksummedFramesAreRefusedFromLinksThatDoNotProtectThemAndServingGoesOn() async throws {
        let pull = try MessageChannel(.pull)
        let overTCP = try MessageChannel(.push), overIPC = try MessageChannel(.push)
        defer { overTCP.close(); overIPC.close(); pull.close() }
        let port = try #require(try pull.socket.listen("tcp://127.0.0.1:0"))
        let ipc = IPCAddress.unique("mixed")
        try pull.socket.listen(ipc)
        #expect(!pull.socket.linksProtectPayload)
        try overTCP.socket.dial("tcp://127.0.0.1:\(port)")
        try overIPC.socket.dial(ipc)
        // What a sender configured for ipc:// would put on tcp:// by mistake.
        let unchecked = { try FrameCodec().encode(SampleMessages.rolloutGroup, linkProtectsPayload: true) }
        try await overTCP.socket.send(unchecked(), timeout: .seconds(10))
        await #expect(throws: ProtocolError.payloadChecksumRequired) { try await pull.receive(timeout: .seconds(10)) }
        try await overIPC.socket.send(unchecked(), timeout: .seconds(10))
        #expect(try await pull.receive(timeout: .seconds(10)) == Message(SampleMessages.rolloutGroup))
        try await overTCP.send(SampleMessages.rolloutGroup, timeout: .seconds(10))
        #expect(try await pull.receive(timeout: .seconds(10)) == Message(SampleMessages.rolloutGroup))
    }

    @Test func publishSubscribeDeliversAnnouncements() async throws {
        let pub = try MessageChannel(.publisher)
        let sub = try MessageChannel(.subscriber)
        defer { sub.close(); pub.close() }
        let url = try Self.listen(pub.socket, .tcp)
        try sub.socket.subscribe()
        try sub.socket.dial(url)
        let announce = SampleMessages.all.first { $0 is WeightAnnounce }!
        // PUB/SUB drops messages until the subscription reaches the publisher: publish until one arrives.
        var received: Message?
        for _ in 0..<200 where received == nil {
            try await pub.send(announce, timeout: .seconds(1))
            do { received = try await sub.receive(timeout: .milliseconds(50)) } catch let e as NNGError where e.reason == .timedOut {}
        }
        #expect(received == Message(announce))
    }

    @Test func receiveTimesOutWithATypedError() async throws {
        let pull = try NNGSocket(.pull)
        defer { pull.close() }
        try pull.listen("inproc://timeout-\(UUID().uuidString)")
        await #expect(throws: NNGError.self) { _ = try await pull.receive(timeout: .milliseconds(20)) }
        do { _ = try await pull.receive(timeout: .milliseconds(20)) } catch { #expect(error.reason == .timedOut) }
        try pull.setTimeouts(send: nil, receive: .milliseconds(20))
        do { _ = try pull.receiveBlocking() } catch { #expect(error.reason == .timedOut) }
    }

    @Test func cancellingAReceiveEndsItPromptly() async throws {
        let pull = try NNGSocket(.pull)
        defer { pull.close() }
        try pull.listen("inproc://cancel-\(UUID().uuidString)")
        let waiting = Task { try await pull.receive(timeout: .seconds(600)) }
        waiting.cancel()
        do {
            _ = try await waiting.value
            Issue.record("receive returned after cancellation")
        } catch let error as NNGError {
            #expect(error.reason == .canceled)
        }
    }

    @Test func closingTheSocketEndsPendingReceives() async throws {
        let pull = try NNGSocket(.pull)
        try pull.listen("inproc://close-\(UUID().uuidString)")
        async let pending: NNGMessage = pull.receive(timeout: .seconds(600))
        try await Task.sleep(for: .milliseconds(1))  // let the receive start; correctness does not depend on it
        pull.close()
        do {
            _ = try await pending
            Issue.record("receive returned after close")
        } catch let error as NNGError {
            #expect(error.reason == .closed)
        }
    }

    @Test func blockingDialToNobodyIsRefused() throws {
        let push = try NNGSocket(.push)
        defer { push.close() }
        #expect(throws: NNGError.self) { try push.dial("tcp://127.0.0.1:1", blocking: true) }
        do { try push.dial("ipc:///nonexistent/dir/socket.ipc", blocking: true) } catch { #expect(error.reason == .connectionRefused || error.reason == .invalidAddress || error.reason == .other(code: error.code)) }
        #expect(throws: NNGError.self) { try push.dial("bogus://x") }
    }

    @Test func receiveLimitDropsOversizedMessagesAndKeepsServing() async throws {
        let pull = try NNGSocket(.pull, receiveMaxSize: 64 << 10)
        let push = try NNGSocket(.push)
        defer { push.close(); pull.close() }
        let url = try Self.listen(pull, .ipc)
        try push.dial(url)
        try await push.send(NNGMessage(copying: [UInt8](repeating: 1, count: 256 << 10)), timeout: .seconds(10))
        try await push.send(NNGMessage(copying: [UInt8](repeating: 2, count: 100)), timeout: .seconds(10))
        // The small message arrives (after nng drops the oversized one and the pipe reconnects); the big one never does.
        let received = try await pull.receive(timeout: .seconds(20))
        #expect(received.bytes == [UInt8](repeating: 2, count: 100))
    }

    @Test func tlsEncryptedTransportWorks() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("grpo-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = dir.appendingPathComponent("key.pem").path, cert = dir.appendingPathComponent("cert.pem").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                             "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=localhost",
                             "-addext", "subjectAltName=DNS:localhost"]
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        try #require(openssl.terminationStatus == 0, "openssl could not make a test certificate")
        let both = dir.appendingPathComponent("both.pem").path
        try (String(contentsOfFile: cert, encoding: .utf8) + String(contentsOfFile: key, encoding: .utf8))
            .write(toFile: both, atomically: true, encoding: .utf8)

        let pull = try MessageChannel(.pull)
        let push = try MessageChannel(.push)
        defer { push.close(); pull.close() }
        let port = try #require(try pull.socket.listen("tls+tcp://127.0.0.1:0", tls: TLSConfiguration(certificateKeyFile: both)))
        try push.socket.dial("tls+tcp://127.0.0.1:\(port)", tls: TLSConfiguration(caFile: cert, serverName: "localhost"))
        #expect(push.socket.linksProtectPayload && pull.socket.linksProtectPayload, "TLS authenticates every record")
        try await push.send(SampleMessages.rolloutGroup, timeout: .seconds(10))
        let frame = try await pull.socket.receive(timeout: .seconds(10))
        #expect(frame.arrivedOverProtectedLink)
        #expect(try pull.unframe(frame) == Message(SampleMessages.rolloutGroup))
    }
}
