import Testing

@testable import Verifiers

/// Every composition node on hand-checked texts, through `test:contains` / `test:score` leaves.
@Suite struct TreeCompositionTests {
    static func has(_ word: String) -> String { #"{"verifier": "test:contains", "word": "\#(word)"}"# }
    static func fixed(_ pass: Bool, _ score: Double) -> String {
        #"{"verifier": "test:score", "pass": \#(pass), "score": \#(score)}"#
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var spec: String
        var text: String
        var pass: Bool
        var score: Double
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "leaf pass", spec: has("a"), text: "a", pass: true, score: 1),
        Case(name: "leaf fail", spec: has("a"), text: "b", pass: false, score: 0),
        Case(name: "all pass", spec: #"{"all": [\#(has("a")), \#(has("b"))]}"#, text: "a b", pass: true, score: 1),
        Case(name: "all half", spec: #"{"all": [\#(has("a")), \#(has("b"))]}"#, text: "a", pass: false, score: 0.5),
        Case(
            name: "all weighted",
            spec: #"{"all": [{"verifier": "test:contains", "word": "a", "weight": 3}, \#(has("b"))]}"#,
            text: "a", pass: false, score: 0.75),
        Case(
            name: "all partial scores", spec: #"{"all": [\#(fixed(true, 1)), \#(fixed(false, 0.5))]}"#, text: "x",
            pass: false, score: 0.75),
        Case(name: "any one", spec: #"{"any": [\#(has("a")), \#(has("b"))]}"#, text: "b", pass: true, score: 1),
        Case(name: "any none", spec: #"{"any": [\#(has("a")), \#(has("b"))]}"#, text: "c", pass: false, score: 0),
        Case(
            name: "any best partial", spec: #"{"any": [\#(fixed(false, 0.2)), \#(fixed(false, 0.6))]}"#, text: "x",
            pass: false, score: 0.6),
        Case(name: "not of pass", spec: #"{"not": \#(has("a"))}"#, text: "a", pass: false, score: 0),
        Case(name: "not of fail", spec: #"{"not": \#(has("a"))}"#, text: "c", pass: true, score: 1),
        Case(name: "not of partial fail", spec: #"{"not": \#(fixed(false, 0.7))}"#, text: "c", pass: true, score: 1),
        Case(
            name: "if then pass", spec: #"{"if": \#(has("fr")), "then": \#(has("merci")), "else": \#(has("thanks"))}"#,
            text: "fr merci", pass: true, score: 1),
        Case(
            name: "if then fail", spec: #"{"if": \#(has("fr")), "then": \#(has("merci")), "else": \#(has("thanks"))}"#,
            text: "fr thanks", pass: false, score: 0),
        Case(
            name: "if else pass", spec: #"{"if": \#(has("fr")), "then": \#(has("merci")), "else": \#(has("thanks"))}"#,
            text: "en thanks", pass: true, score: 1),
        Case(
            name: "if else fail", spec: #"{"if": \#(has("fr")), "then": \#(has("merci")), "else": \#(has("thanks"))}"#,
            text: "en merci", pass: false, score: 0),
        Case(
            name: "if without else, condition false", spec: #"{"if": \#(has("fr")), "then": \#(has("merci"))}"#,
            text: "en", pass: true, score: 1),
        Case(
            name: "if without else, condition true", spec: #"{"if": \#(has("fr")), "then": \#(has("merci"))}"#,
            text: "fr", pass: false, score: 0),
        Case(
            name: "if with null else", spec: #"{"if": \#(has("fr")), "then": \#(has("merci")), "else": null}"#,
            text: "en", pass: true, score: 1),
        Case(
            name: "chain all", spec: #"{"chain": [\#(has("a")), \#(has("b")), \#(has("c"))]}"#, text: "a b c",
            pass: true, score: 1),
        Case(
            name: "chain middle fails", spec: #"{"chain": [\#(has("a")), \#(has("b")), \#(has("c"))]}"#, text: "a c",
            pass: false, score: 1.0 / 3),
        Case(
            name: "chain first fails", spec: #"{"chain": [\#(has("a")), \#(has("b")), \#(has("c"))]}"#, text: "b c",
            pass: false, score: 0),
        Case(
            name: "chain weighted prefix",
            spec: #"{"chain": [\#(has("a")), {"verifier": "test:contains", "word": "b", "weight": 2}, \#(has("c"))]}"#,
            text: "a b", pass: false, score: 0.75),
        Case(
            name: "each all paragraphs", spec: #"{"each": \#(has("a")), "of": "paragraphs"}"#, text: "a x\n\na y\n\na",
            pass: true, score: 1),
        Case(
            name: "each two of three", spec: #"{"each": \#(has("a")), "of": "paragraphs"}"#, text: "a x\n\na y\n\nb",
            pass: false, score: 2.0 / 3),
        Case(
            name: "each min_fraction met", spec: #"{"each": \#(has("a")), "of": "paragraphs", "min_fraction": 0.6}"#,
            text: "a x\n\na y\n\nb", pass: true, score: 1),
        Case(
            name: "each min_fraction missed",
            spec: #"{"each": \#(has("a")), "of": "paragraphs", "min_fraction": 0.9}"#, text: "a x\n\na y\n\nb",
            pass: false, score: (2.0 / 3) / 0.9),
        Case(
            name: "each no parts", spec: #"{"each": \#(has("a")), "of": "bullets"}"#, text: "a", pass: false, score: 0),
        Case(
            name: "each sentences", spec: #"{"each": \#(has("A")), "of": "sentences"}"#, text: "A one. A two! B three?",
            pass: false, score: 2.0 / 3),
        Case(
            name: "each lines", spec: #"{"each": \#(has("a")), "of": "lines"}"#, text: "a\n\n  a  \nb\n", pass: false,
            score: 2.0 / 3),
        Case(
            name: "each sections", spec: #"{"each": \#(has("a")), "of": "sections"}"#,
            text: "intro b\n# One\na\n## Two\na too", pass: true, score: 1),
        Case(
            name: "each bullets", spec: #"{"each": \#(has("a")), "of": "bullets"}"#,
            text: "Intro b\n- a\n* b\n1. a\n**bold b**",
            pass: false, score: 2.0 / 3),
        Case(
            name: "part 2", spec: #"{"part": 2, "of": "paragraphs", "check": \#(has("b"))}"#, text: "a\n\nb",
            pass: true, score: 1),
        Case(
            name: "part 1 fails", spec: #"{"part": 1, "of": "paragraphs", "check": \#(has("b"))}"#, text: "a\n\nb",
            pass: false, score: 0),
        Case(
            name: "part -1 is last", spec: #"{"part": -1, "of": "lines", "check": \#(has("c"))}"#, text: "a\nb\nc",
            pass: true, score: 1),
        Case(
            name: "part out of range", spec: #"{"part": 3, "of": "paragraphs", "check": \#(has("a"))}"#, text: "a\n\nb",
            pass: false, score: 0),
        Case(
            name: "part of sections", spec: #"{"part": 2, "of": "sections", "check": \#(has("x"))}"#,
            text: "# A\ny\n# B\nx", pass: true, score: 1),
        Case(
            name: "part of bullets", spec: #"{"part": 1, "of": "bullets", "check": \#(has("x"))}"#, text: "- x\n- y",
            pass: true, score: 1),
        Case(
            name: "part of sentences", spec: #"{"part": 2, "of": "sentences", "check": \#(has("Y"))}"#,
            text: "Dr. X came. Y went.", pass: true, score: 1),
        Case(
            name: "nested: each paragraph is either short or has a",
            spec:
                #"{"each": {"any": [{"verifier": "length:words", "max": 2}, \#(has("a"))]}, "of": "paragraphs"}"#,
            text: "one two\n\nthree four five a\n\nsix seven eight", pass: false, score: 2.0 / 3),
    ]

    @Test(arguments: cases)
    func node(_ c: Case) throws {
        let result = try verdict(c.spec, on: c.text)
        #expect(result.pass == c.pass, "\(result.detail)")
        #expect(abs(result.score - c.score) < 1e-9, "\(result.detail)")
        #expect(result.error == nil)
    }

    @Test func chainSkipsLaterSteps() throws {
        let result = try verdict(#"{"chain": [\#(Self.has("a")), \#(Self.has("b")), \#(Self.has("c"))]}"#, on: "a c")
        #expect(result.children.map(\.skipped) == [false, false, true])
        #expect(result.children[2].detail.contains("step 2 failed"))
        #expect(result.children[1].pass == false)
        // A later step that would throw is never run once an earlier one failed.
        let guarded = try verdict(#"{"chain": [\#(Self.has("a")), {"verifier": "test:throws"}]}"#, on: "b")
        #expect(guarded.error == nil)
        #expect(guarded.children[1].skipped)
    }

    @Test func ifEvaluatesOnlyTheTakenBranch() throws {
        let result = try verdict(#"{"if": \#(Self.has("fr")), "then": {"verifier": "test:throws"}}"#, on: "en")
        #expect(result.pass && result.error == nil)
        #expect(result.children.count == 1)
        let taken = try verdict(#"{"if": \#(Self.has("fr")), "then": {"verifier": "test:throws"}}"#, on: "fr")
        #expect(taken.error != nil)
    }

    @Test func labelsAndWeightsReachTheVerdict() throws {
        let result = try verdict(
            #"{"label": "both", "weight": 2.5, "all": [{"verifier": "test:contains", "word": "a", "label": "has a"}]}"#,
            on: "a")
        #expect(result.label == "both")
        #expect(result.weight == 2.5)
        #expect(result.kind == "all")
        #expect(result.children[0].label == "has a")
        #expect(result.children[0].verifier == "test:contains")
        #expect(result.children[0].path == "constraints.all[0]")
    }

    @Test func eachLabelsItsParts() throws {
        let result = try verdict(#"{"each": \#(Self.has("a")), "of": "paragraphs"}"#, on: "a\n\nb")
        #expect(result.children.map(\.label) == ["paragraph 1", "paragraph 2"])
        #expect(result.children.map(\.pass) == [true, false])
        #expect(result.detail == "1 of 2 paragraphs passed (50%), need all")
    }

    @Test func partDetailNamesTheMissingPart() throws {
        let result = try verdict(#"{"part": 5, "of": "paragraphs", "check": \#(Self.has("a"))}"#, on: "a\n\nb")
        #expect(result.detail == "found 2 paragraphs, so there is no paragraph 5")
    }

    // MARK: Errors

    struct ErrorCase: CustomTestStringConvertible, Sendable {
        var name: String
        var spec: String
        var text: String
        /// nil: the node is an error; else the decided outcome.
        var pass: Bool?
        var testDescription: String { name }
    }

    static let throwing = #"{"verifier": "test:throws"}"#

    static let errorCases: [ErrorCase] = [
        ErrorCase(name: "leaf", spec: throwing, text: "a", pass: nil),
        ErrorCase(
            name: "all with a definite failure fails", spec: #"{"all": [\#(has("z")), \#(throwing)]}"#, text: "a",
            pass: false),
        ErrorCase(name: "all otherwise errors", spec: #"{"all": [\#(has("a")), \#(throwing)]}"#, text: "a", pass: nil),
        ErrorCase(
            name: "any with a definite pass passes", spec: #"{"any": [\#(throwing), \#(has("a"))]}"#, text: "a",
            pass: true),
        ErrorCase(name: "any otherwise errors", spec: #"{"any": [\#(throwing), \#(has("z"))]}"#, text: "a", pass: nil),
        ErrorCase(name: "not", spec: #"{"not": \#(throwing)}"#, text: "a", pass: nil),
        ErrorCase(name: "if condition", spec: #"{"if": \#(throwing), "then": \#(has("a"))}"#, text: "a", pass: nil),
        ErrorCase(name: "chain step reached", spec: #"{"chain": [\#(has("a")), \#(throwing)]}"#, text: "a", pass: nil),
        ErrorCase(name: "each", spec: #"{"each": \#(throwing), "of": "lines"}"#, text: "a\nb", pass: nil),
        ErrorCase(name: "part", spec: #"{"part": 1, "of": "lines", "check": \#(throwing)}"#, text: "a", pass: nil),
    ]

    @Test(arguments: errorCases)
    func errorPropagation(_ c: ErrorCase) throws {
        let result = try verdict(c.spec, on: c.text)
        if let pass = c.pass {
            #expect(result.error == nil)
            #expect(result.pass == pass)
        } else {
            #expect(result.error == .internalFailure(constraint: "test:throws", reason: "deliberate test failure"))
            #expect(result.pass == false && result.score == 0)
            #expect(result.detail.hasPrefix("error: "))
        }
    }
}
