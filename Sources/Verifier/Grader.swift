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

    /// Reads a gold answer (a plain answer such as `\frac{1}{2}` or `x=6`; `$...$` and a `\boxed{}` around it
    /// are accepted). Never fails: an unreadable gold comes back with `failure == .unparseableGold`.
    public func prepareGold(_ gold: String) -> PreparedGold {
        let limits = configuration.limits
        let budget = WorkBudget(limits: limits)
        func unusable(_ limit: LimitKind?, _ normalized: [UInt8] = []) -> PreparedGold {
            PreparedGold(text: gold, failure: .unparseableGold, failureLimit: limit, normalized: normalized, key: [],
                         choice: nil, expression: nil)
        }
        let count = gold.utf8.count
        guard count <= limits.maxAnswerBytes else { return unusable(.answerLength) }
        var bytes = Array(gold.utf8)
        let box: Range<Int>?? = bytes.withUnsafeBufferPointer { AnswerExtractor.lastBox($0) }
        if case .some(.some(let range)) = box { bytes = Array(bytes[range]) }
        do {
            let normalized = try AnswerNormalizer.normalize(bytes, budget: budget)
            guard !normalized.isEmpty else { return unusable(nil) }
            let key = AnswerNormalizer.comparisonKey(normalized)
            let choice = ChoiceLetter.gold(normalized)
            let expression: MathExpression
            if let text = TextAnswer.detect(normalized) {
                expression = .text(text)
            } else if let choice {
                expression = .symbol(String(UnicodeScalar(choice)))
            } else {
                expression = try MathParser.parse(normalized, budget: budget)
            }
            return PreparedGold(text: gold, failure: nil, failureLimit: nil, normalized: normalized, key: key,
                                choice: choice, expression: expression)
        } catch .limit(let kind) {
            return unusable(kind)
        } catch {
            return unusable(nil)
        }
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
                    guard case .found(let range, let how) = outcome else { return nil }
                    method = how
                    let slice = UnsafeBufferPointer(rebasing: utf8[range])
                    var cut = min(slice.count, 256)
                    while cut < slice.count && cut > 0 && slice[cut] & 0xC0 == 0x80 { cut -= 1 }  // UTF-8 boundary
                    extracted = String(decoding: slice.prefix(cut), as: UTF8.self)
                    guard range.count <= configuration.limits.maxAnswerBytes else { throw .limit(.answerLength) }
                    return try AnswerNormalizer.normalize(slice, budget: budget)
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
            if TextAnswer.detect(answer) != nil { return finish(.wrong) }
            let prediction: MathExpression
            do {
                prediction = try MathParser.parse(answer, budget: budget)
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
}
