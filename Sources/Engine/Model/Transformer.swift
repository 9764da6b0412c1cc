internal import CKernels
internal import Foundation
internal import GGUF

/// One new token of a forward pass: which token, at which position of which sequence.
struct BatchEntry {
    /// Token id (checked against the vocabulary by the caller).
    let token: Int32
    /// Position in its sequence; the cache must hold positions `0..<position` already (or get them
    /// from earlier entries of the same batch).
    let position: Int
    /// The sequence's key/value cache; the token's keys and values are written at `position`.
    let cache: KVCache
    /// Row of `RunState.logits` to fill with this token's next-token logits, or nil.
    let logitRow: Int?
}

/// The llama / qwen2 forward pass over a batch of tokens, matmuls split across a worker pool.
///
/// A batch may mix sequences (batched decode: one token of each) or carry many tokens of one
/// sequence (prefill): every matmul streams the weights once for the whole batch. Numerics follow
/// llama.cpp's CPU backend: activations are encoded to each weight's vec_dot type, keys and values
/// are stored as F16, attention runs like ggml's `flash_attn_ext` (F16 query, F16 accumulator).
final class Transformer: @unchecked Sendable {
    let config: ModelConfig
    let weights: ModelWeights
    let pool: WorkerPool
    let state: RunState
    /// Extra scratch for a projection whose result is added to the residual stream, [tokenCapacity × embeddingLength].
    private let delta: UnsafeMutablePointer<Float>

    /// Test hook: called with (tensor name as llama.cpp's graph names it, layer, data, element count).
    var observer: ((String, Int, UnsafePointer<Float>, Int) -> Void)?

    /// Batches of at least this many tokens of one sequence use ggml's tiled attention (its `Q` tile).
    static let tiledAttentionMinimum = 64
    /// Key/value positions per tile of the tiled attention (ggml's `GGML_FA_TILE_KV`).
    static let tile = 64

    /// Rows of a matmul given to one worker at a time (keeps the split aligned).
    private static let rowGranule = 16

    /// Element-wise work up to this many elements runs on the calling thread: a parallel job costs a
    /// wake-up and a barrier (about a microsecond or two), more than normalizing and encoding the
    /// activations of a decode step.
    private static let inlineElements = 4096

    init(config: ModelConfig, weights: ModelWeights, pool: WorkerPool, tokenCapacity: Int, logitCapacity: Int) {
        self.config = config
        self.weights = weights
        self.pool = pool
        state = RunState(
            config: config, tokenCapacity: tokenCapacity, logitCapacity: logitCapacity, threads: pool.threadCount)
        delta = .allocate(capacity: tokenCapacity * config.embeddingLength)
    }

    deinit { delta.deallocate() }

