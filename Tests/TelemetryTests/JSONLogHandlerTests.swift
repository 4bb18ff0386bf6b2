import Foundation
import Logging
import Testing
@testable import Telemetry

@Suite struct JSONLogHandlerTests {
    func temporaryFile() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("grpo-log-\(UUID().uuidString).jsonl")
    }

    @Test func writesOneParseableObjectPerEvent() throws {
        let url = temporaryFile()
        defer { try? FileManager.default.removeItem(at: url) }
        let sink = try LineSink(appendingTo: url)
        var logger = Logger(label: "learner") { JSONLogHandler(label: $0, level: .debug, sinks: [sink]) }
        logger[metadataKey: "run"] = "r1"
        logger.info("step done", metadata: [
            "event": "step", "step": .stringConvertible(3), "loss": .stringConvertible(0.25),
            "nan": .stringConvertible(Double.nan), "ok": .stringConvertible(true), "worker": "007",
            "text": "line one\nline \"two\"\t\u{1}", "nested": ["a": .stringConvertible(1), "b": ["x", "y"]],
        ])
        logger.trace("not logged at debug level")
        logger.debug("second", metadata: ["event": "other"])

        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(first["service"] as? String == "learner")
        #expect(first["level"] as? String == "info")
        #expect(first["event"] as? String == "step")
        #expect(first["run"] as? String == "r1")
        #expect(first["step"] as? Int == 3)
        #expect(first["loss"] as? Double == 0.25)
        #expect(first["nan"] as? String == "nan")
        #expect(first["ok"] as? Bool == true)
        #expect(first["worker"] as? String == "007")  // a string stays a string
        #expect(first["text"] as? String == "line one\nline \"two\"\t\u{1}")
        #expect((first["nested"] as? [String: Any])?["b"] as? [String] == ["x", "y"])
        #expect((first["ts"] as? String)?.hasSuffix("Z") == true)
    }

    @Test func concurrentWritersNeverInterleaveLines() async throws {
        let url = temporaryFile()
        defer { try? FileManager.default.removeItem(at: url) }
        let sink = try LineSink(appendingTo: url)
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    let logger = Logger(label: "t\(task)") { JSONLogHandler(label: $0, sinks: [sink]) }
                    for i in 0..<200 { logger.info("m", metadata: ["i": .stringConvertible(i), "pad": .string(String(repeating: "x", count: 500))]) }
                }
            }
        }
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1600)
        for line in lines { #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil) }
    }
}
