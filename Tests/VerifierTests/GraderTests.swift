import Foundation
import Testing
@testable import Verifier

@Suite struct GraderTests {
    @Test func batchGradesEachCompletionInOrder() {
        let grader = Grader()
        let completions = ["\\boxed{4}", "#### 5", "The answer is 4.", "nothing", "so 4 apples", "\\boxed{4"]
        let grades = grader.grade(completions: completions, gold: "4")
        #expect(grades.map(\.reason) == [.correct, .wrong, .correct, .noAnswerFound, .correct, .noAnswerFound])
        #expect(grades.map(\.method) == [.boxed, .hashMarker, .answerPhrase, .none, .lastNumber, .none])
        #expect(grades.map(\.reward) == [1, 0, 1, 0, 1, 0])
        let gold = grader.prepareGold("4")
        #expect(completions.map { grader.grade(completion: $0, against: gold) } == grades)
    }

    @Test func rewardShaping() {
        var configuration = GraderConfiguration()
        configuration.reward.correct = 2
        configuration.reward.wrong = -1
        configuration.reward.missingFinalAnswerPenalty = 0.5
        let grader = Grader(configuration: configuration)
        let grades = grader.grade(completions: ["\\boxed{7}", "\\boxed{8}", "she has 7 left", "no answer"], gold: "7")
        #expect(grades.map(\.reward) == [2, -1, 1.5, -1.5])
        #expect(grader.grade(completions: ["\\boxed{7}"], gold: "\\frac{").map(\.reward) == [-1])
        configuration.reward.lastNumberFallback = false
        #expect(Grader(configuration: configuration).grade(completions: ["she has 7 left"], gold: "7")[0].reason
            == .noAnswerFound)
    }

    @Test func preparedGoldReportsItsState() {
        let grader = Grader()
        #expect(grader.prepareGold("$\\boxed{\\frac{1}{2}}$").isUsable)
        #expect(grader.prepareGold("\\text{(C)}").isChoice)
        #expect(!grader.prepareGold("12").isChoice)
        #expect(grader.prepareGold("\\frac{1}{").failure == .unparseableGold)
    }

    @Test func concurrentGradingMatchesSequential() throws {
        let grader = Grader()
        let cases = try CaseFileTests.loadCases()
        let expected = cases.map { grader.grade(completions: [$0.prediction], gold: $0.gold)[0] }
        let results = Results(count: cases.count)
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for i in stride(from: worker, to: cases.count, by: 4) {
                results.store(i, grader.grade(completions: [cases[i].prediction], gold: cases[i].gold)[0])
            }
        }
        #expect(results.all == expected)
    }

    /// One slot per case, written by exactly one worker.
    final class Results: @unchecked Sendable {
        private var grades: [Grade?]
        private let lock = NSLock()
        init(count: Int) { grades = Array(repeating: nil, count: count) }
        func store(_ i: Int, _ g: Grade) { lock.withLock { grades[i] = g } }
        var all: [Grade] { lock.withLock { grades.compactMap { $0 } } }
    }
}

extension GraderTests {
    @Test func configurationDecodesPartially() throws {
        let decoder = JSONDecoder()
        #expect(try decoder.decode(GraderConfiguration.self, from: Data("{}".utf8)) == GraderConfiguration())
        let partial = try decoder.decode(GraderConfiguration.self, from: Data(
            #"{"reward": {"missingFinalAnswerPenalty": 0.25}, "limits": {"workBudget": 1000}}"#.utf8))
        var expected = GraderConfiguration()
        expected.reward.missingFinalAnswerPenalty = 0.25
        expected.limits.workBudget = 1000
        #expect(partial == expected)
        let roundTrip = try decoder.decode(GraderConfiguration.self, from: JSONEncoder().encode(partial))
        #expect(roundTrip == partial)
    }
}
