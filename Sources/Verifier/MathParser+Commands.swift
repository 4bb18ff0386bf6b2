/// Backslash commands, functions, brackets, environments, integrals and unit words.
extension MathParser {
    /// `\command ...` at `pos`.
    mutating func parseCommand() throws(MathFailure) -> MathExpression {
        try budget.spend(3)
        guard let (name, next) = command(at: pos) else { throw .syntax(offset: pos) }
        let start = pos
        pos = next
        switch name {
        case "frac", "dfrac", "tfrac", "cfrac":
            let numerator = try parseLatexArgument()
            return .quotient(numerator, try parseLatexArgument())
        case "sqrt":
            skipSpaces()
            var index: MathExpression?
            if peek() == .openBracket {
                pos += 1
                index = try parseItem()
                skipTrivia()
                guard peek() == .closeBracket else { throw .syntax(offset: pos) }
                pos += 1
            }
            // A bare digit run is taken whole: `4\sqrt11` is written for 4√11, never for 4·√1·1.
            skipSpaces()
            let radicand = peek().isDigit ? MathExpression.number(try parseNumberLiteral(singleDigit: false).0)
                : try parseLatexArgument()
            guard let index else { return .root(radicand, index: 2) }
            if case .number(let r) = index, let k = r.intValue, k >= 2, k <= 64 { return .root(radicand, index: k) }
            return .power(radicand, .quotient(.number(.one), index))
        case "pi": return .pi
        case "infty", "infin": return .infinity
        case "exp": return .power(.euler, try parseFunctionArgument())
        case "operatorname":
            let text = try rawGroupText()
            if let f = MathFunction(commandName: text) { return try parseFunction(f) }
            return .symbol(text)
        case "text", "textrm", "textnormal", "textbf", "textit", "emph", "mbox", "hbox", "mathrm", "mathbf",
             "mathit", "mathsf", "mathtt", "boldsymbol", "bm", "mathnormal":
            return try parseStyled(command: name)
        case "mathbb":
            let text = try rawGroupText()
            guard text == "R" else { throw .syntax(offset: start) }
            return .interval(lower: .negate(.infinity), upper: .infinity, lowerClosed: false, upperClosed: false)
        case "binom", "dbinom", "tbinom":
            let n = try parseLatexArgument()
            return .function(.binomial, [n, try parseLatexArgument()])
        case "{": return try parseSet()
        case "lvert", "vert", "|", "lVert", "Vert":
            return try parseAbsolute(closer: name == "lvert" ? "rvert" : (name == "lVert" ? "rVert" : name))
        case "lfloor":
            try enter()
            defer { depth -= 1 }
            let inner = try parseSum()
            guard consumeCommand("rfloor") else { throw .syntax(offset: pos) }
            return .function(.floor, [inner])
        case "lceil":
            try enter()
            defer { depth -= 1 }
            let inner = try parseSum()
            guard consumeCommand("rceil") else { throw .syntax(offset: pos) }
            return .function(.ceil, [inner])
        case "begin": return try parseEnvironment()
        case "int": return try parseIntegral()
        case "emptyset", "varnothing", "empty": return .set([])
        case "angle", "measuredangle":
            // `\angle ABC`: the name of an angle.
            skipSpaces()
            let nameStart = pos
            while pos < end && s[pos].isLetter && pos - nameStart < 8 { pos += 1 }
            return .symbol("\\angle " + String(decoding: s[nameStart..<pos], as: UTF8.self))
        default:
            if Self.greekLetters.contains(name) { return .symbol("\\" + name) }
            if let f = MathFunction(commandName: name) { return try parseFunction(f) }
            throw .syntax(offset: start)
        }
    }

    /// A LaTeX argument: a `{group}`, one digit, one letter or one command (`\frac12`, `\sqrt x`, `\frac\pi2`).
    mutating func parseLatexArgument() throws(MathFailure) -> MathExpression {
        try parseArgument(script: false)
    }

    /// A superscript (or integral bound): like a LaTeX argument, but also signed (`2^-1`), a bracket, or a whole
    /// digit run (`10^23`: what a plain-text writer means).
    mutating func parseScript() throws(MathFailure) -> MathExpression {
        try parseArgument(script: true)
    }

