import BigInt

/// A recursive-descent parser from a normalised answer (`AnswerNormalizer` output, ASCII LaTeX) to a
/// `MathExpression`.
///
/// Precedence, loosest first: list (`,` `;` "and" "or") → relation (`=` `<` `\le` `\in` ...) → ratio (`:`)
/// → union (`\cup`) → sum (`+` `-` `\pm`) → product (`*` `\times` `\cdot` `/` `\div`, implicit `2x`) → sign
/// → power (`^`, right associative) → postfix (`!` `\%`) → primary. Layout commands (`\left`, `\,`, `\!`,
/// `\displaystyle` ...) are skipped wherever space is. Recursion is bounded by `VerifierLimits.maxNestingDepth`
/// and every token spends from the `WorkBudget`, so no input can exhaust the stack or loop for long.
struct MathParser {
    let s: [UInt8]
    var pos = 0
    /// End of the parsed region; lowered to truncate trailing words ("5 apples") and to fence an integrand.
    var end: Int
    var depth = 0
    var absDepth = 0
    /// A position already known to hold a command that is not layout (saves re-reading it in `skipTrivia`).
    var contentCommandAt = -1
    let budget: WorkBudget

    init(_ bytes: [UInt8], budget: WorkBudget) {
        s = bytes
        end = bytes.count
        self.budget = budget
    }

    /// Parses a whole answer; anything left unread is a syntax error.
    static func parse(_ bytes: [UInt8], budget: WorkBudget) throws(MathFailure) -> MathExpression {
        var p = MathParser(bytes, budget: budget)
        return try p.parseAnswer()
    }

    mutating func parseAnswer() throws(MathFailure) -> MathExpression {
        var items = [try parseItem()]
        while try consumeSeparator() {
            if items.count >= budget.limits.maxElements { throw .limit(.elementCount) }
            items.append(try parseItem())
        }
        skipTrivia()
        if pos < end { throw .syntax(offset: pos) }
        if items.count == 2, let decimal = try Self.decimalCommaReading(s, budget: budget) {
            return .either([.number(decimal), .list(items)])
        }
        return items.count == 1 ? items[0] : .list(items)
    }

    /// The decimal reading of an answer that is one number with a comma between digits and nothing else but
    /// trailing words (`3,5`, `-0,125`, `350,75 euros`): a decimal comma, or a list of two integers. Nil for
    /// anything else.
    static func decimalCommaReading(_ s: [UInt8], budget: WorkBudget) throws(MathFailure) -> Rational? {
        var q = 0
        while q < s.count && s[q] == .space { q += 1 }
        let negative = q < s.count && s[q] == .minus
        if negative { q += 1 }
        let intStart = q
        while q < s.count && s[q].isDigit { q += 1 }
        let intEnd = q
        guard intEnd > intStart, intEnd - intStart <= 18, q + 1 < s.count, s[q] == .comma, s[q + 1].isDigit else {
            return nil
        }
        q += 1
        let fracStart = q
        while q < s.count && s[q].isDigit { q += 1 }
        guard q - fracStart <= 18, !s[q...].contains(where: { $0 == .comma || $0 == .semicolon || $0.isDigit }) else {
            return nil
        }
        var p = MathParser(Array(s[intStart..<intEnd]) + [.dot] + Array(s[fracStart..<q]), budget: budget)
        let value = try p.parseNumberLiteral(singleDigit: false).0
        return negative ? value.negated : value
    }

    // MARK: - Levels

    /// relation := union (relop union)*. Every bracket, group, set and matrix cell parses its content here, so
    /// this is where most nesting is counted.
    mutating func parseItem() throws(MathFailure) -> MathExpression {
        try enter()
        defer { depth -= 1 }
        let first = try parseRatio()
        var sides = [first], ops: [RelationOperator] = []
        while let op = consumeRelation() {
            ops.append(op)
            sides.append(try parseRatio())
        }
        return ops.isEmpty ? first : .relation(sides: sides, operators: ops)
    }

