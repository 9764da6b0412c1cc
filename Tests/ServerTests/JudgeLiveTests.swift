import Logging
import Testing
import Verifiers
import WireProtocol

@testable import Server

/// The `judge` verifier through the `score` method: answered by the default model over a live
/// socket; -32004 without a model; an error node without a host.
@Suite("Judge verifier in score", .serialized, .timeLimit(.minutes(10)))
struct JudgeLiveTests {
    static func methods(_ host: ModelHost?) -> MethodRegistry {
        var methods = MethodRegistry()
        VerifierMethods.register(into: &methods, scorer: Scorer(registry: .builtin), host: host)
        return methods
    }

    static func context() -> RequestContext {
        RequestContext(requestID: 1, method: "score", logger: Logger(label: "test"), eventSink: { _, _ in })
    }

    static let formal: JSONValue = ["verifier": "judge", "question": "Is the tone of the response formal?"]

    /// Every node of a verdict tree, depth first.
    static func nodes(_ tree: JSONValue?) -> [JSONValue] {
        guard let tree else { return [] }
        return [tree] + (tree["children"]?.arrayValue ?? []).flatMap { nodes($0) }
    }

    /// `(yes, no)` log-probabilities read back from a judge node's detail.
    static func logProbabilities(_ detail: String) -> (Double, Double)? {
        // "judge says YES: log P(YES) = -0.1234, log P(NO) = -2.5"
        let parts = detail.split(separator: "=").map { $0.trimmingPrefix(" ") }
        guard parts.count == 3, let yes = Double(parts[1].split(separator: ",")[0]), let no = Double(parts[2])
        else { return nil }
        return (yes, no)
    }

    @Test(
        "score with judge constraints returns verdicts with both log-probabilities (default model)",
        .enabled(if: GenerationModel.path != nil, "needs the default model (RAIF_MODEL or ~/.cache/raif)"))
    func liveVerdicts() async throws {
        let host = try #require(GenerationLiveTests.host, "the default model did not load")
        let responses = [
            "Dear Sir or Madam, I am writing to formally request the documents discussed in our meeting.",
            "lol yeah whatever dude, send me the stuff",
            "Dear Sir or Madam, I am writing to formally request the documents discussed in our meeting.",
        ]
        let items: [JSONValue] = [
            ["response": .string(responses[0]), "constraints": Self.formal],
            [
                "response": .string(responses[1]),
                "constraints": ["all": [Self.formal, ["verifier": "length:words", "min": 1]]],
            ],
            ["response": .string(responses[2]), "constraints": [Self.formal]],
        ]
        try await LiveServer.with(methods: Self.methods(host)) { live in
            try await live.client { client in
                let result = try await client.call("score", params: ["items": .array(items)])
                let results = try #require(result["results"]?.arrayValue)
                #expect(results.count == 3)
                var pairs: [(Double, Double)] = []
                for (index, item) in results.enumerated() {
                    #expect(item["error"] == nil, "item \(index): \(item)")
                    let judge = try #require(
                        Self.nodes(item["tree"]).first { $0["verifier"]?.stringValue == "judge" }, "item \(index)")
                    let detail = try #require(judge["detail"]?.stringValue)
                    let (yes, no) = try #require(Self.logProbabilities(detail), "detail: \(detail)")
                    #expect(yes.isFinite && no.isFinite && yes <= 0 && no <= 0, "\(detail)")
                    #expect(judge["pass"]?.boolValue == (yes > no), "\(detail)")
                    #expect(detail.hasPrefix(yes > no ? "judge says YES" : "judge says NO"))
                    pairs.append((yes, no))
                }
                // The same question about the same response gets the same answer; another response another.
                #expect(pairs[0] == pairs[2])
                #expect(pairs[0] != pairs[1])
            }
        }
    }

    @Test(
        "generate_and_score with a judge constraint scores each sample with both log-probabilities",
        .enabled(if: GenerationModel.path != nil, "needs the default model (RAIF_MODEL or ~/.cache/raif)"))
    func liveGenerateAndScore() async throws {
        let host = try #require(GenerationLiveTests.host, "the default model did not load")
        var methods = MethodRegistry()
        GenerationMethods.register(into: &methods, host: host, scorer: Scorer(registry: .builtin))
        try await LiveServer.with(methods: methods) { live in
            try await live.client { client in
                let result = try await client.call(
                    "generate_and_score",
                    params: [
                        "messages": [["role": "user", "content": "Write one polite sentence to a customer."]],
                        "n": 2, "max_tokens": 12, "temperature": 0.8, "seed": 7,
                        "constraints": ["all": [Self.formal, ["verifier": "length:words", "min": 1]]],
                    ])
                let choices = try #require(result["choices"]?.arrayValue)
                #expect(choices.count == 2)
                for choice in choices {
                    #expect(choice["error"] == nil, "\(choice)")
                    let judge = try #require(
                        Self.nodes(choice["tree"]).first { $0["verifier"]?.stringValue == "judge" })
                    let detail = try #require(judge["detail"]?.stringValue)
                    let (yes, no) = try #require(Self.logProbabilities(detail), "detail: \(detail)")
                    #expect(judge["pass"]?.boolValue == (yes > no), "\(detail)")
                }
                #expect(result["group"]?["advantages"]?.arrayValue?.count == 2)
            }
        }
    }

    @Test("a judge constraint without a model is -32004 naming the judge; other items need no model")
    func noModel() async throws {
        let handler = VerifierMethods.score(scorer: Scorer(registry: .builtin), host: ModelHost())
        do throws(RPCError) {
            _ = try await handler(
                ["items": [["response": "Dear Sir", "constraints": Self.formal]]], Self.context())
            Issue.record("a judge question without a model must fail")
        } catch {
            #expect(error.code == -32004)
            #expect(error.message.contains("no model is loaded"))
            #expect(error.message.contains("'judge' verifier needs a loaded model"))
        }
        let plain = try await handler(
            ["items": [["response": "one two", "constraints": ["verifier": "length:words", "min": 2]]]],
            Self.context())
        #expect(plain["results"]?.arrayValue?.first?["passed"]?.boolValue == true)
    }

    @Test("without a host, a judge constraint is an error node, never a verdict")
    func noHost() async throws {
        let handler = VerifierMethods.score(scorer: Scorer(registry: .builtin), host: nil)
        let result = try await handler(
            ["items": [["response": "Dear Sir", "constraints": Self.formal]]], Self.context())
        let item = try #require(result["results"]?.arrayValue?.first)
        #expect(item["error"] != nil)
        #expect(item["passed"]?.boolValue == false)
    }
}
