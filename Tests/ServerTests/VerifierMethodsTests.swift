import Testing
import Verifiers
import WireProtocol

@testable import Server

/// `verifiers` and `score` over the socket, with the built-in registry.
@Suite("Verifier methods", .timeLimit(.minutes(2)))
struct VerifierMethodsTests {
    static func methods() -> MethodRegistry {
        var methods = MethodRegistry()
        VerifierMethods.register(into: &methods, scorer: Scorer(registry: .builtin))
        return methods
    }

    @Test("verifiers lists the registry with families and parameter schemas")
    func listing() async throws {
        try await LiveServer.with(methods: Self.methods()) { live in
            let listing = try await live.client { try await $0.call("verifiers") }
            guard case .array(let verifiers)? = listing["verifiers"] else {
                Issue.record("no verifiers array: \(listing)")
                return
            }
            #expect(verifiers.count == VerifierRegistry.builtin.descriptors.count)
            let noComma = verifiers.first { $0["id"] == "punctuation:no_comma" }
            #expect(noComma?["family"]?.stringValue != nil)
            let words = verifiers.first { $0["id"] == "length_constraints:number_words" }
            let parameterNames = words?["parameters"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            #expect(parameterNames.contains("num_words"))
            #expect(parameterNames.contains("relation"))
        }
    }

    @Test("score: IFEval records, results in input order with rewards and trees")
    func scoreRecords() async throws {
        try await LiveServer.with(methods: Self.methods()) { live in
            let constraints: JSONValue = [
                "instruction_id_list": ["punctuation:no_comma", "length_constraints:number_words"],
                "kwargs": [.null, ["relation": "at least", "num_words": 3]],
            ]
            let result = try await live.client { client in
                try await client.call(
                    "score",
                    params: [
                        "items": [
                            ["response": "The sea is wide and blue.", "constraints": constraints],
                            ["response": "Yes, it is.", "constraints": constraints],
                        ],
                        "policy": "fraction",
                    ])
            }
            let results = result["results"]?.arrayValue ?? []
            #expect(results.count == 2)
            #expect(results.first?["passed"] == true)
            #expect(results.first?["reward"]?.doubleValue == 1)
            #expect(results.first?["follow_instruction_list"] == [true, true])
            #expect(results.last?["passed"] == false)
            #expect(results.last?["follow_instruction_list"] == [false, true])
            #expect(results.last?["reward"]?.doubleValue == 0.5)
            #expect(results.last?["tree"]?["children"]?.arrayValue?.count == 2)
            #expect(results.last?["error"] == nil)
        }
    }

    /// A bad `score` request and the field its -32602 message must name.
    struct BadScore: Sendable, CustomTestStringConvertible {
        let name: String
        let params: JSONObject
        let field: String
        var testDescription: String { name }
    }

    static let badScores: [BadScore] = [
        BadScore(name: "no items", params: [:], field: "params.items"),
        BadScore(name: "items not an array", params: ["items": "x"], field: "params.items"),
        BadScore(name: "item not an object", params: ["items": [1]], field: "params.items[0]"),
        BadScore(
            name: "response missing", params: ["items": [["constraints": [:]]]], field: "params.items[0].response"),
        BadScore(
            name: "unknown verifier in the second item",
            params: [
                "items": [
                    [
                        "response": "a",
                        "constraints": ["instruction_id_list": ["punctuation:no_comma"], "kwargs": [.null]],
                    ],
                    ["response": "b", "constraints": ["instruction_id_list": ["no:such_thing"], "kwargs": [.null]]],
                ]
            ],
            field: "params.items[1].constraints"),
        BadScore(
            name: "bad mode", params: ["items": [], "mode": "lenient"], field: "params.mode"),
        BadScore(name: "unknown member", params: ["items": [], "polcy": "all"], field: "params.polcy"),
    ]

    @Test("bad score params: -32602 naming the field", arguments: badScores)
    func badScore(_ bad: BadScore) async throws {
        try await LiveServer.with(methods: Self.methods()) { live in
            try await live.client { client in
                do {
                    _ = try await client.call("score", params: bad.params)
                    Issue.record("\(bad.name): expected invalid params")
                } catch let error as RPCError {
                    #expect(error.code == -32602)
                    #expect(error.message.contains(bad.field), "\(error.message)")
                }
            }
        }
    }

    @Test("JSON ↔ constraint values round-trip")
    func conversions() {
        let value: JSONValue = ["a": [1, 2.5, "x", true, .null], "b": ["c": -3]]
        #expect(VerifierJSON.json(VerifierJSON.constraintValue(value)) == value)
    }
}
