import Protocol
import Verifier

/// The in-process grader of the single-machine default: the Verifier library, called directly.
public struct VerifierGrader: AnswerGrader {
    public let grader: Grader

    public init(grader: Grader = Grader()) {
        self.grader = grader
    }

    public func grade(completions: [String], gold: String) -> [VerifyGrade] {
        grader.grade(completions: completions, gold: gold).map {
            VerifyGrade(reward: Float($0.reward), correct: $0.isCorrect, reason: $0.reason.rawValue,
                        extractedAnswer: $0.extractedAnswer ?? "")
        }
    }
}
