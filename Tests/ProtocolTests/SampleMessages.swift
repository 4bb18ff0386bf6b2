@testable import Protocol

/// One filled-in instance of every message type, with the awkward values (empty arrays, unicode, extremes).
enum SampleMessages {
    static let completion = ScoredCompletion(
        tokens: [1, 2, 3, 151_642], samplerLogProbs: [-0.5, -1.25, -0.001, -9.5], policyLogProbs: [-0.4, -1.5, -0.002, -8.0],
        finishReason: .stopToken, reward: 1, correct: true, verdict: "correct", text: "5+1=6;6-2=4. \\boxed{4}")

    static let rolloutGroup = RolloutGroup(
        leaseID: 42, promptIndex: 7, workerID: "host-a/1234/0", policyVersion: 3, prompt: "What is 5+1-2? Ünïcødé −",
        promptTokens: [5, 6, 7], goldAnswer: "4", temperature: 1, topP: 0.95, topK: 0, maxNewTokens: 64,
        generationSeconds: 0.25,
        completions: [completion,
                      ScoredCompletion(tokens: [], samplerLogProbs: [], policyLogProbs: [], finishReason: .length, reward: 0,
                                 correct: false, verdict: "no_answer_found", text: "")])

    static let digest = (0..<32).map { UInt8($0 * 7 & 0xFF) }

    private static let m0: any WireMessage = WorkerRegister(workerID: "w-1", host: "node-7", pid: 4242, slots: 2)
    private static let m1: any WireMessage = WorkerRegistered(workerID: "w-1", heartbeatIntervalMilliseconds: 1000, failureTimeoutMilliseconds: 10_000,
                         latestWeightVersion: 12)
    private static let m2: any WireMessage = Heartbeat(workerID: "w-1", heldWeightVersion: 12, activeLeaseIDs: [1, 2, .max], groupsCompleted: 99,
                  tokensGenerated: 123_456)
    private static let m3: any WireMessage = HeartbeatAck(latestWeightVersion: 13, mustReregister: true)
    private static let m4: any WireMessage = WorkerDeregister(workerID: "w-1", reason: "shutdown")
    private static let m5: any WireMessage = LeaseRequest(workerID: "w-1", maxGroups: 4)
    private static let m6: any WireMessage = LeaseGrant(leases: [PromptLease(leaseID: 1, promptIndex: 100, prompt: "2+2?", goldAnswer: "4", groupSize: 8,
                                        expiresInMilliseconds: 60_000),
                            PromptLease(leaseID: 2, promptIndex: 101, prompt: "", goldAnswer: "\\frac{1}{2}",
                                        groupSize: 16, expiresInMilliseconds: 1)],
                   minimumWeightVersion: 11)
    private static let m7: any WireMessage = LeaseGrant(leases: [], minimumWeightVersion: 0)
    private static let m8: any WireMessage = LeaseReport(learnerStep: 5, weightVersion: 5, resync: true, received: [7, 8], used: [6], consumed: [1, 2, 3], returned: [4], duplicates: [9])
    private static let m9: any WireMessage = rolloutGroup
    private static let m10: any WireMessage = VerifyRequest(requestID: 9, goldAnswer: "\\sqrt{2}", completions: ["the answer is $\\sqrt 2$", "", "零"])
    private static let m11: any WireMessage = VerifyResponse(requestID: 9, grades: [VerifyGrade(reward: 1, correct: true, reason: "correct", extractedAnswer: "\\sqrt 2"),
                                              VerifyGrade(reward: -0.1, correct: false, reason: "no_answer_found",
                                                          extractedAnswer: "")],
                       elapsedMicroseconds: 77)
    private static let m12: any WireMessage = WeightAnnounce(version: 4, learnerStep: 40, parameterCount: 1_000_000, modelFingerprint: 0xDEAD_BEEF,
                       chunkSize: 1 << 20,
                       payloads: [WeightPayloadInfo(encoding: .bfloat16Delta, compression: .zstd, baseVersion: 3,
                                                    decodedBytes: 2_000_000, wireBytes: 120_000, chunkCount: 1, sha256: digest),
                                  WeightPayloadInfo(encoding: .float32, compression: .none, baseVersion: 4,
                                                    decodedBytes: 4_000_000, wireBytes: 4_000_000, chunkCount: 4, sha256: digest)])
    private static let m13: any WireMessage = WeightChunkRequest(version: 4, encoding: .bfloat16Delta, baseVersion: 3, chunkIndex: 0)
    private static let m14: any WireMessage = WeightChunk(version: 4, encoding: .float32, baseVersion: 4, chunkIndex: 3, chunkCount: 4, bytes: WireArray(Array(0..<200)))
    private static let m15: any WireMessage = NewWeightVersion(version: 5, learnerStep: 50, parameterCount: 10, modelFingerprint: 1, chunkSize: 40, chunkCount: 1,
                         sha256: digest)
    private static let m16: any WireMessage = Ack(value: 3)
    private static let m17: any WireMessage = ErrorReply(code: "unknown_worker", inReplyTo: MessageType.heartbeat.rawValue, message: "who are you?")
    private static let m18: any WireMessage = LearnerMetrics(learnerStep: 3, weightVersion: 3, json: #"{"event":"step","loss":0.5}"#)
    private static let m19: any WireMessage = WeightInfoRequest(workerID: "w-2", heldVersion: 7)
    private static let m20: any WireMessage = WeightInfoRequest(workerID: "w-3", heldVersion: nil)

    private static let m21: any WireMessage = HealthRequest()
    private static let m22: any WireMessage = HealthReply(service: "worker", ready: false, detail: #"{"held_version":-1}"#)

    static let all: [any WireMessage] = [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18,
                                         m19, m20, m21, m22]
}
