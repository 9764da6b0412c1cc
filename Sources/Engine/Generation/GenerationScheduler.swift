internal import Foundation
internal import Synchronization

/// The thread that owns the forward pass and interleaves every active request.
///
/// Each loop iteration: admit new requests, prefill one chunk of the oldest request still
/// prefilling, then decode one token for every sampling sequence of every request together
/// (rotating which ones go first when there are more than the batch holds). Cancelled requests
/// are dropped at the next iteration; their caches are freed with them.
final class GenerationScheduler: @unchecked Sendable {
    /// Prompt tokens per prefill step: llama.cpp's default micro-batch (same attention path, same numerics).
    static let prefillChunk = 512

    private let transformer: Transformer
    private let tokenizer: Tokenizer
    private let condition = NSCondition()
    /// Requests submitted and not yet taken by the loop (guarded by `condition`).
    private var incoming: [ActiveRequest] = []
    /// Requests the loop owns (scheduler thread only).
    private var active: [ActiveRequest] = []
    private var rotation = 0
    private var nextID = 0

    init(transformer: Transformer, tokenizer: Tokenizer) {
        self.transformer = transformer
        self.tokenizer = tokenizer
        let thread = Thread { [self] in self.loop() }
        thread.name = "raif-scheduler"
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Queues a validated request; events go to `continuation`.
    func submit(
        _ request: GenerationRequest, continuation: AsyncThrowingStream<GenerationEvent, any Error>.Continuation
    ) {
        condition.lock()
        nextID += 1
        let active = ActiveRequest(id: nextID, request: request, continuation: continuation)
        incoming.append(active)
        condition.signal()
        condition.unlock()
        continuation.onTermination = { [weak self, active] termination in
            if case .finished = termination { return }
            active.cancelled.store(true, ordering: .relaxed)
            self?.wake()
        }
    }

    private func wake() {
        condition.lock()
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while incoming.isEmpty && active.isEmpty { condition.wait() }
            active.append(contentsOf: incoming)
            incoming.removeAll()
            condition.unlock()

            active.removeAll { r in
                if r.cancelled.load(ordering: .relaxed) {
                    r.continuation.finish(throwing: CancellationError())
                    return true
                }
                return false
            }
            if let r = active.first(where: { $0.phase == .prefilling }) {
                prefillStep(r)
            }
            decodeStep()
            active.removeAll { $0.phase == .done }
        }
    }

    // MARK: - Prefill

    private func prefillStep(_ r: ActiveRequest) {
        let prompt = r.request.promptTokens
        if r.prefillStart == nil {
            r.prefillStart = ProcessInfoShim.now()
            let c = transformer.config
            r.promptCache = KVCache(
                layerCount: c.layerCount, kvDimension: c.kvDimension,
                capacity: prompt.count + (r.request.sampleCount == 1 ? r.request.maxTokens : 0))
        }
        let cache = r.promptCache!
        let start = cache.count
        let end = min(prompt.count, start + Self.prefillChunk)
        let entries = (start..<end).map { i in
            BatchEntry(token: prompt[i], position: i, cache: cache, logitRow: i == prompt.count - 1 ? 0 : nil)
        }
        transformer.forward(entries)
        guard end == prompt.count else { return }

        let now = ProcessInfoShim.now()
        r.prefillEnd = now
        let vocabulary = transformer.config.vocabularySize
        let logits = UnsafeBufferPointer(start: transformer.state.logits, count: vocabulary)
        if let candidates = r.request.scoreCandidates {
            r.candidateLogprobs = candidates.map { Sampler.logSoftmax(logits, at: Int($0)) }
            finishRequest(r)
            return
        }
        // Every sample starts from the prompt's cache and the same logits.
        for i in 0..<r.request.sampleCount {
            var parameters = r.request.sampling
            parameters.seed = parameters.seed &+ UInt64(i)
            let sampleCache: KVCache
            if i == 0 {
                sampleCache = cache
            } else {
                let c = transformer.config
                sampleCache = KVCache(
                    layerCount: c.layerCount, kvDimension: c.kvDimension, capacity: prompt.count + r.request.maxTokens)
                sampleCache.copyPrefix(of: cache, positions: prompt.count)
            }
            // Parameters were validated on submission, so the sampler cannot throw here.
            var sampler = try! Sampler(parameters: parameters)
            sampler.accept(contentsOf: prompt)
            r.samples.append(
                SampleState(
                    index: i, cache: sampleCache, sampler: sampler, decoder: StreamingDecoder(tokenizer: tokenizer),
                    stop: StopMatcher(stops: r.request.stopStrings)))
        }
        r.promptCache = nil
        r.phase = .decoding
        if r.request.maxTokens == 0 {
            for s in r.samples { s.finishReason = .length }
            finishRequest(r)
            return
        }
        for s in r.samples { accept(s.sampler.sample(logits, wantLogprob: r.request.logprobs), sample: s, of: r) }
        if r.samples.allSatisfy({ $0.finishReason != nil }) { finishRequest(r) }
    }

    // MARK: - Decode

