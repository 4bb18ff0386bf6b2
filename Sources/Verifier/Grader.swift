/// The math grader: extracts each completion's final answer and decides whether it is equivalent to the gold
/// answer, with a reason code, never a crash and never unbounded work.
///
/// A `Grader` is an immutable value: share one across threads and call it concurrently; every call works on
/// its own state and is synchronous, so a service can run it on a bounded pool of threads. Nothing here reads
/// a clock or installs a signal handler; work is bounded by `VerifierLimits` (bytes, depth, bits, steps).
///
/// Recursion is bounded by `VerifierLimits.maxNestingDepth` (48 by default): under 128 KiB of stack in release
/// builds, about 400 KiB in debug builds, so pool threads need stacks of at least 512 KiB (Linux gives 8 MiB).
public struct Grader: Sendable {
    /// Reward shaping, limits and the evaluation seed.
    public let configuration: GraderConfiguration

    /// A grader with `configuration` (the defaults: reward 1/0, no penalty, `VerifierLimits()`).
    public init(configuration: GraderConfiguration = GraderConfiguration()) {
        self.configuration = configuration
    }

    // MARK: - Batch API

    /// Grades one group: every completion against one gold answer, which is read once. The result has one
    /// grade per completion, in order.
    public func grade(completions: [String], gold: String) -> [Grade] {
        let prepared = prepareGold(gold)
        return completions.map { grade(completion: $0, against: prepared) }
    }

    // MARK: - Gold

    /// Reads a gold answer: a plain answer such as `\frac{1}{2}` or `x=6` (`$...$` and a `\boxed{}` around it
    /// are accepted), or a whole solution whose final answer is found the way a completion's is (`GoldReader`).
    /// Never fails: an unreadable gold comes back with `failure == .unparseableGold`.
    public func prepareGold(_ gold: String) -> PreparedGold {
        GoldReader(limits: configuration.limits).read(gold)
    }

    // MARK: - One completion

    /// Grades one completion against a prepared gold.
    public func grade(completion: String, against gold: PreparedGold) -> Grade {
        let budget = WorkBudget(limits: configuration.limits)
        var method = ExtractionMethod.none
        var extracted: String?
        func finish(_ reason: GradeReason, _ limit: LimitKind? = nil) -> Grade {
            Grade(reason: reason, reward: configuration.reward.reward(for: reason, method: method), method: method,
                  extractedAnswer: extracted, limit: limit, steps: budget.spent)
        }
        guard gold.failure == nil, let goldExpression = gold.expression else {
            return finish(.unparseableGold, gold.failureLimit)
        }
        guard completion.utf8.count <= configuration.limits.maxCompletionBytes else {
            return finish(.limitExceeded, .completionLength)
        }
        do {
            var text = completion
            let extraction = text.withUTF8 { utf8 in
                Result { () throws(MathFailure) -> [UInt8]? in
                    let outcome = try AnswerExtractor.extract(
                        utf8, choiceMode: gold.choice != nil,
                        lastNumberFallback: configuration.reward.lastNumberFallback, budget: budget)
                    guard case .found(let span, let how) = outcome else { return nil }
                    method = how
                    extracted = span.text(in: utf8, maxBytes: 256)
                    guard span.byteCount <= configuration.limits.maxAnswerBytes else { throw .limit(.answerLength) }
                    return try AnswerNormalizer.normalize(span, in: utf8, budget: budget)
                }
            }
            guard let answer = try extraction.get(), !answer.isEmpty else {
                method = .none
                return finish(.noAnswerFound)
            }
            if let letter = gold.choice {
                if let predicted = ChoiceLetter.prediction(answer) {
                    return finish(predicted == letter ? .correct : .wrong)
                }
            }
            if AnswerNormalizer.comparisonKey(answer) == gold.key { return finish(.correct) }
            if case .text(let goldText) = goldExpression {
                let predicted = TextAnswer.detect(answer) ?? TextAnswer.fold(answer)
                return finish(predicted == goldText ? .correct : .wrong)
            }
            let prediction: MathExpression
            do {
                guard let p = try Self.predictionExpression(answer, gold: gold, budget: budget) else {
                    return finish(.wrong)
                }
                prediction = p
            } catch .syntax {
                return finish(.unparseablePrediction)
            }
            let equivalence = Equivalence(budget: budget, seed: configuration.seed,
                                          points: configuration.evaluationPoints)
            return finish(try equivalence.equivalent(goldExpression, prediction) ? .correct : .wrong)
        } catch .limit(let kind) {
            return finish(.limitExceeded, kind)
        } catch .syntax {
            return finish(.unparseablePrediction)
        } catch {
            return finish(.wrong)
        }
    }

    /// The prediction's expression: parsed math; the value a text answer names ("five", "all real numbers"),
    /// nil for other text (it cannot equal a non-text gold); a plain numeral read both in base 10 and in the
    /// base of a gold such as `312_4`.
    static func predictionExpression(_ answer: [UInt8], gold: PreparedGold, budget: WorkBudget) throws(MathFailure)
        -> MathExpression?
    {
        if let text = TextAnswer.detect(answer) { return TextAnswer.meaning(text) }
        let parsed = try MathParser.parse(answer, budget: budget)
        if let base = gold.numeralBase, case .number(let decimal) = parsed, answer.allSatisfy(\.isDigit),
           answer.count <= 64, answer.allSatisfy({ Int($0 - UInt8(ascii: "0")) < base })
        {
            var p = MathParser(answer + [.underscore] + Array(String(base).utf8), budget: budget)
            p.pos = answer.count
            return .either([.number(decimal), .number(try p.parseBaseSubscript(digits: 0..<answer.count))])
        }
        return parsed
    }
}
