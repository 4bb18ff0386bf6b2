import Coordinator
import Foundation
import Logging
import Primitives
import Protocol
import Tasks
import TestSupport
import Testing

/// The Python client, written from docs/PROTOCOL.md alone, works as a worker of a real coordinator: it registers,
/// leases prompts, downloads the newest weights chunk by chunk, rebuilds them (zstd, byte planes), checks their
/// SHA-256 and deregisters, which hands its leases back.
@Suite struct CoordinatorInteropTests {
    @Test(arguments: [nil, "interop shared secret, long enough"])
    func aPythonWorkerLeasesAndFetchesWeights(secretText: String?) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("grpo-coord-interop-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let codecOptions = FrameCodec.Options(secret: secretText.flatMap { SharedSecret($0) })
        let configuration = CoordinatorConfiguration(
            workersURL: IPCAddress.unique("workers"), learnerURL: IPCAddress.unique("learner"),
            announceURL: IPCAddress.unique("announce"),
            ledgerURL: directory.appendingPathComponent("ledger.jsonl"), groupSize: 4, leaseWindow: 8,
            codec: codecOptions, chunkSize: 1024)
        let problems = SyntheticCurriculum(seed: 5, level: 2)
        let coordinator = try CoordinatorService(configuration: configuration, problems: problems,
                                                 logger: Logger(label: "coordinator-interop"))
        let serving = ServiceThreads.start { try await coordinator.run() }
        defer { serving.cancel() }

        // The learner publishes version 3: 3,000 parameters in one float32 chunk.
        let parameters = (0..<3000).map { Float(sin(Double($0) * 0.37)) * 0.05 }
        let learner = try MessageChannel(.request, codec: FrameCodec(options: codecOptions))
        defer { learner.close() }
        try learner.socket.dial(configuration.learnerURL)
        let bytes = parameters.withUnsafeBytes { Array($0) }
        _ = try await learner.request(NewWeightVersion(version: 3, learnerStep: 3, parameterCount: 3000, modelFingerprint: 9,
                                                       chunkSize: UInt32(bytes.count), chunkCount: 1,
                                                       sha256: bytes.withUnsafeBytes { SHA256Digest.of($0) }),
                                      expecting: Ack.self, timeout: .seconds(10))
        _ = try await learner.request(WeightChunk(version: 3, encoding: .float32, baseVersion: 3, chunkIndex: 0,
                                                  chunkCount: 1, bytes: WireArray(bytes)),
                                      expecting: Ack.self, timeout: .seconds(10))

        var arguments = ["--coordinator", configuration.workersURL, "--worker-id", "py-1"]
        if let secretText { arguments += ["--secret", secretText] }
        let result = try await PythonInterop.run(arguments)
        #expect(result.status == 0, "client stderr: \(result.standardError)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])

        let leases = try #require(json["leases"] as? [[String: Any]])
        #expect(leases.map { $0["prompt_index"] as? Int } == [0, 1])
        #expect(leases.map { $0["prompt"] as? String } == [problems.problem(at: 0).question, problems.problem(at: 1).question])
        #expect(leases.allSatisfy { $0["group_size"] as? Int == 4 })
        let weights = try #require(json["weights"] as? [String: Any])
        #expect(weights["version"] as? Int == 3 && weights["parameters"] as? Int == 3000)
        #expect(weights["sha256_ok"] as? Bool == true)
        #expect(weights["encoding"] as? Int == Int(WeightEncoding.bfloat16.rawValue))
        // The first values, rebuilt in Python, are the bfloat16 roundings of what the learner sent.
        let first = try #require(weights["first"] as? [Double])
        let rounded = WeightCodec.bytes(of: parameters.withUnsafeBufferPointer { $0 }, precision: .bfloat16)
        var widened = [Float](repeating: 0, count: parameters.count)
        widened.withUnsafeMutableBufferPointer { WeightCodec.widen(rounded, precision: .bfloat16, into: $0) }
        #expect(first.map(Float.init) == Array(widened.prefix(first.count)))
        // Deregistering hands both leases back: the ledger shows them issued, then expired.
        #expect(json["leases_released"] as? Int == 2)
        let audit = try LedgerAudit(file: configuration.ledgerURL)
        #expect(audit.leases["issued"] == 2 && audit.leases["expired"] == 2 && audit.exactlyOnce)
    }
}
