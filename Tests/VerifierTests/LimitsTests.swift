import Foundation
import Testing
@testable import Verifier

/// Hostile inputs: each gets a verdict and a reason within the work budget, never a crash or a hang.
@Suite struct LimitsTests {
    static let grader = Grader()
    static let validReasons = Set(GradeReason.allCases)

    static func grade(_ completion: String, _ gold: String, grader: Grader = grader) -> Grade {
        let g = grader.grade(completions: [completion], gold: gold)[0]
        #expect(validReasons.contains(g.reason))
        #expect(g.steps <= grader.configuration.limits.workBudget)
        return g
    }

    @Test func hugeExponentsAreNeverEvaluated() {
        let tower = Self.grade("\\boxed{9^{9^{9^{9}}}}", "1")
        #expect(!tower.isCorrect)
        #expect(tower.steps < 1_000)
        #expect(Self.grade("\\boxed{10^{10^{10^{10^{10}}}} - 10^{10^{10^{10^{10}}}} + 1}", "1").isCorrect)
        #expect(Self.grade("\\boxed{2^{100000}}", "4^{50000}").isCorrect)
        #expect(!Self.grade("\\boxed{2^{100000}}", "2^{100001}").isCorrect)
        #expect(!Self.grade("\\boxed{x^{99999}}", "x^{99998}").isCorrect)
        #expect(!Self.grade("\\boxed{100000!}", "1").isCorrect)
        #expect(Self.grade("\\boxed{(x+y+z+w)^{60}}", "(w+z+y+x)^{60}").isCorrect)
    }

    @Test func deepNesting() {
        let braces = String(repeating: "{", count: 20_000) + "3" + String(repeating: "}", count: 20_000)
        #expect(Self.grade("\\boxed{\(braces)}", "3").isCorrect)
        let parens = String(repeating: "(", count: 5_000) + "3" + String(repeating: ")", count: 5_000)
        let g = Self.grade("\\boxed{\(parens)}", "3")
        #expect(g.reason == .limitExceeded)
        #expect(g.limit == .nestingDepth)
        let fracs = String(repeating: "\\frac{", count: 3_000) + "1"
        #expect(!Self.grade(fracs, "2").isCorrect)
        #expect(!Self.grade("\\boxed{" + String(repeating: "\\sqrt{", count: 3_000) + "}", "2").isCorrect)
    }

    @Test func oversizedInputs() {
        let long = String(repeating: "blah ", count: 240_000) + "\\boxed{7}"
        let refused = Self.grade(long, "7")  // 1.2 MB: over the default 1 MiB
        #expect(refused.reason == .limitExceeded)
        #expect(refused.limit == .completionLength)
        let nearLimit = String(repeating: "word ", count: 200_000) + "so the answer is $\\boxed{7}$"
        #expect(Self.grade(nearLimit, "7").isCorrect)
        let bigAnswer = "\\boxed{" + String(repeating: "1+", count: 40_000) + "1}"
        #expect(Self.grade(bigAnswer, "40001").limit == .answerLength)
        let digits = "\\boxed{" + String(repeating: "7", count: 5_000) + "}"
        #expect(Self.grade(digits, "7").limit == .integerSize)
        #expect(Self.grade("\\boxed{1}", String(repeating: "9", count: 70_000)).reason == .unparseableGold)
    }

    @Test func inputsBuiltToRescanAreCutByTheBudget() {
        // Each of these would take quadratic time if any scan restarted from every position.
        let boxes = String(repeating: "$\\boxed{", count: 5_000) + "3" + String(repeating: "}$", count: 5_000)
        let nested = Self.grade(boxes, "3")
        #expect(nested.isCorrect || nested.limit == .workBudget)
        let openers = Self.grade(String(repeating: "\\( 1 ", count: 150_000), "1")
        #expect(openers.isCorrect)
        #expect(openers.steps < 200_000)
        #expect(Self.grade("\\boxed{5 " + String(repeating: "xz", count: 30_000) + "}", "5").isCorrect)
        #expect(!Self.grade("\\boxed{" + String(repeating: "xz", count: 30_000) + "}", "5").isCorrect)
        #expect(Self.grade("\\boxed{5" + String(repeating: " \\text{", count: 9_000) + "}", "5").reason == .noAnswerFound)
    }

    @Test func controlBytesAndBrokenBraces() {
        #expect(Self.grade("\u{0}\u{0}\u{1} junk \u{FFFF} \\boxed{12}\u{0}", "12").isCorrect)
        #expect(Self.grade("\\boxed{{5}", "5").reason == .noAnswerFound)
        #expect(Self.grade("\\boxed{5}}}}", "5").isCorrect)
        #expect(Self.grade("The answer is $\\boxed{}$.", "5").reason == .noAnswerFound)
        #expect(Self.grade("}}}}{{{{", "5").reason == .noAnswerFound)
        #expect(Self.grade("\\boxed{\\frac{1}{}}", "1").reason == .unparseablePrediction)
    }

