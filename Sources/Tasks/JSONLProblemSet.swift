import Foundation

/// Problems loaded from a JSONL file: GSM8K-style (`question`, `answer` ending in `#### n`), MATH-style
/// (`problem`, `solution` with a final `\boxed{}`), or any file whose field names you give.
///
/// The gold answer is extracted from the answer field by a function the caller supplies (the Verifier's
/// dataset adapters), so Tasks stays free of grading logic. A malformed line is an error naming its number.
public struct JSONLProblemSet: ProblemSource {
    /// Where the question and the answer live in each JSON object.
    public struct Fields: Sendable, Equatable {
        public var question: String
        public var answer: String
        public init(question: String, answer: String) {
            self.question = question
            self.answer = answer
        }
        /// GSM8K: `question`, `answer` ("... #### 72").
        public static let gsm8k = Fields(question: "question", answer: "answer")
        /// MATH: `problem`, `solution` ("... \boxed{\frac{1}{2}}").
        public static let math = Fields(question: "problem", answer: "solution")
    }

    public let problems: [MathProblem]
    public var count: Int? { problems.count }

    public func problem(at index: Int) -> MathProblem { problems[index % problems.count] }

    /// Loads `url`. `extractGold` turns the answer field into the gold answer (nil = none found → error).
    /// The answer field itself is kept as the worked solution.
    public init(contentsOf url: URL, fields: Fields, extractGold: (String) -> String?) throws {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw TasksError.unreadableFile(path: url.path, reason: "\(error.localizedDescription)")
        }
        var problems: [MathProblem] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            let number = i + 1
            guard let object = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [String: Any] else {
                throw TasksError.malformedLine(path: url.path, line: number, reason: "not a JSON object")
            }
            guard let question = object[fields.question] as? String else {
                throw TasksError.malformedLine(path: url.path, line: number, reason: "no string field \"\(fields.question)\"")
            }
            guard let answer = object[fields.answer] as? String else {
                throw TasksError.malformedLine(path: url.path, line: number, reason: "no string field \"\(fields.answer)\"")
            }
            guard let gold = extractGold(answer), !gold.isEmpty else {
                throw TasksError.missingGold(path: url.path, line: number, field: fields.answer)
            }
            problems.append(MathProblem(id: "\(url.lastPathComponent):\(number)", question: question, goldAnswer: gold,
                                        solution: answer))
        }
        guard !problems.isEmpty else { throw TasksError.emptyDataset(path: url.path) }
        self.problems = problems
    }
}
