/// A user-supplied regular expression matched in time linear in the text: a Thompson NFA run by a
/// Pike VM over unicode scalars, so no pattern can backtrack catastrophically.
///
/// `NSRegularExpression` (ICU) backtracks: `(a*)*b` against 30,000 `a`s never finishes. This engine
/// keeps at most one thread per program instruction and text position, so a search costs
/// O(text length × program size) whatever the pattern.
///
/// The supported subset (documented for `content:regex` users):
///
/// ```
/// literals        a  é  \.  \\  \*  \n \t \r \f \v \0  \xHH  \u{H…}
/// any scalar      .            (not \n, unless `dotAll`)
/// classes         [abc] [^a-z] [\d_-]   \d \D \w \W \s \S   (unicode-aware)
/// anchors         ^ $          (text start/end; line start/end with `multiline`)
///                 \b \B        (word boundary / not)
/// groups          (…)  (?:…)   (no captures are reported; both only group)
/// alternation     a|b
/// repetition      * + ? {m} {m,} {m,n}, each optionally lazy with a trailing ?
/// ```
///
/// Not supported (a clear syntax error, never a silent mis-match): backreferences, lookaround,
/// inline flags, possessive quantifiers, named groups. Repetition counts are capped at
/// ``maxRepetition`` and the compiled program at ``maxProgramSize`` instructions, which bounds
/// the work per text scalar.
///
/// Matching is leftmost-first (Perl/Python semantics): among matches starting at the leftmost
/// position, the one the pattern's priorities (greedy or lazy, left alternative first) prefer.
struct LinearRegex: Sendable {
    /// A pattern this engine cannot compile, with the scalar offset where parsing stopped.
    struct SyntaxError: Error, Hashable, Sendable {
        var offset: Int
        var message: String
    }

    /// The pattern ran out of its work budget (see ``search(_:from:budget:)``) or the item's
    /// time budget (``EvaluationBudget``).
    struct BudgetExhausted: Error, Hashable, Sendable {}

    /// Matching options.
    struct Options: OptionSet, Hashable, Sendable {
        let rawValue: Int
        /// Letters match regardless of case (simple case mapping).
        static let caseInsensitive = Options(rawValue: 1)
        /// `^` and `$` also match at line starts and ends.
        static let multiline = Options(rawValue: 2)
        /// `.` also matches `\n`.
        static let dotAll = Options(rawValue: 4)
    }

    /// The largest `m` or `n` accepted in `{m,n}`.
    static let maxRepetition = 1000
    /// The largest compiled program, in instructions.
    static let maxProgramSize = 20_000

    let pattern: String
    let options: Options
    fileprivate let program: [Instruction]
    fileprivate let sets: [ScalarSet]

    /// Compiles `pattern`.
    ///
    /// - Throws: ``SyntaxError`` naming the offset and the problem.
    init(_ pattern: String, options: Options = []) throws(SyntaxError) {
        self.pattern = pattern
        self.options = options
        var parser = RegexParser(scalars: Array(pattern.unicodeScalars), options: options)
        let tree = try parser.parse()
        var compiler = RegexCompiler(options: options)
        try compiler.compile(tree)
        self.program = compiler.program
        self.sets = compiler.sets
    }

    /// The number of instructions of the compiled program (for tests and diagnostics).
    var programSize: Int { program.count }

    /// Finds the leftmost-first match in `text` starting at or after `from`.
    ///
    /// - Parameters:
    ///   - text: unicode scalar values.
    ///   - from: the first position a match may start at.
    ///   - budget: thread steps left; decremented as the VM works.
    /// - Returns: the matched range of scalar positions, or nil.
    /// - Throws: ``BudgetExhausted`` when `budget` drops below zero.
    func search(_ text: [UInt32], from: Int = 0, budget: inout Int) throws(BudgetExhausted) -> Range<Int>? {
        var vm = PikeVM(regex: self)
        return try vm.search(text, from: from, budget: &budget)
    }