    private func decodeStep() {
        var runnable: [(ActiveRequest, SampleState)] = []
        for r in active where r.phase == .decoding && !r.cancelled.load(ordering: .relaxed) {
            for s in r.samples where s.finishReason == nil { runnable.append((r, s)) }
        }
        guard !runnable.isEmpty else { return }
        let capacity = transformer.state.logitCapacity
        var batch = runnable
        if runnable.count > capacity {
            rotation %= runnable.count
            batch = Array((runnable[rotation...] + runnable[..<rotation]).prefix(capacity))
            rotation += capacity
        }
        let entries = batch.enumerated().map { row, item in
            BatchEntry(token: item.1.lastToken, position: item.1.cache.count, cache: item.1.cache, logitRow: row)
        }
        transformer.forward(entries)
        let vocabulary = transformer.config.vocabularySize
        var touched: [ActiveRequest] = []
        for (row, (r, s)) in batch.enumerated() {
            let logits = UnsafeBufferPointer(start: transformer.state.logits + row * vocabulary, count: vocabulary)
            accept(s.sampler.sample(logits, wantLogprob: r.request.logprobs), sample: s, of: r)
            if !touched.contains(where: { $0 === r }) { touched.append(r) }
        }
        for r in touched where r.phase == .decoding && r.samples.allSatisfy({ $0.finishReason != nil }) {
            finishRequest(r)
        }
    }

    /// Records a sampled token: stop checks, text, the token event.
    private func accept(_ sampled: SampledToken, sample s: SampleState, of r: ActiveRequest) {
        let token = sampled.id
        if r.request.stopAtEndOfGeneration && tokenizer.isEndOfGeneration(token) {
            s.finishReason = .stop
            let tail = flush(s)
            r.continuation.yield(
                .token(TokenEvent(sampleIndex: s.index, tokenID: token, text: tail, logprob: nil, finishReason: .stop)))
            s.text += tail
            return
        }
        s.tokens.append(token)
        s.lastToken = token
        if let logprob = sampled.logprob { s.logprobs.append(logprob) }
        var visible = ""
        do {
            let piece = try s.decoder.append(token)
            let (text, stopped) = s.stop.append(piece)
            visible = text
            if stopped { s.finishReason = .stop }
        } catch {
            // A token the tokenizer cannot render (the model's vocabulary is larger): no text.
        }
        if s.finishReason == nil && s.tokens.count >= r.request.maxTokens {
            s.finishReason = .length
            visible += flush(s)
        }
        s.text += visible
        r.continuation.yield(
            .token(
                TokenEvent(
                    sampleIndex: s.index, tokenID: token, text: visible, logprob: sampled.logprob,
                    finishReason: s.finishReason)))
        if s.finishReason != nil { s.cache = nil }
    }

    /// Text still held back by the UTF-8 decoder and the stop matcher.
    private func flush(_ s: SampleState) -> String {
        let rest = s.decoder.finish()
        let (text, stopped) = s.stop.append(rest)
        if stopped { return text }
        return text + s.stop.finish()
    }

    private func finishRequest(_ r: ActiveRequest) {
        r.phase = .done
        let end = ProcessInfoShim.now()
        let prefillEnd = r.prefillEnd ?? end
        let prefillMs = (prefillEnd - (r.prefillStart ?? prefillEnd)) * 1000
        let decodeMs = (end - prefillEnd) * 1000
        let completion = r.samples.reduce(0) { $0 + $1.tokens.count }
        let samples = r.samples.map { s in
            GeneratedSample(
                index: s.index, text: s.text, tokenIDs: s.tokens, logprobs: r.request.logprobs ? s.logprobs : nil,
                finishReason: s.finishReason ?? .length)
        }
        let result = GenerationResult(
            samples: samples,
            usage: GenerationUsage(promptTokens: r.request.promptTokens.count, completionTokens: completion),
            timings: GenerationTimings(
                prefillMilliseconds: prefillMs, decodeMilliseconds: decodeMs,
                decodeTokensPerSecond: decodeMs > 0 ? Double(completion) / (decodeMs / 1000) : 0),
            candidateLogprobs: r.candidateLogprobs)
        r.samples.removeAll()
        r.continuation.yield(.finished(result))
        r.continuation.finish()
    }
}

/// A request while the scheduler works on it.
final class ActiveRequest: @unchecked Sendable {
    enum Phase { case prefilling, decoding, done }

    let id: Int
    let request: GenerationRequest
    let continuation: AsyncThrowingStream<GenerationEvent, any Error>.Continuation
    /// Set from any thread when the consumer goes away.
    let cancelled = Atomic<Bool>(false)
    var phase = Phase.prefilling
    /// The prompt's cache while prefilling.
    var promptCache: KVCache?
    var samples: [SampleState] = []
    var prefillStart: Double?
    var prefillEnd: Double?
    var candidateLogprobs: [Float]?

    init(
        id: Int, request: GenerationRequest, continuation: AsyncThrowingStream<GenerationEvent, any Error>.Continuation
    ) {
        self.id = id
        self.request = request
        self.continuation = continuation
    }
}

/// One sample of a request: its cache, sampler, text state and output so far.
final class SampleState {
    let index: Int
    /// Freed (nil) as soon as the sample finishes.
    var cache: KVCache!
    var sampler: Sampler
    var decoder: StreamingDecoder
    var stop: StopMatcher
    var tokens: [Int32] = []
    var logprobs: [Float] = []
    var text = ""
    var lastToken: Int32 = 0
    var finishReason: FinishReason?

    init(index: Int, cache: KVCache, sampler: Sampler, decoder: StreamingDecoder, stop: StopMatcher) {
        self.index = index
        self.cache = cache
        self.sampler = sampler
        self.decoder = decoder
        self.stop = stop
    }
}