    private mutating func parseArgument(script: Bool) throws(MathFailure) -> MathExpression {
        try enter()
        defer { depth -= 1 }
        skipTrivia()
        let b = peek()
        if b == .openBrace { return try parseGroup() }
        if script && (b == .minus || b == .plus) {
            pos += 1
            let inner = try parseScript()
            return b == .minus ? .negate(inner) : inner
        }
        if b.isDigit || (script && b == .dot && peek(1).isDigit) {
            return .number(try parseNumberLiteral(singleDigit: !script).0)
        }
        if b.isLetter {
            pos += 1
            return Self.letter(b)
        }
        if b == .backslash { return try parseCommand() }
        if script && b == .openParen { return try parseBracketed() }
        throw .syntax(offset: pos)
    }

    /// `{ item }`.
    mutating func parseGroup() throws(MathFailure) -> MathExpression {
        try budget.spend(3)
        guard peek() == .openBrace else { throw .syntax(offset: pos) }
        pos += 1
        let inner = try parseItem()
        skipTrivia()
        guard peek() == .closeBrace else { throw .syntax(offset: pos) }
        pos += 1
        return inner
    }

    /// `( ... )` or `[ ... ]`: grouping (one item), a tuple, or an interval (mixed or square brackets, two items).
    mutating func parseBracketed() throws(MathFailure) -> MathExpression {
        let open = s[pos]
        pos += 1
        let items = try parseCommaList(after: parseItem())
        skipTrivia()
        let close = peek()
        guard close == .closeParen || close == .closeBracket else { throw .syntax(offset: pos) }
        pos += 1
        let round = open == .openParen && close == .closeParen
        if items.count == 1 {
            guard round || (open == .openBracket && close == .closeBracket) else { throw .syntax(offset: pos) }
            return items[0]
        }
        if items.count == 2 && !round {
            return .interval(lower: items[0], upper: items[1], lowerClosed: open == .openBracket,
                             upperClosed: close == .closeBracket)
        }
        return .tuple(items)
    }

    /// The rest of `\{ a, b \}`.
    mutating func parseSet() throws(MathFailure) -> MathExpression {
        if consumeCommand("}") { return .set([]) }
        if skipSetBuilderVariable() {
            // `\{x \mid x > 2\}`: the set is what its condition describes.
            let condition = try parseItem()
            guard consumeCommand("}") else { throw .syntax(offset: pos) }
            return condition
        }
        let items = try parseCommaList(after: parseItem())
        guard consumeCommand("}") else { throw .syntax(offset: pos) }
        return .set(items)
    }

    /// Skips `x \mid`, `x :` or `x |` (a set-builder's variable and bar) when the set opens with them.
    mutating func skipSetBuilderVariable() -> Bool {
        let save = pos
        skipTrivia()
        if peek().isLetter && !peek(1).isLetter {
            pos += 1
            skipSpaces()
            if peek() == .colon || peek() == .bar {
                pos += 1
                return true
            }
            if consumeCommand("mid") { return true }
        }
        pos = save
        return false
    }

    /// The rest of `|x|`, `\lvert x \rvert`, `\vert x \vert`.
    mutating func parseAbsolute(closer: String) throws(MathFailure) -> MathExpression {
        try enter()
        absDepth += 1
        defer {
            depth -= 1
            absDepth -= 1
        }
        let inner = try parseSum()
        skipTrivia()
        if closer == "|" {
            if peek() == .bar {
                pos += 1
            } else if !(consumeCommand("rvert") || consumeCommand("vert") || consumeCommand("|")) {
                throw .syntax(offset: pos)
            }
        } else if !consumeCommand(closer) && !(closer == "vert" && consumeCommand("rvert")) {
            throw .syntax(offset: pos)
        }
        return .function(.abs, [inner])
    }

    /// `\mathrm{...}`, `\text{...}` ... in operand position: one letter is a variable (`\mathrm{e}` is Euler's
    /// number, `\mathrm{i}` the imaginary unit); math content is parsed; a word is a syntax error here (whole
    /// text answers are recognised before parsing, trailing words by `wordAhead`).
    mutating func parseStyled(command name: String) throws(MathFailure) -> MathExpression {
        skipSpaces()
        guard peek() == .openBrace else { return try parseLatexArgument() }
        guard let close = matchingBrace(from: pos) else { throw .syntax(offset: pos) }
        var a = pos + 1, b = close
        while a < b && s[a] == .space { a += 1 }
        while b > a && s[b - 1] == .space { b -= 1 }
        if b - a == 1 && s[a].isLetter {
            pos = close + 1
            return try parseSubscriptAfterStyled(letter: s[a])
        }
        if b > a && s[a..<b].allSatisfy({ $0.isLetter || $0 == .space }) { throw .syntax(offset: a) }
        return try parseGroup()
    }

