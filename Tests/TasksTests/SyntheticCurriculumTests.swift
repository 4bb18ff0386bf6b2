import Testing
@testable import Tasks

@Suite struct SyntheticCurriculumTests {
    /// Evaluates a worked chain "a+b=c;c-d=e. \boxed{e}" and checks every step and the boxed answer.
    static func chainIsCorrect(_ solution: String, answer: String) -> Bool {
        guard let boxStart = solution.range(of: ". \\boxed{") else { return false }
        let chain = solution[..<boxStart.lowerBound]
        let boxed = solution[boxStart.upperBound...].dropLast()
        var previous: Int?
        for step in chain.split(separator: ";") {
            let sides = step.split(separator: "=")
            guard sides.count == 2, let result = Int(sides[1]) else { return false }
            let lhs = sides[0]
            guard let opIndex = lhs.dropFirst().firstIndex(where: { "+-*".contains($0) }),
                  let a = Int(lhs[..<opIndex]), let b = Int(lhs[lhs.index(after: opIndex)...]) else { return false }
            if let previous, previous != a { return false }
            let value = lhs[opIndex] == "+" ? a + b : lhs[opIndex] == "-" ? a - b : a * b
            if value != result || value < 0 { return false }
            previous = result
        }
        return previous.map(String.init) == String(boxed) && String(boxed) == answer
    }

    @Test(arguments: SyntheticCurriculum.levels)
    func everyProblemHasACorrectWorkedChain(level: Int) {
        let curriculum = SyntheticCurriculum(seed: 1, level: level)
        for p in curriculum.problems(500) {
            #expect(Self.chainIsCorrect(p.solution!, answer: p.goldAnswer), "\(p.question) → \(p.solution!)")
            #expect(p.solution!.split(separator: ";").count == min(level, 4))
            #expect(p.level == level)
        }
    }

    @Test func problemsAreDeterministicAndRandomAccess() {
        let a = SyntheticCurriculum(seed: 42, level: 3)
        let b = SyntheticCurriculum(seed: 42, level: 3)
        #expect(a.problem(at: 1234) == b.problem(at: 1234))
        #expect(a.problems(50) == (0..<50).map { b.problem(at: $0) })
        #expect(SyntheticCurriculum(seed: 43, level: 3).problems(50) != a.problems(50))
    }

    @Test func trainAndHeldOutNeverShareAQuestion() {
        for level in SyntheticCurriculum.levels {
            let train = Set(SyntheticCurriculum(seed: 1, level: level).problems(3000).map(\.question))
            let heldOut = Set(SyntheticCurriculum(seed: 2, level: level, split: .heldOut).problems(300).map(\.question))
            #expect(train.isDisjoint(with: heldOut))
            // Level 1 has only ~150 distinct questions, so ~10 are held out; deeper levels have thousands.
            #expect(heldOut.count > (level == 1 ? 5 : 100))
        }
    }

    @Test func higherLevelsMixInWordProblemsAndMultiplication() {
        let l3 = SyntheticCurriculum(seed: 1, level: 3).problems(300)
        #expect(l3.contains { $0.question.hasSuffix("now?") })
        #expect(l3.contains { $0.question.hasSuffix("=?") })
        #expect(!l3.contains { $0.question.contains("*") })
        #expect(SyntheticCurriculum(seed: 1, level: 5).problems(300).contains { $0.question.contains("*") })
        #expect(SyntheticCurriculum(seed: 1, level: 1).problems(300).allSatisfy { $0.question.hasSuffix("=?") })
    }

    @Test func questionsFitThePlainPrompt() {
        let p = SyntheticCurriculum(seed: 1, level: 2).problem(at: 0)
        #expect(PromptTemplate.plain.render(p.question) == "Q: \(p.question)\nA: ")
    }
}