    /// ratio := union (: union)*, `A_1 : A_2` or `5 : 13`.
    mutating func parseRatio() throws(MathFailure) -> MathExpression {
        let first = try parseUnion()
        var terms = [first]
        while true {
            skipTrivia()
            guard peek() == .colon else { break }
            pos += 1
            if terms.count >= budget.limits.maxElements { throw .limit(.elementCount) }
            terms.append(try parseUnion())
        }
        return terms.count == 1 ? first : .ratio(terms)
    }

    /// union := sum (\cup sum)*
    mutating func parseUnion() throws(MathFailure) -> MathExpression {
        let first = try parseSum()
        var parts = [first]
        while true {
            skipTrivia()
            guard consumeCommand("cup") else { break }
            if parts.count >= budget.limits.maxElements { throw .limit(.elementCount) }
            parts.append(try parseSum())
        }
        return parts.count == 1 ? first : .union(parts)
    }

    /// sum := term ((+|-|\pm|\mp) term)*
    mutating func parseSum() throws(MathFailure) -> MathExpression {
        var parts = [try parseTerm()]
        while true {
            skipTrivia()
            let b = peek()
            if b == .plus {
                pos += 1
                parts.append(try parseTerm())
            } else if b == .minus {
                pos += 1
                parts.append(.negate(try parseTerm()))
            } else if consumeCommand("pm") || consumeCommand("mp") {
                parts.append(.plusMinus(try parseTerm()))
            } else {
                break
            }
        }
        return parts.count == 1 ? parts[0] : .sum(parts)
    }

    /// term := signed (( * | / | \times | \cdot | \div ) signed | implicit power)*
    mutating func parseTerm() throws(MathFailure) -> MathExpression {
        var factors = [try parseSigned()]
        var lastWasNumber = Self.isNumberLiteral(factors[0])
        loop: while true {
            skipTrivia()
            try budget.spend(2)
            let b = peek()
            if b == .star {
                pos += 1
                factors.append(try parseSigned())
                lastWasNumber = false
                continue
            }
            if b == .slash {
                pos += 1
                factors.append(.quotient(.number(.one), try parseSigned()))
                lastWasNumber = false
                continue
            }
            if b == .backslash, let (name, next) = command(at: pos) {
                switch name {
                case "times", "cdot", "ast", "cross":
                    pos = next
                    factors.append(try parseSigned())
                    lastWasNumber = false
                    continue loop
                case "div":
                    pos = next
                    factors.append(.quotient(.number(.one), try parseSigned()))
                    lastWasNumber = false
                    continue loop
                default: break
                }
            }
            if let word = wordAhead() {
                switch word.text {
                case "and", "or":
                    break loop
                case "degree", "degrees", "deg", "\\circ":
                    pos = word.next
                    factors = [.degrees(Self.product(factors))]
                    continue loop
                case "percent", "pct":
                    pos = word.next
                    factors = [.percent(Self.product(factors))]
                    continue loop
                default:
                    // A unit or trailing commentary: at the top level everything from here on is dropped
                    // ("5 apples left"); inside brackets the word (and a power on it) is skipped.
                    if depth <= 1 {
                        end = pos
                    } else {
                        pos = word.next
                        skipUnitPower()
                    }
                    break loop
                }
            }
            if startsImplicitOperand(afterNumber: lastWasNumber) {
                let f = try parsePower()
                lastWasNumber = Self.isNumberLiteral(f)
                factors.append(f)
                continue
            }
            break
        }
        return Self.product(factors)
    }

    /// signed := (- | + | \pm) signed | power
    mutating func parseSigned() throws(MathFailure) -> MathExpression {
        skipTrivia()
        let b = peek()
        if b == .minus || b == .plus {
            pos += 1
            try enter()
            defer { depth -= 1 }
            let inner = try parseSigned()
            return b == .minus ? .negate(inner) : inner
        }
        if consumeCommand("pm") || consumeCommand("mp") {
            try enter()
            defer { depth -= 1 }
            return .plusMinus(try parseSigned())
        }
        return try parsePower()
    }

