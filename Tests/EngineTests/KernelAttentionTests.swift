internal import CKernels
import Foundation
import Testing

@testable import Engine

/// The decode attention kernel (ggml's F16 flash-attention numerics) against its scalar reference.
@Suite("Kernel attention: F16 decode attention")
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
}
