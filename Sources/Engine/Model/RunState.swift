/// Activation buffers for up to `tokenCapacity` tokens of one forward pass.
///
/// The third of llama2.c's three things, next to `KVCache` (which lives per sequence). Every
/// buffer is allocated once for the largest batch; shapes are `[tokens × width]`, row-major.
final class RunState: @unchecked Sendable {
    /// Tokens a forward pass may carry.
    let tokenCapacity: Int
    /// Rows of logits a forward pass may produce.
    let logitCapacity: Int

    /// Residual stream, [tokenCapacity × embeddingLength].
    let x: UnsafeMutablePointer<Float>
    /// RMS-normed input of the current sub-layer, [tokenCapacity × max(embeddingLength, queryDimension)].
    let normed: UnsafeMutablePointer<Float>
    /// Queries, [tokenCapacity × queryDimension].
    let q: UnsafeMutablePointer<Float>
    /// Keys of the new tokens before they go to the cache, [tokenCapacity × kvDimension].
    let k: UnsafeMutablePointer<Float>
    /// Values of the new tokens, [tokenCapacity × kvDimension].
    let v: UnsafeMutablePointer<Float>
    /// Attention output (heads concatenated), [tokenCapacity × queryDimension].
    let attention: UnsafeMutablePointer<Float>
    /// SwiGLU gate, then `silu(gate) * up`, [tokenCapacity × feedForwardLength].
    let gate: UnsafeMutablePointer<Float>
    /// SwiGLU up projection, [tokenCapacity × feedForwardLength].
    let up: UnsafeMutablePointer<Float>
    /// Activations converted to a weight's vec_dot type, [tokenCapacity × activationRowCapacity] bytes.
    let activations: UnsafeMutableRawPointer
    /// Bytes reserved per token in `activations` (enough for F32 of the widest input).
    let activationRowCapacity: Int
    /// Final-norm rows of the tokens that want logits, [logitCapacity × embeddingLength].
    let outputNormed: UnsafeMutablePointer<Float>
    /// Logits, [logitCapacity × vocabularySize].
    let logits: UnsafeMutablePointer<Float>
    /// Per-worker scratch of the decode attention kernel (F16 query and accumulator), [threads × 2 × headDimension].
    let attentionScratch: UnsafeMutablePointer<UInt16>
    /// RoPE cos/sin pairs per token, [tokenCapacity × ropeDimensionCount].
    let ropeCache: UnsafeMutablePointer<Float>

    private let allocations: [UnsafeMutableRawPointer]

    init(config c: ModelConfig, tokenCapacity: Int, logitCapacity: Int, threads: Int) {
        self.tokenCapacity = tokenCapacity
        self.logitCapacity = logitCapacity
        var all: [UnsafeMutableRawPointer] = []
        func floats(_ n: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: max(n, 1))
            p.initialize(repeating: 0, count: max(n, 1))
            all.append(UnsafeMutableRawPointer(p))
            return p
        }
        func halves(_ n: Int) -> UnsafeMutablePointer<UInt16> {
            let p = UnsafeMutablePointer<UInt16>.allocate(capacity: max(n, 1))
            p.initialize(repeating: 0, count: max(n, 1))
            all.append(UnsafeMutableRawPointer(p))
            return p
        }
        let wide = max(c.embeddingLength, c.queryDimension)
        x = floats(tokenCapacity * c.embeddingLength)
        normed = floats(tokenCapacity * wide)
        q = floats(tokenCapacity * c.queryDimension)
        k = floats(tokenCapacity * c.kvDimension)
        v = floats(tokenCapacity * c.kvDimension)
        attention = floats(tokenCapacity * c.queryDimension)
        gate = floats(tokenCapacity * c.feedForwardLength)
        up = floats(tokenCapacity * c.feedForwardLength)
        // F32 (4 bytes/element) is the widest activation encoding; 64 bytes of slack keeps rows aligned.
        activationRowCapacity = (4 * max(wide, c.feedForwardLength) + 64 + 63) / 64 * 64
        activations = UnsafeMutableRawPointer.allocate(byteCount: tokenCapacity * activationRowCapacity, alignment: 64)
        all.append(activations)
        outputNormed = floats(logitCapacity * c.embeddingLength)
        logits = floats(logitCapacity * c.vocabularySize)
        attentionScratch = halves(threads * 2 * c.headDimension)
        ropeCache = floats(tokenCapacity * c.ropeDimensionCount)
        allocations = all
    }

    deinit {
        for p in allocations { p.deallocate() }
    }

    /// Bytes held by all buffers.
    static func byteCount(config c: ModelConfig, tokenCapacity: Int, logitCapacity: Int) -> Int {
        let wide = max(c.embeddingLength, c.queryDimension)
        let floatsPerToken =
            c.embeddingLength + wide + 2 * c.queryDimension + 2 * c.kvDimension + 2 * c.feedForwardLength
            + c.ropeDimensionCount
        return 4 * tokenCapacity * floatsPerToken + tokenCapacity * (4 * max(wide, c.feedForwardLength) + 128)
            + 4 * logitCapacity * (c.embeddingLength + c.vocabularySize)
    }
}