    /// power := postfix (^ script)*, right associative; `^\circ` marks degrees.
    mutating func parsePower() throws(MathFailure) -> MathExpression {
        var base = try parsePostfix()
        var exponents: [MathExpression] = []
        while true {
            skipSpaces()
            guard peek() == .caret else { break }
            pos += 1
            if consumeCircle() {
                base = .degrees(exponents.isEmpty ? base : Self.fold(base, exponents))
                exponents = []
                continue
            }
            if exponents.count >= budget.limits.maxNestingDepth { throw .limit(.nestingDepth) }
            exponents.append(try parseScript())
        }
        return exponents.isEmpty ? base : Self.fold(base, exponents)
    }

    /// postfix := primary (! | % | \% | ')*
    mutating func parsePostfix() throws(MathFailure) -> MathExpression {
        var e = try parsePrimary()
        var count = 0
        while true {
            skipSpaces()
            let b = peek()
            if b == .bang && peek(1) != .equals {
                pos += 1
                e = .function(.factorial, [e])
            } else if b == .percentSign {
                pos += 1
                e = .percent(e)
            } else if b == .backslash && peek(1) == .percentSign {
                pos += 2
                e = .percent(e)
            } else if b == .quote, case .symbol(let name) = e {
                pos += 1
                e = .symbol(name + "'")
            } else {
                break
            }
            count += 1
            if count > budget.limits.maxNestingDepth { throw .limit(.nestingDepth) }
        }
        return e
    }

    /// primary := number | letters | ( ... ) | [ ... ] | { ... } | |x| | \command ...
    mutating func parsePrimary() throws(MathFailure) -> MathExpression {
        try budget.spend(5)
        skipTrivia()
        let b = peek()
        if b.isDigit || (b == .dot && peek(1).isDigit) { return try parseNumberOrMixed() }
        if b.isLetter { return try parseLetters() }
        switch b {
        case .openParen, .openBracket: return try parseBracketed()
        case .openBrace: return try parseGroup()
        case .bar:
            pos += 1
            return try parseAbsolute(closer: "|")
        case .backslash: return try parseCommand()
        default: throw .syntax(offset: pos)
        }
    }

    // MARK: - Numbers and letters

    /// A number literal; a mixed number `2\frac{1}{3}` or `2 1/3` (= 2 + 1/3) when an integer is followed by a
    /// fraction of two integer literals; a numeral in another base, `312_4` or `312_{4}` (= 54).
    mutating func parseNumberOrMixed() throws(MathFailure) -> MathExpression {
        let digitsStart = pos
        let (value, isInteger) = try parseNumberLiteral(singleDigit: false)
        guard isInteger else { return .number(value) }
        if peek() == .underscore { return .number(try parseBaseSubscript(digits: digitsStart..<pos)) }
        let save = pos
        skipTrivia()
        if let (name, next) = command(at: pos), name == "frac" || name == "dfrac" || name == "tfrac" {
            pos = next
            if let n = integerArgument(), let d = integerArgument(), !d.isZero {
                return .sum([.number(value), .number(Rational(n, d))])
            }
        }
        pos = save
        if let fraction = plainFractionAfterSpace() { return .sum([.number(value), .number(fraction)]) }
        return .number(value)
    }

    /// `1/3` after at least one space (the fraction of a mixed number `2 1/3`), consumed; nil (nothing
    /// consumed) otherwise.
    mutating func plainFractionAfterSpace() -> Rational? {
        guard peek() == .space else { return nil }
        var q = pos
        while q < end && s[q] == .space { q += 1 }
        let numeratorStart = q
        while q < end && s[q].isDigit && q - numeratorStart < 18 { q += 1 }
        guard q > numeratorStart, q < end, s[q] == .slash else { return nil }
        let numeratorEnd = q
        q += 1
        let denominatorStart = q
        while q < end && s[q].isDigit && q - denominatorStart < 18 { q += 1 }
        guard q > denominatorStart, q >= end || !(s[q].isDigit || s[q].isLetter || s[q] == .dot || s[q] == .caret)
        else { return nil }
        let d = Self.decimalValue(s[denominatorStart..<q], [])
        guard !d.isZero else { return nil }
        pos = q
        return Rational(Self.decimalValue(s[numeratorStart..<numeratorEnd], []), d)
    }

