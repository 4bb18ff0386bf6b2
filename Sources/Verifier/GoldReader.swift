/// Reads a gold answer once into a `PreparedGold`.
///
/// A gold is either a plain answer (`\frac{1}{2}`, `x = 6`, `\text{odd}`, `$\boxed{5}$`) or a whole solution
/// (a MATH solution with its `\boxed{}`, a GSM8K answer field with its `####`, a Minerva solution ending "Final
/// Answer: The final answer is $5$."), whose final answer is found the same way as a completion's
/// (`AnswerExtractor`, without the choice-letter step). A solution with no marker at all is read, like a
/// completion, by its last number or math span — but only when it is prose (several words), so that a broken
/// plain gold such as `\frac{1}{` stays unparseable and is never rewarded.
struct GoldReader {
    let limits: VerifierLimits

    func read(_ gold: String) -> PreparedGold {
        let budget = WorkBudget(limits: limits)
        func unusable(_ limit: LimitKind?, _ normalized: [UInt8] = []) -> PreparedGold {
            PreparedGold(text: gold, failure: .unparseableGold, failureLimit: limit, normalized: normalized, key: [],
                         choice: nil, expression: nil, numeralBase: nil)
        }
        guard gold.utf8.count <= limits.maxAnswerBytes else { return unusable(.answerLength) }
        let bytes = Array(gold.utf8)
        do {
            var normalized = try bytes.withUnsafeBufferPointer { (s) throws(MathFailure) -> [UInt8] in
                if let span = Self.locate(s, lastNumber: false) {
                    return try AnswerNormalizer.normalize(span, in: s, budget: budget)
                }
                return try AnswerNormalizer.normalize(s, budget: budget)
            }
            guard !normalized.isEmpty else { return unusable(nil) }
            var choice = ChoiceLetter.gold(normalized)
            let expression: MathExpression
            do {
                expression = try Self.expression(normalized, choice: choice, budget: budget)
            } catch .syntax where Self.isProse(bytes) {
                normalized = try bytes.withUnsafeBufferPointer { (s) throws(MathFailure) -> [UInt8] in
                    guard let span = Self.locate(s, lastNumber: true) else { throw .syntax(offset: 0) }
                    return try AnswerNormalizer.normalize(span, in: s, budget: budget)
                }
                choice = ChoiceLetter.gold(normalized)
                expression = try Self.expression(normalized, choice: choice, budget: budget)
            }
            return PreparedGold(text: gold, failure: nil, failureLimit: nil, normalized: normalized,
                                key: AnswerNormalizer.comparisonKey(normalized), choice: choice, expression: expression,
                                numeralBase: Self.numeralBase(normalized))
        } catch .limit(let kind) {
            return unusable(kind)
        } catch {
            return unusable(nil)
        }
    }

    /// Where a solution's final answer is (a box run, `####`, an answer phrase; with `lastNumber`, also the last
    /// number or math span); nil when it has none of these (a plain answer is then read whole).
    static func locate(_ s: UnsafeBufferPointer<UInt8>, lastNumber: Bool) -> AnswerSpan? {
        guard case .scope(let scope) = CompletionScope.find(s) else { return nil }
        let t = UnsafeBufferPointer(rebasing: s[scope])
        let outcome = AnswerExtractor.extractInScope(t, choiceMode: false, lastNumberFallback: lastNumber)
        guard case .found(let span, _) = outcome.shifted(by: scope.lowerBound) else { return nil }
        return span
    }

    /// The expression of a normalised gold: a text answer (or the number or set it names), a choice letter, or
    /// parsed math.
    static func expression(_ normalized: [UInt8], choice: UInt8?, budget: WorkBudget) throws(MathFailure)
        -> MathExpression
    {
        if let text = TextAnswer.detect(normalized) { return TextAnswer.meaning(text) ?? .text(text) }
        if let choice { return .symbol(String(UnicodeScalar(choice))) }
        return try MathParser.parse(normalized, budget: budget)
    }

    /// Whether the gold reads as prose — four or more English words outside commands — as a solution does.
    static func isProse(_ bytes: [UInt8]) -> Bool {
        var words = 0, i = 0
        while i < bytes.count {
            guard bytes[i].isLetter else {
                i += 1
                continue
            }
            let start = i
            while i < bytes.count && bytes[i].isLetter { i += 1 }
            let command = start > 0 && bytes[start - 1] == .backslash
            if !command && i - start >= 3 && MathParser.isWord(bytes[start..<i]) { words += 1 }
            if words >= 4 { return true }
        }
        return false
    }

    /// The base of a gold that is a numeral in another base (`312_4`, `1011_{2}`), so that a plain `312` is
    /// also read in that base; nil otherwise.
    static func numeralBase(_ normalized: [UInt8]) -> Int? {
        guard let underscore = normalized.firstIndex(of: .underscore), underscore > 0,
              normalized[..<underscore].allSatisfy(\.isDigit)
        else { return nil }
        let digits = normalized[(underscore + 1)...].filter { $0.isDigit }
        guard normalized[(underscore + 1)...].allSatisfy({ $0.isDigit || $0 == .openBrace || $0 == .closeBrace }),
              let base = Int(String(decoding: digits, as: UTF8.self)), (2...10).contains(base)
        else { return nil }
        return base
    }
}
