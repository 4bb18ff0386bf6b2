/// English number words as answers: "five", "twelve", "twenty-one", "one hundred", "zero".
enum NumberWords {
    static let units: [String: Int] = [
        "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
        "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
        "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    ]
    static let tens: [String: Int] = [
        "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    ]

    /// "twentyone" (folding drops the hyphen of "twenty-one") as (20, 1).
    static func compound(_ w: String) -> (Int, Int)? {
        for (name, t) in tens where w.hasPrefix(name) {
            if let u = units[String(w.dropFirst(name.count))], (1...9).contains(u) { return (t, u) }
        }
        return nil
    }

    /// The value of a folded text (`TextAnswer.fold`: lower case, single spaces, hyphens gone) that is a number
    /// from zero to 999,999 in words, nil otherwise.
    static func value(_ folded: String) -> Int? {
        let words = folded.split(separator: " ").filter { $0 != "and" }
        guard !words.isEmpty, words.count <= 8 else { return nil }
        var total = 0, current = 0, seen = false
        for word in words {
            let w = String(word)
            if let u = units[w] {
                current += u
            } else if let t = tens[w] {
                current += t
            } else if let (t, u) = compound(w) {
                current += t + u
            } else if w == "hundred" {
                current = max(current, 1) * 100
            } else if w == "thousand" {
                total += max(current, 1) * 1000
                current = 0
            } else if w == "a" && !seen {
                current = 1
                continue
            } else {
                return nil
            }
            seen = true
        }
        return seen ? total + current : nil
    }
}
