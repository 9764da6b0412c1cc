import Foundation
import Testing

@testable import Engine

/// The public engine: streaming, shared prefill for `n` samples, fair interleaving, cancellation,
/// request validation. Uses the default model (skips with a message when it is absent).
@Suite("Generation: InferenceEngine", .serialized)
struct GenerationEngineTests {
    static let engine: InferenceEngine? = ModelFixtures.defaultModelPath.flatMap {
        try? InferenceEngine(modelPath: $0, threads: 2)
    }
    static let fixture = try? ModelFixtures.decode(ModelFixtures.Greedy.self, from: "model_greedy_smollm2.json")

    static func requireEngine() -> InferenceEngine? {
        if engine == nil { print("skipping: default model not found (set RAIF_MODEL)") }
        return engine
    }

    @Test("model info describes the default model")
    func info() throws {
        guard let engine = Self.requireEngine() else { return }
        #expect(engine.info.architecture == "llama")
        #expect(engine.info.quantization == "Q4_1")
        #expect(engine.info.contextLength == 8192)
        #expect(engine.info.chatTemplateFamily == "chatml")
        #expect((130_000_000...140_000_000).contains(engine.info.parameterCount))
    }

    @Test("greedy generation through the engine equals llama.cpp's, n samples alike", arguments: [1, 3])
    func greedyThroughEngine(samples: Int) async throws {
        guard let engine = Self.requireEngine() else { return }
        let c = try #require(Self.fixture?.cases[4])
        let expected = Array(c.greedy_ids.prefix(40))
        let request = GenerationRequest(
            promptTokens: c.prompt_ids, sampleCount: samples, maxTokens: expected.count, sampling: .greedy,
            stopAtEndOfGeneration: false, logprobs: true)
        var streamed = Array(repeating: "", count: samples)
        var lastReasons = Array(repeating: FinishReason?.none, count: samples)
        var result: GenerationResult?
        for try await event in engine.stream(request) {
            switch event {
            case .token(let t):
                #expect(lastReasons[t.sampleIndex] == nil, "no event after a sample's last one")
                streamed[t.sampleIndex] += t.text
                lastReasons[t.sampleIndex] = t.finishReason
            case .finished(let r): result = r
            }
        }
        #expect(lastReasons.allSatisfy { $0 == .length })
        let r = try #require(result)
        #expect(r.samples.count == samples)
        for s in r.samples {
            #expect(s.tokenIDs == expected)
            #expect(s.finishReason == .length)
            #expect(s.text == (try engine.tokenizer.decode(expected)))
            #expect(streamed[s.index] == s.text)
            #expect(s.logprobs?.count == expected.count)
            #expect(s.logprobs?.allSatisfy { $0 <= 0 } == true)
        }
        #expect(r.usage.promptTokens == c.prompt_ids.count)
        #expect(r.usage.completionTokens == samples * expected.count)
    }

    @Test("concurrent requests are decoded together and each equals its sequential result")
    func concurrentRequests() async throws {
        guard let engine = Self.requireEngine() else { return }
        let fixture = try #require(Self.fixture)
        let cases = Array(fixture.cases.prefix(3))
        let results = try await withThrowingTaskGroup(of: (Int, [Int32]).self) { group in
            for (i, c) in cases.enumerated() {
                group.addTask {
                    let r = try await engine.generate(
                        GenerationRequest(
                            promptTokens: c.prompt_ids, maxTokens: 24, sampling: .greedy, stopAtEndOfGeneration: false))
                    return (i, r.samples[0].tokenIDs)
                }
            }
            var out: [Int: [Int32]] = [:]
            for try await (i, ids) in group { out[i] = ids }
            return out
        }
        for (i, c) in cases.enumerated() {
            #expect(results[i] == Array(c.greedy_ids.prefix(24)), "request \(i)")
        }
    }

