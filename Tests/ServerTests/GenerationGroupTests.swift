import Logging
import Testing
import Verifiers
import WireProtocol

@testable import Server

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The group maths of `generate_and_score` and the validation of generation params (no model needed).
@Suite("Generation: group maths and params")
struct GenerationGroupTests {
    struct GroupCase: Sendable, CustomTestStringConvertible {
        let name: String
        let rewards: [Double]
        let kinds: [SampleKind]?
        let mean: Double
        let std: Double
        let advantages: [Double]
        let best: Int
        let masks: [Bool]?
        var testDescription: String { name }
    }

    // Hand-computed: std is the population standard deviation; advantage = (r - mean) / (std + 1e-6).
    static let groups: [GroupCase] = [
        GroupCase(
            name: "two opposite rewards", rewards: [1, 0], kinds: nil, mean: 0.5, std: 0.5,
            advantages: [0.5 / 0.500001, -0.5 / 0.500001], best: 0, masks: nil),
        GroupCase(
            name: "all equal: zero advantages, first index best", rewards: [0.5, 0.5, 0.5], kinds: nil, mean: 0.5,
            std: 0, advantages: [0, 0, 0], best: 0, masks: nil),
        GroupCase(
            // mean 0.5, deviations -0.5, 0, 0, 0.5 -> variance 0.125, std 0.35355339...
            name: "four rewards, best is last", rewards: [0, 0.5, 0.5, 1], kinds: nil, mean: 0.5,
            std: 0.125.squareRoot(),
            advantages: [-0.5 / (0.125.squareRoot() + 1e-6), 0, 0, 0.5 / (0.125.squareRoot() + 1e-6)], best: 3,
            masks: nil),
        GroupCase(
            name: "ties pick the lowest index", rewards: [0.2, 0.9, 0.9], kinds: nil, mean: 2.0 / 3, std: 0.32998316,
            advantages: [-1.41420928, 0.70710464, 0.70710464], best: 1, masks: nil),
        GroupCase(
            name: "single sample", rewards: [0.7], kinds: nil, mean: 0.7, std: 0, advantages: [0], best: 0, masks: nil),
        GroupCase(
            name: "contrast: reasoning beats direct, only direct masked", rewards: [1, 0, 0.5],
            kinds: [.reasoning, .reasoning, .direct], mean: 0.5, std: 0.40824829,
            advantages: [1.2247418, -1.2247418, 0], best: 0, masks: [false, false, true]),
        GroupCase(
            name: "contrast: best reasoning below worst direct masks all", rewards: [0.25, 0, 0.5, 1],
            kinds: [.reasoning, .reasoning, .direct, .direct], mean: 0.4375, std: 0.36975499,
            advantages: [-0.50709118, -1.18321276, 0.16903039, 1.52127354],
            best: 3, masks: [true, true, true, true]),
        GroupCase(
            name: "contrast: a tie is not below", rewards: [0.5, 0.5], kinds: [.reasoning, .direct], mean: 0.5, std: 0,
            advantages: [0, 0], best: 0, masks: [false, true]),
        GroupCase(
            name: "contrast: no direct samples, nothing masked", rewards: [0, 1], kinds: [.reasoning, .reasoning],
            mean: 0.5, std: 0.5, advantages: [-0.999998, 0.999998], best: 1, masks: [false, false]),
        GroupCase(
            name: "contrast: only direct samples, all masked", rewards: [0, 1], kinds: [.direct, .direct], mean: 0.5,
            std: 0.5, advantages: [-0.999998, 0.999998], best: 1, masks: [true, true]),
    ]

