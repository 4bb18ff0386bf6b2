import Testing
@testable import Verifier

@Suite struct AnswerNormalizerTests {
    static func normalize(_ s: String) -> String {
        let budget = WorkBudget(limits: VerifierLimits())
        let out = (try? AnswerNormalizer.normalize(Array(s.utf8), budget: budget)) ?? []
        return String(decoding: out, as: UTF8.self)
    }

    @Test func delimitersAndCurrency() {
        #expect(Self.normalize("$\\$1,234$") == "1234")
        #expect(Self.normalize("$$x$$") == "x")
        #expect(Self.normalize("\\(\\frac12\\)") == "\\frac12")
        #expect(Self.normalize("\\[ 5 \\]") == "5")
        #expect(Self.normalize("\\boxed{5}.") == "5")
        #expect(Self.normalize("  5. ") == "5")
        #expect(Self.normalize("$5$ apples") == "5 apples")
    }

    @Test func redundantBracesInOnePass() {
        #expect(Self.normalize("{{{3}}}") == "3")
        #expect(Self.normalize("{1}+{2}") == "{1}+{2}")
        #expect(Self.normalize("{{1}+{2}}") == "{1}+{2}")
        let deep = String(repeating: "{", count: 5000) + "7" + String(repeating: "}", count: 5000)
        #expect(Self.normalize(deep) == "7")
    }

    @Test func thousandsSeparators() {
        #expect(Self.normalize("30,552") == "30552")
        #expect(Self.normalize("1{,}000{,}000") == "1000000")
        #expect(Self.normalize("1\\,000") == "1000")
        #expect(Self.normalize("1,234.5") == "1234.5")
        #expect(Self.normalize("(1,234)") == "(1,234)")
        #expect(Self.normalize("1,2,3") == "1,2,3")
        #expect(Self.normalize("12,34") == "12,34")
    }

    @Test func unicodeAndControlBytes() {
        #expect(Self.normalize("−3×π") == "-3\\times \\pi")
        #expect(Self.normalize("60°") == "60^\\circ")
        #expect(Self.normalize("√2") == "\\sqrt2")
        #expect(Self.normalize("\u{0}\u{1}12\u{0}") == "12")
        #expect(Self.normalize("x ≤ 3") == "x \\le  3")
    }

    @Test func comparisonKeyIgnoresLayout() {
        let a = AnswerNormalizer.comparisonKey(Array("\\left( \\dfrac{1}{2}, 3 \\right)".utf8))
        let b = AnswerNormalizer.comparisonKey(Array("(\\frac{1}{2},3)".utf8))
        #expect(a == b)
        #expect(AnswerNormalizer.comparisonKey(Array("x y".utf8)) == Array("xy".utf8))
    }
}

extension AnswerNormalizerTests {
    @Test func spaceSeparatedThousands() {
        #expect(Self.normalize("1 000 000") == "1000000")
        #expect(Self.normalize("2 3") == "2 3")
        #expect(Self.normalize("12 345 apples") == "12345 apples")
        #expect(Self.normalize("1\u{00A0}000\u{00A0}000") == "1000000")
        #expect(Self.normalize("2\u{2009}500") == "2500")
        #expect(Self.normalize("0 125") == "0 125")
        #expect(Self.normalize("1234 567") == "1234 567")
        #expect(Self.normalize("(1 000, 2)") == "(1 000, 2)")
    }
}