    private mutating func parseSubscriptAfterStyled(letter: UInt8) throws(MathFailure) -> MathExpression {
        if peek() == .underscore { return try parseSubscript(on: letter) }
        return Self.letter(letter)
    }

    /// The expression one letter stands for in argument position: `e`, `i` or a variable.
    static func letter(_ b: UInt8) -> MathExpression {
        switch b {
        case .lowerE: return .euler
        case UInt8(ascii: "i"): return .imaginaryUnit
        default: return .symbol(String(UnicodeScalar(b)))
        }
    }

    /// A function application: optional `^power` (`\sin^2 x`; `^{-1}` means the inverse function) and `_base`
    /// (`\log_2 8`), then `(args)`, `{arg}` or a bare operand (`\sin x`, `\ln 2`).
    mutating func parseFunction(_ function: MathFunction) throws(MathFailure) -> MathExpression {
        try enter()
        defer { depth -= 1 }
        var f = function
        var (power, base) = try parseScripts()
        if let p = power, Self.isMinusOne(p), let inverse = Self.inverseTrig[f] {
            f = inverse
            power = nil
        }
        skipTrivia()
        var args: [MathExpression]
        if peek() == .openParen {
            pos += 1
            args = try parseCommaList(after: parseItem())
            skipTrivia()
            guard peek() == .closeParen else { throw .syntax(offset: pos) }
            pos += 1
        } else {
            args = [try parseFunctionArgument()]
        }
        var result: MathExpression
        if let base, f == .ln {
            guard args.count == 1 else { throw .syntax(offset: pos) }
            result = .function(.log, [base, args[0]])
        } else {
            result = .function(f, args)
        }
        if let power { result = .power(result, power) }
        return result
    }

    /// An optional `^upper` and `_lower` script, in either order.
    mutating func parseScripts() throws(MathFailure) -> (upper: MathExpression?, lower: MathExpression?) {
        var upper: MathExpression?, lower: MathExpression?
        for _ in 0..<2 {
            skipTrivia()
            if peek() == .caret && upper == nil {
                pos += 1
                upper = try parseScript()
            } else if peek() == .underscore && lower == nil {
                pos += 1
                lower = try parseScript()
            }
        }
        return (upper, lower)
    }

    /// Items separated by commas (or semicolons: `(1; 2)`) after `first` (inside brackets, sets, function
    /// arguments).
    mutating func parseCommaList(after first: MathExpression) throws(MathFailure) -> [MathExpression] {
        var items = [first]
        while true {
            skipTrivia()
            guard peek() == .comma || peek() == .semicolon else { return items }
            pos += 1
            if items.count >= budget.limits.maxElements { throw .limit(.elementCount) }
            items.append(try parseItem())
        }
    }

    static let inverseTrig: [MathFunction: MathFunction] = [.sin: .arcsin, .cos: .arccos, .tan: .arctan]

    static func isMinusOne(_ e: MathExpression) -> Bool {
        if case .negate(.number(let r)) = e { return r.isOne }
        if case .number(let r) = e { return r == Rational(-1) }
        return false
    }

    /// A function's argument without parentheses: `{group}`, `(...)`, or implicit products up to the next
    /// function name or operator (`\sin 2x \cos x` is sin(2x)·cos(x)).
    mutating func parseFunctionArgument() throws(MathFailure) -> MathExpression {
        try enter()
        defer { depth -= 1 }
        skipTrivia()
        if peek() == .openBrace { return try parseGroup() }
        if peek() == .openParen { return try parseBracketed() }
        var factors = [try parsePower()]
        var lastWasNumber = Self.isNumberLiteral(factors[0])
        while true {
            skipSpaces()
            if peek() == .openParen || !startsImplicitOperand(afterNumber: lastWasNumber) { break }
            if let (name, _) = command(at: pos), MathFunction(commandName: name) != nil { break }
            if wordAhead() != nil { break }
            let f = try parsePower()
            lastWasNumber = Self.isNumberLiteral(f)
            factors.append(f)
        }
        return Self.product(factors)
    }

