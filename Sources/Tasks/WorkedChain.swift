import Foundation

/// Checks the work in a completion of the built-in curriculum: a chain of single operations
/// "a+b=c;c-d=e;…" where every step's arithmetic is right and starts from the previous result, then
/// ". \boxed{v}" with v the last result, and nothing else. It does not compare with the question or the gold
/// answer (the verifier does that); it tells a right answer reached by right work from a lucky one
/// ("6-4=0;0+1=1;1-2=1. \boxed{1}").
public enum WorkedChain {
    public static func isValid(_ completion: String) -> Bool {
        let text = completion.trimmingWhitespace()
        guard let boxStart = text.range(of: ". \\boxed{"), text.hasSuffix("}") else { return false }
        let boxed = text[boxStart.upperBound..<text.index(before: text.endIndex)]
        guard let answer = number(boxed) else { return false }
        var previous: Int?
        for step in text[..<boxStart.lowerBound].split(separator: ";", omittingEmptySubsequences: false) {
            guard let equals = step.firstIndex(of: "="),
                  let result = number(step[step.index(after: equals)...]) else { return false }
            let left = step[..<equals]
            guard let opIndex = left.dropFirst().firstIndex(where: { "+-*".contains($0) }),
                  let a = number(left[..<opIndex]), let b = number(left[left.index(after: opIndex)...]) else { return false }
            let value = switch left[opIndex] { case "+": a + b; case "-": a - b; default: a * b }
            guard value == result, previous.map({ $0 == a }) ?? true else { return false }
            previous = result
        }
        return previous == answer
    }

    /// A non-negative integer written with digits only (no sign, no spaces).
    private static func number(_ s: Substring) -> Int? {
        guard !s.isEmpty, s.count <= 9, s.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(s)
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> Substring {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return s
    }
}
