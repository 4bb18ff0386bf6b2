import Protocol

/// Grades a group of completions against one gold answer: the verifier as a worker sees it.
///
/// The single-machine default grades in-process (`VerifierGrader`, on threads of its own); a fleet worker asks
/// the verifier service over REQ/REP (`RemoteGrader`). Both are asynchronous so that neither holds a thread
/// while it waits. Grades come back in the order of the completions, one per completion.
public protocol AnswerGrader: Sendable {
    func grade(completions: [String], gold: String) async throws -> [VerifyGrade]
}