    /// `\begin{pmatrix} a & b \\ c & d \end{pmatrix}` (also bmatrix, Bmatrix, vmatrix, Vmatrix, matrix,
    /// smallmatrix, array); rows must have equal length.
    mutating func parseEnvironment() throws(MathFailure) -> MathExpression {
        let name = try rawGroupText()
        guard Self.matrixEnvironments.contains(name) else { throw .syntax(offset: pos) }
        if name == "array" { _ = try rawGroupText() }
        var rows: [[MathExpression]] = [[]]
        var count = 0
        while true {
            skipTrivia()
            if let (cmd, next) = command(at: pos) {
                if cmd == "end" {
                    pos = next
                    guard try rawGroupText() == name else { throw .syntax(offset: pos) }
                    break
                }
                if cmd == "\\" || cmd == "cr" {
                    pos = next
                    rows.append([])
                    continue
                }
            }
            if pos >= end { throw .syntax(offset: pos) }
            count += 1
            if count > budget.limits.maxElements { throw .limit(.elementCount) }
            rows[rows.count - 1].append(try parseItem())
            skipTrivia()
            if peek() == .ampersand { pos += 1 }
        }
        while let last = rows.last, last.isEmpty { rows.removeLast() }
        guard let width = rows.first?.count, width > 0, rows.allSatisfy({ $0.count == width }) else {
            throw .syntax(offset: pos)
        }
        return .matrix(rows)
    }

    static let matrixEnvironments: Set<String> = [
        "pmatrix", "bmatrix", "Bmatrix", "vmatrix", "Vmatrix", "matrix", "smallmatrix", "array",
    ]

    /// The rest of `\int_a^b f(x) \, dx` (or an indefinite `\int f \, dx`): the integrand runs to the first
    /// differential `d<letter>` outside brackets.
    mutating func parseIntegral() throws(MathFailure) -> MathExpression {
        try enter()
        defer { depth -= 1 }
        let (upper, lower) = try parseScripts()
        guard (lower == nil) == (upper == nil) else { throw .syntax(offset: pos) }
        guard let d = differential(from: pos) else { throw .syntax(offset: pos) }
        let savedEnd = end
        end = d
        skipTrivia()
        let integrand: MathExpression = pos >= end ? .number(.one) : try parseSum()
        skipTrivia()
        guard pos == end else { throw .syntax(offset: pos) }
        end = savedEnd
        let variable = String(UnicodeScalar(s[d + 1]))
        pos = d + 2
        return .integral(integrand, variable: variable, lower: lower, upper: upper)
    }

    /// Index of the `d` of the first `d<letter>` (not followed by another letter, not inside a command name or
    /// a bracket) from `start`.
    func differential(from start: Int) -> Int? {
        var q = start, level = 0
        while q < end {
            let c = s[q]
            if c == .backslash {
                q += 1
                if q < end && s[q].isLetter {
                    while q < end && s[q].isLetter { q += 1 }
                } else {
                    q += 1
                }
                continue
            }
            if c == .openParen || c == .openBrace || c == .openBracket { level += 1 }
            if c == .closeParen || c == .closeBrace || c == .closeBracket {
                if level == 0 { return nil }
                level -= 1
            }
            if level == 0 && c == UInt8(ascii: "d") && q + 1 < end && s[q + 1].isLetter
                && (q + 2 >= end || !s[q + 2].isLetter)
            {
                return q
            }
            q += 1
        }
        return nil
    }

    // MARK: - Raw text

    /// Index of the `}` matching the `{` at `open` (escaped braces skipped), if any before `end`.
    func matchingBrace(from open: Int) -> Int? {
        ByteScanner.matchingBrace(s, from: open, end: end)
    }

    /// The text of a `{...}` group with spaces removed (environment names, `\operatorname`, `\mathbb`).
    mutating func rawGroupText() throws(MathFailure) -> String {
        skipSpaces()
        guard peek() == .openBrace, let close = matchingBrace(from: pos), close - pos <= 64 else {
            throw .syntax(offset: pos)
        }
        let text = String(decoding: s[(pos + 1)..<close].filter { $0 != .space }, as: UTF8.self)
        pos = close + 1
        return text
    }

