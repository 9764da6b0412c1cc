internal import CKernels
import Foundation
import Testing

@testable import Engine

/// The attention kernels (ggml's flash-attention numerics) against their scalar references and exact attention.
@Suite("Kernel attention: decode and tiled F16 attention")
struct KernelAttentionTests {
    /// One attention problem: a query head and `positions` cached key/value rows, `stride` apart.
    struct Problem {
        let headDim: Int
        let positions: Int
        let stride: Int
        let query: [Float]
        let keys: [UInt16]
        let values: [UInt16]

        init(headDim: Int, positions: Int, queryScale: Float, seed: UInt64) {
            self.headDim = headDim
            self.positions = positions
            stride = 3 * headDim  // several key/value heads per cache row, as with grouped-query attention
            query = QuantSamples.floats(headDim, scale: queryScale, seed: seed)
            keys = QuantSamples.floats(positions * stride, seed: seed &+ 1).map(raif_fp32_to_fp16)
            values = QuantSamples.floats(positions * stride, seed: seed &+ 2).map(raif_fp32_to_fp16)
        }

        /// Runs `kernel` on the problem's second key/value head and returns the output head.
        func run(
            _ kernel: (
                UnsafePointer<Float>?, UnsafePointer<UInt16>?, UnsafePointer<UInt16>?, Int64, Int64, Int64, Float,
                UnsafeMutablePointer<UInt16>?, UnsafeMutablePointer<Float>?
            ) -> Void
        ) -> [Float] {
            var out = [Float](repeating: .nan, count: headDim)
            var scratch = [UInt16](repeating: 0xffff, count: 2 * headDim)
            let scale = 1 / Float(headDim).squareRoot()
            query.withUnsafeBufferPointer { q in
                keys.withUnsafeBufferPointer { k in
                    values.withUnsafeBufferPointer { v in
                        kernel(
                            q.baseAddress, k.baseAddress! + headDim, v.baseAddress! + headDim, Int64(stride),
                            Int64(positions), Int64(headDim), scale, &scratch, &out)
                    }
                }
            }
            return out
        }

        /// Plain F32 softmax attention (no F16 rounding), for a tolerance check.
        var exact: [Float] {
            let scale = 1 / Float(headDim).squareRoot()
            let scores = (0..<positions).map { p in
                (0..<headDim).reduce(Float(0)) { $0 + query[$1] * raif_fp16_to_fp32(keys[p * stride + headDim + $1]) }
                    * scale
            }
            let top = scores.max()!
            let weights = scores.map { expf($0 - top) }
            let total = weights.reduce(0, +)
            return (0..<headDim).map { i in
                let value = { (p: Int) in raif_fp16_to_fp32(values[p * stride + headDim + i]) }
                return (0..<positions).reduce(Float(0)) { $0 + weights[$1] * value($1) } / total
            }
        }
    }

    static let cases: [(headDim: Int, positions: Int, queryScale: Float)] = [
        (64, 1, 1), (64, 7, 1), (64, 300, 1), (64, 129, 8), (80, 33, 1), (128, 65, 2), (40, 9, 1), (12, 5, 4),
    ]

    @Test("fast kernel equals the scalar reference bit for bit", arguments: cases)
    func fastEqualsReference(headDim: Int, positions: Int, queryScale: Float) {
        let problem = Problem(headDim: headDim, positions: positions, queryScale: queryScale, seed: UInt64(headDim))
        let fast = problem.run(raif_attend_f16)
        let reference = problem.run(raif_attend_f16_ref)
        #expect(fast.map(\.bitPattern) == reference.map(\.bitPattern))
    }

    @Test("result is softmax attention within F16 rounding", arguments: cases)
    func closeToExactAttention(headDim: Int, positions: Int, queryScale: Float) {
        let problem = Problem(headDim: headDim, positions: positions, queryScale: queryScale, seed: UInt64(headDim))
        let fast = problem.run(raif_attend_f16)
        let exact = problem.exact
        let worst = zip(fast, exact).map { abs($0 - $1) }.max()!
        let magnitude = exact.map(abs).max()!
        #expect(worst <= 1e-2 * max(magnitude, 1e-3), "max |diff| \(worst) at magnitude \(magnitude)")
    }

    /// A prefill block: `rows` query rows at cache positions `first..<first + rows`.
    struct TiledProblem {
        let headDim: Int
        let rows: Int
        let first: Int
        let stride: Int
        let queries: [Float]
        let keys: [UInt16]
        let values: [UInt16]

        init(headDim: Int, rows: Int, first: Int, seed: UInt64) {
            self.headDim = headDim
            self.rows = rows
            self.first = first
            stride = 2 * headDim
            queries = QuantSamples.floats(rows * stride, scale: 2, seed: seed)
            keys = QuantSamples.floats((first + rows) * stride, seed: seed &+ 1).map(raif_fp32_to_fp16)
            values = QuantSamples.floats((first + rows) * stride, seed: seed &+ 2).map(raif_fp32_to_fp16)
        }

