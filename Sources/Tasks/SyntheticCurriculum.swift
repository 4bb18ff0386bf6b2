import Seeding

/// The built-in task: multi-step arithmetic and word problems with a worked chain and a final `\boxed{}`
/// answer, e.g. "7+2-5+1=?" → "7+2=9;9-5=4;4+1=5. \boxed{5}". Seeded, random-access, with difficulty levels.
///
/// Levels (DESIGN.md §5: single digits are what a tiny model can learn in minutes; carries defeat it):
/// 1: one + or −; 2: two operations; 3: three; 4: four; 5: four operations with small × as well.
/// Operands are single digits, subtraction never goes below zero, and from level 2 on a third of the
/// problems are phrased as word problems. A fixed hash of each question assigns it to the train or the
/// held-out split, so the two never share a question whatever the seeds.
public struct SyntheticCurriculum: ProblemSource {
    public enum Split: String, Sendable, Codable { case train, heldOut = "held_out" }

    public let seed: UInt64
    public let level: Int
    public let split: Split
    /// One question in `heldOutEvery` (by hash) belongs to the held-out split.
    public static let heldOutEvery: UInt64 = 16
    public static let levels = 1...5

    public init(seed: UInt64, level: Int, split: Split = .train) {
        precondition(Self.levels.contains(level), "curriculum levels are \(Self.levels)")
        self.seed = seed
        self.level = level
        self.split = split
    }

    public var count: Int? { nil }

    public func problem(at index: Int) -> MathProblem {
        var rng = SeededGenerator.stream(seed: seed ^ (UInt64(level) << 56), UInt64(index))
        // Draw until the question falls in this split (1 in 16 does for held-out): deterministic per index.
        while true {
            let p = draw(&rng)
            let heldOut = StableHash.fnv1a(p.question) % Self.heldOutEvery == 0
            if heldOut == (split == .heldOut) {
                return MathProblem(id: "synthetic/L\(level)/\(split.rawValue)/\(index)", question: p.question,
                                   goldAnswer: String(p.answer), solution: p.solution, level: level)
            }
        }
    }

    /// The first `count` problems.
    public func problems(_ count: Int) -> [MathProblem] { (0..<count).map(problem(at:)) }

    private var operationCount: Int { min(level, 4) }

    private func draw(_ rng: inout SeededGenerator) -> (question: String, solution: String, answer: Int) {
        var value = Int(rng.next() % 10)
        let start = value
        var steps: [(op: Character, operand: Int, result: Int)] = []
        for _ in 0..<operationCount {
            let op: Character
            let roll = rng.next() % 100
            if level >= 5 && roll < 30 && value <= 12 {
                op = "*"
            } else if roll % 2 == 0 || value == 0 {
                op = "+"
            } else {
                op = "-"
            }
            let operand: Int
            switch op {
            case "*": operand = Int(rng.next() % 4)
            case "-": operand = Int(rng.next() % UInt64(min(value, 9) + 1))
            default: operand = Int(rng.next() % 10)
            }
            let result = op == "+" ? value + operand : op == "-" ? value - operand : value * operand
            steps.append((op, operand, result))
            value = result
        }
        let chain = steps.enumerated().map { i, s in
            "\(i == 0 ? start : steps[i - 1].result)\(s.op)\(s.operand)=\(s.result)"
        }.joined(separator: ";")
        let solution = "\(chain). \\boxed{\(value)}"
        let wordProblem = level >= 2 && !steps.contains { $0.op == "*" } && rng.next() % 3 == 0
        let question = wordProblem
            ? WordProblemTemplates.render(start: start, steps: steps.map { ($0.op, $0.operand) }, rng: &rng)
            : String(start) + steps.map { "\($0.op)\($0.operand)" }.joined() + "=?"
        return (question, solution, value)
    }
}
