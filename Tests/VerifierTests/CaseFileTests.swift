import Foundation
import Testing
import TestSupport
@testable import Verifier

/// The shared case file (`../shared/reference/verifier_cases.jsonl`): real completions and gold answers with the
/// expected verdict. Overall agreement must reach 99 %, the adversarial category 100 %, and no case may need
/// more than the default work budget.
@Suite struct CaseFileTests {
    struct Case: Decodable {
        let id: String
        let category: String
        let gold: String
        let prediction: String
        let expected: Bool
    }

    static func loadCases() throws -> [Case] {
        let url = try SharedReference.url("verifier_cases.jsonl")
        let text = try String(contentsOf: url, encoding: .utf8)
        let decoder = JSONDecoder()
        return try text.split(separator: "\n").filter { !$0.isEmpty }.map {
            try decoder.decode(Case.self, from: Data($0.utf8))
        }
    }

    @Test func agreementWithExpectedVerdicts() throws {
        let cases = try Self.loadCases()
        #expect(cases.count >= 400)
        let grader = Grader()
        var perCategory: [String: (agree: Int, total: Int)] = [:]
        var disagreements: [String] = []
        var maxSteps = 0
        for c in cases {
            let grade = grader.grade(completions: [c.prediction], gold: c.gold)[0]
            let agree = grade.isCorrect == c.expected
            perCategory[c.category, default: (0, 0)].total += 1
            if agree { perCategory[c.category, default: (0, 0)].agree += 1 }
            if !agree {
                disagreements.append("\(c.id) [\(c.category)] expected \(c.expected) got \(grade.reason.rawValue) "
                    + "(\(grade.method.rawValue): \(grade.extractedAnswer ?? "-")) gold \(c.gold)")
            }
            maxSteps = max(maxSteps, grade.steps)
            // Every case finishes within the work budget (no budget exhaustion), whatever its verdict.
            #expect(grade.limit != .workBudget, "\(c.id) ran out of work budget")
            #expect(grade.steps <= grader.configuration.limits.workBudget)
        }
        let agreed = perCategory.values.reduce(0) { $0 + $1.agree }
        let overall = Double(agreed) / Double(cases.count)
        print("verifier case file: \(agreed)/\(cases.count) = \(String(format: "%.4f", overall)), max steps \(maxSteps)")
        for (category, counts) in perCategory.sorted(by: { $0.key < $1.key }) {
            print("  \(category): \(counts.agree)/\(counts.total)")
        }
        for d in disagreements { print("  disagree: \(d)") }
        #expect(overall >= 0.99)
        let adversarial = try #require(perCategory["adversarial"])
        #expect(adversarial.agree == adversarial.total)
    }
}
