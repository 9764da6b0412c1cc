public import GGUF

/// The model families the engine runs, named as in `general.architecture`.
public enum ModelArchitecture: String, Sendable, CaseIterable {
    /// SmolLM2, TinyLlama, Llama 2/3.x: RoPE on adjacent pairs, no attention biases.
    case llama
    /// Qwen2.5, DeepSeek-R1-Distill-Qwen: RoPE on split halves (NEOX), Q/K/V biases.
    case qwen2

    /// How RoPE pairs the dimensions of a head (llama.cpp's `llama_model_rope_type`).
    var ropeLayout: RopeLayout {
        switch self {
        case .llama: return .adjacentPairs
        case .qwen2: return .splitHalves
        }
    }
}

/// Which dimensions RoPE rotates together.
enum RopeLayout: Sendable {
    /// ggml's `NORM` mode: dimensions `(2i, 2i+1)` form a pair.
    case adjacentPairs
    /// ggml's `NEOX` mode: dimensions `(i, i + n_rot/2)` form a pair.
    case splitHalves
}

/// Hyper-parameters of a transformer, read from GGUF metadata (`{arch}.*` keys).
///
/// The first of llama2.c's three separate things: what the model *is*, no weights, no state.
public struct ModelConfig: Sendable, Equatable {
    /// Which family the model belongs to.
    public let architecture: ModelArchitecture
    /// Width of the residual stream (`n_embd`).
    public let embeddingLength: Int
    /// Transformer blocks (`n_layer`).
    public let layerCount: Int
    /// Query heads (`n_head`).
    public let headCount: Int
    /// Key/value heads (`n_head_kv`); `headCount` is a multiple of it (grouped-query attention).
    public let headCountKV: Int
    /// Elements per head (`n_embd_head_k`, normally `embeddingLength / headCount`).
    public let headDimension: Int
    /// Hidden width of the SwiGLU feed-forward network (`n_ff`).
    public let feedForwardLength: Int
    /// Vocabulary size (rows of `token_embd.weight`).
    public let vocabularySize: Int
    /// Context length the model was trained for (`{arch}.context_length`).
    public let contextLength: Int
    /// RMSNorm epsilon.
    public let rmsEpsilon: Float
    /// RoPE frequency base (`{arch}.rope.freq_base`, default 10000).
    public let ropeFrequencyBase: Float
    /// RoPE position scale (1 / linear scaling factor, 1 when unscaled).
    public let ropeFrequencyScale: Float
    /// Dimensions of each head that RoPE rotates (`{arch}.rope.dimension_count`, default the head size).
    public let ropeDimensionCount: Int

    /// Width of one token's keys (or values) across all KV heads.
    public var kvDimension: Int { headCountKV * headDimension }
    /// Width of one token's queries across all heads.
    public var queryDimension: Int { headCount * headDimension }
    var ropeLayout: RopeLayout { architecture.ropeLayout }

