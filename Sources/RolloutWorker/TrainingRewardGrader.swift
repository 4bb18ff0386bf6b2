import Protocol
import Tasks

/// The reward RL trains on, which may be stricter than the grade evaluation uses.
///
/// The verifier's default accepts a right final answer however it was given (a last number counts when nothing
/// is boxed), which is right for evaluating a model; for training a small model it also rewards garbled
/// completions that happen to end in the right number. `boxed` pays only a right answer committed to in
/// `\boxed{}`; `chain` (the built-in curriculum's worked chains) pays only a right boxed answer whose every step
/// of arithmetic also checks (`WorkedChain`), so a lucky answer after wrong work earns nothing. `correct` and the
/// verdict stay the verifier's, so accuracy metrics mean the same under every rule.
public struct TrainingRewardGrader: AnswerGrader {
    public enum Rule: String, Sendable, Codable, CaseIterable {
        case answer, boxed, chain
    }

    public let base: any AnswerGrader
    public let rule: Rule

    public init(base: any AnswerGrader, rule: Rule) {
        self.base = base
        self.rule = rule
    }

    public func grade(completions: [String], gold: String) async throws -> [VerifyGrade] {
        let grades = try await base.grade(completions: completions, gold: gold)
        guard rule != .answer else { return grades }
        return zip(grades, completions).map { grade, text in
            var grade = grade
            if grade.correct && !Self.earns(text, rule: rule) { grade.reward = 0 }
            return grade
        }
    }

    static func earns(_ text: String, rule: Rule) -> Bool {
        switch rule {
        case .answer: true
        case .boxed: text.contains("\\boxed{") || text.contains("\\fbox{")
        case .chain: WorkedChain.isValid(text)
        }
    }
}
