import Testing
@testable import Verifier

/// Whole completions in the styles real models write, one table per policy of `Sources/Verifier/README.md`
/// ("Policy decisions"); each row is (gold, completion, expected verdict).
@Suite struct AnswerStyleTests {
    struct Row: CustomTestStringConvertible, Sendable {
        let gold: String
        let completion: String
        let correct: Bool
        var testDescription: String { "\(gold) vs \(completion.suffix(60)): \(correct)" }
        init(_ gold: String, _ completion: String, _ correct: Bool) {
            self.gold = gold
            self.completion = completion
            self.correct = correct
        }
    }

    static let grader = Grader()

    static func check(_ row: Row) {
        let grade = grader.grade(completions: [row.completion], gold: row.gold)[0]
        #expect(grade.isCorrect == row.correct,
                "\(row.gold) vs \(row.completion): \(grade.reason.rawValue) (\(grade.extractedAnswer ?? "-"))")
    }

    /// Chat-template tokens end a completion; `<think>` is reasoning; a new turn after an answer is debris.
    static let scope: [Row] = [
        Row("5", "The answer is 5.<|im_end|>", true),
        Row("5", "The answer is 5<|im_start|>user\nAnd 2+2?", true),
        Row("4", "\\boxed{5}<|im_end|>\n<|im_start|>assistant\n\\boxed{4}", false),
        Row("7", "So 7.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nWhat is 8?", true),
        Row("9", "\\boxed{9}<\u{FF5C}end\u{2581}of\u{2581}sentence\u{FF5C}>", true),
        Row("9", "The answer is 9</s><s>[INST] And 10+1? [/INST] 11", true),
        Row("3", "<|im_start|>assistant\nThe answer is $\\boxed{3}$", true),
        Row("3", "The answer is \\boxed{3}.<end_of_turn>\n<start_of_turn>model\n\\boxed{8}", true),
        Row("7", "<think>\n\\boxed{6}? no.\n</think>\n\nThe answer is 7.", true),
        Row("6", "<think>\n\\boxed{6}? no.\n</think>\n\nThe answer is 7.", false),
        Row("7", "<think>\nIt might be \\boxed{7} but", false),
        Row("7", "reasoning without the opening tag\n</think>\n\\boxed{7}", true),
        Row("7", "Final Answer: The final answer is $7$. I hope it is correct.\n\nProblem:\nWhat is 4+4?\n\n"
            + "Solution:\nFinal Answer: The final answer is $8$. I hope it is correct.", true),
        Row("6", "The answer is 6.\n\nQuestion: What is 3+4?\nAnswer: 7", true),
        Row("8", "Problem: add 5 and 3.\nSolution: 5 + 3 = 8.\nThe answer is 8.", true),
        Row("5", "a <|x|> b: the answer is 5", false),
    ]

    /// Boxes joined only by connectors are one answer; boxes between other words are separate attempts.
    static let boxRuns: [Row] = [
        Row("(1, 3), (4, 3)", "$\\boxed{(1, 3)} \\quad \\text{and} \\quad \\boxed{(4, 3)}$", true),
        Row("\\{2, 5\\}", "\\boxed{5}, \\boxed{2}", true),
        Row("2, 5", "So $x=\\boxed{2}$ or $x=\\boxed{5}$.", true),
        Row("x=2, y=3", "$x = \\boxed{2}$ and $y = \\boxed{3}$", true),
        Row("x=2, y=3", "$x = \\boxed{3}$ and $y = \\boxed{2}$", false),
        Row("15", "At first I got \\boxed{40} but that is wrong. Rechecking, the answer is \\boxed{15}.", true),
        Row("5", "\\boxed{5} and \\boxed{5}", true),
        Row("5", "\\boxed{2} and \\boxed{5}", false),
        Row("5", "(a) \\boxed{2}\n(b) \\boxed{5}", true),
        Row("2, 5", "\\boxed{2}\n\n\\boxed{5}", false),
        Row("(3, 4)", "So the answer is $x = 3$ and $y = 4$.", true),
        Row("\\frac{5}{2}", "The answer is $\\frac{5}{2}$ or $2.5$.", true),
    ]

    /// Sentence answers are read by their last number; number words and "all real numbers" are values.
    static let sentences: [Row] = [
        Row("5", "The answer is that the train left 5 hours ago.", true),
        Row("12", "Final answer: there are 12 students.", true),
        Row("12", "The answer is: there are 13 students.", false),
        Row("10", "The answer is not 10, it is 12.", false), Row("10", "The answer is: it cannot be 10.", false),
        Row("10", "The answer is certainly 10 apples.", true),
        Row("21", "The answer is twenty-one.", true),
        Row("100", "The answer is one hundred.", true),
        Row("\\text{yes}", "The answer is yes.", true),
        Row("no", "**Answer:** No", true),
        Row("\\mathbb{R}", "\\boxed{\\text{all real numbers}}", true),
    ]

    /// Numbers as people write them.
    static let numbers: [Row] = [
        Row("2500", "\\boxed{2 500}", true), Row("2500", "Il y a 2\u{2009}500 bouteilles.", true),
        Row("2500", "\\boxed{2\u{00A0}500}", true), Row("1260", "\\boxed{1,\\!260}", true),
        Row("350.75", "Le total est de 350,75 \u{20AC}.", true), Row("0.125", "\\boxed{0,125}", true),
        Row("3,5", "\\boxed{3.5}", true), Row("3.5", "\\boxed{3,5}", true), Row("35", "\\boxed{3,5}", false),
        Row("3, 5", "\\boxed{3,5}", true), Row("5, 3", "\\boxed{3,5}", true), Row("3.5", "\\boxed{3, 5}", false),
        Row("\\{3, 5\\}", "\\boxed{3.5}", false), Row("{3,5}", "\\boxed{3.5}", false),
        Row("0.25", "so the probability is .25", true), Row("4.10", "Le prix est de 4,10 $.", true),
        Row("1234.56", "\\boxed{1.234,56}", true), Row("0.75", "\\boxed{0{,}75}", true),
        Row("1000", "\\boxed{1{,}000}", true), Row("1234", "\\boxed{1,234}", true), Row("1.234", "\\boxed{1,234}", false),
        Row("2.5", "\\boxed{2.500}", true), Row("2500", "\\boxed{2.500}", false),
        Row("(1.5, 2)", "\\boxed{(1,5; 2)}", true), Row("(1, 2)", "\\boxed{(1; 2)}", true),
        Row("3", "The numbers are 1,2,3", true),
    ]

    /// Fractions, mixed numbers, repeating decimals, bases, percent words.
    static let values: [Row] = [
        Row("7/3", "\\boxed{\\frac{7}{3}}", true), Row("-7/3", "\\boxed{-\\dfrac{7}{3}}", true),
        Row("\\frac{7}{3}", "It is 2 1/3.", true), Row("\\frac{7}{3}", "\\boxed{2 1/3}", true),
        Row("7/3", "so x = \\frac{7}{3}", true), Row("\\frac{7}{3}", "each gets 2 \\tfrac{1}{3}", true),
        Row("-\\frac{7}{3}", "so x = -\\frac{7}{3}", true), Row("\\frac{7}{3}", "so x = \\frac{7}{3}+1", false),
        Row("\\frac{1}{3}", "\\boxed{0.\\overline{3}}", true), Row("\\frac{1}{6}", "\\boxed{0.1\\overline{6}}", true),
        Row("\\frac{1}{3}", "\\boxed{0.333}", false),
        Row("312_4", "\\boxed{312_{4}}", true), Row("312_4", "\\boxed{312}", true), Row("312_4", "\\boxed{54}", true),
        Row("312_4", "\\boxed{213_4}", false), Row("312_4", "\\boxed{312_{\\text{4}}}", true), Row("312_4", "\\boxed{310}", false), Row("54", "\\boxed{312_4}", true),
        Row("15\\%", "\\boxed{15 pct}", true), Row("25\\%", "\\boxed{25\\text{\\%}}", true),
        Row("7", "\\boxed{\\hspace{1mm}7}", true), Row("7", "\\boxed{\\phantom{0}7}", true),
        Row("7", "\\boxed{{\\bf 7}}", true), Row("7", "\\boxed{\\, 7 \\,}", true), Row("7", "\\boxed{7\\ }", true),
    ]

    /// Ratios, labels, function definitions, inequalities of f(x), disjunctions.
    static let labelled: [Row] = [
        Row("5:13", "\\boxed{A_{1}:A_{2}=5:13}", true), Row("5:13", "\\boxed{10:26}", true),
        Row("5:13", "\\boxed{13:5}", false), Row("5:13", "\\boxed{\\frac{5}{13}}", true),
        Row("1:2:3", "\\boxed{2:4:6}", true), Row("1:2:3", "\\boxed{1:3:2}", false),
        Row("P(x)=0orP(x)=2", "\\boxed{P(n) = 0 \\text{ and } P(n) = 2}", true),
        Row("P(x)=0orP(x)=2", "\\boxed{P(n) = 0}", false),
        Row("f(x) = x^2 - 1", "\\boxed{f(t) = t^2 - 1}", true), Row("f(x) = x^2 - 1", "\\boxed{g(x) = x^2 - 1}", false),
        Row("x_1 = -1, x_2 = 3", "\\boxed{x = 3 \\text{ or } x = -1}", true),
        Row("x = 5", "\\boxed{y = 5}", false), Row("a_2 = 3", "\\boxed{a_1 = 3}", false),
        Row("(0,2)", "\\boxed{0<g(x)<2}", true), Row("0<f(x)<1", "\\boxed{(0,1)}", true),
        Row("(0,2)", "\\boxed{0 \\le g(x) \\le 2}", false),
        Row("(-\\infty, -2) \\cup (3, \\infty)", "\\boxed{x < -2 \\text{ or } x > 3}", true),
        Row("(-\\infty, -2) \\cup (3, \\infty)", "\\boxed{x < -2 \\text{ or } x \\ge 3}", false),
        Row("-2 < x < 5", "\\boxed{x \\in (-2, 5)}", true),
        Row("\\angle ABC = 45^\\circ", "\\boxed{45^\\circ}", true),
    ]

    /// Matrix arithmetic is evaluated.
    static let matrices: [Row] = [
        Row("\\begin{pmatrix} 4 & 6 \\\\ 4 & 6 \\end{pmatrix}",
            "\\boxed{\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix} + \\begin{pmatrix} 3 & 4 \\\\ 1 & 2 \\end{pmatrix}}", true),
        Row("\\begin{pmatrix} 2 & 1 \\\\ 4 & 3 \\end{pmatrix}",
            "\\boxed{\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix} \\begin{pmatrix} 0 & 1 \\\\ 1 & 0 \\end{pmatrix}}", true),
        Row("\\begin{pmatrix} 2 & 1 \\\\ 4 & 3 \\end{pmatrix}",
            "\\boxed{\\begin{pmatrix} 0 & 1 \\\\ 1 & 0 \\end{pmatrix} \\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}}", false),
        Row("\\begin{pmatrix} 1 & 3 \\\\ 0 & 1 \\end{pmatrix}", "\\boxed{\\begin{pmatrix} 1 & 1 \\\\ 0 & 1 \\end{pmatrix}^3}", true),
        Row("(5, -1)", "\\boxed{\\begin{pmatrix} 2 \\\\ 1 \\end{pmatrix} + 3 \\begin{pmatrix} 1 \\\\ -\\frac{2}{3} \\end{pmatrix}}", true),
        Row("\\begin{pmatrix} 1 & 2 \\end{pmatrix}", "\\boxed{\\begin{pmatrix} 1 & 2 \\end{pmatrix} + 1}", false),
        Row("\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}", "\\boxed{\\begin{pmatrix} 1 & 2 \\end{pmatrix}\\begin{pmatrix} 1 & 2 \\end{pmatrix}}", false),
    ]

    /// A gold that is a whole solution is read the way a completion is.
    static let solutionGolds: [Row] = [
        Row("We have $3x = 9$, so $x = \\boxed{3}$.", "\\boxed{3}", true),
        Row("Natalia sold <<48/2=24>>24 clips.\n#### 72", "#### 72", true),
        Row("Final Answer: The final answer is $2,340$. I hope it is correct.", "\\boxed{2340}", true),
        Row("Both $\\boxed{(1,3)}$ and $\\boxed{(4,3)}$ work.", "\\boxed{(4, 3), (1, 3)}", true),
        Row("Dividing by $3$, the answer is $\\frac{7}{3}$.", "\\boxed{\\frac{7}{3}}", true),
        Row("The train covered 300 km at 60 km per hour, so it left 5 hours ago", "\\boxed{5}", true),
        Row("The train covered 300 km at 60 km per hour, so it left 5 hours ago", "\\boxed{60}", false),
    ]

    @Test(arguments: scope) func completionScope(_ row: Row) { Self.check(row) }
    @Test(arguments: boxRuns) func boxRun(_ row: Row) { Self.check(row) }
    @Test(arguments: sentences) func sentenceAnswer(_ row: Row) { Self.check(row) }
    @Test(arguments: numbers) func localeNumber(_ row: Row) { Self.check(row) }
    @Test(arguments: values) func value(_ row: Row) { Self.check(row) }
    @Test(arguments: labelled) func labelledAnswer(_ row: Row) { Self.check(row) }
    @Test(arguments: matrices) func matrixArithmetic(_ row: Row) { Self.check(row) }
    @Test(arguments: solutionGolds) func solutionGold(_ row: Row) { Self.check(row) }

    /// "Answer $ 4 $" is not an answer phrase (no colon, "is" or "="): only the last-number fallback finds it,
    /// so it earns nothing when the fallback is off, and carries the missing-final-answer penalty when set.
    @Test func bareAnswerWordIsNotACommitment() {
        let lenient = Self.grader.grade(completions: ["Answer $ 4 $"], gold: "4")[0]
        #expect(lenient.isCorrect)
        #expect(lenient.method == .lastNumber)
        var strict = GraderConfiguration()
        strict.reward.lastNumberFallback = false
        #expect(Grader(configuration: strict).grade(completions: ["Answer $ 4 $"], gold: "4")[0].reason == .noAnswerFound)
        #expect(Grader(configuration: strict).grade(completions: ["Answer: $ 4 $"], gold: "4")[0].isCorrect)
        var penalised = GraderConfiguration()
        penalised.reward.missingFinalAnswerPenalty = 0.5
        #expect(Grader(configuration: penalised).grade(completions: ["Answer $ 4 $"], gold: "4")[0].reward == 0.5)
    }

    /// A broken plain gold stays unparseable (never rewarded); only prose golds fall back to their last number.
    @Test func brokenGoldsStayUnparseable() {
        for gold in ["\\frac{1}{", "x = (1, 2", "1 and 2 and", "\\boxed{5"] {
            #expect(Self.grader.prepareGold(gold).failure == .unparseableGold, "\(gold)")
        }
        #expect(Self.grader.prepareGold("So the train left 5 hours ago, as computed").isUsable)
    }

    /// MATH's solution field keeps the boxes given together.
    @Test func datasetGoldJoinsABoxRun() throws {
        #expect(try DatasetGold.math(solutionField: "so $\\boxed{2}$ and $\\boxed{5}$.") == "2, 5")
        #expect(try DatasetGold.math(solutionField: "\\boxed{1} is wrong; \\boxed{3}") == "3")
    }
}
