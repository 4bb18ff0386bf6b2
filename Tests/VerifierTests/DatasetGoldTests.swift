import Testing
@testable import Verifier

@Suite struct DatasetGoldTests {
    @Test func gsm8kAnswerField() throws {
        let field = "Natalia sold 48/2 = <<48/2=24>>24 clips in May.\nNatalia sold 48+24 = <<48+24=72>>72 clips.\n#### 72"
        #expect(try DatasetGold.gsm8k(answerField: field) == "72")
        #expect(try DatasetGold.gsm8k(answerField: "so\n#### 1,234\n") == "1234")
        #expect(throws: VerifierError.self) { try DatasetGold.gsm8k(answerField: "no marker here") }
        #expect(throws: VerifierError.self) { try DatasetGold.gsm8k(answerField: "empty ####   ") }
    }

    @Test func mathSolutionField() throws {
        let solution = "We have $x = \\frac{1}{2}$, so the answer is $\\boxed{\\frac{1}{2}}$."
        #expect(try DatasetGold.math(solutionField: solution) == "\\frac{1}{2}")
        #expect(try DatasetGold.math(solutionField: "first \\boxed{1}, finally \\boxed{\\{1,2\\}}") == "\\{1,2\\}")
        #expect(try DatasetGold.math(solutionField: "\\fbox{7}") == "7")
        #expect(throws: VerifierError.self) { try DatasetGold.math(solutionField: "no box") }
        #expect(throws: VerifierError.self) { try DatasetGold.math(solutionField: "\\boxed{3") }
    }

    @Test func adaptedGoldsGradeTheirOwnAnswers() throws {
        let grader = Grader()
        let gold = try DatasetGold.gsm8k(answerField: "...\n#### 2,500")
        let grades = grader.grade(completions: ["#### 2,500", "The answer is $2500$."], gold: gold)
        #expect(grades.map(\.reason) == [.correct, .correct])
        let math = try DatasetGold.math(solutionField: "Thus $\\boxed{4\\sqrt{7}}$.")
        #expect(grader.grade(completions: ["\\boxed{\\sqrt{112}}"], gold: math)[0].isCorrect)
    }
}