    /// Runs `entries` through the model, appending their keys/values to their caches and filling
    /// the requested rows of `state.logits` ([logitCapacity × vocabularySize]).
    func forward(_ entries: [BatchEntry]) {
        let c = config
        let n = entries.count
        precondition(n > 0 && n <= state.tokenCapacity, "batch of \(n) tokens exceeds the run state")
        let s = state
        let embd = c.embeddingLength

        // Make room in every cache and look up the token embeddings.
        for e in entries { e.cache.reserve(e.position + 1) }
        for (b, e) in entries.enumerated() {
            MatmulKernels.dequantizeRow(weights.tokenEmbedding, row: Int(e.token), into: s.x + b * embd)
            fillRope(position: e.position, into: s.ropeCache + b * c.ropeDimensionCount)
        }

        for (l, layer) in weights.layers.enumerated() {
            // Attention: norm, Q/K/V projections (+ qwen2 biases).
            project(
                input: s.normed, width: embd, count: n,
                prepare: { b in
                    layer.attentionNorm.withUnsafeBufferPointer { w in
                        VectorMath.rmsNorm(
                            s.x + b * embd, weight: w.baseAddress!, epsilon: c.rmsEpsilon, count: embd,
                            into: s.normed + b * embd)
                    }
                },
                outputs: [
                    Projection(weight: layer.query, output: s.q, bias: layer.queryBias, addToResidual: false),
                    Projection(weight: layer.key, output: s.k, bias: layer.keyBias, addToResidual: false),
                    Projection(weight: layer.value, output: s.v, bias: layer.valueBias, addToResidual: false),
                ])
            observer?("attn_norm", l, s.normed, n * embd)
            observer?("Vcur", l, s.v, n * c.kvDimension)
            storeKeysAndValues(entries, layer: l)
            observer?("Qcur", l, s.q, n * c.queryDimension)
            observer?("Kcur", l, s.k, n * c.kvDimension)
            if n >= Self.tiledAttentionMinimum && entries.allSatisfy({ $0.cache === entries[0].cache }) {
                attendTiled(entries, layer: l)
            } else {
                attend(entries, layer: l)
            }
            observer?("kqv_out", l, s.attention, n * c.queryDimension)
            project(
                input: s.attention, width: c.queryDimension, count: n, prepare: nil,
                outputs: [Projection(weight: layer.output, output: delta, bias: nil, addToResidual: true)])

            // Feed-forward: norm, gate and up, SwiGLU, down.
            project(
                input: s.normed, width: embd, count: n,
                prepare: { b in
                    layer.feedForwardNorm.withUnsafeBufferPointer { w in
                        VectorMath.rmsNorm(
                            s.x + b * embd, weight: w.baseAddress!, epsilon: c.rmsEpsilon, count: embd,
                            into: s.normed + b * embd)
                    }
                },
                outputs: [
                    Projection(weight: layer.gate, output: s.gate, bias: nil, addToResidual: false),
                    Projection(weight: layer.up, output: s.up, bias: nil, addToResidual: false),
                ])
            let ff = c.feedForwardLength
            project(
                input: s.gate, width: ff, count: n,
                prepare: { b in
                    (MatmulKernels.useReference ? raif_swiglu_f32_ref : raif_swiglu_f32)(
                        s.gate + b * ff, s.up + b * ff, Int64(ff))
                },
                outputs: [Projection(weight: layer.down, output: delta, bias: nil, addToResidual: true)])
            observer?("ffn_swiglu", l, s.gate, n * ff)
            observer?("l_out", l, s.x, n * embd)
        }
        for e in entries { e.cache.count = max(e.cache.count, e.position + 1) }

        // Output head for the entries that want logits.
        let wanted = entries.enumerated().compactMap { b, e in e.logitRow.map { (b, $0) } }
        guard !wanted.isEmpty else { return }
        let maxRow = wanted.map(\.1).max()!
        precondition(maxRow < s.logitCapacity, "logit row \(maxRow) exceeds the run state")
        for (b, row) in wanted {
            weights.outputNorm.withUnsafeBufferPointer { w in
                VectorMath.rmsNorm(
                    s.x + b * embd, weight: w.baseAddress!, epsilon: c.rmsEpsilon, count: embd,
                    into: s.outputNormed + row * embd)
            }
        }
        project(
            input: s.outputNormed, width: embd, count: maxRow + 1, prepare: nil,
            outputs: [Projection(weight: weights.output, output: s.logits, bias: nil, addToResidual: false)])
    }

    // MARK: - Pieces

    /// A matmul whose result goes to `output` ([tokens × weight.rows]), or is added to the residual
    /// stream (`output` is then scratch of the same shape).
    private struct Projection {
        let weight: WeightMatrix
        let output: UnsafeMutablePointer<Float>
        let bias: [Float]?
        let addToResidual: Bool
    }

