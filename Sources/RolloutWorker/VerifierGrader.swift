import Primitives
import Protocol
import Verifier

/// The in-process grader of the single-machine default: the Verifier library, run on a small pool of threads
/// of its own (grading is CPU work and needs a deep stack, so it stays off Swift's cooperative pool).
public final class VerifierGrader: AnswerGrader {
    public let grader: Grader
    private let pool: ThreadPool

    public init(grader: Grader = Grader(), threads: Int = 1) {
        self.grader = grader
        pool = ThreadPool(threads: threads, name: "grader")
    }

    public func grade(completions: [String], gold: String) async -> [VerifyGrade] {
        let grader = self.grader
        return await pool.run { grader.grade(completions: completions, gold: gold).map(VerifyGrade.init) }
    }
}