    @Test func workBudgetStopsARequest() {
        var configuration = GraderConfiguration()
        configuration.limits.workBudget = 100
        let small = Grader(configuration: configuration)
        let g = Self.grade("\\boxed{" + String(repeating: "1+", count: 200) + "1}", "201", grader: small)
        #expect(g.reason == .limitExceeded)
        #expect(g.limit == .workBudget)
    }

    @Test func unparseableGoldNeverEarnsAReward() {
        for gold in ["", "\\frac{1}{", "(1,2", "\\boxed{}", "{}"] {
            let g = Self.grade("\\boxed{\\frac{1}{}", gold)
            #expect(g.reason == .unparseableGold, "gold \(gold)")
            #expect(g.reward == 0)
        }
    }
}

extension LimitsTests {
    /// Inputs at the nesting limit are graded on a thread with a 512 KiB stack (a service's pool threads may be
    /// small), in a debug build, whose frames are the largest (about 400 KiB are needed there, under 128 KiB in
    /// release).
    @Test func deepestInputsFitInASmallThreadStack() {
        let depth = VerifierLimits().maxNestingDepth
        let inputs = [
            String(repeating: "(", count: depth - 2) + "3" + String(repeating: ")", count: depth - 2),
            String(repeating: "\\sqrt{", count: depth / 2) + "2" + String(repeating: "}", count: depth / 2),
            String(repeating: "\\frac{1}{1+", count: depth / 3) + "x" + String(repeating: "}", count: depth / 3),
            String(repeating: "2^{", count: depth / 2) + "2" + String(repeating: "}", count: depth / 2),
            String(repeating: "-", count: depth - 2) + "5",
            String(repeating: "\\{", count: depth / 2) + "1" + String(repeating: "\\}", count: depth / 2),
        ]
        let done = DispatchSemaphore(value: 0)
        let box = GradesBox()
        let thread = Thread {
            let grader = Grader()
            box.grades = inputs.map { grader.grade(completions: ["\\boxed{\($0)}", "\\boxed{" + $0 + "+" + $0 + "}"], gold: $0) }
            done.signal()
        }
        thread.stackSize = 512 * 1024
        thread.start()
        done.wait()
        #expect(box.grades.count == inputs.count)
        // Each input is within the limit, so it is graded (its doubled form is a different value), or its
        // construct counts two levels (an argument and its group) and the gold is refused, not crashed on.
        for (input, g) in zip(inputs, box.grades) {
            let graded = g.map(\.reason) == [.correct, .wrong]
            let refused = g.allSatisfy { $0.reason == .unparseableGold && $0.limit == .nestingDepth }
            #expect(graded || refused, "\(input.prefix(20)): \(g.map(\.reason))")
        }
        #expect(box.grades[0].map(\.reason) == [.correct, .wrong])
    }

    final class GradesBox: @unchecked Sendable {
        var grades: [[Grade]] = []
    }
}

extension LimitsTests {
    /// The answer-style paths (template tokens, think tags, box runs, joined spans, layout arguments, locale
    /// numbers, matrix powers) on inputs built to rescan or to multiply: each ends within the budget, most far
    /// below it, with the verdict it should have.
    @Test func answerStylePathsStayBounded() {
        let openers = Self.grade(String(repeating: "<|im", count: 200_000) + " the answer is 7", "7")
        #expect(openers.isCorrect)
        #expect(openers.steps < 250_000)
        let tags = Self.grade(String(repeating: "</think><think>", count: 60_000) + "</think> \\boxed{7}", "7")
        #expect(tags.isCorrect)
        let run = Self.grade((1...4_000).map { "\\boxed{\($0)}" }.joined(separator: " and "), "1")
        #expect(run.limit == .elementCount)
        let spans = Self.grade("The answer is " + String(repeating: "$1$ and ", count: 7_000) + "$1$.", "1")
        #expect(spans.limit == .elementCount)
        #expect(Self.grade("\\boxed{" + String(repeating: "\\hspace{", count: 10_000) + "7}", "7").reason == .noAnswerFound)
        #expect(!Self.grade("\\boxed{" + String(repeating: "1 234,5 ", count: 8_000) + "}", "1").isCorrect)
        let turns = Self.grade("The answer is 7.\n" + String(repeating: "\nQuestion: and 8?", count: 50_000), "7")
        #expect(turns.isCorrect)
        let matrix = "\\begin{pmatrix}" + (0..<16).map { r in (0..<16).map { c in String((r * 7 + c * 3) % 10) }
            .joined(separator: "&") }.joined(separator: "\\\\") + "\\end{pmatrix}"
        let power = Self.grade("\\boxed{\(matrix)^{16}}", matrix)
        #expect(power.reason == .limitExceeded || power.reason == .wrong)
        #expect(Self.grade("\\boxed{\(matrix)^{1}}", matrix).isCorrect)
    }
}