    /// Counts non-overlapping matches, stopping early once `limit` is reached.
    func countMatches(in text: [UInt32], limit: Int = .max, budget: inout Int) throws(BudgetExhausted) -> Int {
        var vm = PikeVM(regex: self)
        var count = 0
        var position = 0
        while position <= text.count, count < limit {
            guard let match = try vm.search(text, from: position, budget: &budget) else { break }
            count += 1
            position = match.isEmpty ? match.upperBound + 1 : match.upperBound
        }
        return count
    }

    /// Whether the whole text matches the pattern.
    func wholeMatch(_ text: [UInt32], budget: inout Int) throws(BudgetExhausted) -> Bool {
        var vm = PikeVM(regex: self)
        return try vm.matchesWhole(text, budget: &budget)
    }
}

// MARK: - Syntax tree

/// A zero-width condition on the position between two scalars.
private enum Assertion: Hashable, Sendable {
    case textStart, textEnd, lineStart, lineEnd, wordBoundary, notWordBoundary
}

/// A predefined class: `\d`, `\w`, `\s`.
private enum PropertyClass: Hashable, Sendable {
    case digit, word, space

    func contains(_ c: UInt32) -> Bool {
        if c < 0x80 {
            switch self {
            case .digit: return c >= 0x30 && c <= 0x39
            case .word:
                return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
            case .space: return c == 0x20 || (c >= 0x09 && c <= 0x0D)
            }
        }
        guard let scalar = Unicode.Scalar(c) else { return false }
        let properties = scalar.properties
        switch self {
        case .digit: return properties.generalCategory == .decimalNumber
        case .word:
            switch properties.generalCategory {
            case .decimalNumber, .connectorPunctuation, .nonspacingMark, .spacingMark, .enclosingMark: return true
            default: return properties.isAlphabetic
            }
        case .space: return properties.isWhitespace
        }
    }
}

/// A predefined class inside a set, possibly negated (`[\D]`).
private struct PropertyItem: Hashable, Sendable {
    var property: PropertyClass
    var negated: Bool
}

/// A set of scalars: ranges plus predefined classes, possibly negated.
private struct ScalarSet: Hashable, Sendable {
    var ranges: [ClosedRange<UInt32>] = []
    var properties: [PropertyItem] = []
    var negated = false
    var caseInsensitive = false

    private func rawContains(_ c: UInt32) -> Bool {
        for range in ranges where range.contains(c) { return true }
        for item in properties where item.property.contains(c) != item.negated { return true }
        return false
    }

    func contains(_ c: UInt32) -> Bool {
        var found = rawContains(c)
        if !found && caseInsensitive {
            for variant in CaseFolding.variants(of: c) where variant != c && rawContains(variant) {
                found = true
                break
            }
        }
        return found != negated
    }
}

/// Simple (single-scalar) case variants, for case-insensitive matching.
enum CaseFolding {
    /// The scalar's lowercase and uppercase forms where each is a single scalar.
    static func variants(of c: UInt32) -> [UInt32] {
        if c < 0x80 {
            if c >= 0x41 && c <= 0x5A { return [c, c + 0x20] }
            if c >= 0x61 && c <= 0x7A { return [c, c - 0x20] }
            return [c]
        }
        guard let scalar = Unicode.Scalar(c) else { return [c] }
        var result: [UInt32] = [c]
        for mapped in [scalar.properties.lowercaseMapping, scalar.properties.uppercaseMapping] {
            let scalars = mapped.unicodeScalars
            if scalars.count == 1, let only = scalars.first, only.value != c { result.append(only.value) }
        }
        return result
    }
}

private indirect enum RegexNode {
    case empty
    case scalar(UInt32)
    case anyScalar
    case set(ScalarSet)
    case assertion(Assertion)
    case concat([RegexNode])
    case alternation([RegexNode])
    case repetition(RegexNode, min: Int, max: Int?, greedy: Bool)
}

// MARK: - Parser

private struct RegexParser {
    let scalars: [Unicode.Scalar]
    let options: LinearRegex.Options
    var position = 0

    init(scalars: [Unicode.Scalar], options: LinearRegex.Options) {
        self.scalars = scalars
        self.options = options
    }

