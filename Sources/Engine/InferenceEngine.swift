public import GGUF

/// A loaded model that generates text: the engine's public face.
///
/// One engine holds the memory-mapped weights, the tokenizer, the chat template and a scheduler
/// thread that runs every forward pass. Requests from any number of tasks are interleaved fairly:
/// each scheduler step decodes one token of every active sample of every request in one batch,
/// and long prompts are prefilled in chunks between decode steps. The `n` samples of a request
/// share one prefill (the prompt's KV cache is computed once and copied).
///
/// ```swift
/// let engine = try InferenceEngine(modelPath: path)
/// let prompt = try engine.tokenizer.encodeChat([ChatMessage(role: "user", content: "Hi")], template: engine.chatTemplate!)
/// for try await event in engine.stream(GenerationRequest(promptTokens: prompt, maxTokens: 64)) { ... }
/// ```
public final class InferenceEngine: Sendable {
    /// What was loaded.
    public let info: ModelInfo
    /// The model's hyper-parameters.
    public let config: ModelConfig
    /// The model's tokenizer (from the GGUF metadata).
    public let tokenizer: Tokenizer
    /// The model's chat template, nil when the file has none or an unrecognised one (callers must
    /// then name a family: `ChatTemplate(family:)`).
    public let chatTemplate: ChatTemplate?
    /// Why `chatTemplate` is nil, when it is.
    public let chatTemplateError: EngineError?
    /// The GGUF file (metadata access).
    public let file: GGUFFile
    private let scheduler: GenerationScheduler

    /// Loads the GGUF model at `modelPath`.
    ///
    /// - Parameters:
    ///   - threads: worker threads for the forward pass (default: every core).
    ///   - maxBatch: sequences decoded together in one step at most (more are rotated fairly).
    /// - Throws: `EngineError.unreadableModel` for a file the GGUF reader rejects, and the model,
    ///   tokenizer errors for unsupported architectures, tensors or vocabularies.
    public init(modelPath: String, threads: Int? = nil, maxBatch: Int = 32) throws(EngineError) {
        let file: GGUFFile
        do {
            file = try GGUFFile(path: modelPath)
        } catch {
            throw .unreadableModel("\(modelPath): \(error)")
        }
        self.file = file
        let config = try ModelConfig(file: file)
        self.config = config
        let weights = try ModelWeights(file: file, config: config)
        let tokenizer = try Tokenizer(gguf: file)
        self.tokenizer = tokenizer
        var template: ChatTemplate?
        var templateError: EngineError?
        do {
            template = try ChatTemplate(gguf: file, tokenizer: tokenizer)
        } catch {
            templateError = error
        }
        chatTemplate = template
        chatTemplateError = templateError
        let threadCount = max(1, threads ?? InferenceEngine.defaultThreadCount)
        info = ModelInfo(
            path: modelPath, architecture: config.architecture.rawValue, name: file.string("general.name"),
            parameterCount: weights.parameterCount,
            quantization: ModelInfo.fileTypeName(file.int("general.file_type"), file: file), fileSize: file.fileSize,
            contextLength: config.contextLength, vocabularySize: config.vocabularySize,
            embeddingLength: config.embeddingLength, layerCount: config.layerCount, headCount: config.headCount,
            headCountKV: config.headCountKV, chatTemplateFamily: template?.family.rawValue, threads: threadCount)
        let transformer = Transformer(
            config: config, weights: weights, pool: WorkerPool(threadCount: threadCount),
            tokenCapacity: max(GenerationScheduler.prefillChunk, maxBatch), logitCapacity: max(1, maxBatch))
        scheduler = GenerationScheduler(transformer: transformer, tokenizer: tokenizer)
    }

    /// Cores available to this process.
    public static var defaultThreadCount: Int { ProcessInfoShim.activeProcessorCount }

    /// Streams the request's tokens as they are sampled, then its result.
    ///
    /// The stream throws `EngineError` for an invalid request (checked before any work: empty
    /// prompt, token ids outside the vocabulary, `n` < 1, sampling values out of range, prompt +
    /// `maxTokens` beyond the context length). Ending the iteration early (or cancelling the
    /// consuming task) cancels the request: its samples stop at the next step.
    public func stream(_ request: GenerationRequest) -> AsyncThrowingStream<GenerationEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: GenerationEvent.self)
        do {
            try validate(request)
        } catch {
            continuation.finish(throwing: error)
            return stream
        }
        scheduler.submit(request, continuation: continuation)
        return stream
    }

    /// Runs the request to the end and returns its result (cancelled with the calling task).
    public func generate(_ request: GenerationRequest) async throws -> GenerationResult {
        for try await event in stream(request) {
            if case .finished(let result) = event { return result }
        }
        try Task.checkCancellation()
        throw EngineError.invalidRequest("generation ended without a result")
    }

    /// Log-probabilities of each of `candidates` as the next token after `promptTokens`.
    ///
    /// One prefill, no sampling: what an LLM judge needs to compare "YES" with "NO".
    public func nextTokenLogProbabilities(promptTokens: [Int32], candidates: [Int32]) async throws -> [Float] {
        var request = GenerationRequest(promptTokens: promptTokens, maxTokens: 0)
        request.scoreCandidates = candidates
        for id in candidates where id < 0 || Int(id) >= config.vocabularySize {
            throw EngineError.tokenOutOfRange(id: id, vocabularySize: config.vocabularySize)
        }
        let result = try await generate(request)
        return result.candidateLogprobs ?? []
    }

    /// Checks a request before it is queued.
    func validate(_ r: GenerationRequest) throws(EngineError) {
        guard !r.promptTokens.isEmpty else { throw .invalidRequest("the prompt has no tokens") }
        guard r.sampleCount >= 1 && r.sampleCount <= 256 else {
            throw .invalidRequest("n must be between 1 and 256, got \(r.sampleCount)")
        }
        guard r.maxTokens >= 0 else { throw .invalidRequest("max_tokens must be >= 0, got \(r.maxTokens)") }
        try r.sampling.validate()
        for id in r.promptTokens where id < 0 || Int(id) >= config.vocabularySize {
            throw .tokenOutOfRange(id: id, vocabularySize: config.vocabularySize)
        }
        let needed = r.promptTokens.count + r.maxTokens
        guard needed <= config.contextLength else {
            throw .contextLengthExceeded(requested: needed, contextLength: config.contextLength)
        }
    }
}
