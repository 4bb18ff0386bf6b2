import Protocol
import Tasks
import Testing
@testable import RolloutWorker

@Suite struct TrainingRewardGraderTests {
    @Test func workedChainsCheckEveryStepAndTheBoxedAnswer() {
        #expect(WorkedChain.isValid("7+2=9;9-5=4;4+1=5. \\boxed{5}"))
        #expect(WorkedChain.isValid("3*2=6;6+9=15. \\boxed{15}"))
        #expect(!WorkedChain.isValid("7+2=9;9-5=3;3+1=4. \\boxed{4}"))   // wrong arithmetic, consistent answer
        #expect(!WorkedChain.isValid("7+2=9;8-5=3. \\boxed{3}"))         // a step not starting from the last result
        #expect(!WorkedChain.isValid("7+2=9;9-5=4. \\boxed{5}"))         // boxed answer is not the last result
        #expect(!WorkedChain.isValid("6-1=}"))
        #expect(!WorkedChain.isValid("the answer is 5"))
    }

    /// Every completion "correct" by the base grader; the rule decides which ones are paid.
    struct EverythingCorrect: AnswerGrader {
        func grade(completions: [String], gold: String) async -> [VerifyGrade] {
            completions.map { _ in VerifyGrade(reward: 1, correct: true, reason: "correct", extractedAnswer: gold) }
        }
    }

    @Test func stricterRulesPayOnlyCommittedAnswersAndCheckedWork() async throws {
        let completions = ["7+2=9;9-5=4. \\boxed{4}", "7+2=9;9-5=3;3+1=4. \\boxed{4}", "so it is 4"]
        func rewards(_ rule: TrainingRewardGrader.Rule) async throws -> [Float] {
            try await TrainingRewardGrader(base: EverythingCorrect(), rule: rule).grade(completions: completions, gold: "4").map(\.reward)
        }
        let answer = try await rewards(.answer), boxed = try await rewards(.boxed), chain = try await rewards(.chain)
        #expect(answer == [1, 1, 1])
        #expect(boxed == [1, 1, 0])
        #expect(chain == [1, 0, 0])
        // The verdict stays the verifier's: accuracy means the same under every rule.
        let graded = try await TrainingRewardGrader(base: EverythingCorrect(), rule: .chain).grade(completions: completions, gold: "4")
        #expect(graded.allSatisfy { $0.correct })
    }
}
