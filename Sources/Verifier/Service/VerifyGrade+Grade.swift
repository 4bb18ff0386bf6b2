import Protocol

extension VerifyGrade {
    /// The wire form of a grade: what the verifier service answers and what in-process grading hands a worker.
    public init(_ grade: Grade) {
        self.init(reward: Float(grade.reward), correct: grade.isCorrect, reason: grade.reason.rawValue,
                  extractedAnswer: grade.extractedAnswer ?? "")
    }
}