    @Test("seeded sampling: same seed, same samples; samples of one request differ")
    func seededSampling() async throws {
        guard let engine = Self.requireEngine() else { return }
        let prompt = try engine.tokenizer.encodeChat(
            [ChatMessage(role: "user", content: "Tell me a story.")], template: #require(engine.chatTemplate))
        let request = GenerationRequest(
            promptTokens: prompt, sampleCount: 3, maxTokens: 16,
            sampling: SamplingParameters(temperature: 1.0, topK: 40, topP: 0.95, minP: 0.05, seed: 42))
        let a = try await engine.generate(request)
        let b = try await engine.generate(request)
        #expect(a.samples.map(\.tokenIDs) == b.samples.map(\.tokenIDs))
        #expect(Set(a.samples.map(\.tokenIDs)).count > 1)
    }

    @Test("stop strings cut the text and end the sample")
    func stopStrings() async throws {
        guard let engine = Self.requireEngine() else { return }
        let c = try #require(Self.fixture?.cases[4])
        let full = try engine.tokenizer.decode(Array(c.greedy_ids.prefix(30)))
        // A stop string taken from the middle of the known greedy text.
        let words = full.split(separator: " ")
        let stop = String(words[words.count / 2])
        let r = try await engine.generate(
            GenerationRequest(promptTokens: c.prompt_ids, maxTokens: 30, sampling: .greedy, stopStrings: [stop]))
        let s = try #require(r.samples.first)
        #expect(s.finishReason == .stop)
        #expect(!s.text.contains(stop))
        #expect(full.hasPrefix(s.text))
    }

    @Test("end-of-generation token ends a sample with finish reason stop")
    func endOfGeneration() async throws {
        guard let engine = Self.requireEngine() else { return }
        let prompt = try engine.tokenizer.encodeChat(
            [ChatMessage(role: "user", content: "Say just the word yes.")], template: #require(engine.chatTemplate))
        let r = try await engine.generate(GenerationRequest(promptTokens: prompt, maxTokens: 64, sampling: .greedy))
        let s = try #require(r.samples.first)
        #expect(s.finishReason == .stop)
        #expect(s.tokenIDs.allSatisfy { !engine.tokenizer.isEndOfGeneration($0) })
    }

    @Test("invalid requests fail with a clear error before any work")
    func invalidRequests() async throws {
        guard let engine = Self.requireEngine() else { return }
        let cases: [(GenerationRequest, EngineError)] = [
            (GenerationRequest(promptTokens: []), .invalidRequest("the prompt has no tokens")),
            (
                GenerationRequest(promptTokens: [1], sampleCount: 0),
                .invalidRequest("n must be between 1 and 256, got 0")
            ),
            (
                GenerationRequest(promptTokens: [1], maxTokens: 9000),
                .contextLengthExceeded(requested: 9001, contextLength: 8192)
            ),
            (GenerationRequest(promptTokens: [99999]), .tokenOutOfRange(id: 99999, vocabularySize: 49152)),
        ]
        for (request, expected) in cases {
            await #expect(throws: expected) { _ = try await engine.generate(request) }
        }
    }

    @Test("a cancelled consumer stops its request; the engine keeps serving")
    func cancellation() async throws {
        guard let engine = Self.requireEngine() else { return }
        let c = try #require(Self.fixture?.cases[0])
        let task = Task {
            var count = 0
            for try await event in engine.stream(
                GenerationRequest(
                    promptTokens: c.prompt_ids, maxTokens: 4000, sampling: .greedy, stopAtEndOfGeneration: false))
            {
                if case .token = event { count += 1 }
            }
            return count
        }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        let produced = try? await task.value
        #expect((produced ?? 0) < 4000)
        let r = try await engine.generate(
            GenerationRequest(promptTokens: c.prompt_ids, maxTokens: 8, sampling: .greedy, stopAtEndOfGeneration: false)
        )
        #expect(r.samples[0].tokenIDs == Array(c.greedy_ids.prefix(8)))
    }

    @Test("next-token log-probabilities of candidates")
    func candidateScores() async throws {
        guard let engine = Self.requireEngine() else { return }
        let c = try #require(Self.fixture?.cases[0])
        let best = c.greedy_ids[0]
        let other: Int32 = best == 100 ? 101 : 100
        let scores = try await engine.nextTokenLogProbabilities(promptTokens: c.prompt_ids, candidates: [best, other])
        #expect(scores.count == 2)
        #expect(scores[0] > scores[1])
        #expect(scores[0] <= 0)
    }
}
