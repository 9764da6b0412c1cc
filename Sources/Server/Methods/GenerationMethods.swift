internal import Engine
internal import Verifiers
internal import WireProtocol

/// `generate` and `generate_and_score` over the hosted model.
enum GenerationMethods {
    /// What a reasoning sample's prompt ends with: an open reasoning block.
    static let openReasoning = "<think>\n"
    /// What a direct sample's prompt ends with: an empty reasoning block.
    static let emptyReasoning = "<think>\n\n</think>\n"

    /// Adds `generate` and `generate_and_score` to `methods`.
    static func register(into methods: inout MethodRegistry, host: ModelHost, scorer: Scorer) {
        methods.register("generate", generate(host: host))
        methods.register("generate_and_score", generateAndScore(host: host, scorer: scorer))
    }

    /// `generate` → `{"choices", "usage", "timings"}` (see PROTOCOL.md); `token` events with `stream`.
    ///
    /// Params are checked first (-32602), then the model (-32004), then the prompt's length against
    /// the context (-32602), before any token is generated.
    static func generate(host: ModelHost) -> MethodHandler {
        { (params, context) async throws(RPCError) -> JSONValue in
            let reader = ParamReader(params)
            try reader.rejectUnknown(GenerationParameters.names)
            let parameters = try GenerationParameters(reader)
            let engine = try host.engine()
            let tokens = try parameters.promptTokens(for: engine)
            let part = GenerationPart(
                request: parameters.request(promptTokens: tokens, sampleCount: parameters.sampleCount), firstIndex: 0,
                kind: nil, responsePrefix: "")
            let outcome = try await GenerationRun.run(
                engine: engine, parts: [part], stream: parameters.stream, scoring: nil, context: context)
            return .object(outcome.json())
        }
    }

    /// `generate_and_score` → `generate`'s result with each choice scored and a `group`
    /// (`mean`, `std`, `advantages`, `best_index`); with `contrast`, each choice's `kind` and `mask`.
    ///
    /// The constraint spec is parsed before anything is generated. With `contrast: {"direct": k}`
    /// the reasoning samples take indices `0..<n−k` and the direct ones `n−k..<n`; each kind is one
    /// engine request (one prefill shared by its samples) and both decode at the same time. Sample
    /// `i` draws with seed `seed + i` either way. A sample is scored as the whole assistant turn:
    /// the reasoning block its prompt opened (or closed) followed by its text.
    static func generateAndScore(host: ModelHost, scorer: Scorer) -> MethodHandler {
        { (params, context) async throws(RPCError) -> JSONValue in
            let parameters = try ScoredGenerationParameters(params, scorer: scorer)
            let generation = parameters.generation
            let engine = try host.engine()
            let parts = try contrastParts(parameters, engine: engine)
            let scoring = SampleScoring(
                scorer: scorer, tree: parameters.tree, options: parameters.options,
                prompt: generation.promptTextForScoring, judge: JudgeAnswerer(host: host))
            let outcome = try await GenerationRun.run(
                engine: engine, parts: parts, stream: generation.stream, scoring: scoring, context: context)
            return .object(scoredJSON(outcome, contrast: parameters.directCount != nil))
        }
    }

    /// The engine requests of a `generate_and_score` call: one, or one per contrast kind.
    static func contrastParts(
        _ parameters: ScoredGenerationParameters, engine: InferenceEngine
    ) throws(RPCError) -> [GenerationPart] {
        let generation = parameters.generation
        let n = generation.sampleCount
        guard let direct = parameters.directCount else {
            let tokens = try generation.promptTokens(for: engine)
            return [
                GenerationPart(
                    request: generation.request(promptTokens: tokens, sampleCount: n), firstIndex: 0, kind: nil,
                    responsePrefix: "")
            ]
        }
        // A template whose generation prompt already opens the block (DeepSeek-R1) gets only the rest.
        let opened = try generation.renderedConversation(for: engine)?.hasSuffix(openReasoning) ?? false
        var parts: [GenerationPart] = []
        let reasoningCount = n - direct
        if reasoningCount > 0 {
            let suffix = opened ? "" : openReasoning
            let tokens = try generation.promptTokens(for: engine, suffix: suffix)
            parts.append(
                GenerationPart(
                    request: generation.request(promptTokens: tokens, sampleCount: reasoningCount), firstIndex: 0,
                    kind: .reasoning, responsePrefix: openReasoning))
        }
        if direct > 0 {
            let suffix = opened ? String(emptyReasoning.dropFirst(openReasoning.count)) : emptyReasoning
            let tokens = try generation.promptTokens(for: engine, suffix: suffix)
            parts.append(
                GenerationPart(
                    request: generation.request(
                        promptTokens: tokens, sampleCount: direct, seedOffset: reasoningCount),
                    firstIndex: reasoningCount, kind: .direct, responsePrefix: emptyReasoning))
        }
        return parts
    }

    /// The scored reply: choices with their scores, kinds and masks, and the group.
    static func scoredJSON(_ outcome: GenerationOutcome, contrast: Bool) -> JSONObject {
        let rewards = outcome.choices.map { $0.score?.reward ?? 0 }
        let group = RewardGroup(rewards: rewards, kinds: contrast ? outcome.choices.map { $0.kind ?? .reasoning } : nil)
        var result = outcome.json { choice in
            var extra = JSONObject()
            if let score = choice.score, case .object(let members) = VerifierJSON.json(score) {
                for (key, value) in members { extra.set(key, value) }
            }
            if contrast {
                extra.set("kind", .string((choice.kind ?? .reasoning).rawValue))
                extra.set("mask", .bool(group.masks?[choice.index] ?? false))
            }
            return extra
        }
        result.set("group", json(group))
        return result
    }

    /// `{"mean", "std", "advantages", "best_index"}`.
    static func json(_ group: RewardGroup) -> JSONValue {
        [
            "mean": .double(group.mean),
            "std": .double(group.std),
            "advantages": .array(group.advantages.map(JSONValue.double)),
            "best_index": .integer(Int64(group.bestIndex)),
        ]
    }
}