        /// Runs `kernel` on the second head of every row and returns the rows' outputs.
        func run(
            _ kernel: (
                UnsafePointer<Float>?, Int64, UnsafePointer<Int64>?, Int64, UnsafePointer<UInt16>?,
                UnsafePointer<UInt16>?, Int64, Int64, Float, UnsafeMutablePointer<Float>?,
                UnsafeMutablePointer<Float>?, Int64
            ) -> Void
        ) -> [Float] {
            var out = [Float](repeating: .nan, count: rows * headDim)
            var scratch = [Float](repeating: .nan, count: raif_attend_tiled_scratch_floats(Int64(rows), Int64(headDim)))
            let positions = (0..<rows).map { Int64(first + $0) }
            let scale = 1 / Float(headDim).squareRoot()
            queries.withUnsafeBufferPointer { q in
                keys.withUnsafeBufferPointer { k in
                    values.withUnsafeBufferPointer { v in
                        kernel(
                            q.baseAddress! + headDim, Int64(stride), positions, Int64(rows), k.baseAddress! + headDim,
                            v.baseAddress! + headDim, Int64(stride), Int64(headDim), scale, &scratch, &out,
                            Int64(headDim))
                    }
                }
            }
            return out
        }

        /// Plain F32 causal softmax attention of row `r`.
        func exact(row r: Int) -> [Float] {
            let scale = 1 / Float(headDim).squareRoot()
            let key = { (p: Int, d: Int) in raif_fp16_to_fp32(keys[p * stride + headDim + d]) }
            let value = { (p: Int, d: Int) in raif_fp16_to_fp32(values[p * stride + headDim + d]) }
            let scores = (0...(first + r)).map { p in
                (0..<headDim).reduce(Float(0)) { $0 + queries[r * stride + headDim + $1] * key(p, $1) } * scale
            }
            let top = scores.max()!
            let weights = scores.map { expf($0 - top) }
            let total = weights.reduce(0, +)
            return (0..<headDim).map { d in
                scores.indices.reduce(Float(0)) { $0 + weights[$1] * value($1, d) } / total
            }
        }
    }

    static let tiledCases: [(headDim: Int, rows: Int, first: Int)] = [
        (64, 64, 0), (64, 37, 0), (64, 64, 100), (128, 20, 64), (8, 70, 3), (40, 64, 130),
    ]

    @Test("tiled kernel equals its scalar reference bit for bit", arguments: tiledCases)
    func tiledFastEqualsReference(headDim: Int, rows: Int, first: Int) {
        let problem = TiledProblem(headDim: headDim, rows: rows, first: first, seed: UInt64(7 * headDim + rows))
        let fast = problem.run(raif_attend_tiled_f16)
        let reference = problem.run(raif_attend_tiled_f16_ref)
        #expect(fast.map(\.bitPattern) == reference.map(\.bitPattern))
    }

    @Test("tiled kernel is causal softmax attention", arguments: tiledCases)
    func tiledCloseToExactAttention(headDim: Int, rows: Int, first: Int) {
        let problem = TiledProblem(headDim: headDim, rows: rows, first: first, seed: UInt64(7 * headDim + rows))
        let fast = problem.run(raif_attend_tiled_f16)
        for r in [0, rows / 2, rows - 1] {
            let exact = problem.exact(row: r)
            let got = Array(fast[r * headDim..<(r + 1) * headDim])
            let worst = zip(got, exact).map { abs($0 - $1) }.max()!
            #expect(worst <= 1e-4 * max(exact.map(abs).max()!, 1e-3), "row \(r): max |diff| \(worst)")
        }
    }
}

/// SwiGLU with ggml's vector `expf` against its scalar reference.
@Suite("Kernel SwiGLU")
struct KernelSwiGLUTests {
    @Test("fast kernel equals the scalar reference bit for bit", arguments: [1, 7, 8, 29, 1536])
    func fastEqualsReference(count: Int) {
        // Ordinary values, plus magnitudes where expf overflows or underflows (ggml's slow lanes).
        var gate = QuantSamples.floats(count, scale: 4, seed: UInt64(count))
        for (i, extreme) in [-100, 95, -89.5, 120, 0, -0.0].enumerated() where i * 5 < count {
            gate[i * 5] = Float(extreme)
        }
        let up = QuantSamples.floats(count, seed: UInt64(count) &+ 9)
        var fast = gate
        var reference = gate
        raif_swiglu_f32(&fast, up, Int64(count))
        raif_swiglu_f32_ref(&reference, up, Int64(count))
        #expect(fast.map(\.bitPattern) == reference.map(\.bitPattern))
        for i in 0..<count {
            let expected = gate[i] / (1 + expf(-gate[i])) * up[i]
            #expect(abs(fast[i] - expected) <= 1e-5 * max(abs(expected), 1), "element \(i): \(fast[i]) vs \(expected)")
        }
    }
}