    @Test("mean, population std, advantages, best index, contrast masks", arguments: groups)
    func group(_ c: GroupCase) {
        let group = RewardGroup(rewards: c.rewards, kinds: c.kinds)
        #expect(abs(group.mean - c.mean) < 1e-6)
        #expect(abs(group.std - c.std) < 1e-5)
        #expect(group.advantages.count == c.advantages.count)
        for (got, want) in zip(group.advantages, c.advantages) { #expect(abs(got - want) < 1e-6) }
        #expect(group.bestIndex == c.best)
        #expect(group.masks == c.masks)
    }

    // MARK: Params

    static func context(_ method: String) -> RequestContext {
        RequestContext(requestID: 1, method: method, logger: Logger(label: "test"), eventSink: { _, _ in })
    }

    static let noComma: JSONValue = ["instruction_id_list": ["punctuation:no_comma"], "kwargs": [.null]]

    struct ParamCase: Sendable, CustomTestStringConvertible {
        let params: JSONObject
        let field: String
        var testDescription: String { field }
    }

    static let badGenerate: [ParamCase] = [
        ParamCase(params: [:], field: "params.prompt"),
        ParamCase(params: ["prompt": ""], field: "params.prompt"),
        ParamCase(params: ["prompt": 3], field: "params.prompt"),
        ParamCase(params: ["prompt": "a", "messages": [["role": "user", "content": "b"]]], field: "params.messages"),
        ParamCase(params: ["messages": []], field: "params.messages"),
        ParamCase(params: ["messages": ["hi"]], field: "params.messages[0]"),
        ParamCase(params: ["messages": [["role": "robot", "content": "b"]]], field: "params.messages[0].role"),
        ParamCase(params: ["messages": [["role": "user"]]], field: "params.messages[0].content"),
        ParamCase(
            params: ["messages": [["role": "user", "content": "b"]], "template": "jinja"], field: "params.template"),
        ParamCase(params: ["prompt": "a", "template": "chatml"], field: "params.template"),
        ParamCase(params: ["prompt": "a", "max_tokens": 0], field: "params.max_tokens"),
        ParamCase(params: ["prompt": "a", "max_tokens": 2.5], field: "params.max_tokens"),
        ParamCase(params: ["prompt": "a", "n_predict": -1], field: "params.n_predict"),
        ParamCase(params: ["prompt": "a", "max_tokens": 4, "n_predict": 4], field: "params.n_predict"),
        ParamCase(params: ["prompt": "a", "temperature": -0.1], field: "params.temperature"),
        ParamCase(params: ["prompt": "a", "temperature": "hot"], field: "params.temperature"),
        ParamCase(params: ["prompt": "a", "top_k": -1], field: "params.top_k"),
        ParamCase(params: ["prompt": "a", "top_p": 0], field: "params.top_p"),
        ParamCase(params: ["prompt": "a", "top_p": 1.5], field: "params.top_p"),
        ParamCase(params: ["prompt": "a", "min_p": 2], field: "params.min_p"),
        ParamCase(params: ["prompt": "a", "repeat_penalty": 0], field: "params.repeat_penalty"),
        ParamCase(params: ["prompt": "a", "frequency_penalty": 3], field: "params.frequency_penalty"),
        ParamCase(params: ["prompt": "a", "presence_penalty": -3], field: "params.presence_penalty"),
        ParamCase(params: ["prompt": "a", "seed": -1], field: "params.seed"),
        ParamCase(params: ["prompt": "a", "stop": 5], field: "params.stop"),
        ParamCase(params: ["prompt": "a", "stop": ["ok", 1]], field: "params.stop"),
        ParamCase(params: ["prompt": "a", "stop": [""]], field: "params.stop"),
        ParamCase(params: ["prompt": "a", "n": 0], field: "params.n"),
        ParamCase(params: ["prompt": "a", "n": 65], field: "params.n"),
        ParamCase(params: ["prompt": "a", "logprobs": "yes"], field: "params.logprobs"),
        ParamCase(params: ["prompt": "a", "stream": 1], field: "params.stream"),
        ParamCase(params: ["prompt": "a", "max_token": 4], field: "params.max_token"),
        ParamCase(params: ["prompt": "a", "constraints": noComma], field: "params.constraints"),
    ]

    @Test("generate: a bad param is -32602 naming the field, checked before the model", arguments: badGenerate)
    func badGenerateParams(_ c: ParamCase) async {
        let handler = GenerationMethods.generate(host: ModelHost())
        do throws(RPCError) {
            _ = try await handler(c.params, Self.context("generate"))
            Issue.record("expected -32602 for \(c.params)")
        } catch {
            #expect(error.code == -32602)
            #expect(error.data?["field"]?.stringValue == c.field, "\(error.message)")
        }
    }

    static let badScored: [ParamCase] = [
        ParamCase(params: ["prompt": "a"], field: "params.constraints"),
        ParamCase(
            params: ["prompt": "a", "constraints": ["instruction_id_list": ["no:such_rule"], "kwargs": [.null]]],
            field: "params.constraints"),
        ParamCase(
            params: [
                "prompt": "a",
                "constraints": ["instruction_id_list": ["length_constraints:number_words"], "kwargs": [["num": 3]]],
            ],
            field: "params.constraints"),
        ParamCase(params: ["prompt": "a", "constraints": noComma, "mode": "lenient"], field: "params.mode"),
        ParamCase(params: ["prompt": "a", "constraints": noComma, "policy": "best"], field: "params.policy"),
        ParamCase(params: ["prompt": "a", "constraints": noComma, "reasoning": "maybe"], field: "params.reasoning"),
        ParamCase(params: ["prompt": "a", "constraints": noComma, "contrast": 1], field: "params.contrast"),
        ParamCase(
            params: ["prompt": "a", "constraints": noComma, "n": 2, "contrast": ["direct": 3]],
            field: "params.contrast.direct"),
        ParamCase(
            params: ["prompt": "a", "constraints": noComma, "contrast": ["direct": -1]],
            field: "params.contrast.direct"),
        ParamCase(
            params: ["prompt": "a", "constraints": noComma, "contrast": ["reasoning": 1]],
            field: "params.contrast.reasoning"),
        ParamCase(params: ["prompt": "a", "constraints": noComma, "top_p": 0], field: "params.top_p"),
    ]

    @Test("generate_and_score: a bad spec or option is -32602 before any generation", arguments: badScored)
    func badScoredParams(_ c: ParamCase) async {
        let handler = GenerationMethods.generateAndScore(host: ModelHost(), scorer: Scorer(registry: .builtin))
        do throws(RPCError) {
            _ = try await handler(c.params, Self.context("generate_and_score"))
            Issue.record("expected -32602 for \(c.params)")
        } catch {
            #expect(error.code == -32602)
            #expect(error.data?["field"]?.stringValue == c.field, "\(error.message)")
        }
    }

    @Test("valid params without a model: -32004 model unavailable")
    func noModel() async {
        let host = ModelHost()
        let calls: [(String, MethodHandler, JSONObject)] = [
            ("generate", GenerationMethods.generate(host: host), ["prompt": "hello", "n": 2, "stop": "x"]),
            (
                "generate_and_score",
                GenerationMethods.generateAndScore(host: host, scorer: Scorer(registry: .builtin)),
                ["messages": [["role": "user", "content": "hi"]], "constraints": Self.noComma, "n": 2]
            ),
        ]
        for (method, handler, params) in calls {
            do throws(RPCError) {
                _ = try await handler(params, Self.context(method))
                Issue.record("\(method) must fail without a model")
            } catch {
                #expect(error.code == -32004, "\(method): \(error.message)")
            }
        }
    }

    @Test("a model path that is not a GGUF file is a load error naming the file")
    func badModelFile() throws {
        let path = "/tmp/raif-test-not-a-model-\(UInt32.random(in: 0 ... .max)).gguf"
        let file = try #require(fopen(path, "wb"))
        fputs("definitely not GGUF", file)
        fclose(file)
        defer { unlink(path) }
        let host = ModelHost()
        #expect(throws: ModelLoadError.self) { try host.load(path: path) }
        #expect(host.status.current == .absent)
        do throws(RPCError) {
            _ = try host.engine()
            Issue.record("a failed load leaves no engine")
        } catch {
            #expect(error.code == -32004)
            #expect(error.message.contains("failed to load"))
        }
    }
}