    /// The value of the numeral `s[digits]` in the base written after `_` at `pos` (`_4`, `_{4}`, `_{(4)}`),
    /// 2 to 10; a digit too large for its base is a syntax error.
    mutating func parseBaseSubscript(digits: Range<Int>) throws(MathFailure) -> Rational {
        pos += 1
        // `_4`, `_{4}`, `_{(4)}`, `_{\text{4}}`: the digits, once wrappers are dropped.
        var text = try rawScriptText()
        for wrapper in ["\\text", "\\mathrm"] where text.hasPrefix(wrapper) { text.removeFirst(wrapper.count) }
        text = text.filter { !"{}()".contains($0) }
        guard let base = Int(text), (2...10).contains(base), digits.count <= 64 else { throw .syntax(offset: pos) }
        var value = BigInt(0)
        for b in s[digits] {
            let d = Int(b - UInt8(ascii: "0"))
            guard d < base else { throw .syntax(offset: digits.lowerBound) }
            value = value * BigInt(base) + BigInt(d)
        }
        return Rational(integer: value)
    }

    /// Digits with an optional fraction part and `e`/`E` exponent, as an exact rational; with `singleDigit`,
    /// one digit only (a LaTeX argument such as the `1` of `\frac12`). Also tells whether it was a bare integer.
    mutating func parseNumberLiteral(singleDigit: Bool) throws(MathFailure) -> (Rational, Bool) {
        if singleDigit {
            let d = Int(s[pos] - UInt8(ascii: "0"))
            pos += 1
            return (Rational(d), true)
        }
        let start = pos
        while peek().isDigit { pos += 1 }
        let intEnd = pos
        var fracStart = pos, fracEnd = pos
        if peek() == .dot && peek(1).isDigit {
            pos += 1
            fracStart = pos
            while peek().isDigit { pos += 1 }
            fracEnd = pos
        } else if peek() == .dot && !peek(1).isLetter && intEnd > start {
            pos += 1  // "5." is 5
            fracStart = pos
            fracEnd = pos
        }
        if fracEnd > start || intEnd > start, let repeating = try repeatingDecimal(
            integer: s[start..<intEnd], fraction: s[fracStart..<fracEnd])
        {
            return (repeating, false)
        }
        var exponent = 0
        var hasExponent = false
        if peek() == .lowerE || peek() == .upperE {
            var q = pos + 1
            var negative = false
            if q < end && (s[q] == .plus || s[q] == .minus) {
                negative = s[q] == .minus
                q += 1
            }
            if q < end && s[q].isDigit {
                var e = 0
                while q < end && s[q].isDigit {
                    e = e * 10 + Int(s[q] - UInt8(ascii: "0"))
                    if e > budget.limits.maxExponent { throw .limit(.exponentSize) }
                    q += 1
                }
                if q >= end || !s[q].isLetter {
                    exponent = negative ? -e : e
                    hasExponent = true
                    pos = q
                }
            }
        }
        let digitCount = (intEnd - start) + (fracEnd - fracStart)
        try budget.spend(1 + digitCount >> 2)
        if digitCount * 10 > budget.limits.maxIntegerBits * 3 { throw .limit(.integerSize) }
        let scale = exponent - (fracEnd - fracStart)
        let isInteger = fracEnd == fracStart && !hasExponent && pos == intEnd
        if digitCount <= 18 && abs(scale) <= 18 {
            // Machine arithmetic for ordinary literals.
            var v = 0
            for i in start..<intEnd { v = v * 10 + Int(s[i] - UInt8(ascii: "0")) }
            for i in fracStart..<fracEnd { v = v * 10 + Int(s[i] - UInt8(ascii: "0")) }
            var p = 1
            for _ in 0..<abs(scale) { p *= 10 }
            if scale < 0 { return (Rational(numerator: v, denominator: p), isInteger) }
            let (scaled, overflow) = v.multipliedReportingOverflow(by: p)
            if !overflow { return (Rational(scaled), isInteger) }
        }
        let digits = Self.decimalValue(s[start..<intEnd], s[fracStart..<fracEnd])
        let ten = BigInt(10).power(abs(scale))
        if ten.bitWidth > budget.limits.maxIntegerBits { throw .limit(.integerSize) }
        let value = scale >= 0 ? Rational(integer: digits * ten) : Rational(digits, ten)
        try budget.checkBits(value.bitWidth)
        return (value, isInteger)
    }

