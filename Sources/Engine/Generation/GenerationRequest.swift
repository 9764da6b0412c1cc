/// One generation job: a tokenized prompt, how many samples to draw from it and how.
public struct GenerationRequest: Sendable {
    /// Prompt token ids, BOS included when the model wants one (the tokenizer/chat template decides).
    public var promptTokens: [Int32]
    /// Samples of the same prompt (`n`); they share one prefill and are decoded as a batch.
    public var sampleCount: Int
    /// Tokens to generate per sample at most (`max_tokens`).
    public var maxTokens: Int
    /// Sampler settings (temperature 0 = greedy); sample `i` draws with seed `seed + i`.
    public var sampling: SamplingParameters
    /// Generation of a sample stops right before the first occurrence of any of these strings.
    public var stopStrings: [String]
    /// Whether end-of-generation tokens (EOS, EOT, `<|im_end|>` ...) end a sample.
    public var stopAtEndOfGeneration: Bool
    /// Whether each sampled token's log-probability is reported.
    public var logprobs: Bool
    /// Instead of sampling: report the log-probabilities of these next tokens (`maxTokens` 0).
    var scoreCandidates: [Int32]?

    public init(
        promptTokens: [Int32], sampleCount: Int = 1, maxTokens: Int = 128, sampling: SamplingParameters = .greedy,
        stopStrings: [String] = [], stopAtEndOfGeneration: Bool = true, logprobs: Bool = false
    ) {
        self.promptTokens = promptTokens
        self.sampleCount = sampleCount
        self.maxTokens = maxTokens
        self.sampling = sampling
        self.stopStrings = stopStrings
        self.stopAtEndOfGeneration = stopAtEndOfGeneration
        self.logprobs = logprobs
    }
}

/// Why a sample ended.
public enum FinishReason: String, Sendable, Equatable {
    /// An end-of-generation token or a stop string.
    case stop
    /// `maxTokens` reached (or the context length).
    case length
}

/// One token of one sample, reported as soon as it is sampled.
public struct TokenEvent: Sendable, Equatable {
    /// Which sample (0..<sampleCount).
    public let sampleIndex: Int
    /// The sampled token.
    public let tokenID: Int32
    /// Text that became final with this token (may be empty: an incomplete UTF-8 sequence, or text
    /// held back because it could be the start of a stop string).
    public let text: String
    /// log P(token) under the model's distribution (after penalties and temperature), when requested.
    public let logprob: Float?
    /// Set on a sample's last event: why it ended. When an end-of-generation token ends it, that
    /// event carries the EOG token (not part of the sample's `tokenIDs`) and the text held back.
    public var finishReason: FinishReason? = nil
}

/// A finished sample.
public struct GeneratedSample: Sendable, Equatable {
    /// Which sample (0..<sampleCount).
    public let index: Int
    /// The generated text (stop string and end-of-generation token excluded).
    public let text: String
    /// The generated token ids (the end-of-generation token excluded).
    public let tokenIDs: [Int32]
    /// Per-token log-probabilities, aligned with `tokenIDs`, when requested.
    public let logprobs: [Float]?
    /// Why it ended.
    public let finishReason: FinishReason
}

/// Token counts of a request.
public struct GenerationUsage: Sendable, Equatable {
    /// Prompt tokens (prefilled once for all samples).
    public let promptTokens: Int
    /// Tokens generated over all samples.
    public let completionTokens: Int
}

/// Wall-clock timings of a request.
public struct GenerationTimings: Sendable, Equatable {
    /// Prompt prefill time.
    public let prefillMilliseconds: Double
    /// Time from the end of prefill to the last sample's end.
    public let decodeMilliseconds: Double
    /// Generated tokens (all samples) per second of decode time.
    public var decodeTokensPerSecond: Double
}

/// Everything a request produced.
public struct GenerationResult: Sendable, Equatable {
    /// Samples in index order.
    public let samples: [GeneratedSample]
    public let usage: GenerationUsage
    public let timings: GenerationTimings
    /// Log-probabilities of `GenerationRequest.scoreCandidates` after the prompt.
    var candidateLogprobs: [Float]? = nil
}

/// What `InferenceEngine.generate` streams: tokens as they come, then the result once.
public enum GenerationEvent: Sendable, Equatable {
    case token(TokenEvent)
    case finished(GenerationResult)
}
