import Verifier

/// The verdicts of one untimed pass over a case file, told apart so that a person sees where the verifier still
/// disagrees: per category the agreement, the false negatives (a correct answer the grader refused: on real
/// data, a correct answer the policy is punished for) and the false positives (a wrong answer it rewarded), and
/// for every disagreement what was extracted and why it was graded as it was.
struct VerifierVerdictReport {
    /// Agreement counts for one category.
    struct Tally {
        var cases = 0
        var agreed = 0
        var falseNegatives = 0
        var falsePositives = 0

        mutating func count(agree: Bool, expected: Bool) {
            cases += 1
            if agree {
                agreed += 1
            } else if expected {
                falseNegatives += 1
            } else {
                falsePositives += 1
            }
        }
    }

    /// One case the grader disagrees on.
    struct Disagreement {
        let id: String
        let category: String
        /// "false_negative" (expected correct, graded otherwise) or "false_positive".
        let kind: String
        let reason: String
        let method: String
        let extracted: String
        let gold: String
    }

    private(set) var total = Tally()
    private(set) var perCategory: [String: Tally] = [:]
    private(set) var reasons: [String: Int] = [:]
    private(set) var disagreements: [Disagreement] = []
    private(set) var maxSteps = 0

    /// Grades every case once with `grader`.
    init(cases: [VerifierBenchmark.Case], grader: Grader) {
        for c in cases {
            record(c, grader.grade(completion: c.prediction, against: grader.prepareGold(c.gold)))
        }
    }

    private mutating func record(_ c: VerifierBenchmark.Case, _ grade: Grade) {
        let agree = grade.isCorrect == c.expected
        total.count(agree: agree, expected: c.expected)
        perCategory[c.category, default: Tally()].count(agree: agree, expected: c.expected)
        reasons[grade.reason.rawValue, default: 0] += 1
        maxSteps = max(maxSteps, grade.steps)
        if !agree {
            disagreements.append(Disagreement(
                id: c.id, category: c.category, kind: c.expected ? "false_negative" : "false_positive",
                reason: grade.reason.rawValue, method: grade.method.rawValue, extracted: grade.extractedAnswer ?? "",
                gold: String(c.gold.prefix(120))))
        }
    }

    /// Overall agreement with the expected verdicts.
    var agreement: Double { Double(total.agreed) / Double(max(1, total.cases)) }

    /// `per_category` of the suite's JSON: cases, agreement, false_negatives, false_positives.
    var categoriesJSON: [String: Any] {
        perCategory.mapValues { t in
            ["cases": t.cases, "agreement": Double(t.agreed) / Double(t.cases), "false_negatives": t.falseNegatives,
             "false_positives": t.falsePositives] as [String: Any]
        }
    }

    /// `disagreement_details` of the suite's JSON, in case-file order.
    var disagreementsJSON: [[String: Any]] {
        disagreements.map {
            ["id": $0.id, "category": $0.category, "kind": $0.kind, "reason": $0.reason, "method": $0.method,
             "extracted": $0.extracted, "gold": $0.gold]
        }
    }
}
