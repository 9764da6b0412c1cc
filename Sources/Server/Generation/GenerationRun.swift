internal import Engine
internal import Verifiers
internal import WireProtocol

/// One engine request of a generation and where its samples go in the reply.
struct GenerationPart: Sendable {
    /// The engine request (its samples share one prompt prefill).
    let request: GenerationRequest
    /// The reply index of the request's sample 0.
    let firstIndex: Int
    /// The contrast kind of its samples, nil outside a contrast group.
    let kind: SampleKind?
    /// Text the prompt ends with that belongs to the answer (the reasoning block opened or closed
    /// in the prompt); prepended to each sample's text before scoring.
    let responsePrefix: String
}

/// How a finished sample is scored (for `generate_and_score`).
struct SampleScoring: Sendable {
    let scorer: Scorer
    let tree: ConstraintTree
    let options: ScoringOptions
    let prompt: String?
    /// Answers `judge` constraints with the hosted model; nil leaves them error nodes.
    var judge: JudgeAnswerer? = nil
}

/// What a generation produced: every sample in reply order, its score when scored, and the totals.
struct GenerationOutcome: Sendable {
    struct Choice: Sendable {
        let sample: GeneratedSample
        let index: Int
        let kind: SampleKind?
        var score: ItemScore?
    }

    var choices: [Choice]
    /// Prompt tokens prefilled (summed over the parts: each part prefills its own prompt once).
    let promptTokens: Int
    /// Tokens generated over all samples.
    let completionTokens: Int
    /// Prefill time, summed over the parts.
    let prefillMilliseconds: Double
    /// Decode time of the slowest part (the parts decode at the same time).
    let decodeMilliseconds: Double

    /// Generated tokens per second of decode time.
    var decodeTokensPerSecond: Double {
        decodeMilliseconds > 0 ? Double(completionTokens) / (decodeMilliseconds / 1000) : 0
    }

    /// `{"choices": [{"index", "text", "token_ids", "logprobs"?, "finish_reason"}], "usage", "timings"}`.
    func json(extra: (Choice) -> JSONObject = { _ in [:] }) -> JSONObject {
        let choices: [JSONValue] = choices.map { choice in
            var object: JSONObject = [
                "index": .integer(Int64(choice.index)),
                "text": .string(choice.sample.text),
                "token_ids": .array(choice.sample.tokenIDs.map { .integer(Int64($0)) }),
            ]
            if let logprobs = choice.sample.logprobs {
                object.set("logprobs", .array(logprobs.map { .double(Double($0)) }))
            }
            object.set("finish_reason", .string(choice.sample.finishReason.rawValue))
            for (key, value) in extra(choice) { object.set(key, value) }
            return .object(object)
        }
        return [
            "choices": .array(choices),
            "usage": [
                "prompt_tokens": .integer(Int64(promptTokens)),
                "completion_tokens": .integer(Int64(completionTokens)),
            ],
            "timings": [
                "prefill_ms": .double(prefillMilliseconds),
                "decode_ms": .double(decodeMilliseconds),
                "decode_tokens_per_s": .double(decodeTokensPerSecond),
            ],
        ]
    }
}

/// Runs the parts of one generation on the engine at once and merges them into one reply.
///
/// Every engine stream is consumed by a child task that forwards its events into one merged
/// stream; the calling task reads that stream alone, so event frames keep their order: a sample's
/// `token` events, then (when scoring) its `scored` event, which is sent as soon as the sample is
/// scored — scoring runs in its own child task the moment the sample finishes. Cancelling the
/// calling task (`cancel`, a disconnect) cancels the children, which ends the engine requests.
enum GenerationRun {
    private enum Merged: Sendable {
        case token(part: Int, TokenEvent)
        case finished(part: Int, GenerationResult)
        case scored(index: Int, ItemScore)
        case failed(any Error)
    }