    /// Reads and validates the hyper-parameters of `file`.
    ///
    /// - Throws: `EngineError.unsupportedArchitecture` for other families, `.missingMetadata` when a
    ///   required key is absent, `.invalidModel` when values are inconsistent.
    public init(file: GGUFFile) throws(EngineError) {
        guard let name = file.architecture else { throw .missingMetadata(key: "general.architecture") }
        guard let architecture = ModelArchitecture(rawValue: name) else { throw .unsupportedArchitecture(name) }
        func int(_ suffix: String) throws(EngineError) -> Int {
            guard let v = file.int("\(name).\(suffix)") else { throw .missingMetadata(key: "\(name).\(suffix)") }
            return v
        }
        let embd = try int("embedding_length")
        let heads = try int("attention.head_count")
        let headsKV = file.int("\(name).attention.head_count_kv") ?? heads
        guard let tokenEmbedding = file.tensor(named: "token_embd.weight") else {
            throw .missingTensor("token_embd.weight")
        }
        let vocab = tokenEmbedding.dims.count == 2 ? tokenEmbedding.dims[1] : 0
        guard heads > 0 else { throw .invalidModel("\(name).attention.head_count must be positive") }
        let headDim = file.int("\(name).attention.key_length") ?? (embd / heads)
        let scaling = file.string("\(name).rope.scaling.type") ?? "none"
        var freqScale: Float = 1
        if scaling == "linear", let factor = file.float32("\(name).rope.scaling.factor"), factor > 0 {
            freqScale = 1 / factor
        } else if scaling != "none" && scaling != "linear" {
            throw .invalidModel("RoPE scaling '\(scaling)' is not supported")
        }
        try self.init(
            architecture: architecture,
            embeddingLength: embd,
            layerCount: try int("block_count"),
            headCount: heads,
            headCountKV: headsKV,
            headDimension: headDim,
            feedForwardLength: try int("feed_forward_length"),
            vocabularySize: vocab,
            contextLength: try int("context_length"),
            rmsEpsilon: file.float32("\(name).attention.layer_norm_rms_epsilon") ?? 1e-5,
            ropeFrequencyBase: file.float32("\(name).rope.freq_base") ?? 10_000,
            ropeFrequencyScale: freqScale,
            ropeDimensionCount: file.int("\(name).rope.dimension_count") ?? headDim)
    }

    /// Builds a configuration from explicit values, checking that they fit together.
    ///
    /// - Throws: `EngineError.invalidModel` naming the first inconsistency.
    public init(
        architecture: ModelArchitecture, embeddingLength: Int, layerCount: Int, headCount: Int, headCountKV: Int,
        headDimension: Int, feedForwardLength: Int, vocabularySize: Int, contextLength: Int, rmsEpsilon: Float,
        ropeFrequencyBase: Float, ropeFrequencyScale: Float = 1, ropeDimensionCount: Int
    ) throws(EngineError) {
        func check(_ ok: Bool, _ what: String) throws(EngineError) {
            if !ok { throw .invalidModel(what) }
        }
        try check(embeddingLength > 0, "embedding length \(embeddingLength) must be positive")
        try check(layerCount > 0, "block count \(layerCount) must be positive")
        try check(headCount > 0 && headCountKV > 0, "head counts \(headCount)/\(headCountKV) must be positive")
        try check(headCount % headCountKV == 0, "head count \(headCount) is not a multiple of KV heads \(headCountKV)")
        try check(headDimension > 0 && headDimension % 2 == 0, "head size \(headDimension) must be positive and even")
        try check(
            ropeDimensionCount > 0 && ropeDimensionCount <= headDimension && ropeDimensionCount % 2 == 0,
            "RoPE dimension count \(ropeDimensionCount) must be even and at most the head size \(headDimension)")
        try check(feedForwardLength > 0, "feed-forward length \(feedForwardLength) must be positive")
        try check(vocabularySize > 0, "vocabulary size \(vocabularySize) must be positive")
        try check(contextLength > 0, "context length \(contextLength) must be positive")
        try check(rmsEpsilon > 0 && rmsEpsilon.isFinite, "RMSNorm epsilon \(rmsEpsilon) must be positive")
        try check(
            ropeFrequencyBase > 0 && ropeFrequencyBase.isFinite, "RoPE base \(ropeFrequencyBase) must be positive")
        self.architecture = architecture
        self.embeddingLength = embeddingLength
        self.layerCount = layerCount
        self.headCount = headCount
        self.headCountKV = headCountKV
        self.headDimension = headDimension
        self.feedForwardLength = feedForwardLength
        self.vocabularySize = vocabularySize
        self.contextLength = contextLength
        self.rmsEpsilon = rmsEpsilon
        self.ropeFrequencyBase = ropeFrequencyBase
        self.ropeFrequencyScale = ropeFrequencyScale
        self.ropeDimensionCount = ropeDimensionCount
    }
}
