import Seeding
import Testing
@testable import Verifier

/// Seeded random and mutated inputs: every call must return a grade with a valid reason within the budget.
@Suite struct FuzzTests {
    static let fragments = [
        "\\boxed{", "}", "{", "\\frac", "\\sqrt", "[", "]", "(", ")", "^", "_", "\\pi", "x", "y", "1", "23", "0",
        "-", "+", "*", "/", ",", "=", "\\le", "\\cup", "\\infty", "\\{", "\\}", "\\text{", "cm", "$", "\\%",
        "^\\circ", "\\begin{pmatrix}", "\\end{pmatrix}", "&", "\\\\", "!", "|", "\\int", "dx", "\\pm", ".", " ",
        "e", "i", "9^{9^{9}}", "\\left(", "\\right)", "####", "The answer is", "\u{0}", "−", "√", "\\sin", "\\log_",
    ]
    static let golds = ["5", "\\frac{1}{2}", "x^2+1", "(1,2]", "\\{1,2\\}", "\\text{odd}", "C", "60^\\circ",
                        "2\\sqrt{3}", "x=4"]

    @Test func randomAndMutatedInputsAlwaysGetAVerdict() throws {
        let grader = Grader()
        let prepared = Self.golds.map { grader.prepareGold($0) }
        let valid = Set(GradeReason.allCases)
        let seeds = try CaseFileTests.loadCases().map(\.prediction).filter { $0.utf8.count < 2_000 }
        var rng = SeededGenerator(seed: 20_240_601)
        var counts: [GradeReason: Int] = [:]
        let iterations = 20_000
        for i in 0..<iterations {
            let text: String
            switch i % 3 {
            case 0:
                // Random fragments.
                let n = 1 + Int(rng.next() % 24)
                text = (0..<n).map { _ in Self.fragments[Int(rng.next() % UInt64(Self.fragments.count))] }.joined()
            case 1:
                // A real completion with bytes replaced, inserted or deleted.
                var bytes = Array(seeds[Int(rng.next() % UInt64(seeds.count))].utf8)
                for _ in 0..<(1 + Int(rng.next() % 6)) where !bytes.isEmpty {
                    let at = Int(rng.next() % UInt64(bytes.count))
                    switch rng.next() % 3 {
                    case 0: bytes[at] = UInt8(truncatingIfNeeded: rng.next())
                    case 1: bytes.insert(contentsOf: Self.fragments[Int(rng.next() % UInt64(Self.fragments.count))].utf8, at: at)
                    default: bytes.remove(at: at)
                    }
                }
                text = String(decoding: bytes, as: UTF8.self)
            default:
                // Random bytes (decoded leniently, as a service decoding a request would).
                let n = Int(rng.next() % 64)
                text = String(decoding: (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, as: UTF8.self)
            }
            let gold = prepared[i % prepared.count]
            let grade = grader.grade(completion: text, against: gold)
            #expect(valid.contains(grade.reason))
            #expect(grade.steps <= grader.configuration.limits.workBudget)
            #expect(grade.reward == 0 || grade.reward == 1)
            counts[grade.reason, default: 0] += 1
            // A gold graded against itself in a box is always correct.
            if i % 97 == 0 {
                #expect(grader.grade(completion: "\\boxed{\(gold.text)}", against: gold).isCorrect, "\(gold.text)")
            }
        }
        #expect(counts.values.reduce(0, +) == iterations)
        print("fuzz reasons: \(counts.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue)=\($0.value)" })")
    }
}