    /// Runs `parts` and returns the merged outcome (scored when `scoring` is given).
    ///
    /// - Parameters:
    ///   - stream: send `token` events (and `scored` events when scoring) through `context`.
    /// - Throws: -32002 when cancelled, the engine's errors mapped by ``ErrorMapping``.
    static func run(
        engine: InferenceEngine, parts: [GenerationPart], stream: Bool, scoring: SampleScoring?,
        context: RequestContext
    ) async throws(RPCError) -> GenerationOutcome {
        let (merged, continuation) = AsyncStream.makeStream(of: Merged.self)
        let sampleTotal = parts.reduce(0) { $0 + $1.request.sampleCount }
        var results: [GenerationResult?] = Array(repeating: nil, count: parts.count)
        var scores: [ItemScore?] = Array(repeating: nil, count: sampleTotal)
        var failure: (any Error)?

        await withTaskGroup(of: Void.self) { group in
            for (partIndex, part) in parts.enumerated() {
                group.addTask {
                    do {
                        for try await event in engine.stream(part.request) {
                            switch event {
                            case .token(let token): continuation.yield(.token(part: partIndex, token))
                            case .finished(let result): continuation.yield(.finished(part: partIndex, result))
                            }
                        }
                    } catch {
                        continuation.yield(.failed(error))
                    }
                }
            }
            var texts = Array(repeating: "", count: sampleTotal)
            var finishedParts = 0
            var scoredCount = 0
            loop: for await message in merged {
                switch message {
                case .token(let partIndex, let token):
                    let part = parts[partIndex]
                    let index = part.firstIndex + token.sampleIndex
                    texts[index] += token.text
                    if stream && !token.text.isEmpty {
                        await context.emit(
                            "token", data: ["index": .integer(Int64(index)), "text": .string(token.text)])
                    }
                    if token.finishReason != nil, let scoring {
                        let response = part.responsePrefix + texts[index]
                        group.addTask {
                            let score: ItemScore
                            if let judge = scoring.judge {
                                do throws(RPCError) {
                                    score = try await judge.score(
                                        response: response, prompt: scoring.prompt, tree: scoring.tree,
                                        options: scoring.options, scorer: scoring.scorer)
                                } catch {
                                    continuation.yield(.failed(error))
                                    return
                                }
                            } else {
                                score = scoring.scorer.score(
                                    response: response, prompt: scoring.prompt, tree: scoring.tree,
                                    options: scoring.options)
                            }
                            continuation.yield(.scored(index: index, score))
                        }
                    }
                case .finished(let partIndex, let result):
                    results[partIndex] = result
                    finishedParts += 1
                case .scored(let index, let score):
                    scores[index] = score
                    scoredCount += 1
                    if stream {
                        var data: JSONObject = ["index": .integer(Int64(index))]
                        if case .object(let members) = VerifierJSON.json(score) {
                            for (key, value) in members { data.set(key, value) }
                        }
                        if let kind = kindOf(index, parts) { data.set("kind", .string(kind.rawValue)) }
                        await context.emit("scored", data: data)
                    }
                case .failed(let error):
                    failure = error
                    break loop
                }
                let scoringDone = scoring == nil || scoredCount == sampleTotal
                if finishedParts == parts.count && scoringDone { break loop }
            }
            if failure != nil || Task.isCancelled { group.cancelAll() }
            continuation.finish()
        }

        if Task.isCancelled || failure is CancellationError { throw ErrorMapping.cancelled(method: context.method) }
        if let failure { throw ErrorMapping.rpcError(for: failure) }
        var choices: [GenerationOutcome.Choice] = []
        var promptTokens = 0
        var completionTokens = 0
        var prefill = 0.0
        var decode = 0.0
        for (partIndex, part) in parts.enumerated() {
            guard let result = results[partIndex] else { throw ErrorMapping.cancelled(method: context.method) }
            promptTokens += result.usage.promptTokens
            completionTokens += result.usage.completionTokens
            prefill += result.timings.prefillMilliseconds
            decode = max(decode, result.timings.decodeMilliseconds)
            for sample in result.samples {
                let index = part.firstIndex + sample.index
                choices.append(.init(sample: sample, index: index, kind: part.kind, score: scores[index]))
            }
        }
        choices.sort { $0.index < $1.index }
        return GenerationOutcome(
            choices: choices, promptTokens: promptTokens, completionTokens: completionTokens,
            prefillMilliseconds: prefill, decodeMilliseconds: decode)
    }

    private static func kindOf(_ index: Int, _ parts: [GenerationPart]) -> SampleKind? {
        parts.first { index >= $0.firstIndex && index < $0.firstIndex + $0.request.sampleCount }?.kind
    }
}
