import Testing
@testable import Verifier

@Suite struct CanonicalizerTests {
    static func key(_ s: String, budget: WorkBudget = WorkBudget(limits: VerifierLimits())) -> String? {
        guard let e = try? MathParser.parse(Array(s.utf8), budget: budget) else { return nil }
        return try? Canonicalizer(budget: budget).canonical(e).key
    }

    @Test func radicalsSimplifyExactly() {
        #expect(Self.key("\\sqrt{112}") == Self.key("4\\sqrt{7}"))
        #expect(Self.key("\\sqrt{567}") == "9*root2(7)")
        #expect(Self.key("\\sqrt[3]{54}") == "3*root3(2)")
        #expect(Self.key("\\sqrt{2}\\cdot\\sqrt{6}") == "2*root2(3)")
        #expect(Self.key("\\sqrt{49}") == "7")
        #expect(Self.key("\\frac{1}{\\sqrt{2}}") == "1/2*root2(2)")
        #expect(Self.key("(-8)^{1/3}") == "-2")
        #expect(Self.key("\\sqrt{-9}") == "3*#i")
    }

    @Test func polynomialsExpand() {
        #expect(Self.key("(x+1)^2") == Self.key("x^2 + 2x + 1"))
        #expect(Self.key("(x+y)(x-y)") == Self.key("x^2 - y^2"))
        #expect(Self.key("\\frac{1}{2x+2}") == Self.key("\\frac{1}{2} \\cdot \\frac{1}{x+1}"))
        #expect(Self.key("x - x") == "0")
        #expect(Self.key("i^2") == "-1")
    }

    @Test func hugePowersStaySymbolic() {
        let budget = WorkBudget(limits: VerifierLimits())
        let tower = Self.key("9^{9^{9^{9}}}", budget: budget)
        #expect(tower?.hasPrefix("pow(") == true)
        #expect(budget.spent < 1000)
        #expect(Self.key("10^{10^{10^{10^{10}}}} - 10^{10^{10^{10^{10}}}} + 1") == "1")
        #expect(Self.key("4^{5000}") == Self.key("2^{10000}"))
        #expect(Self.key("(x+y+z+w)^{60}")?.hasPrefix("pow(") == true)
    }

    @Test func functionsWithExactValues() {
        #expect(Self.key("5!") == "120")
        #expect(Self.key("\\binom{10}{3}") == "120")
        #expect(Self.key("\\log_3 81") == "4")
        #expect(Self.key("|-\\frac{3}{2}|") == "3/2")
        #expect(Self.key("\\lfloor 7/2 \\rfloor") == "3")
        #expect(Self.key("\\ln 1") == "0")
        #expect(Self.key("\\int_0^1 x\\,dx") == "1/2")
        #expect(Self.key("\\int_{1}^{2} 3x^2 dx") == "7")
    }
}
