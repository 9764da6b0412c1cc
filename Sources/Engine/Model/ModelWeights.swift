internal import GGUF

/// A 2-D weight tensor left in the memory map: `rows` rows of `columns` elements of `type`.
///
/// ```
/// data ─► row 0: columns/blockSize blocks of type.typeSize bytes   (rowBytes)
///         row 1: ...
///         row rows-1
/// ```
/// ggml's `ne[0]` is `columns` (the contiguous dimension), `ne[1]` is `rows`; a matmul
/// `y = W x` produces one output per row.
struct WeightMatrix: @unchecked Sendable {
    /// Tensor name in the file, for messages.
    let name: String
    /// Element type of the stored blocks.
    let type: GGMLType
    /// Output features (`ne[1]`).
    let rows: Int
    /// Input features (`ne[0]`).
    let columns: Int
    /// Bytes of one row.
    let rowBytes: Int
    /// First byte of row 0, inside the mapping.
    let data: UnsafeRawPointer

    /// Start of row `r`.
    @inline(__always) func row(_ r: Int) -> UnsafeRawPointer { data + r * rowBytes }
}

/// Weights of one transformer block (views into the mapping, small vectors copied to F32).
struct LayerWeights: @unchecked Sendable {
    /// RMSNorm gain before attention, [embeddingLength].
    let attentionNorm: [Float]
    /// Query projection, [queryDimension × embeddingLength].
    let query: WeightMatrix
    /// Key projection, [kvDimension × embeddingLength].
    let key: WeightMatrix
    /// Value projection, [kvDimension × embeddingLength].
    let value: WeightMatrix
    /// Query bias (qwen2), [queryDimension].
    let queryBias: [Float]?
    /// Key bias (qwen2), [kvDimension].
    let keyBias: [Float]?
    /// Value bias (qwen2), [kvDimension].
    let valueBias: [Float]?
    /// Attention output projection, [embeddingLength × queryDimension].
    let output: WeightMatrix
    /// RMSNorm gain before the feed-forward network, [embeddingLength].
    let feedForwardNorm: [Float]
    /// SwiGLU gate, [feedForwardLength × embeddingLength].
    let gate: WeightMatrix
    /// SwiGLU up projection, [feedForwardLength × embeddingLength].
    let up: WeightMatrix
    /// Down projection, [embeddingLength × feedForwardLength].
    let down: WeightMatrix
}

/// All weights of a model: views into the GGUF mapping, shapes checked against the config.
///
/// The second of llama2.c's three things. Holds the `GGUFFile` so the mapping outlives every view.
final class ModelWeights: @unchecked Sendable {
    /// The file whose mapping the views point into.
    let file: GGUFFile
    /// Token embeddings, [vocabularySize × embeddingLength] (a row per token).
    let tokenEmbedding: WeightMatrix
    /// Transformer blocks in order.
    let layers: [LayerWeights]
    /// Final RMSNorm gain, [embeddingLength].
    let outputNorm: [Float]
    /// LM head, [vocabularySize × embeddingLength]; the token embeddings when the file has no `output.weight`.
    let output: WeightMatrix
    /// Per-pair RoPE frequency divisors (`rope_freqs.weight`, Llama 3.1+), [ropeDimensionCount / 2].
    let ropeFrequencyFactors: [Float]?

    /// Maps every tensor the architecture needs and checks its shape and type.
    ///
    /// - Throws: `EngineError.missingTensor`, `.tensorShapeMismatch` or `.unsupportedTensorType`.
    init(file: GGUFFile, config c: ModelConfig) throws(EngineError) {
        self.file = file
        func matrix(_ name: String, rows: Int, columns: Int) throws(EngineError) -> WeightMatrix {
            guard let info = file.tensor(named: name) else { throw .missingTensor(name) }
            let dims = info.dims.count == 1 ? [info.dims[0], 1] : info.dims
            guard dims.count == 2, dims[0] == columns, dims[1] == rows else {
                throw .tensorShapeMismatch(tensor: name, expected: [columns, rows], found: info.dims)
            }
            guard MatmulKernels.supports(info.type) else {
                throw .unsupportedTensorType(tensor: name, type: info.type.name)
            }
            let bytes = file.data(for: info)
            return WeightMatrix(
                name: name, type: info.type, rows: rows, columns: columns, rowBytes: info.rowByteCount,
                data: bytes.baseAddress!)
        }
        func vector(_ name: String, count: Int) throws(EngineError) -> [Float] {
            guard let info = file.tensor(named: name) else { throw .missingTensor(name) }
            guard info.elementCount == count, info.dims.first == count else {
                throw .tensorShapeMismatch(tensor: name, expected: [count], found: info.dims)
            }
            guard let values = MatmulKernels.dequantize(file.data(for: info), type: info.type, count: count) else {
                throw .unsupportedTensorType(tensor: name, type: info.type.name)
            }
            return values
        }
        func optionalVector(_ name: String, count: Int) throws(EngineError) -> [Float]? {
            file.tensor(named: name) == nil ? nil : try vector(name, count: count)
        }

        let embd = c.embeddingLength
        tokenEmbedding = try matrix("token_embd.weight", rows: c.vocabularySize, columns: embd)
        var layers: [LayerWeights] = []
        for i in 0..<c.layerCount {
            let p = "blk.\(i)."
            layers.append(
                LayerWeights(
                    attentionNorm: try vector(p + "attn_norm.weight", count: embd),
                    query: try matrix(p + "attn_q.weight", rows: c.queryDimension, columns: embd),
                    key: try matrix(p + "attn_k.weight", rows: c.kvDimension, columns: embd),
                    value: try matrix(p + "attn_v.weight", rows: c.kvDimension, columns: embd),
                    queryBias: try optionalVector(p + "attn_q.bias", count: c.queryDimension),
                    keyBias: try optionalVector(p + "attn_k.bias", count: c.kvDimension),
                    valueBias: try optionalVector(p + "attn_v.bias", count: c.kvDimension),
                    output: try matrix(p + "attn_output.weight", rows: embd, columns: c.queryDimension),
                    feedForwardNorm: try vector(p + "ffn_norm.weight", count: embd),
                    gate: try matrix(p + "ffn_gate.weight", rows: c.feedForwardLength, columns: embd),
                    up: try matrix(p + "ffn_up.weight", rows: c.feedForwardLength, columns: embd),
                    down: try matrix(p + "ffn_down.weight", rows: embd, columns: c.feedForwardLength)))
        }
        if c.architecture == .qwen2,
            layers.contains(where: { $0.queryBias == nil || $0.keyBias == nil || $0.valueBias == nil })
        {
            throw .missingTensor("blk.N.attn_{q,k,v}.bias (qwen2 needs Q/K/V biases)")
        }
        self.layers = layers
        outputNorm = try vector("output_norm.weight", count: embd)
        if file.tensor(named: "output.weight") != nil {
            output = try matrix("output.weight", rows: c.vocabularySize, columns: embd)
        } else {
            output = tokenEmbedding
        }
        ropeFrequencyFactors = try optionalVector("rope_freqs.weight", count: c.ropeDimensionCount / 2)
    }

    /// Bytes of weight data (all tensors of the file).
    var byteCount: Int { file.tensors.reduce(0) { $0 + $1.byteCount } }
    /// Number of parameters (elements of all tensors).
    var parameterCount: Int { file.tensors.reduce(0) { $0 + $1.elementCount } }
}