    /// A repeating decimal `0.\overline{3}` (= 1/3), `2.1\overline{6}`, `0.\dot{3}`: the value when a
    /// `\overline{digits}` / `\dot{digit}` follows the digits read so far (after a decimal point), consumed.
    mutating func repeatingDecimal(integer: ArraySlice<UInt8>, fraction: ArraySlice<UInt8>) throws(MathFailure)
        -> Rational?
    {
        guard pos > 0, s[pos - 1] == .dot || !fraction.isEmpty,
              let (name, next) = command(at: pos), name == "overline" || name == "dot"
        else { return nil }
        var q = next
        while q < end && s[q] == .space { q += 1 }
        guard q < end, s[q] == .openBrace, let close = matchingBrace(from: q) else { return nil }
        let period = s[(q + 1)..<close].filter { $0 != .space }
        guard !period.isEmpty, period.count <= 40, period.allSatisfy(\.isDigit),
              integer.count + fraction.count <= 80
        else { return nil }
        try budget.spend(8 + period.count)
        pos = close + 1
        // x = I.F(R): (IFR - IF) / (10^|F| (10^|R| - 1)).
        let withPeriod = Self.decimalValue(integer, fraction + period[...])
        let without = Self.decimalValue(integer, fraction)
        let denominator = BigInt(10).power(fraction.count) * (BigInt(10).power(period.count) - 1)
        return Rational(withPeriod - without, denominator)
    }

    /// The integer spelled by the digits of `integerPart` followed by those of `fractionPart`, read 18 digits at
    /// a time (machine arithmetic for the usual short literals, no string conversion).
    static func decimalValue(_ integerPart: ArraySlice<UInt8>, _ fractionPart: ArraySlice<UInt8>) -> BigInt {
        var value = BigInt(0)
        var chunk: Int64 = 0, chunkDigits = 0
        for part in [integerPart, fractionPart] {
            for b in part {
                chunk = chunk * 10 + Int64(b - UInt8(ascii: "0"))
                chunkDigits += 1
                if chunkDigits == 18 {
                    value = value * BigInt(1_000_000_000_000_000_000 as Int64) + BigInt(chunk)
                    chunk = 0
                    chunkDigits = 0
                }
            }
        }
        if chunkDigits > 0 {
            var scale: Int64 = 1
            for _ in 0..<chunkDigits { scale *= 10 }
            value = value.isZero ? BigInt(chunk) : value * BigInt(scale) + BigInt(chunk)
        }
        return value
    }

    /// An integer LaTeX argument: `{12}` or a single digit; nil (position kept) otherwise.
    mutating func integerArgument() -> BigInt? {
        let save = pos
        skipSpaces()
        if peek().isDigit {
            let d = BigInt(Int(s[pos] - UInt8(ascii: "0")))
            pos += 1
            return d
        }
        guard peek() == .openBrace else { return nil }
        var q = pos + 1
        while q < end && s[q] == .space { q += 1 }
        let start = q
        while q < end && s[q].isDigit && q - start < 40 { q += 1 }
        let stop = q
        while q < end && s[q] == .space { q += 1 }
        guard stop > start, q < end, s[q] == .closeBrace else {
            pos = save
            return nil
        }
        pos = q + 1
        return Self.decimalValue(s[start..<stop], [])
    }

    /// A run of letters: a known function or constant name, else one single-letter variable (the rest of the
    /// run multiplies implicitly: `xy` is x·y).
    mutating func parseLetters() throws(MathFailure) -> MathExpression {
        let start = pos
        var q = pos
        while q < end && s[q].isLetter && q - start <= Self.longestName { q += 1 }
        if q - start > Self.longestName { throw .syntax(offset: start) }
        if q - start >= 2 {
            let run = String(decoding: s[start..<q], as: UTF8.self)
            if let known = try parseNamed(run, after: q) { return known }
            if Self.isWord(s[start..<q]) { throw .syntax(offset: start) }
        }
        let letter = s[start]
        pos = start + 1
        return try parseSubscript(on: letter)
    }

