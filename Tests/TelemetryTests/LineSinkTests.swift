import Foundation
import Testing
@testable import Telemetry

@Suite struct LineSinkTests {
    /// Two sinks on one file stand for two processes of a run sharing its log.jsonl: each has its own file
    /// description and offset, so without O_APPEND their lines would overwrite each other.
    @Test func twoWritersOnOneFileNeverOverwriteEachOther() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("grpo-sink-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: url) }
        try "existing line\n".write(to: url, atomically: true, encoding: .utf8)
        let sinks = [try LineSink(appendingTo: url), try LineSink(appendingTo: url)]
        let linesPerWriter = 2_000
        let padding = String(repeating: "x", count: 300)
        DispatchQueue.concurrentPerform(iterations: 4) { writer in
            for i in 0..<linesPerWriter { sinks[writer % 2].write("{\"writer\":\(writer),\"i\":\(i),\"pad\":\"\(padding)\"}") }
        }
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "existing line")
        #expect(lines.last == "")
        let events = lines.dropFirst().dropLast()
        #expect(events.count == 4 * linesPerWriter)
        var seen = Set<String>()
        for line in events {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            seen.insert("\(object["writer"]!)/\(object["i"]!)")
        }
        #expect(seen.count == 4 * linesPerWriter)
    }

    @Test func anUnwritableLocationIsAnError() {
        #expect(throws: (any Error).self) { try LineSink(appendingTo: URL(fileURLWithPath: "/proc/grpo-lambda/log.jsonl")) }
    }
}
