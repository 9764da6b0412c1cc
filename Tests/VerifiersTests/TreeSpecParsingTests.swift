import Testing

@testable import Verifiers

/// The three spec formats, and precise errors for malformed specs.
@Suite struct TreeSpecParsingTests {
    @Test func ifevalRecord() throws {
        let parsed = try tree(
            #"""
            {"key": 7, "prompt": "Write.", "instruction_id_list": ["punctuation:no_comma", "length_constraints:number_words"],
             "kwargs": [{}, {"relation": "at least", "num_words": 3, "keywords": null, "num_sentences": null}]}
            """#)
        #expect(parsed.format == .ifeval)
        #expect(
            parsed.constraints.map(\.path) == [
                "constraints.instruction_id_list[0]", "constraints.instruction_id_list[1]",
            ])
        let ids = parsed.constraints.map { node -> String in
            if case .leaf(let id, _) = node.kind { return id }
            return ""
        }
        #expect(ids == ["punctuation:no_comma", "length_constraints:number_words"])
    }

    @Test func ifevalRecordWithNullKwargsEntriesAndMissingKwargs() throws {
        #expect(
            try tree(#"{"instruction_id_list": ["punctuation:no_comma"], "kwargs": [null]}"#).constraints.count == 1)
        #expect(try tree(#"{"instruction_id_list": ["punctuation:no_comma"]}"#).constraints.count == 1)
    }

    @Test func groundTruthObjectAndList() throws {
        let one = try tree(#"{"instruction_id": ["punctuation:no_comma"], "kwargs": [null]}"#)
        #expect(one.format == .groundTruth)
        #expect(one.constraints.count == 1)
        let list = try tree(
            #"""
            [{"instruction_id": ["punctuation:no_comma"], "kwargs": [{}]},
             {"instruction_id": ["change_case:english_lowercase", "punctuation:no_comma"], "kwargs": [{}, {"x": null}]}]
            """#)
        #expect(list.format == .groundTruth)
        #expect(
            list.constraints.map(\.path) == [
                "constraints[0].instruction_id[0]", "constraints[1].instruction_id[0]",
                "constraints[1].instruction_id[1]",
            ])
    }

    @Test func nativeSingleNodeAndList() throws {
        let single = try tree(#"{"verifier": "length:words", "min": 1}"#)
        #expect(single.format == .native)
        #expect(single.constraints.count == 1)
        #expect(single.constraints[0].path == "constraints")
        let list = try tree(
            #"[{"verifier": "length:words", "min": 1}, {"not": {"verifier": "keyword:any", "keywords": ["x"]}}]"#)
        #expect(list.constraints.map(\.path) == ["constraints[0]", "constraints[1]"])
        #expect(list.constraints.map(\.operatorName) == ["verifier", "not"])
    }

    struct BadSpec: CustomTestStringConvertible, Sendable {
        var name: String
        var spec: String
        var error: VerifierError
        var testDescription: String { name }
    }

    static let leaf = #"{"verifier": "test:contains", "word": "a"}"#

    static let badSpecs: [BadSpec] = [
        BadSpec(
            name: "no operator", spec: #"{"all": [\#(leaf), {"verifir": "x"}]}"#,
            error: .invalidSpec(
                path: "constraints.all[1]",
                reason: "a node needs one of verifier, all, any, not, if, chain, each, part; found none")),
        BadSpec(
            name: "unknown verifier deep in a list",
            spec: #"[\#(leaf), {"if": \#(leaf), "then": {"all": [\#(leaf), {"verifier": "nope"}]}}]"#,
            error: .invalidSpec(path: "constraints[1].then.all[1].verifier", reason: "unknown verifier 'nope'")),
        BadSpec(
            name: "two operators", spec: #"{"all": [\#(leaf)], "any": [\#(leaf)]}"#,
            error: .invalidSpec(path: "constraints", reason: "a node has exactly one operator; found all, any")),
        BadSpec(
            name: "unknown key", spec: #"{"if": \#(leaf), "thne": \#(leaf), "then": \#(leaf)}"#,
            error: .invalidSpec(
                path: "constraints.thne", reason: "unknown key in an 'if' node (allowed: else, if, then, label, weight)"
            )),
        BadSpec(
            name: "missing then", spec: #"{"if": \#(leaf)}"#,
            error: .invalidSpec(path: "constraints.then", reason: "an 'if' node needs a 'then' node")),
        BadSpec(
            name: "empty all", spec: #"{"all": []}"#,
            error: .invalidSpec(path: "constraints.all", reason: "expected a non-empty list of nodes")),
        BadSpec(
            name: "chain item not an object", spec: #"{"chain": [\#(leaf), 3]}"#,
            error: .invalidSpec(path: "constraints.chain[1]", reason: "expected a constraint node (an object), got 3")),
        BadSpec(
            name: "bad unit", spec: #"{"each": \#(leaf), "of": "words"}"#,
            error: .invalidSpec(
                path: "constraints.of",
                reason: "expected one of paragraphs, sentences, lines, sections, bullets, got \"words\"")),
        BadSpec(
            name: "missing unit", spec: #"{"each": \#(leaf)}"#,
            error: .invalidSpec(
                path: "constraints.of", reason: "required; one of paragraphs, sentences, lines, sections, bullets")),
        BadSpec(
            name: "min_fraction zero", spec: #"{"each": \#(leaf), "of": "lines", "min_fraction": 0}"#,
            error: .invalidSpec(path: "constraints.min_fraction", reason: "must be in (0, 1], got 0.0")),
        BadSpec(
            name: "part zero", spec: #"{"part": 0, "of": "lines", "check": \#(leaf)}"#,
            error: .invalidSpec(
                path: "constraints.part", reason: "parts count from 1 (or from -1 at the end); 0 is not a part")),
        BadSpec(
            name: "part without check", spec: #"{"part": 1, "of": "lines"}"#,
            error: .invalidSpec(path: "constraints.check", reason: "a 'part' node needs a 'check' node")),
        BadSpec(
            name: "negative weight", spec: #"{"verifier": "test:contains", "word": "a", "weight": -1}"#,
            error: .invalidSpec(path: "constraints.weight", reason: "must be a finite number above 0, got -1.0")),
        BadSpec(
            name: "label not a string", spec: #"{"not": \#(leaf), "label": 5}"#,
            error: .invalidSpec(path: "constraints.label", reason: "expected a string, got 5")),
        BadSpec(
            name: "bad parameter names constraint and field",
            spec: #"{"not": {"verifier": "length:words", "min": -1}}"#,
            error: .invalidParameter(
                constraint: "length:words at constraints.not", field: "min", reason: "must be at least 0, got -1")),
        BadSpec(
            name: "unknown parameter", spec: #"[\#(leaf), {"verifier": "test:contains", "word": "a", "wrod": "b"}]"#,
            error: .invalidParameter(
                constraint: "test:contains at constraints[1]", field: "wrod",
                reason: "unknown parameter; expected one of word")),
        BadSpec(
            name: "ifeval kwargs length",
            spec: #"{"instruction_id_list": ["punctuation:no_comma"], "kwargs": [{}, {}]}"#,
            error: .invalidSpec(
                path: "constraints.kwargs", reason: "has 2 entries but instruction_id_list has 1; the lists must match")
        ),
        BadSpec(
            name: "ifeval kwargs entry",
            spec: #"{"instruction_id_list": ["punctuation:no_comma", "punctuation:no_comma"], "kwargs": [{}, 4]}"#,
            error: .invalidSpec(path: "constraints.kwargs[1]", reason: "expected an object or null, got 4")),
        BadSpec(
            name: "ifeval id not a string", spec: #"{"instruction_id_list": [1], "kwargs": [{}]}"#,
            error: .invalidSpec(path: "constraints.instruction_id_list[0]", reason: "expected a string, got 1")),
        BadSpec(
            name: "ground truth unknown id",
            spec:
                #"[{"instruction_id": ["punctuation:no_comma"], "kwargs": [{}]}, {"instruction_id": ["x:y"], "kwargs": [{}]}]"#,
            error: .invalidSpec(path: "constraints[1].instruction_id[0]", reason: "unknown verifier 'x:y'")),
        BadSpec(
            name: "a string", spec: #""{\"instruction_id\": []}""#,
            error: .invalidSpec(
                path: "constraints", reason: "expected an object or a list, got a string (decode JSON strings first)")),
        BadSpec(name: "empty list", spec: "[]", error: .invalidSpec(path: "constraints", reason: "no constraints")),
        BadSpec(
            name: "a number", spec: "3",
            error: .invalidSpec(path: "constraints", reason: "expected an object or a list, got 3")),
    ]

    @Test(arguments: badSpecs)
    func rejects(_ c: BadSpec) {
        #expect(throws: c.error) { try tree(c.spec) }
    }

    @Test func nestingDepthIsCapped() {
        var json = Self.leaf
        for _ in 0..<(ConstraintTree.maxDepth + 1) { json = #"{"not": \#(json)}"# }
        #expect(throws: VerifierError.self) { try tree(json) }
        var fine = Self.leaf
        for _ in 0..<10 { fine = #"{"not": \#(fine)}"# }
        #expect((try? tree(fine)) != nil)
    }

    @Test func ifevalHelperMatchesRecordParsing() throws {
        let viaHelper = try ConstraintTree.ifeval(
            instructionIDs: ["punctuation:no_comma"], kwargs: [.null], registry: TestVerifiers.registry)
        #expect(viaHelper.format == .ifeval)
        #expect(viaHelper.constraints.count == 1)
    }

    @Test func leavesInSpecOrder() throws {
        let parsed = try tree(
            #"""
            [{"if": {"verifier": "test:contains", "word": "a"}, "then": {"chain": [{"verifier": "length:words", "min": 1},
              {"each": {"verifier": "test:throws"}, "of": "lines"}]}, "else": {"not": {"verifier": "test:slow"}}},
             {"part": 1, "of": "bullets", "check": {"verifier": "test:contains", "word": "b"}}]
            """#)
        #expect(
            parsed.leaves.map(\.path) == [
                "constraints[0].if", "constraints[0].then.chain[0]", "constraints[0].then.chain[1].each",
                "constraints[0].else.not", "constraints[1].check",
            ])
        #expect(parsed.verifierIDs == ["test:contains", "length:words", "test:throws", "test:slow"])
    }
}
