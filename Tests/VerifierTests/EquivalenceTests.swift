import Testing
@testable import Verifier

/// Answer pairs graded through the public API (`\boxed{prediction}` against `gold`), one table per kind of
/// answer. Each row states a mathematical fact (equal or not), not a value the code was tuned to.
@Suite struct EquivalenceTests {
    struct Row: CustomTestStringConvertible, Sendable {
        let gold: String
        let prediction: String
        let equal: Bool
        var testDescription: String { "\(gold) vs \(prediction): \(equal)" }
        init(_ gold: String, _ prediction: String, _ equal: Bool) {
            self.gold = gold
            self.prediction = prediction
            self.equal = equal
        }
    }

    static let grader = Grader()

    static func check(_ row: Row) {
        let grade = grader.grade(completions: ["So $\\boxed{\(row.prediction)}$."], gold: row.gold)[0]
        #expect(grade.isCorrect == row.equal, "\(row.gold) vs \(row.prediction): \(grade.reason.rawValue) \(grade.limit?.rawValue ?? "")")
        if !row.equal { #expect(grade.reason == .wrong, "\(row.gold) vs \(row.prediction): \(grade.reason.rawValue)") }
    }

    static let numbers: [Row] = [
        Row("1000", "1,000", true), Row("1000", "1000.0", true), Row("1000", "1{,}000", true),
        Row("1000", "1\\,000", true), Row("1234.5", "\\$1,234.50", true), Row("-5", "−5", true),
        Row("0.5", "\\frac{1}{2}", true), Row("0.5", ".5", true), Row("2.50", "5/2", true),
        Row("3", "3.0001", false), Row("1000", "1e3", true), Row("0.0012", "1.2E-3", true),
        Row("1200", "1.2\\times10^{3}", true), Row("1200", "1.2 \\cdot 10^3", true), Row("0.12", "12\\times 10^{-2}", true),
        Row("10^{30}", "10^{30}+1", false), Row("1000000000000000000000000000000", "10^{30}", true),
        Row("1024", "2^{10}", true), Row("7", "007", true), Row("12", "21", false), Row("-3", "3", false),
        Row("1.5", "1.50", true), Row("1.5", "1.05", false),
    ]

    static let fractions: [Row] = [
        Row("\\frac{1}{2}", "\\dfrac12", true), Row("\\frac{1}{2}", "\\tfrac{1}{2}", true),
        Row("-\\frac{1}{2}", "\\frac{-1}{2}", true), Row("-\\frac{1}{2}", "\\frac{1}{-2}", true),
        Row("\\frac{7}{3}", "2\\frac{1}{3}", true), Row("-\\frac{7}{3}", "-2\\frac{1}{3}", true),
        Row("\\frac{2}{3}", "2\\frac{1}{3}", false), Row("\\frac{1}{2}", "\\frac{3}{6}", true),
        Row("\\frac{1}{2}", "\\frac{2}{3}", false), Row("\\frac{3}{4}", "0.75", true),
        Row("\\frac{1}{3}", "0.333", false), Row("\\frac{5}{2}", "2.5", true),
        Row("\\frac{1}{2}", "½", true), Row("\\frac{10}{4}", "\\frac{5}{2}", true),
    ]

    static let radicals: [Row] = [
        Row("4\\sqrt{7}", "\\sqrt{112}", true), Row("3\\sqrt[3]{2}", "\\sqrt[3]{54}", true),
        Row("2\\sqrt{2}", "\\sqrt8", true), Row("2\\sqrt{2}", "\\sqrt{2}", false),
        Row("\\sqrt{6}", "\\sqrt{2}\\sqrt{3}", true), Row("\\frac{\\sqrt{2}}{2}", "\\sqrt{\\frac{1}{2}}", true),
        Row("\\frac{\\sqrt{2}}{2}", "\\frac{1}{\\sqrt{2}}", true), Row("\\frac{2\\sqrt{3}}{3}", "\\frac{2}{\\sqrt3}", true),
        Row("\\sqrt{2}-1", "\\frac{1}{1+\\sqrt{2}}", true), Row("3+2\\sqrt{2}", "2\\sqrt2+3", true),
        Row("3+2\\sqrt{2}", "(1+\\sqrt2)^2", true), Row("\\sqrt{2}", "√2", true), Row("2i", "\\sqrt{-4}", true),
        Row("\\sqrt{3}", "3^{1/2}", true), Row("4", "16^{1/2}", true), Row("4", "8^{2/3}", true),
        Row("\\sqrt{2}", "1.41", false), Row("2\\sqrt{3}", "3\\sqrt{2}", false),
        Row("\\sqrt[6]{32}", "\\sqrt{2}\\sqrt[3]{2}", true), Row("\\frac{\\sqrt{3}}{2}", "\\frac{1}{2}\\sqrt{3}", true),
    ]

    static let constants: [Row] = [
        Row("2\\pi", "2π", true), Row("\\frac{\\pi}{3}", "\\pi/3", true), Row("\\frac{2\\pi}{3}", "\\frac23\\pi", true),
        Row("\\pi", "3.14159", false), Row("\\pi r^2", "r^2\\pi", true), Row("\\frac{\\pi}{3}", "\\frac{3}{\\pi}", false),
        Row("e^2", "\\exp(2)", true), Row("2", "\\ln(e^2)", true), Row("3", "\\log_2 8", true),
        Row("10", "\\binom{5}{2}", true), Row("120", "5!", true), Row("3", "|-3|", true),
        Row("1", "\\sin^2 x + \\cos^2 x", true), Row("\\frac{1}{2}", "\\sin(\\pi/6)", true),
        Row("\\frac{1}{2}", "\\cos\\frac{\\pi}{3}", true), Row("0", "\\int_0^{\\pi} \\cos x \\, dx", true),
        Row("\\frac{1}{3}", "\\int_0^1 x^2\\,dx", true), Row("1", "\\int_0^{\\pi/2} \\sin x\\,dx", true),
        Row("2", "e^{\\ln 2}", true), Row("3", "e^{\\ln 2}", false), Row("\\frac{\\pi}{4}", "\\arctan 1", true),
    ]

    static let percentsAndDegrees: [Row] = [
        Row("50\\%", "50", true), Row("50\\%", "0.5", true), Row("50\\%", "50 percent", true),
        Row("50\\%", "51\\%", false), Row("0.5", "50\\%", true), Row("12.5\\%", "\\frac{1}{8}", true),
        Row("60^\\circ", "60", true), Row("60^\\circ", "60°", true), Row("60^\\circ", "\\frac{\\pi}{3}", true),
        Row("60^\\circ", "60 degrees", true), Row("30^{\\circ}", "45", false), Row("\\frac{\\pi}{3}", "60^\\circ", true),
    ]

    static let equations: [Row] = [
        Row("x=5", "5", true), Row("5", "x = 5", true), Row("y = 2x + 3", "2x+3", true),
        Row("y=2x+3", "y = 3 + 2x", true), Row("x = 5", "y = 5", false), Row("2x + 4y = 8", "x + 2y = 4", true),
        Row("x^2+y^2=4", "y^2+x^2=4", true), Row("x = 5", "5 = x", true), Row("x=5", "x=6", false),
        Row("2x + 4y = 8", "x + 2y = 5", false), Row("5", "3+2=5", true),
    ]

    static let intervals: [Row] = [
        Row("(-\\infty, 3]", "x \\le 3", true), Row("[2, 5)", "2 \\le x < 5", true), Row("(0,1)", "(0,1)", true),
        Row("[0,1]", "(0,1)", false), Row("[0,1]", "[0,1)", false),
        Row("(-\\infty, 1) \\cup (2, \\infty)", "(2,\\infty)\\cup(-\\infty,1)", true),
        Row("(-\\infty, 1) \\cup (2, \\infty)", "(-\\infty,1]\\cup(2,\\infty)", false),
        Row("\\mathbb{R}", "(-\\infty,\\infty)", true), Row("(1, 2)", "\\left( 1, 2 \\right)", true),
        Row("(3, \\infty)", "x > 3", true), Row("(3, \\infty)", "x \\geq 3", false),
        Row("[\\frac{1}{2}, 2]", "[0.5, 2]", true),
    ]

    static let collections: [Row] = [
        Row("\\{1,2,3\\}", "\\{3,2,1\\}", true), Row("1, 2, 3", "3,2,1", true), Row("\\{1,2\\}", "\\{1,2,2\\}", true),
        Row("\\{1\\}", "1", true), Row("\\emptyset", "\\{\\}", true), Row("\\{1,2,3\\}", "\\{1,2\\}", false),
        Row("(1,2)", "(2,1)", false), Row("(1, \\frac12)", "(1, 0.5)", true), Row("(1,2,3)", "(1,2,3)", true),
        Row("2, 3", "x = 2, x = 3", true), Row("2, 3", "x=3 \\text{ or } x=2", true),
        Row("\\pm 3", "3, -3", true), Row("1 \\pm \\sqrt{2}", "1+\\sqrt2, 1-\\sqrt2", true), Row("\\pm 3", "3", false),
        Row("\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", "\\begin{bmatrix}1&2\\\\3&4\\end{bmatrix}", true),
        Row("\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", "\\begin{pmatrix}1&3\\\\2&4\\end{pmatrix}", false),
        Row("\\begin{pmatrix}1\\\\2\\end{pmatrix}", "(1,2)", true),
        Row("\\begin{pmatrix} \\frac{1}{2} & 0 \\\\ 0 & 1 \\end{pmatrix}", "\\begin{pmatrix}0.5&0\\\\0&1\\end{pmatrix}", true),
    ]

    static let symbolic: [Row] = [
        Row("x^2+2x+1", "(x+1)^2", true), Row("x^2-1", "(x-1)(x+1)", true), Row("x+1", "\\frac{x^2-1}{x-1}", true),
        Row("\\frac{x+y}{xy}", "\\frac{1}{x}+\\frac{1}{y}", true), Row("x^2+2x+1", "(x-1)^2", false),
        Row("2x", "x+x", true), Row("a^2 - b^2", "(a-b)(a+b)", true), Row("3x^2", "3x^3", false),
        Row("\\frac{1}{x+1}", "(x+1)^{-1}", true), Row("2^x \\cdot 2^x", "4^x", true),
        Row("x^{10}", "(x^2)^5", true), Row("(x+y)^3", "x^3+3x^2y+3xy^2+y^3", true),
    ]

    static let text: [Row] = [
        Row("\\text{Yes}", "yes", true), Row("\\text{no}", "No", true), Row("\\text{odd}", "\\text{even}", false),
        Row("Tuesday", "\\textbf{Tuesday}", true), Row("no solution", "\\text{No solution}", true),
    ]

    static let units: [Row] = [
        Row("12", "12 cm", true), Row("12", "12\\text{ cm}^2", true), Row("5", "\\$5.00", true),
        Row("5", "5 dollars", true), Row("18", "18 apples", true), Row("18", "18\\text{ apples}", true),
        Row("3.5", "3.50 \\text{ dollars}", true), Row("7", "7\\ \\mathrm{m}", true),
    ]

    @Test(arguments: numbers) func number(_ row: Row) { Self.check(row) }
    @Test(arguments: fractions) func fraction(_ row: Row) { Self.check(row) }
    @Test(arguments: radicals) func radical(_ row: Row) { Self.check(row) }
    @Test(arguments: constants) func constantAndFunction(_ row: Row) { Self.check(row) }
    @Test(arguments: percentsAndDegrees) func percentAndDegree(_ row: Row) { Self.check(row) }
    @Test(arguments: equations) func equation(_ row: Row) { Self.check(row) }
    @Test(arguments: intervals) func interval(_ row: Row) { Self.check(row) }
    @Test(arguments: collections) func collection(_ row: Row) { Self.check(row) }
    @Test(arguments: symbolic) func symbolicExpression(_ row: Row) { Self.check(row) }
    @Test(arguments: text) func textAnswer(_ row: Row) { Self.check(row) }
    @Test(arguments: units) func unitsAndCurrency(_ row: Row) { Self.check(row) }
}
