import Protocol

/// Grades a group of completions against one gold answer: the verifier as a worker sees it.
///
/// The single-machine default calls the Verifier library in-process; a fleet worker calls the verifier
/// service over REQ/REP. Grades come back in the order of the completions.
public protocol AnswerGrader: Sendable {
    func grade(completions: [String], gold: String) throws -> [VerifyGrade]
}
