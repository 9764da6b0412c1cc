/// Settings of the sampler chain (names and defaults follow llama.cpp's `common_params_sampling`).
public struct SamplingParameters: Sendable, Equatable {
    /// Softmax temperature; 0 picks the highest (penalised) logit.
    public var temperature: Float
    /// Keep the `topK` most likely tokens; 0 keeps all.
    public var topK: Int
    /// Keep the smallest set of most likely tokens whose probability sums to at least `topP`; 1 keeps all.
    public var topP: Float
    /// Drop tokens less likely than `minP` times the most likely one; 0 keeps all.
    public var minP: Float
    /// Repetition penalty over the last `penaltyLastN` tokens: positive logits are divided by it,
    /// negative ones multiplied; 1 is off.
    public var repeatPenalty: Float
    /// Subtracted once per occurrence in the window (OpenAI `frequency_penalty`).
    public var frequencyPenalty: Float
    /// Subtracted once if the token occurs in the window (OpenAI `presence_penalty`).
    public var presencePenalty: Float
    /// How many recent tokens the penalties look at; 0 disables them, -1 means all seen so far.
    public var penaltyLastN: Int
    /// Seed of the sampler's random number generator (same seed, same draws).
    public var seed: UInt64

    public init(
        temperature: Float = 0.8, topK: Int = 40, topP: Float = 0.95, minP: Float = 0.05, repeatPenalty: Float = 1.0,
        frequencyPenalty: Float = 0, presencePenalty: Float = 0, penaltyLastN: Int = 64, seed: UInt64 = 0
    ) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.repeatPenalty = repeatPenalty
        self.frequencyPenalty = frequencyPenalty
        self.presencePenalty = presencePenalty
        self.penaltyLastN = penaltyLastN
        self.seed = seed
    }

    /// Greedy decoding: temperature 0, no penalties.
    public static let greedy = SamplingParameters(temperature: 0, topK: 0, topP: 1, minP: 0)

    /// Checks every value's range.
    ///
    /// - Throws: ``EngineError/invalidSamplingParameter(name:reason:)`` naming the first bad value.
    public func validate() throws(EngineError) {
        guard temperature.isFinite, temperature >= 0 else {
            throw .invalidSamplingParameter(
                name: "temperature", reason: "must be a finite number >= 0, got \(temperature)")
        }
        guard topK >= 0 else { throw .invalidSamplingParameter(name: "top_k", reason: "must be >= 0, got \(topK)") }
        guard topP.isFinite, (0...1).contains(topP) else {
            throw .invalidSamplingParameter(name: "top_p", reason: "must be in [0, 1], got \(topP)")
        }
        guard minP.isFinite, (0...1).contains(minP) else {
            throw .invalidSamplingParameter(name: "min_p", reason: "must be in [0, 1], got \(minP)")
        }
        guard repeatPenalty.isFinite, repeatPenalty > 0 else {
            throw .invalidSamplingParameter(
                name: "repeat_penalty", reason: "must be a finite number > 0, got \(repeatPenalty)")
        }
        guard frequencyPenalty.isFinite else {
            throw .invalidSamplingParameter(
                name: "frequency_penalty", reason: "must be finite, got \(frequencyPenalty)")
        }
        guard presencePenalty.isFinite else {
            throw .invalidSamplingParameter(name: "presence_penalty", reason: "must be finite, got \(presencePenalty)")
        }
        guard penaltyLastN >= -1 else {
            throw .invalidSamplingParameter(name: "repeat_last_n", reason: "must be >= -1, got \(penaltyLastN)")
        }
    }

    /// True when no penalty changes any logit.
    var penaltiesDisabled: Bool {
        penaltyLastN == 0 || (repeatPenalty == 1 && frequencyPenalty == 0 && presencePenalty == 0)
    }
}
