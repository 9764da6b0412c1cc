import Synchronization
import Testing
import Verifiers
import WireProtocol

@testable import Server

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The default model's path, when installed.
enum GenerationModel {
    static let path: String? = DefaultModel.resolve()
}

/// `generate` and `generate_and_score` over a live socket on the default model.
///
/// Skipped (with a recorded reason in the test name's condition) when the model is absent: set
/// RAIF_MODEL or install ~/.cache/raif/models/SmolLM2-135M-Instruct.Q4_1.gguf (CI does).
@Suite(
    "Generation over the socket", .serialized, .timeLimit(.minutes(10)),
    .enabled(if: GenerationModel.path != nil, "needs the default model (RAIF_MODEL or ~/.cache/raif)"))
struct GenerationLiveTests {
    static let modelPath: String? = GenerationModel.path
    static let host: ModelHost? = modelPath.flatMap { path in
        let host = ModelHost()
        return (try? host.load(path: path, threads: 2)) != nil ? host : nil
    }

    /// The llama.cpp greedy fixture shared with the engine tests.
    static let fixture: [JSONValue] = {
        let path =
            String(#filePath.dropLast("ServerTests/GenerationLiveTests.swift".count))
            + "EngineTests/Fixtures/model_greedy_smollm2.json"
        guard let text = try? LocalGeneration.readTextFile(path), let json = try? JSONValue.parse(text) else {
            return []
        }
        return json["cases"]?.arrayValue ?? []
    }()

    static func methods(_ host: ModelHost) -> MethodRegistry {
        var methods = MethodRegistry()
        GenerationMethods.register(into: &methods, host: host, scorer: Scorer(registry: .builtin))
        return methods
    }

    static func withServer(_ body: (LiveServer) async throws -> Void) async throws {
        let host = try #require(Self.host, "the model at \(Self.modelPath ?? "?") did not load")
        try await LiveServer.with(methods: Self.methods(host), body)
    }

    static func ids(_ value: JSONValue?) -> [Int32] {
        (value?.arrayValue ?? []).compactMap { $0.intValue.map { Int32($0) } }
    }

    /// Collects `(event, data)` frames of one call.
    final class Events: Sendable {
        private let list = Mutex<[(String, JSONValue)]>([])
        var all: [(String, JSONValue)] { list.withLock { $0 } }
        var handler: @Sendable (String, JSONValue) -> Void {
            { event, data in self.list.withLock { $0.append((event, data)) } }
        }
    }

    @Test("greedy generate equals llama.cpp's fixture and raif generate, raw and chat")
    func greedyMatchesLlamaCpp() async throws {
        let raw = try #require(Self.fixture.first { $0["kind"] == "raw" })
        let chat = try #require(Self.fixture.first { $0["kind"] == "chat" })
        let rawText = try #require(raw["text"]?.stringValue)
        let question = "What is the tallest mountain in the world?"
        #expect(chat["text"]?.stringValue?.contains(question) == true)
        try await Self.withServer { live in
            try await live.client { client in
                let rawResult = try await client.call(
                    "generate", params: ["prompt": .string(rawText), "temperature": 0, "max_tokens": 32])
                let rawChoice = try #require(rawResult["choices"]?.arrayValue?.first)
                #expect(Self.ids(rawChoice["token_ids"]) == Array(Self.ids(raw["greedy_ids"]).prefix(32)))
                #expect(rawChoice["finish_reason"] == "length")
                #expect(rawResult["usage"]?["prompt_tokens"]?.intValue == Self.ids(raw["prompt_ids"]).count)
                #expect(rawResult["usage"]?["completion_tokens"] == 32)
                #expect((rawResult["timings"]?["decode_tokens_per_s"]?.doubleValue ?? 0) > 0)

                let chatResult = try await client.call(
                    "generate",
                    params: [
                        "messages": [["role": "user", "content": .string(question)]], "temperature": 0,
                        "max_tokens": 24,
                    ])
                let chatChoice = try #require(chatResult["choices"]?.arrayValue?.first)
                #expect(Self.ids(chatChoice["token_ids"]) == Array(Self.ids(chat["greedy_ids"]).prefix(24)))
                #expect(chatResult["usage"]?["prompt_tokens"]?.intValue == Self.ids(chat["prompt_ids"]).count)

                // raif generate's code path (the CLI) gives the same text.
                let local = LocalGeneration.Request(
                    modelPath: Self.modelPath, raw: false, prompt: question, temperature: 0, maxTokens: 24)
                let collected = Events()
                _ = try await LocalGeneration.generate(local) { text in collected.handler(text, .null) }
                #expect(collected.all.map(\.0).joined() == chatChoice["text"]?.stringValue)
            }
        }
    }

    @Test("streamed token events concatenate to each choice's text; n samples with a seed repeat exactly")
    func streamingAndSeeds() async throws {
        try await Self.withServer { live in
            try await live.client { client in
                let params: JSONObject = [
                    "messages": [["role": "user", "content": "Name a colour."]], "n": 4, "seed": 7,
                    "temperature": 1.0, "max_tokens": 12, "stream": true, "logprobs": true,
                ]
                let events = Events()
                let first = try await client.call("generate", params: params, onEvent: events.handler)
                let choices = first["choices"]?.arrayValue ?? []
                #expect(choices.count == 4)
                var streamed = Array(repeating: "", count: 4)
                for (event, data) in events.all {
                    #expect(event == "token")
                    streamed[data["index"]?.intValue ?? 0] += data["text"]?.stringValue ?? ""
                }
                for (index, choice) in choices.enumerated() {
                    #expect(choice["index"]?.intValue == index)
                    #expect(streamed[index] == choice["text"]?.stringValue)
                    #expect(choice["logprobs"]?.arrayValue?.count == choice["token_ids"]?.arrayValue?.count)
                }
                let second = try await client.call("generate", params: params)
                #expect(second["choices"] == first["choices"])
                let texts = Set(choices.compactMap { $0["text"]?.stringValue })
                #expect(texts.count > 1, "four samples at temperature 1 with seeds 7...10 should not all agree")
            }
        }
    }

    @Test("cancel stops a generation (-32002) and the server keeps serving")
    func cancelGeneration() async throws {
        try await Self.withServer { live in
            try await live.client { client in
                let events = Events()
                let long = Task {
                    try await client.call(
                        id: "long",
                        request: [
                            "id": "long", "method": "generate",
                            "params": [
                                "prompt": "The capital of France is", "temperature": 0, "max_tokens": 4000,
                                "stream": true,
                            ],
                        ], onEvent: events.handler)
                }
                #expect(await Self.waitUntil { !events.all.isEmpty })
                let cancel = try await client.call("cancel", params: ["target": "long"])
                #expect(cancel["cancelled"] == true)
                do {
                    _ = try await long.value
                    Issue.record("the cancelled generation must fail")
                } catch let error as RPCError {
                    #expect(error.code == -32002)
                }
                #expect(events.all.count < 4000)
                let after = try await client.call(
                    "generate", params: ["prompt": "The capital of France is", "temperature": 0, "max_tokens": 2])
                #expect(after["choices"]?.arrayValue?.first?["text"] == " Paris.")
            }
        }
    }

    @Test("a disconnect cancels the client's generation")
    func disconnectCancels() async throws {
        try await Self.withServer { live in
            try await live.client { client in
                try await client.send([
                    "id": 1, "method": "generate",
                    "params": ["prompt": "Once upon a time", "temperature": 0, "max_tokens": 4000, "stream": true],
                ])
                // Wait for the first token event (it arrives as an unsolicited frame here).
                try await Task.sleep(for: .milliseconds(500))
            }
            try await live.client { client in
                var inFlight: Int64 = -1
                for _ in 0..<200 {
                    let stats = try await client.call("stats")
                    inFlight = stats["in_flight"]?.intValue.map(Int64.init) ?? -1
                    if inFlight == 1 { break }
                    try await Task.sleep(for: .milliseconds(20))
                }
                #expect(inFlight == 1, "only the stats call itself is in flight once the generation is cancelled")
                let stats = try await client.call("stats")
                #expect(stats["errors"]?["-32002"]?.intValue == 1)
            }
        }
    }

    @Test("two clients generating at once both progress (fair scheduling)")
    func fairness() async throws {
        try await Self.withServer { live in
            let order = Events()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for name in ["a", "b"] {
                    group.addTask {
                        try await live.client { client in
                            _ = try await client.call(
                                "generate",
                                params: [
                                    "prompt": "Once upon a time", "temperature": 0, "max_tokens": 24, "stream": true,
                                ],
                                onEvent: { _, _ in order.handler(name, .null) })
                        }
                    }
                }
                try await group.waitForAll()
            }
            let sequence = order.all.map(\.0)
            let lastA = try #require(sequence.lastIndex(of: "a"))
            let lastB = try #require(sequence.lastIndex(of: "b"))
            let firstA = try #require(sequence.firstIndex(of: "a"))
            let firstB = try #require(sequence.firstIndex(of: "b"))
            #expect(firstB < lastA && firstA < lastB, "events were not interleaved: \(sequence.joined())")
        }
    }