    mutating func parse() throws(LinearRegex.SyntaxError) -> RegexNode {
        let node = try parseAlternation(depth: 0)
        if position < scalars.count {
            // Only an unmatched ')' stops the top-level alternation early.
            throw error("unmatched ')'")
        }
        return node
    }

    private func error(_ message: String, at offset: Int? = nil) -> LinearRegex.SyntaxError {
        LinearRegex.SyntaxError(offset: offset ?? position, message: message)
    }

    private var current: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    private mutating func parseAlternation(depth: Int) throws(LinearRegex.SyntaxError) -> RegexNode {
        if depth > 100 { throw error("groups nested more than 100 deep") }
        var branches = [try parseConcat(depth: depth)]
        while current == "|" {
            position += 1
            branches.append(try parseConcat(depth: depth))
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func parseConcat(depth: Int) throws(LinearRegex.SyntaxError) -> RegexNode {
        var items: [RegexNode] = []
        while let c = current, c != "|", c != ")" {
            items.append(try parseRepetition(depth: depth))
        }
        switch items.count {
        case 0: return .empty
        case 1: return items[0]
        default: return .concat(items)
        }
    }

    private mutating func parseRepetition(depth: Int) throws(LinearRegex.SyntaxError) -> RegexNode {
        let atomStart = position
        var node = try parseAtom(depth: depth)
        var quantified = false
        while let c = current {
            var bounds: (Int, Int?)
            let quantifierStart = position
            switch c {
            case "*":
                bounds = (0, nil)
                position += 1
            case "+":
                bounds = (1, nil)
                position += 1
            case "?":
                bounds = (0, 1)
                position += 1
            case "{":
                guard let parsed = try parseBraces() else { return node }
                bounds = parsed
            default:
                return node
            }
            if quantified { throw error("a quantifier cannot follow another quantifier", at: quantifierStart) }
            if case .assertion = node { throw error("nothing to repeat before this quantifier", at: quantifierStart) }
            if case .empty = node, atomStart == quantifierStart {
                throw error("nothing to repeat before this quantifier", at: quantifierStart)
            }
            var greedy = true
            if current == "?" {
                greedy = false
                position += 1
            } else if current == "+" {
                throw error("possessive quantifiers are not supported")
            }
            node = .repetition(node, min: bounds.0, max: bounds.1, greedy: greedy)
            quantified = true
        }
        return node
    }

    /// Parses `{m}`, `{m,}` or `{m,n}` at the cursor; returns nil (cursor unchanged) when the
    /// brace does not start a quantifier, in which case it is a literal.
    private mutating func parseBraces() throws(LinearRegex.SyntaxError) -> (Int, Int?)? {
        let start = position
        var cursor = position + 1
        func number(_ cursor: inout Int) -> Int? {
            var value = 0
            var digits = 0
            while cursor < scalars.count, (0x30...0x39).contains(scalars[cursor].value) {
                value = min(value * 10 + Int(scalars[cursor].value - 0x30), 1_000_000)
                digits += 1
                cursor += 1
            }
            return digits > 0 ? value : nil
        }
        guard let low = number(&cursor) else { return nil }
        var high: Int? = low
        if cursor < scalars.count, scalars[cursor] == "," {
            cursor += 1
            high = number(&cursor)
        }
        guard cursor < scalars.count, scalars[cursor] == "}" else { return nil }
        position = cursor + 1
        if low > LinearRegex.maxRepetition || (high ?? 0) > LinearRegex.maxRepetition {
            throw error("repetition count above the cap of \(LinearRegex.maxRepetition)", at: start)
        }
        if let high, high < low { throw error("repetition {\(low),\(high)} has max below min", at: start) }
        return (low, high)
    }

    private mutating func parseAtom(depth: Int) throws(LinearRegex.SyntaxError) -> RegexNode {
        guard let c = current else { throw error("unexpected end of pattern") }
        switch c {
        case "(":
            let open = position
            position += 1
            if current == "?" {
                guard position + 1 < scalars.count, scalars[position + 1] == ":" else {
                    throw error("only (?:…) groups are supported (no lookaround, flags or named groups)", at: open)
                }
                position += 2
            }
            let inner = try parseAlternation(depth: depth + 1)
            guard current == ")" else { throw error("unclosed '('", at: open) }
            position += 1
            return inner
        case "[":
            return .set(try parseClass())
        case ".":
            position += 1
            return .anyScalar
        case "^":
            position += 1
            return .assertion(options.contains(.multiline) ? .lineStart : .textStart)
        case "$":
            position += 1
            return .assertion(options.contains(.multiline) ? .lineEnd : .textEnd)
        case "\\":
            return try parseEscape(inClass: false)
        case "*", "+", "?":
            throw error("nothing to repeat before '\(c)'")
        default:
            position += 1
            return .scalar(c.value)
        }
    }

    /// Parses an escape at the cursor (which is on the backslash).
    private mutating func parseEscape(inClass: Bool) throws(LinearRegex.SyntaxError) -> RegexNode {
        let start = position
        position += 1
        guard let c = current else { throw error("pattern ends with a lone backslash", at: start) }
        position += 1
        switch c {
        case "d": return .set(ScalarSet(properties: [PropertyItem(property: .digit, negated: false)]))
        case "D": return .set(ScalarSet(properties: [PropertyItem(property: .digit, negated: true)]))
        case "w": return .set(ScalarSet(properties: [PropertyItem(property: .word, negated: false)]))
        case "W": return .set(ScalarSet(properties: [PropertyItem(property: .word, negated: true)]))
        case "s": return .set(ScalarSet(properties: [PropertyItem(property: .space, negated: false)]))
        case "S": return .set(ScalarSet(properties: [PropertyItem(property: .space, negated: true)]))
        case "b":
            if inClass { return .scalar(0x08) }
            return .assertion(.wordBoundary)
        case "B":
            if inClass { throw error("\\B is not allowed inside a class", at: start) }
            return .assertion(.notWordBoundary)
        case "n": return .scalar(0x0A)
        case "t": return .scalar(0x09)
        case "r": return .scalar(0x0D)
        case "f": return .scalar(0x0C)
        case "v": return .scalar(0x0B)
        case "0": return .scalar(0)
        case "x":
            var value: UInt32 = 0
            for _ in 0..<2 {
                guard let h = current, h.isASCII, let digit = UInt32(String(h), radix: 16) else {
                    throw error("\\x needs two hex digits", at: start)
                }
                value = value * 16 + digit
                position += 1
            }
            return .scalar(value)
        case "u":
            guard current == "{" else { throw error("write unicode escapes as \\u{HHHH}", at: start) }
            position += 1
            var hex = ""
            while let h = current, h != "}" {
                hex.unicodeScalars.append(h)
                position += 1
            }
            guard current == "}", let value = UInt32(hex, radix: 16), Unicode.Scalar(value) != nil else {
                throw error("bad \\u{…} escape", at: start)
            }
            position += 1
            return .scalar(value)
        case "1"..."9":
            throw error("backreferences are not supported", at: start)
        default:
            if c.properties.isAlphabetic || c.properties.numericType != nil {
                throw error("unknown escape \\\(c)", at: start)
            }
            return .scalar(c.value)
        }
    }

    private mutating func parseClass() throws(LinearRegex.SyntaxError) -> ScalarSet {
        let open = position
        position += 1
        var set = ScalarSet()
        if current == "^" {
            set.negated = true
            position += 1
        }
        var first = true
        while true {
            guard let c = current else { throw error("unclosed '['", at: open) }
            if c == "]" && !first {
                position += 1
                break
            }
            first = false
            // One item: a scalar (maybe the start of a range) or a predefined class.
            let low: UInt32
            if c == "\\" {
                switch try parseEscape(inClass: true) {
                case .scalar(let value): low = value
                case .set(let inner):
                    set.properties.append(contentsOf: inner.properties)
                    continue
                default: throw error("unsupported escape inside a class", at: position - 2)
                }
            } else {
                low = c.value
                position += 1
            }
            if current == "-", position + 1 < scalars.count, scalars[position + 1] != "]" {
                position += 1
                let high: UInt32
                if current == "\\" {
                    guard case .scalar(let value) = try parseEscape(inClass: true) else {
                        throw error("a class range must end in a single character", at: position)
                    }
                    high = value
                } else {
                    high = current!.value
                    position += 1
                }
                guard low <= high else { throw error("class range is out of order", at: position) }
                set.ranges.append(low...high)
            } else {
                set.ranges.append(low...low)
            }
        }
        return set
    }
}

// MARK: - Compiler

private enum Instruction: Sendable {
    case scalar(UInt32)
    case anyScalar
    case anyButNewline
    case set(Int)
    case assertion(Assertion)
    /// Try `preferred` first, then `other`.
    case split(preferred: Int, other: Int)
    case jump(Int)
    case match
}

private struct RegexCompiler {
    let options: LinearRegex.Options
    var program: [Instruction] = []
    var sets: [ScalarSet] = []

    init(options: LinearRegex.Options) { self.options = options }

    mutating func compile(_ node: RegexNode) throws(LinearRegex.SyntaxError) {
        try emit(node)
        program.append(.match)
    }

    private mutating func append(_ instruction: Instruction) throws(LinearRegex.SyntaxError) -> Int {
        guard program.count < LinearRegex.maxProgramSize else {
            throw LinearRegex.SyntaxError(
                offset: 0,
                message: "pattern too large once repetitions are expanded (over \(LinearRegex.maxProgramSize) steps)")
        }
        program.append(instruction)
        return program.count - 1
    }

    private mutating func emit(_ node: RegexNode) throws(LinearRegex.SyntaxError) {
        switch node {
        case .empty:
            break
        case .scalar(let c):
            if options.contains(.caseInsensitive), CaseFolding.variants(of: c).count > 1 {
                sets.append(ScalarSet(ranges: [c...c], caseInsensitive: true))
                _ = try append(.set(sets.count - 1))
            } else {
                _ = try append(.scalar(c))
            }
        case .anyScalar:
            _ = try append(options.contains(.dotAll) ? .anyScalar : .anyButNewline)
        case .set(var set):
            set.caseInsensitive = options.contains(.caseInsensitive)
            sets.append(set)
            _ = try append(.set(sets.count - 1))
        case .assertion(let assertion):
            _ = try append(.assertion(assertion))
        case .concat(let items):
            for item in items { try emit(item) }
        case .alternation(let branches):
            var jumpsToEnd: [Int] = []
            for (index, branch) in branches.enumerated() {
                if index < branches.count - 1 {
                    let split = try append(.split(preferred: 0, other: 0))
                    try emit(branch)
                    jumpsToEnd.append(try append(.jump(0)))
                    program[split] = .split(preferred: split + 1, other: program.count)
                } else {
                    try emit(branch)
                }
            }
            for jump in jumpsToEnd { program[jump] = .jump(program.count) }
        case .repetition(let body, let min, let max, let greedy):
            for _ in 0..<min { try emit(body) }
            if let max {
                // x{0,k}: k nested optionals, all exiting to the same end.
                var splits: [Int] = []
                for _ in min..<max {
                    splits.append(try append(.split(preferred: 0, other: 0)))
                    try emit(body)
                }
                let end = program.count
                for split in splits {
                    program[split] =
                        greedy ? .split(preferred: split + 1, other: end) : .split(preferred: end, other: split + 1)
                }
            } else {
                let loop = try append(.split(preferred: 0, other: 0))
                try emit(body)
                _ = try append(.jump(loop))
                let end = program.count
                program[loop] =
                    greedy ? .split(preferred: loop + 1, other: end) : .split(preferred: end, other: loop + 1)
            }
        }
    }
}

// MARK: - Pike VM

/// Runs a compiled program over a text, one step per scalar, with at most one thread per
/// instruction at each position.
private struct PikeVM {
    let program: [Instruction]
    let sets: [ScalarSet]
    /// Threads at the current position: (instruction, match start), in priority order.
    var current: [(pc: Int, start: Int)] = []
    var next: [(pc: Int, start: Int)] = []
    /// `marks[pc] == generation` when pc is already in the list being built.
    var marks: [Int]
    var generation = 0
    var stack: [Int] = []

    init(regex: LinearRegex) {
        program = regex.program
        sets = regex.sets
        marks = Array(repeating: -1, count: regex.program.count)
        current.reserveCapacity(program.count)
        next.reserveCapacity(program.count)
    }

    private static func isWord(_ text: [UInt32], _ index: Int) -> Bool {
        index >= 0 && index < text.count && PropertyClass.word.contains(text[index])
    }

    private func holds(_ assertion: Assertion, in text: [UInt32], at position: Int) -> Bool {
        switch assertion {
        case .textStart: return position == 0
        case .textEnd: return position == text.count
        case .lineStart: return position == 0 || text[position - 1] == 0x0A
        case .lineEnd: return position == text.count || text[position] == 0x0A
        case .wordBoundary: return Self.isWord(text, position - 1) != Self.isWord(text, position)
        case .notWordBoundary: return Self.isWord(text, position - 1) == Self.isWord(text, position)
        }
    }

    /// Adds `pc` and everything reachable from it without consuming a scalar, in priority order.
    private mutating func addThread(
        to list: inout [(pc: Int, start: Int)], pc: Int, start: Int, text: [UInt32], position: Int
    ) {
        stack.append(pc)
        while let pc = stack.popLast() {
            if marks[pc] == generation { continue }
            marks[pc] = generation
            switch program[pc] {
            case .jump(let target):
                stack.append(target)
            case .split(let preferred, let other):
                stack.append(other)
                stack.append(preferred)
            case .assertion(let assertion):
                if holds(assertion, in: text, at: position) { stack.append(pc + 1) }
            default:
                list.append((pc, start))
            }
        }
    }

    private func accepts(_ instruction: Instruction, _ c: UInt32) -> Bool {
        switch instruction {
        case .scalar(let expected): return c == expected
        case .anyScalar: return true
        case .anyButNewline: return c != 0x0A
        case .set(let index): return sets[index].contains(c)
        default: return false
        }
    }

    /// Leftmost-first search; `anchoredWhole` requires the match to span from `from` to the end.
    mutating func search(
        _ text: [UInt32], from: Int, budget: inout Int, anchoredWhole: Bool = false
    ) throws(LinearRegex.BudgetExhausted) -> Range<Int>? {
        guard from <= text.count else { return nil }
        // Work on local lists (their storage is kept in self between searches).
        var current = self.current
        var next = self.next
        self.current = []
        self.next = []
        defer {
            current.removeAll(keepingCapacity: true)
            next.removeAll(keepingCapacity: true)
            self.current = current
            self.next = next
        }
        current.removeAll(keepingCapacity: true)
        next.removeAll(keepingCapacity: true)
        generation += 1
        var matched: Range<Int>? = nil
        var position = from
        while true {
            if matched == nil && (!anchoredWhole || position == from) {
                addThread(to: &current, pc: 0, start: position, text: text, position: position)
            }
            if current.isEmpty {
                // No thread survives here (say, `\b` failed): a later start may still match.
                if matched != nil || anchoredWhole || position >= text.count { break }
                position += 1
                generation += 1
                continue
            }
            budget -= current.count
            if budget < 0 { throw LinearRegex.BudgetExhausted() }
            // The item's time budget, checked every 4096 positions.
            if (position - from) & 4095 == 4095 && EvaluationBudget.isExpired { throw LinearRegex.BudgetExhausted() }
            generation += 1
            let c: UInt32? = position < text.count ? text[position] : nil
            var index = 0
            while index < current.count {
                let thread = current[index]
                index += 1
                let instruction = program[thread.pc]
                if case .match = instruction {
                    if !anchoredWhole || position == text.count {
                        matched = thread.start..<position
                        break  // lower-priority threads are cut
                    }
                    continue
                }
                if let c, accepts(instruction, c) {
                    addThread(to: &next, pc: thread.pc + 1, start: thread.start, text: text, position: position + 1)
                }
            }
            swap(&current, &next)
            next.removeAll(keepingCapacity: true)
            if position >= text.count { break }
            position += 1
        }
        return matched
    }

    mutating func matchesWhole(_ text: [UInt32], budget: inout Int) throws(LinearRegex.BudgetExhausted) -> Bool {
        try search(text, from: 0, budget: &budget, anchoredWhole: true) != nil
    }
}