    /// The expression a single letter stands for (`e` is Euler's number, `i` the imaginary unit), with an
    /// optional subscript (`x_1`, `a_{n+1}`) that becomes part of the variable's name.
    mutating func parseSubscript(on letter: UInt8) throws(MathFailure) -> MathExpression {
        var name = String(UnicodeScalar(letter))
        if peek() == .underscore {
            pos += 1
            name += "_" + (try rawScriptText())
            return .symbol(name)
        }
        switch letter {
        case .lowerE: return .euler
        case UInt8(ascii: "i"): return .imaginaryUnit
        default: return .symbol(name)
        }
    }

    /// Function and constant names written without a backslash (`sin`, `sqrt`, `pi`, `inf`, `exp`); nil if
    /// `run` is none of them.
    mutating func parseNamed(_ run: String, after q: Int) throws(MathFailure) -> MathExpression? {
        switch run {
        case "pi":
            pos = q
            return .pi
        case "inf", "infty", "infinity":
            pos = q
            return .infinity
        case "sqrt":
            pos = q
            return .root(try parseFunctionArgument(), index: 2)
        case "exp":
            pos = q
            return .power(.euler, try parseFunctionArgument())
        default:
            guard let f = MathFunction(commandName: run) else { return nil }
            pos = q
            return try parseFunction(f)
        }
    }

    // MARK: - Scanning helpers

    @inline(__always) func peek() -> UInt8 { pos < end ? s[pos] : 0 }
    @inline(__always) func peek(_ offset: Int) -> UInt8 { pos + offset < end ? s[pos + offset] : 0 }

    /// One level deeper. Counted where recursion cycles pass (an item, a sign, a LaTeX argument, a script, a
    /// function and its argument, `|x|`, `\lfloor`, an integral), so every cycle is bounded.
    mutating func enter() throws(MathFailure) {
        depth += 1
        if depth > budget.limits.maxNestingDepth { throw .limit(.nestingDepth) }
    }

    mutating func skipSpaces() {
        while pos < end && s[pos] == .space { pos += 1 }
    }

    /// Skips spaces and layout-only commands (`\,` `\!` `\quad` `\left` `\right` `\displaystyle` `\$` `~` ...).
    mutating func skipTrivia() {
        while pos < end {
            let b = s[pos]
            if b == .space || b == .tilde {
                pos += 1
                continue
            }
            guard b == .backslash, pos != contentCommandAt else { return }
            guard let (name, next) = command(at: pos), Self.triviaCommands.contains(name) else {
                contentCommandAt = pos
                return
            }
            pos = next
            if (name == "left" || name == "right" || name.hasPrefix("big") || name.hasPrefix("Big")) && peek() == .dot {
                pos += 1  // \left. is an invisible delimiter
            }
        }
    }

    static let triviaCommands: Set<String> = [
        ",", "!", ";", ":", " ", ">", "quad", "qquad", "left", "right", "middle", "big", "Big", "bigg", "Bigg",
        "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr", "Biggl", "Biggr", "displaystyle", "textstyle",
        "scriptstyle", "$", "limits", "nolimits", "enspace", "thinspace", "medspace", "thickspace", "hline",
        "phantom",
    ]

    /// The command starting at `i` (`\frac` → "frac", `\{` → "{", `\\` → "\\") and the index after it.
    func command(at i: Int) -> (String, Int)? {
        guard i < end, s[i] == .backslash, i + 1 < end else { return nil }
        var q = i + 1
        if s[q].isLetter {
            while q < end && s[q].isLetter { q += 1 }
        } else {
            q += 1
        }
        return (String(decoding: s[(i + 1)..<q], as: UTF8.self), q)
    }

    /// Consumes `\name` if it is next (after trivia).
    mutating func consumeCommand(_ name: String) -> Bool {
        skipTrivia()
        guard let (n, next) = command(at: pos), n == name else { return false }
        pos = next
        return true
    }

    /// Consumes `\circ`, `{\circ}` or `°`-derived forms right after a `^`.
    mutating func consumeCircle() -> Bool {
        let save = pos
        skipSpaces()
        if consumeCommand("circ") { return true }
        if peek() == .openBrace {
            pos += 1
            if consumeCommand("circ") {
                skipTrivia()
                if peek() == .closeBrace {
                    pos += 1
                    return true
                }
            }
        }
        pos = save
        return false
    }