    /// A subscript's text for a variable name: `{...}` (spaces removed), a digit run, a letter or a command.
    mutating func rawScriptText() throws(MathFailure) -> String {
        skipSpaces()
        let b = peek()
        if b == .openBrace { return try rawGroupText() }
        let start = pos
        if b.isDigit {
            while peek().isDigit { pos += 1 }
        } else if b.isLetter {
            pos += 1
        } else if let (_, next) = command(at: pos) {
            pos = next
        } else {
            throw .syntax(offset: pos)
        }
        return String(decoding: s[start..<pos], as: UTF8.self)
    }

    // MARK: - Words

    /// A word in operator position: a letter run that is an English word or a unit (`apples`, `cm`), the
    /// content of `\text{...}`-like commands when it is letters only, or `\circ`. Returns it lower-cased, with
    /// the index after it.
    func wordAhead() -> (text: String, next: Int)? {
        let b = peek()
        if b.isLetter {
            var q = pos
            while q < end && s[q].isLetter && q - pos <= Self.longestName { q += 1 }
            if q - pos > Self.longestName { return ("", pos) }  // prose: the caller stops here
            let run = s[pos..<q]
            if let glued = Self.gluedConnector(run) { return (glued, pos + glued.utf8.count) }
            let lower = String(decoding: run.map(\.lowercased), as: UTF8.self)
            if Self.unitWords.contains(lower) || (Self.isWord(run) && !Self.knownNames.contains(lower)
                && MathFunction(commandName: lower) == nil)
            {
                return (lower, q)
            }
            return nil
        }
        guard b == .backslash, let (name, next) = command(at: pos) else { return nil }
        if name == "circ" { return ("\\circ", next) }
        guard Self.textCommands.contains(name) else { return nil }
        var q = next
        while q < end && s[q] == .space { q += 1 }
        guard q < end, s[q] == .openBrace, let close = matchingBrace(from: q) else { return nil }
        let content = s[(q + 1)..<close].map { $0 == .tilde ? UInt8.space : $0 }
        let letters = content.filter { $0.isLetter }
        guard !letters.isEmpty,
              content.allSatisfy({ $0.isLetter || $0 == .space || $0 == .dot || $0 == .slash || $0 == .minus })
        else { return nil }
        // One letter: `\mathit{x}` is a variable, `\mathrm{e}` and `\mathrm{i}` constants; `\mathrm{m}` a unit.
        if letters.count == 1 && (name == "mathit" || letters[0] == .lowerE || letters[0] == UInt8(ascii: "i")) {
            return nil
        }
        let words = content.split(separator: .space).map { String(decoding: $0.map(\.lowercased), as: UTF8.self) }
        return (words.joined(separator: " "), close + 1)
    }

    /// "or" / "and" glued to what follows in a written-together answer (`P(x)=0orP(x)=2`): a letter run that
    /// starts with the connector and goes on with one letter or a capital.
    static func gluedConnector(_ run: ArraySlice<UInt8>) -> String? {
        for word in ["or", "and"] {
            let w = Array(word.utf8)
            guard run.count > w.count, run.starts(with: w) else { continue }
            let rest = run.dropFirst(w.count)
            if rest.count == 1 || rest.first!.isUpper { return word }
        }
        return nil
    }

    /// After a skipped unit word: a power on it (`cm^2`, `m^{3}`).
    mutating func skipUnitPower() {
        skipSpaces()
        guard peek() == .caret else { return }
        if peek(1).isDigit {
            pos += 2
        } else if peek(1) == .openBrace, let close = matchingBrace(from: pos + 1),
                  s[(pos + 2)..<close].allSatisfy({ $0.isDigit || $0 == .space })
        {
            pos = close + 1
        }
    }

    static let textCommands: Set<String> = [
        "text", "textrm", "textnormal", "textbf", "textit", "emph", "mbox", "hbox", "mathrm", "mathit",
    ]
    static let unitWords: Set<String> = [
        "cm", "mm", "km", "kg", "mg", "ml", "ft", "yd", "mi", "lb", "oz", "hr", "in", "sq", "cu", "or", "and",
        "pct",
    ]
    static let knownNames: Set<String> = ["pi", "inf", "infty", "infinity", "sqrt", "exp"]
}
