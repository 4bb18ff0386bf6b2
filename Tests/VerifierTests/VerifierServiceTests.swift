import Foundation
import Logging
import Protocol
import TestSupport
import Testing
@testable import Verifier

/// The verifier service on a real ipc:// socket with concurrent clients.
@Suite struct VerifierServiceTests {
    @Test func concurrentClientsGetTheirOwnGradesAndGarbageGetsAnError() async throws {
        let url = IPCAddress.unique("verifier")
        let service = VerifierService(configuration: .init(url: url, threads: 2, maxCompletionsPerRequest: 64),
                                      logger: Logger(label: "verifier-test"))
        let listening = AsyncStream<Void>.makeStream()
        let serving = ServiceThreads.start { try await service.run { _ in listening.continuation.yield() } }
        defer { serving.cancel() }
        for await _ in listening.stream { break }

        let client = try MessageChannel(.request)
        defer { client.close() }
        try client.socket.dial(url)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<24 {
                group.addTask {
                    let gold = "\\frac{\(i + 1)}{2}"
                    let completions = ["so the answer is $\\boxed{\\frac{\(i + 1)}{2}}$",
                                       "#### \(Double(i + 1) / 2)",
                                       "The answer is \(i + 7).",
                                       "I don't know"]
                    let reply = try await client.request(VerifyRequest(requestID: UInt64(i), goldAnswer: gold, completions: completions),
                                                         expecting: VerifyResponse.self, timeout: .seconds(30))
                    #expect(reply.requestID == UInt64(i))
                    #expect(reply.grades.map(\.correct) == [true, true, false, false])
                    #expect(reply.grades.map(\.reason) == ["correct", "correct", "wrong", "no_answer_found"])
                    #expect(reply.grades[0].reward == 1 && reply.grades[2].reward == 0)
                }
            }
            try await group.waitForAll()
        }
        #expect(service.gradedCount == 24 * 4)

        // A frame that is not ours, a request that is too large and a wrong message type: typed errors, no crash.
        let raw = try client.socket.makeContext()
        defer { raw.close() }
        try await raw.send(NNGMessage(copying: [UInt8](repeating: 0x41, count: 64)), timeout: .seconds(10))
        guard case let .error(refusal) = try FrameCodec().decode(await raw.receive(timeout: .seconds(10))) else {
            Issue.record("no error reply to garbage")
            return
        }
        #expect(refusal.code == "bad_magic")
        await #expect(throws: ErrorReply.self) {
            _ = try await client.request(VerifyRequest(requestID: 1, goldAnswer: "1", completions: Array(repeating: "1", count: 65)),
                                         expecting: VerifyResponse.self, timeout: .seconds(10))
        }
        await #expect(throws: ErrorReply.self) {
            _ = try await client.request(Ack(), expecting: VerifyResponse.self, timeout: .seconds(10))
        }
        // Hostile input is graded within its budget, and the service still answers afterwards.
        let hostile = try await client.request(
            VerifyRequest(requestID: 7, goldAnswer: "1", completions: ["\\boxed{9^{9^{9^{9}}}}", String(repeating: "{", count: 100_000)]),
            expecting: VerifyResponse.self, timeout: .seconds(30))
        #expect(hostile.grades.allSatisfy { !$0.correct })
    }
}