    @Test("generate_and_score: rewards checkable by hand, group statistics, scored events")
    func generateAndScore() async throws {
        try await Self.withServer { live in
            try await live.client { client in
                let events = Events()
                let result = try await client.call(
                    "generate_and_score",
                    params: [
                        "messages": [["role": "user", "content": "Describe the sea."]], "n": 2, "temperature": 0,
                        "max_tokens": 16, "stream": true, "policy": "fraction",
                        "constraints": [
                            "instruction_id_list": ["punctuation:no_comma", "length_constraints:number_words"],
                            "kwargs": [.null, ["relation": "less than", "num_words": 1000]],
                        ],
                    ], onEvent: events.handler)
                let choices = result["choices"]?.arrayValue ?? []
                #expect(choices.count == 2)
                for choice in choices {
                    let text = choice["text"]?.stringValue ?? ""
                    // no_comma passes iff there is no comma; under 1000 words always passes.
                    let expected = text.contains(",") ? 0.5 : 1.0
                    #expect(choice["reward"]?.doubleValue == expected, "text: \(text)")
                    #expect(choice["follow_instruction_list"] == [.bool(!text.contains(",")), true])
                    #expect(choice["passed"] == .bool(!text.contains(",")))
                    #expect(choice["tree"]?["children"]?.arrayValue?.count == 2)
                }
                // Greedy samples agree: zero spread, zero advantages, the first is best.
                #expect(choices[0]["text"] == choices[1]["text"])
                #expect(result["group"]?["std"]?.doubleValue == 0)
                #expect(result["group"]?["advantages"] == [0.0, 0.0])
                #expect(result["group"]?["best_index"] == 0)
                #expect(result["group"]?["mean"] == choices[0]["reward"])
                let scored = events.all.filter { $0.0 == "scored" }
                #expect(Set(scored.compactMap { $0.1["index"]?.intValue }) == [0, 1])
                for (_, data) in scored {
                    #expect(data["reward"] == choices[data["index"]?.intValue ?? 0]["reward"])
                }
                // A sample's scored event follows its last token event.
                for index in 0..<2 {
                    let lastToken = events.all.lastIndex { $0.0 == "token" && $0.1["index"]?.intValue == index }
                    let scoredAt = events.all.firstIndex { $0.0 == "scored" && $0.1["index"]?.intValue == index }
                    #expect(lastToken != nil && scoredAt != nil && lastToken! < scoredAt!)
                }
            }
        }
    }

