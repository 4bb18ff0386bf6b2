import Seeding

/// Phrases an addition/subtraction chain as a short story ("Ann has 5 apples. She gets 3 more. ...").
enum WordProblemTemplates {
    static let names = ["Ann", "Bob", "Cleo", "Dan", "Eva", "Finn", "Gus", "Hana", "Ivy", "Jon"]
    static let items = ["apples", "pens", "cards", "coins", "books", "shells", "stamps", "eggs"]

    static func render(start: Int, steps: [(op: Character, operand: Int)], rng: inout SeededGenerator) -> String {
        let name = names[Int(rng.next() % UInt64(names.count))]
        let item = items[Int(rng.next() % UInt64(items.count))]
        var sentences = ["\(name) has \(start) \(item)."]
        for (op, operand) in steps {
            let variants = op == "+"
                ? ["\(name) gets \(operand) more.", "A friend gives \(name) \(operand) more.", "\(name) finds \(operand) more."]
                : ["\(name) gives away \(operand).", "\(name) loses \(operand).", "\(name) uses \(operand)."]
            sentences.append(variants[Int(rng.next() % UInt64(variants.count))])
        }
        sentences.append("How many \(item) does \(name) have now?")
        return sentences.joined(separator: " ")
    }
}