    /// Prepares (optional) and encodes `count` input rows of `width` floats, then runs every projection.
    ///
    /// Encoding happens once per distinct activation type; `prepare(b)` (normalization, SwiGLU)
    /// runs on row `b` before its first encoding, in the same parallel job.
    private func project(
        input: UnsafeMutablePointer<Float>, width: Int, count n: Int, prepare: ((Int) -> Void)?,
        outputs: [Projection]
    ) {
        let s = state
        let stride = s.activationRowCapacity
        var prepared = prepare == nil
        var remaining = outputs
        while !remaining.isEmpty {
            let type = MatmulKernels.activationType(for: remaining[0].weight.type)
            let group = remaining.filter { MatmulKernels.activationType(for: $0.weight.type) == type }
            remaining.removeAll { MatmulKernels.activationType(for: $0.weight.type) == type }
            let needsPrepare = !prepared
            prepared = true
            let encode = { (b: Int) in
                if needsPrepare { prepare!(b) }
                MatmulKernels.quantize(input + b * width, count: width, as: type, into: s.activations + b * stride)
            }
            if n * width <= Self.inlineElements {
                for b in 0..<n { encode(b) }
            } else {
                pool.run { worker in
                    for b in self.pool.range(of: n, worker: worker) { encode(b) }
                }
            }
            let totalRows = group.reduce(0) { $0 + $1.weight.rows }
            let embd = config.embeddingLength
            let x = s.x
            pool.run { worker in
                let mine = self.pool.range(of: totalRows, worker: worker, granule: Self.rowGranule)
                var base = 0
                for p in group {
                    let rows = p.weight.rows
                    let lo = max(mine.lowerBound - base, 0)
                    let hi = min(mine.upperBound - base, rows)
                    base += rows
                    guard lo < hi else { continue }
                    MatmulKernels.matmul(
                        p.weight, rows: lo..<hi, activations: s.activations, activationStride: stride, batch: n,
                        output: p.output, outputStride: rows)
                    if let bias = p.bias {
                        bias.withUnsafeBufferPointer { bp in
                            for b in 0..<n {
                                let o = p.output + b * rows
                                for r in lo..<hi { o[r] += bp[r] }
                            }
                        }
                    }
                    if p.addToResidual {
                        for b in 0..<n {
                            let o = p.output + b * rows
                            let xr = x + b * embd
                            for r in lo..<hi { xr[r] += o[r] }
                        }
                    }
                }
            }
        }
    }

    /// cos/sin pairs for `position` as ggml's `rope_cache_init` computes them, [ropeDimensionCount].
    private func fillRope(position: Int, into cache: UnsafeMutablePointer<Float>) {
        let c = config
        let thetaScale = powf(c.ropeFrequencyBase, -2 / Float(c.ropeDimensionCount))
        var theta = Float(position)
        for i0 in stride(from: 0, to: c.ropeDimensionCount, by: 2) {
            let factor = weights.ropeFrequencyFactors?[i0 / 2] ?? 1
            let t = c.ropeFrequencyScale * (theta / factor)
            cache[i0] = cosf(t)
            cache[i0 + 1] = sinf(t)
            theta *= thetaScale
        }
    }

    /// Rotates one head in place (`rotate_pairs` of ggml, NORM or NEOX layout).
    @inline(__always)
    private func rope(_ x: UnsafeMutablePointer<Float>, cache: UnsafePointer<Float>) {
        let nRot = config.ropeDimensionCount
        switch config.ropeLayout {
        case .adjacentPairs:
            for i0 in stride(from: 0, to: nRot, by: 2) {
                let (cs, sn) = (cache[i0], cache[i0 + 1])
                let (x0, x1) = (x[i0], x[i0 + 1])
                // As ggml's loop compiles (GCC contracts it): the x0 products are fused.
                x[i0] = (-(x1 * sn)).addingProduct(x0, cs)
                x[i0 + 1] = (x1 * cs).addingProduct(x0, sn)
            }
        case .splitHalves:
            let half = nRot / 2
            for i0 in stride(from: 0, to: nRot, by: 2) {
                let (cs, sn) = (cache[i0], cache[i0 + 1])
                let ic = i0 / 2
                let (x0, x1) = (x[ic], x[ic + half])
                // ggml's scalar loop (GCC contracts it): fused on the x0 products.
                x[ic] = (-(x1 * sn)).addingProduct(x0, cs)
                x[ic + half] = (x1 * cs).addingProduct(x0, sn)
            }
        }
    }

    /// Applies RoPE to queries and keys and writes keys/values (F16) into each entry's cache.
    private func storeKeysAndValues(_ entries: [BatchEntry], layer: Int) {
        let c = config
        let s = state
        let (hd, kvDim, qDim) = (c.headDimension, c.kvDimension, c.queryDimension)
        let store = { (b: Int) in
            let e = entries[b]
            let rc = UnsafePointer(s.ropeCache + b * c.ropeDimensionCount)
            for h in 0..<c.headCount { self.rope(s.q + b * qDim + h * hd, cache: rc) }
            let k = s.k + b * kvDim
            for h in 0..<c.headCountKV { self.rope(k + h * hd, cache: rc) }
            raif_quantize_row_f16(k, e.cache.key(layer: layer, position: e.position), Int64(kvDim))
            raif_quantize_row_f16(s.v + b * kvDim, e.cache.value(layer: layer, position: e.position), Int64(kvDim))
        }
        if entries.count * (qDim + 2 * kvDim) <= Self.inlineElements {
            for b in entries.indices { store(b) }
        } else {
            pool.run { worker in
                for b in self.pool.range(of: entries.count, worker: worker) { store(b) }
            }
        }
    }

