import Foundation
import Logging
import TestSupport
import Testing
@testable import Protocol

/// A Python client written from docs/PROTOCOL.md alone (Tests/interop/protocol_client.py, pynng) talks to Swift
/// sockets over real ipc:// endpoints: it pushes a rollout group, asks for a verification, and sends a frame of
/// a future protocol version.
@Suite struct InteropTests {
    /// What protocol_client.py's rollout_group_payload() encodes.
    static let expectedGroup = RolloutGroup(
        leaseID: 4242, promptIndex: 17, workerID: "python-worker", policyVersion: 3, prompt: "What is 5+1−2?",
        promptTokens: [5, 10, 1, 11, 2], goldAnswer: "4", temperature: 0.75, topP: 0.5, topK: 20, maxNewTokens: 64,
        generationSeconds: 1.5,
        completions: [
            ScoredCompletion(tokens: [7, 8, 9], samplerLogProbs: [-0.25, -0.5, -1.0], policyLogProbs: [-0.125, -0.75, -2.0],
                       finishReason: .stopToken, reward: 1, correct: true, verdict: "correct", text: "6-2=4 \\boxed{4}"),
            ScoredCompletion(tokens: [], samplerLogProbs: [], policyLogProbs: [], finishReason: .length, reward: 0,
                       correct: false, verdict: "no_answer_found", text: ""),
        ])

    @Test(arguments: [nil, "interop shared secret, long enough"])
    func pythonClientSpeaksTheProtocol(secretText: String?) async throws {
        let codec = FrameCodec(options: .init(secret: secretText.flatMap { SharedSecret($0) }))
        let pull = try MessageChannel(.pull, codec: codec)
        let rep = try MessageChannel(.reply, codec: codec)
        defer { pull.close(); rep.close() }
        let dir = NSTemporaryDirectory()
        let pushURL = "ipc://\(dir)grpo-interop-\(UUID().uuidString.prefix(8)).ipc"
        let requestURL = "ipc://\(dir)grpo-interop-\(UUID().uuidString.prefix(8)).ipc"
        try pull.socket.listen(pushURL)
        try rep.socket.listen(requestURL)
        let server = ServiceThreads.start {
            try await RequestServer(channel: rep, concurrency: 2, logger: Logger(label: "interop")).run { message in
                guard case let .verifyRequest(r) = message else {
                    throw ErrorReply(code: "unexpected", inReplyTo: message.type.rawValue, message: "")
                }
                // A stand-in grader: correct when the completion mentions the gold answer verbatim.
                return VerifyResponse(requestID: r.requestID, grades: r.completions.map {
                    let hit = !$0.isEmpty && $0.contains(r.goldAnswer)
                    return VerifyGrade(reward: hit ? 1 : 0, correct: hit, reason: hit ? "correct" : "wrong", extractedAnswer: hit ? r.goldAnswer : "")
                }, elapsedMicroseconds: 5)
            }
        }
        defer { server.cancel() }

        var arguments = ["--push", pushURL, "--request", requestURL]
        if let secretText { arguments += ["--secret", secretText] }
        let result = try await PythonInterop.run(arguments)
        #expect(result.status == 0, "client stderr: \(result.standardError)")

        #expect(try await pull.receive(timeout: .seconds(10)) == Message(Self.expectedGroup))

        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        // Over ipc:// the reply leaves its payload out of the CRC, and the client, written from PROTOCOL.md, takes it.
        let replyFlags = try #require(json["verify_reply_flags"] as? Int)
        #expect(UInt32(replyFlags) & FrameCodec.Flags.payloadUnchecksummed.rawValue != 0)
        let response = try #require(json["verify_response"] as? [String: Any])
        #expect(response["request_id"] as? Int == 77)
        let grades = try #require(response["grades"] as? [[String: Any]])
        #expect(grades.map { $0["correct"] as? Bool } == [true, false, false])
        #expect(grades.map { $0["reason"] as? String } == ["correct", "wrong", "wrong"])
        let error = try #require(json["future_version_error"] as? [String: Any])
        #expect(error["code"] as? String == "unsupported_version")
    }
}
