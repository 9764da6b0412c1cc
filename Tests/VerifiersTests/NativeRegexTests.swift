import Testing

@testable import Verifiers

/// The linear-time regex engine behind `content:regex`.
@Suite struct NativeRegexTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var pattern: String
        var options: LinearRegex.Options = []
        var text: String
        /// The first match as scalar offsets, or nil.
        var match: Range<Int>?
        var testDescription: String { "/\(pattern)/ on \(text.debugDescription)" }
    }

    static let cases: [Case] = [
        Case(pattern: "abc", text: "xxabcxx", match: 2..<5),
        Case(pattern: "a|ab", text: "ab", match: 0..<1),
        Case(pattern: "ab|a", text: "ab", match: 0..<2),
        Case(pattern: "a*", text: "aaa", match: 0..<3),
        Case(pattern: "a*?", text: "aaa", match: 0..<0),
        Case(pattern: "a+?", text: "aaa", match: 0..<1),
        Case(pattern: "a{2,}?", text: "aaaa", match: 0..<2),
        Case(pattern: "colou?r", text: "the color", match: 4..<9),
        Case(pattern: "\\d{3}-\\d{4}", text: "call 555-1234 now", match: 5..<13),
        Case(pattern: "[^a-z ]+", text: "abc DEF", match: 4..<7),
        Case(pattern: "[\\d_-]+", text: "ab 1_2-3 c", match: 3..<8),
        Case(pattern: "[]a]+", text: "x]a]", match: 1..<4),
        Case(pattern: "^b", text: "a\nb", match: nil),
        Case(pattern: "^b", options: .multiline, text: "a\nb", match: 2..<3),
        Case(pattern: "a$", text: "a\nb", match: nil),
        Case(pattern: "a$", options: .multiline, text: "a\nb", match: 0..<1),
        Case(pattern: "\\bcat\\b", text: "concat cat", match: 7..<10),
        Case(pattern: "\\Bcat", text: "concat", match: 3..<6),
        Case(pattern: "(?:ab)+", text: "xababab", match: 1..<7),
        Case(pattern: "(a|b)*c", text: "ababc", match: 0..<5),
        Case(pattern: "x{2,3}", text: "xxxx", match: 0..<3),
        Case(pattern: "x{2}", text: "x", match: nil),
        Case(pattern: "x{,2}", text: "x{,2}", match: 0..<5),
        Case(pattern: "a{0}b", text: "ab", match: 1..<2),
        Case(pattern: ".", text: "\n", match: nil),
        Case(pattern: ".", options: .dotAll, text: "\n", match: 0..<1),
        Case(pattern: "é+", text: "caféé", match: 3..<5),
        Case(pattern: "\\w+", text: "  naïve 東京", match: 2..<7),
        Case(pattern: "\\s", text: "a\u{00A0}b", match: 1..<2),
        Case(pattern: "\\S+$", text: "a bc", match: 2..<4),
        Case(pattern: "école", options: .caseInsensitive, text: "ÉCOLE", match: 0..<5),
        Case(pattern: "[a-c]x", options: .caseInsensitive, text: "BX", match: 0..<2),
        Case(pattern: "\\x41\\u{1F600}", text: "A😀", match: 0..<2),
        Case(pattern: "\\.\\*\\(", text: "a.*(", match: 1..<4),
        Case(pattern: "", text: "abc", match: 0..<0),
        Case(pattern: "(a*)*b", text: "aaab", match: 0..<4),
        Case(pattern: "(a|)+b", text: "aab", match: 0..<3),
        Case(pattern: "(a*)+$", text: "aa", match: 0..<2),
    ]

    @Test(arguments: cases)
    func firstMatch(_ c: Case) throws {
        let regex = try LinearRegex(c.pattern, options: c.options)
        var budget = 1_000_000
        #expect(try regex.search(c.text.unicodeScalars.map(\.value), budget: &budget) == c.match)
    }

    @Test(arguments: [
        ("a", "banana", 3), ("an", "banana", 2), ("", "ab", 3), ("a*", "baaac", 4), ("\\d+", "1 22 333", 3),
        ("x", "", 0),
    ])
    func countMatches(_ pattern: String, _ text: String, _ expected: Int) throws {
        let regex = try LinearRegex(pattern)
        var budget = 1_000_000
        #expect(try regex.countMatches(in: text.unicodeScalars.map(\.value), budget: &budget) == expected)
    }

    @Test(arguments: [("\\d+", "123", true), ("\\d+", "123a", false), ("a|ab", "ab", true), ("(a*)*", "", true)])
    func wholeMatch(_ pattern: String, _ text: String, _ expected: Bool) throws {
        let regex = try LinearRegex(pattern)
        var budget = 1_000_000
        #expect(try regex.wholeMatch(text.unicodeScalars.map(\.value), budget: &budget) == expected)
    }

    @Test(arguments: [
        ("(", "unclosed '('"), ("a)", "unmatched ')'"), ("[abc", "unclosed '['"),
        ("*a", "nothing to repeat before '*'"),
        ("a**", "a quantifier cannot follow another quantifier"), ("(a)\\1", "backreferences are not supported"),
        ("(?=a)", "only (?:…) groups are supported (no lookaround, flags or named groups)"),
        ("a{1001}", "repetition count above the cap of 1000"), ("x{3,2}", "repetition {3,2} has max below min"),
        ("\\q", "unknown escape \\q"), ("a++", "possessive quantifiers are not supported"),
        ("\\", "pattern ends with a lone backslash"), ("[z-a]", "class range is out of order"),
        ("^*", "nothing to repeat before this quantifier"),
    ])
    func syntaxErrors(_ pattern: String, _ message: String) {
        #expect(
            performing: { try LinearRegex(pattern) }, throws: { ($0 as? LinearRegex.SyntaxError)?.message == message })
    }

    @Test func programSizeIsCapped() {
        #expect(
            performing: { try LinearRegex("(a{1000}){1000}") },
            throws: {
                ($0 as? LinearRegex.SyntaxError)?.message.hasPrefix("pattern too large") == true
            })
    }

    /// Catastrophic-backtracking patterns run in time linear in the text: the VM's work, counted in
    /// thread steps (deterministic, unlike a timer), stays within text length × program size.
    @Test(arguments: ["(a*)*b", "(a|a)*b", "(a+)+b", "(x+x+)+y|(a|aa)+b", "(.*a){12}b"])
    func pathologicalPatternsStayLinear(_ pattern: String) throws {
        let regex = try LinearRegex(pattern)
        let n = 30_000
        let text = [UInt32](repeating: UInt32(UInt8(ascii: "a")), count: n)
        let start = 100_000_000
        var budget = start
        #expect(try regex.search(text, budget: &budget) == nil)
        let work = start - budget
        #expect(work <= (n + 1) * regex.programSize, "work \(work) for program of \(regex.programSize)")
        // And the match is found when there is one.
        var budget2 = start
        let withB = text + [UInt32(UInt8(ascii: "b"))]
        #expect(try regex.search(withB, budget: &budget2) == 0..<(n + 1))
    }

    @Test func budgetExhaustionThrows() throws {
        let regex = try LinearRegex("(a*)*b")
        var budget = 1000
        #expect(throws: LinearRegex.BudgetExhausted.self) {
            _ = try regex.search([UInt32](repeating: 0x61, count: 10_000), budget: &budget)
        }
    }
}