    /// Causal attention of every entry's query heads over its cache positions `0...position`.
    ///
    /// Per (token, head) this is ggml's `flash_attn_ext_f16_one_chunk`: the query is rounded to F16,
    /// scores are F16 dot products times `1/sqrt(headDimension)`, the online softmax rescales an F16
    /// accumulator of values, and the result is divided by the running sum at the end.
    private func attend(_ entries: [BatchEntry], layer: Int) {
        let c = config
        let s = state
        let (hd, kvDim, qDim) = (c.headDimension, c.kvDimension, c.queryDimension)
        let group = c.headCount / c.headCountKV
        let scale = 1 / Float(hd).squareRoot()
        let items = entries.count * c.headCount
        let attendHead = MatmulKernels.useReference ? raif_attend_f16_ref : raif_attend_f16
        pool.run { worker in
            let scratch = s.attentionScratch + worker * 2 * hd
            for item in self.pool.range(of: items, worker: worker) {
                let b = item / c.headCount
                let h = item % c.headCount
                let e = entries[b]
                let kvOffset = (h / group) * hd
                attendHead(
                    s.q + b * qDim + h * hd, e.cache.keyBits(layer: layer, position: 0) + kvOffset,
                    e.cache.valueBits(layer: layer, position: 0) + kvOffset, Int64(kvDim), Int64(e.position + 1),
                    Int64(hd), scale, scratch, s.attention + b * qDim + h * hd)
            }
        }
    }

    /// Causal attention as ggml's `flash_attn_ext_tiled` computes it for batches of 64+ tokens of
    /// one sequence (`raif_attend_tiled_f16`).
    ///
    /// Work items are (head, block of 64 query rows); per item the kernel walks the cache in tiles of
    /// 64 positions: F32 queries, keys and values widened from F16, ggml's vector `expf`, the same
    /// lane order as ggml's GEMM.
    private func attendTiled(_ entries: [BatchEntry], layer: Int) {
        let c = config
        let s = state
        let (hd, kvDim, qDim) = (c.headDimension, c.kvDimension, c.queryDimension)
        let group = c.headCount / c.headCountKV
        let scale = 1 / Float(hd).squareRoot()
        let tile = Self.tile
        let blocks = (entries.count + tile - 1) / tile
        let items = c.headCount * blocks
        let cache = entries[0].cache
        precondition(hd % 8 == 0, "tiled attention needs a head size that is a multiple of 8")
        let kernel = MatmulKernels.useReference ? raif_attend_tiled_f16_ref : raif_attend_tiled_f16
        let positions = entries.map { Int64($0.position) }
        let scratchCount = raif_attend_tiled_scratch_floats(Int64(tile), Int64(hd))
        positions.withUnsafeBufferPointer { positions in
            pool.run { worker in
                let scratch = UnsafeMutablePointer<Float>.allocate(capacity: scratchCount)
                defer { scratch.deallocate() }
                // Round robin: later blocks of a head attend to more positions, so contiguous ranges
                // would leave one worker the heavier half.
                for item in stride(from: worker, to: items, by: self.pool.threadCount) {
                    let h = item / blocks
                    let r0 = (item % blocks) * tile
                    let rows = min(entries.count, r0 + tile) - r0
                    let kvOffset = (h / group) * hd
                    kernel(
                        s.q + r0 * qDim + h * hd, Int64(qDim), positions.baseAddress! + r0, Int64(rows),
                        cache.keyBits(layer: layer, position: 0) + kvOffset,
                        cache.valueBits(layer: layer, position: 0) + kvOffset, Int64(kvDim), Int64(hd), scale,
                        scratch, s.attention + r0 * qDim + h * hd, Int64(qDim))
                }
            }
        }
    }
}