    /// Consumes a list separator: `,` `;` or the word "and"/"or" (bare, in `\text{}`, or glued: `0orP(x)=2`).
    mutating func consumeSeparator() throws(MathFailure) -> Bool {
        skipTrivia()
        if peek() == .comma || peek() == .semicolon {
            pos += 1
            return true
        }
        if let word = wordAhead(), word.text == "and" || word.text == "or" {
            pos = word.next
            return true
        }
        return false
    }

    /// Consumes a relation operator, if one is next.
    mutating func consumeRelation() -> RelationOperator? {
        skipTrivia()
        let b = peek(), c = peek(1)
        switch b {
        case .equals:
            pos += c == .equals ? 2 : 1
            return .equal
        case .less:
            if c == .equals { pos += 2; return .lessEqual }
            pos += 1
            return .less
        case .greater:
            if c == .equals { pos += 2; return .greaterEqual }
            pos += 1
            return .greater
        case .bang where c == .equals:
            pos += 2
            return .notEqual
        case .backslash:
            guard let (name, next) = command(at: pos) else { return nil }
            let op: RelationOperator
            switch name {
            case "le", "leq", "leqslant": op = .lessEqual
            case "ge", "geq", "geqslant": op = .greaterEqual
            case "lt": op = .less
            case "gt": op = .greater
            case "ne", "neq": op = .notEqual
            case "approx", "simeq": op = .approximately
            case "equiv": op = .equal
            case "in": op = .elementOf
            default: return nil
            }
            pos = next
            return op
        default:
            return nil
        }
    }

    /// Whether what follows (in operator position) starts an operand multiplied implicitly (`2x`, `3\sqrt2`,
    /// `(x+1)(x-1)`); a number right after a number does not (`2 3` is not 6).
    func startsImplicitOperand(afterNumber: Bool) -> Bool {
        let b = peek()
        if b.isDigit || (b == .dot && peek(1).isDigit) { return !afterNumber }
        if b.isLetter || b == .openParen || b == .openBrace { return true }
        if b == .bar { return absDepth == 0 }
        guard b == .backslash, let (name, _) = command(at: pos) else { return false }
        return Self.operandCommands.contains(name) || Self.greekLetters.contains(name)
            || MathFunction(commandName: name) != nil
    }

    static let operandCommands: Set<String> = [
        "frac", "dfrac", "tfrac", "cfrac", "sqrt", "pi", "infty", "mathrm", "mathbf", "mathit", "boldsymbol",
        "operatorname", "binom", "dbinom", "tbinom", "lvert", "vert", "|", "lfloor", "lceil", "exp", "int", "begin",
        "angle",
    ]

    static let greekLetters: Set<String> = [
        "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota",
        "kappa", "lambda", "mu", "nu", "xi", "omicron", "rho", "varrho", "sigma", "varsigma", "tau", "upsilon",
        "phi", "varphi", "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Sigma", "Upsilon",
        "Phi", "Psi", "Omega", "ell",
    ]

    static func isNumberLiteral(_ e: MathExpression) -> Bool {
        if case .number = e { return true }
        return false
    }

    static func product(_ factors: [MathExpression]) -> MathExpression {
        factors.count == 1 ? factors[0] : .product(factors)
    }

    /// `base ^ (e1 ^ (e2 ^ ...))`.
    static func fold(_ base: MathExpression, _ exponents: [MathExpression]) -> MathExpression {
        var acc = exponents[exponents.count - 1]
        for e in exponents.dropLast().reversed() { acc = .power(e, acc) }
        return .power(base, acc)
    }

    /// Whether a letter run is an English word rather than a product of variables: three or more letters with a
    /// vowel (so `xyz` stays x·y·z), or a known two-letter unit.
    static func isWord(_ run: ArraySlice<UInt8>) -> Bool {
        if run.count >= 3 { return run.contains { Self.vowels.contains($0 | 0x20) } }
        return false
    }

    static let vowels: Set<UInt8> = Set("aeiouy".utf8)

    /// Letter runs longer than this are prose, never a product of variables: scans stop here, so a megabyte of
    /// letters is not rescanned at each implicit product.
    static let longestName = 32
}
