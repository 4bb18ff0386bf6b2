import Foundation
import Testing
@testable import Verifier

/// The committed regression corpus (`Fixtures/real_outputs.jsonl`, written by `Fixtures/make_real_outputs.py`):
/// gold answers and completions in the styles real models and datasets write (Qwen, Llama, DeepSeek, Minerva,
/// GSM8K, MATH; locale number formats, units, several answers, labelled answers, chat-template debris ...),
/// with the expected verdict. Overall agreement must reach 99 %; a completion that never committed to an answer
/// (category `uncommitted`) must never be rewarded; no case may need more than the default work budget.
@Suite struct RealOutputsTests {
    static func loadCases() throws -> [CaseFileTests.Case] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/real_outputs.jsonl")
        let text = try String(contentsOf: url, encoding: .utf8)
        let decoder = JSONDecoder()
        return try text.split(separator: "\n").filter { !$0.isEmpty }.map {
            try decoder.decode(CaseFileTests.Case.self, from: Data($0.utf8))
        }
    }

    @Test func agreementWithExpectedVerdicts() throws {
        let cases = try Self.loadCases()
        #expect(cases.count >= 400)
        #expect(Set(cases.map(\.id)).count == cases.count, "case ids are unique")
        let grader = Grader()
        var perCategory: [String: (agree: Int, total: Int)] = [:]
        var disagreements: [String] = []
        var falsePositives = 0
        for c in cases {
            let grade = grader.grade(completions: [c.prediction], gold: c.gold)[0]
            let agree = grade.isCorrect == c.expected
            perCategory[c.category, default: (0, 0)].total += 1
            if agree {
                perCategory[c.category, default: (0, 0)].agree += 1
            } else {
                if !c.expected { falsePositives += 1 }
                disagreements.append("\(c.id) [\(c.category)] expected \(c.expected) got \(grade.reason.rawValue) "
                    + "(\(grade.method.rawValue): \(grade.extractedAnswer ?? "-")) gold \(c.gold.prefix(60))")
            }
            #expect(grade.limit != .workBudget, "\(c.id) ran out of work budget")
        }
        let agreed = perCategory.values.reduce(0) { $0 + $1.agree }
        let overall = Double(agreed) / Double(cases.count)
        print("real outputs: \(agreed)/\(cases.count) = \(String(format: "%.4f", overall)), "
            + "false positives \(falsePositives)")
        for (category, counts) in perCategory.sorted(by: { $0.key < $1.key }) {
            print("  \(category): \(counts.agree)/\(counts.total)")
        }
        for d in disagreements { print("  disagree: \(d)") }
        #expect(overall >= 0.99)
        #expect(perCategory.count >= 15, "every category of the issue is covered")
        let uncommitted = try #require(perCategory["uncommitted"])
        #expect(uncommitted.agree == uncommitted.total)
    }

    /// Both corpora grade the same in a pool as one by one (the service grades concurrently).
    @Test func concurrentGradingMatchesSequential() throws {
        let cases = try Self.loadCases()
        let grader = Grader()
        let expected = cases.map { grader.grade(completions: [$0.prediction], gold: $0.gold)[0] }
        let results = GraderTests.Results(count: cases.count)
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for i in stride(from: worker, to: cases.count, by: 4) {
                results.store(i, grader.grade(completions: [cases[i].prediction], gold: cases[i].gold)[0])
            }
        }
        #expect(results.all == expected)
    }
}