    @Test("contrast: kinds, masks following the rule, two prompts prefilled")
    func contrast() async throws {
        try await Self.withServer { live in
            try await live.client { client in
                let base: JSONObject = [
                    "messages": [["role": "user", "content": "Say hello."]], "temperature": 0.7, "seed": 3,
                    "max_tokens": 8,
                    "constraints": ["instruction_id_list": ["punctuation:no_comma"], "kwargs": [.null]],
                ]
                var params = base
                params.set("n", 3)
                params.set("contrast", ["direct": 1])
                let result = try await client.call("generate_and_score", params: params)
                let choices = result["choices"]?.arrayValue ?? []
                #expect(choices.map { $0["kind"]?.stringValue } == ["reasoning", "reasoning", "direct"])
                let rewards = choices.map { $0["reward"]?.doubleValue ?? -1 }
                let maskAll = max(rewards[0], rewards[1]) < rewards[2]
                #expect(choices.map { $0["mask"]?.boolValue } == [maskAll, maskAll, true])

                // Each kind's prompt is the chat prompt followed by its reasoning block: the direct
                // sample (seed 3 + 2) equals a raw generation from that exact text.
                let rendered =
                    "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n"
                    + "<|im_start|>user\nSay hello.<|im_end|>\n<|im_start|>assistant\n"
                var rawDirect: JSONObject = ["temperature": 0.7, "seed": 5, "max_tokens": 8]
                rawDirect.set("prompt", .string(rendered + GenerationMethods.emptyReasoning))
                let direct = try await client.call("generate", params: rawDirect)
                let directChoice = try #require(direct["choices"]?.arrayValue?.first)
                #expect(directChoice["token_ids"] == choices[2]["token_ids"])
                var rawReasoning: JSONObject = ["temperature": 0.7, "seed": 3, "max_tokens": 8]
                rawReasoning.set("prompt", .string(rendered + GenerationMethods.openReasoning))
                let reasoning = try await client.call("generate", params: rawReasoning)
                #expect(reasoning["choices"]?.arrayValue?.first?["token_ids"] == choices[0]["token_ids"])
                let promptTokens =
                    (direct["usage"]?["prompt_tokens"]?.intValue ?? 0)
                    + (reasoning["usage"]?["prompt_tokens"]?.intValue ?? 0)
                #expect(result["usage"]?["prompt_tokens"]?.intValue == promptTokens)

                // A direct-only group: every sample masked.
                var directOnly = base
                directOnly.set("n", 1)
                directOnly.set("seed", 5)
                directOnly.set("contrast", ["direct": 1])
                let alone = try await client.call("generate_and_score", params: directOnly)
                #expect(alone["choices"]?.arrayValue?.first?["token_ids"] == choices[2]["token_ids"])
                #expect(alone["choices"]?.arrayValue?.first?["mask"] == true)
            }
        }
    }

    @Test("a prompt longer than the context is -32602 naming max_tokens")
    func contextLength() async throws {
        try await Self.withServer { live in
            try await live.client { client in
                do {
                    _ = try await client.call("generate", params: ["prompt": "hello", "max_tokens": 100_000])
                    Issue.record("expected -32602")
                } catch let error as RPCError {
                    #expect(error.code == -32602)
                    #expect(error.message.contains("context length"))
                }
            }
        }
    }

    static func waitUntil(seconds: Double = 60, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }
}
