import Testing
@testable import Verifier

@Suite struct MathParserTests {
    static func parse(_ s: String) -> MathExpression? {
        try? MathParser.parse(Array(s.utf8), budget: WorkBudget(limits: VerifierLimits()))
    }
    static func failure(_ s: String) -> MathFailure? {
        do {
            _ = try MathParser.parse(Array(s.utf8), budget: WorkBudget(limits: VerifierLimits()))
            return nil
        } catch {
            return error
        }
    }
    static func n(_ v: Int) -> MathExpression { .number(Rational(v)) }

    @Test func numbersAndFractions() {
        #expect(Self.parse("39765.00") == Self.n(39765))
        #expect(Self.parse("1.2e3") == Self.n(1200))
        #expect(Self.parse("\\frac12") == .quotient(Self.n(1), Self.n(2)))
        #expect(Self.parse("\\frac123") == .product([.quotient(Self.n(1), Self.n(2)), Self.n(3)]))
        #expect(Self.parse("2\\frac{1}{3}") == .sum([Self.n(2), .number(Rational(1) / Rational(3))]))
        #expect(Self.parse("2\\frac{\\pi}{3}") == .product([Self.n(2), .quotient(.pi, Self.n(3))]))
        #expect(Self.parse("3/4") == .product([Self.n(3), .quotient(Self.n(1), Self.n(4))]))
    }

    @Test func powersRootsAndFunctions() {
        #expect(Self.parse("x^23") == .power(.symbol("x"), Self.n(23)))
        #expect(Self.parse("2^3^2") == .power(Self.n(2), .power(Self.n(3), Self.n(2))))
        #expect(Self.parse("-x^2") == .negate(.power(.symbol("x"), Self.n(2))))
        #expect(Self.parse("\\sqrt[3]{8}") == .root(Self.n(8), index: 3))
        #expect(Self.parse("\\sqrt2") == .root(Self.n(2), index: 2))
        #expect(Self.parse("\\sin^2 x") == .power(.function(.sin, [.symbol("x")]), Self.n(2)))
        #expect(Self.parse("\\sin^{-1} x") == .function(.arcsin, [.symbol("x")]))
        #expect(Self.parse("|x|") == .function(.abs, [.symbol("x")]))
        #expect(Self.parse("\\log_2 8") == .function(.log, [Self.n(2), Self.n(8)]))
        #expect(Self.parse("5!") == .function(.factorial, [Self.n(5)]))
        #expect(Self.parse("x_1 + x_{2}") == .sum([.symbol("x_1"), .symbol("x_2")]))
    }

    @Test func structures() {
        #expect(Self.parse("(1,2]") == .interval(lower: Self.n(1), upper: Self.n(2), lowerClosed: false, upperClosed: true))
        #expect(Self.parse("(1,2)") == .tuple([Self.n(1), Self.n(2)]))
        #expect(Self.parse("\\{1,2\\}") == .set([Self.n(1), Self.n(2)]))
        #expect(Self.parse("1, 2") == .list([Self.n(1), Self.n(2)]))
        #expect(Self.parse("1 \\text{ and } 2") == .list([Self.n(1), Self.n(2)]))
        #expect(Self.parse("x = 5") == .relation(sides: [.symbol("x"), Self.n(5)], operators: [.equal]))
        #expect(Self.parse("-2 \\le x < 5") == .relation(sides: [.negate(Self.n(2)), .symbol("x"), Self.n(5)],
                                                          operators: [.lessEqual, .less]))
        #expect(Self.parse("\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}") == .matrix([[Self.n(1), Self.n(2)], [Self.n(3), Self.n(4)]]))
        #expect(Self.parse("[0,1] \\cup [2,3]") == .union([
            .interval(lower: Self.n(0), upper: Self.n(1), lowerClosed: true, upperClosed: true),
            .interval(lower: Self.n(2), upper: Self.n(3), lowerClosed: true, upperClosed: true),
        ]))
    }

    @Test func decorationsAreDropped() {
        #expect(Self.parse("5 apples left") == Self.n(5))
        #expect(Self.parse("12\\text{ cm}^2") == Self.n(12))
        #expect(Self.parse("\\left( 3 \\right)") == Self.n(3))
        #expect(Self.parse("60^\\circ") == .degrees(Self.n(60)))
        #expect(Self.parse("60 degrees") == .degrees(Self.n(60)))
        #expect(Self.parse("50\\%") == .percent(Self.n(50)))
        #expect(Self.parse("\\displaystyle 2\\!\\cdot\\!3") == .product([Self.n(2), Self.n(3)]))
    }

    @Test func malformedInputIsASyntaxError() {
        for bad in ["3 +", "\\frac{1}", "(1,2", "\\foo{1}", "2 3", "", ")", "x =", "\\sqrt", "{}", "1,"] {
            guard case .syntax? = Self.failure(bad) else {
                Issue.record("\(bad) should be a syntax error, got \(String(describing: Self.failure(bad)))")
                continue
            }
        }
    }

    @Test func deepNestingIsALimit() {
        let parens = String(repeating: "(", count: 500) + "3" + String(repeating: ")", count: 500)
        #expect(Self.failure(parens) == .limit(.nestingDepth))
        #expect(Self.failure(String(repeating: "-", count: 10_000) + "5") == .limit(.nestingDepth))
        #expect(Self.failure(String(repeating: "\\sqrt{", count: 300) + "2" + String(repeating: "}", count: 300))
            == .limit(.nestingDepth))
        #expect(Self.failure("5" + String(repeating: "!", count: 1000)) == .limit(.nestingDepth))
    }
}

extension MathParserTests {
    @Test func bareDigitsAfterSqrtAreOneNumber() {
        #expect(Self.parse("4\\sqrt11") == .product([Self.n(4), .root(Self.n(11), index: 2)]))
        #expect(Self.parse("\\sqrt 2x") == .product([.root(Self.n(2), index: 2), .symbol("x")]))
        #expect(Self.parse("\\frac1{10}") == .quotient(Self.n(1), Self.n(10)))
    }
}
