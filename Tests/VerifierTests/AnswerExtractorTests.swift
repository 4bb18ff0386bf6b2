import Testing
@testable import Verifier

@Suite struct AnswerExtractorTests {
    /// The extracted text and method for `completion`.
    static func extract(_ completion: String, choice: Bool = false, fallback: Bool = true)
        -> (text: String?, method: ExtractionMethod, unterminated: Bool)
    {
        let bytes = Array(completion.utf8)
        let budget = WorkBudget(limits: VerifierLimits())
        return bytes.withUnsafeBufferPointer { s in
            switch try? AnswerExtractor.extract(s, choiceMode: choice, lastNumberFallback: fallback, budget: budget) {
            case .found(let span, let method)?: return (span.text(in: s), method, false)
            case .unterminatedBox?: return (nil, .none, true)
            default: return (nil, .none, false)
            }
        }
    }

    @Test func lastCompleteBoxWins() {
        #expect(Self.extract("The final answer is $\\boxed{\\frac{1}{2}}$.").text == "\\frac{1}{2}")
        #expect(Self.extract("\\boxed{a} then \\boxed{b}").text == "b")
        #expect(Self.extract("first \\boxed{\\boxed{3}} then \\fbox{12}").text == "12")
        #expect(Self.extract("so \\boxed 5 is it").text == "5")
        #expect(Self.extract("\\boxed{\\{1,2\\}}").text == "\\{1,2\\}")
        #expect(Self.extract("\\boxed{40} was wrong; the answer is \\boxed{15}").method == .boxed)
        #expect(Self.extract("\\boxedx{3} and \\boxed{4}").text == "4")
    }

    @Test func unterminatedLastBoxMeansNoAnswer() {
        #expect(Self.extract("The answer is $\\boxed{5").unterminated)
        #expect(Self.extract("\\boxed{3} but wait \\boxed{4").unterminated)
        #expect(Self.extract("\\boxed{{5}").unterminated)
        #expect(Self.extract("\\boxed{5}}}}").text == "5")
    }

    @Test func hashMarker() {
        let r = Self.extract("Step 1.\n#### 1,234\n")
        #expect(r.text == "1,234")
        #expect(r.method == .hashMarker)
        #expect(Self.extract("#### 5\nlater #### 6 apples").text == "6 apples")
    }

    @Test func answerPhrases() {
        #expect(Self.extract("The answer is: 42.").text == "42")
        #expect(Self.extract("Final Answer: $x = 3$").text == "$x = 3$")
        #expect(Self.extract("**Answer:** 7").text == "7")
        #expect(Self.extract("so the answer is 15, which is odd.").text == "15")
        #expect(Self.extract("the answer is 3.5.").text == "3.5")
        #expect(Self.extract("Answer: \\(\\frac{3}{4}\\) exactly").text == "\\(\\frac{3}{4}\\)")
        #expect(Self.extract("My first answer is 3. The final answer is 4").text == "4")
        #expect(Self.extract("the answer is\n\n$$\\frac{1}{2}$$").text == "$$\\frac{1}{2}$$")
        #expect(Self.extract("Comparing the options, the answer is (C).").method == .answerPhrase)
    }

    @Test func fallbacks() {
        #expect(Self.extract("The answers are 3 and 4.").text == "4")
        #expect(Self.extract("I think (B) is right", choice: true).text == "(B)")
        #expect(Self.extract("I think (B) is right").text == nil)
        let n = Self.extract("She buys 3 more, so she has 267 apples left.")
        #expect(n.text == "267")
        #expect(n.method == .lastNumber)
        #expect(Self.extract("the total is $\\frac{3}{4}$.").text == "$\\frac{3}{4}$")
        #expect(Self.extract("it drops to -12 degrees").text == "-12")
        #expect(Self.extract("we need 1,250.5 litres").text == "1,250.5")
        #expect(Self.extract("no numbers here").text == nil)
        #expect(Self.extract("it is 12", fallback: false).text == nil)
    }
}

extension AnswerExtractorTests {
    @Test func currencyDollarsAreNotMathSpans() {
        #expect(Self.extract("She makes $18 and spends $5 on food, keeping 13 dollars.").text == "13")
        #expect(Self.extract("so she earns $18 and spends $5").text == "5")
        #expect(Self.extract("The answer is $18 per day and more.").text == "$18 per day and more")
        #expect(Self.extract("The answer is $\\sin x$.").text == "$\\sin x$")
        #expect(Self.extract("The answer is $5\\text{ dollars}$.").text == "$5\\text{ dollars}$")
    }
}
