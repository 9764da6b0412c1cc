internal import CKernels
import GGUF
import Testing

@testable import Engine

/// The fused row-range matmul: every row range, every batch size, against per-row dot products.
@Suite("Kernel matmul: row ranges and multi-vector")
struct KernelMatmulTests {
    @Test(arguments: QuantTraits.weightTypes)
    func matmulEqualsPerRowDots(_ type: GGMLType) throws {
        let traits = try #require(QuantTraits(type))
        let act = try #require(QuantTraits(traits.vecDotType))
        let cols = type.blockSize == 1 ? 96 : 2 * max(256, type.blockSize)
        let rows = 37  // more than one 16-row tile, with a partial one
        let rowBytes = traits.rowBytes(cols)
        let w = QuantSamples.blocks(type, elements: rows * cols, seed: 5)
        let nvec = 6  // more than the 4-vector kernels take at once
        let stride = act.rowBytes(cols) + 8  // padded stride: the kernel must honour it
        var a = [UInt8](repeating: 0, count: stride * nvec)
        for v in 0..<nvec {
            let x = QuantSamples.floats(cols, seed: 50 &+ UInt64(v))
            x.withUnsafeBufferPointer { xp in
                a.withUnsafeMutableBytes {
                    act.quantize(
                        xp, into: UnsafeMutableRawBufferPointer(rebasing: $0[v * stride..<v * stride + stride - 8]))
                }
            }
        }
        // Expected: the single-vector fast dot product of each (row, vector).
        var expected = [Float](repeating: 0, count: rows * nvec)
        var expectedRef = [Float](repeating: 0, count: rows * nvec)
        w.withUnsafeBytes { wb in
            a.withUnsafeBytes { ab in
                for r in 0..<rows {
                    let row = UnsafeRawBufferPointer(rebasing: wb[r * rowBytes..<(r + 1) * rowBytes])
                    for v in 0..<nvec {
                        let vec = UnsafeRawBufferPointer(rebasing: ab[v * stride..<(v + 1) * stride])
                        expected[v * rows + r] = traits.dot(row, vec, count: cols)
                        expectedRef[v * rows + r] = traits.dot(row, vec, count: cols, reference: true)
                    }
                }
            }
        }
        for (range, batch) in [
            (0..<rows, 1), (0..<rows, nvec), (3..<9, 4), (5..<6, 2), (7..<7, 3), (0..<rows, 5), (14..<35, 1),
            (17..<35, 6),
        ] {
            for reference in [false, true] {
                var out = [Float](repeating: .nan, count: rows * nvec)
                w.withUnsafeBytes { wb in
                    a.withUnsafeBytes { ab in
                        out.withUnsafeMutableBufferPointer { o in
                            traits.matmul(
                                weights: wb.baseAddress!, columns: cols, rows: range, activations: ab.baseAddress!,
                                vectorCount: batch, activationStride: stride, output: o.baseAddress!,
                                outputStride: rows,
                                reference: reference)
                        }
                    }
                }
                let want = reference ? expectedRef : expected
                for v in 0..<nvec {
                    for r in 0..<rows {
                        let got = out[v * rows + r]
                        if v < batch && range.contains(r) {
                            // Multi-vector kernels are bit-identical to the single-vector ones.
                            #expect(
                                got.bitPattern == want[v * rows + r].bitPattern,
                                "\(type) rows \(range) batch \(batch) v\(v) r\(r)")
                        } else {
                            #expect(got.isNaN, "\(type): wrote outside rows \(range) / batch \(batch)")
                        }
                    }
                }
            }
        }
    }

    @Test func rejectsBadArguments() {
        var out = [Float](repeating: 0, count: 4)
        let w = [UInt8](repeating: 0, count: 64)
        let status = w.withUnsafeBytes { wb in
            out.withUnsafeMutableBufferPointer { o in
                [
                    raif_matvec(Int32(GGMLType.q4_1.rawValue), 33, 0, 1, wb.baseAddress, wb.baseAddress, o.baseAddress),
                    raif_matvec(
                        Int32(GGMLType.q2_K.rawValue), 256, 0, 1, wb.baseAddress, wb.baseAddress, o.baseAddress),
                    raif_matvec(
                        Int32(GGMLType.q8_K.rawValue), 256, 0, 1, wb.baseAddress, wb.baseAddress, o.baseAddress),
                    raif_matvec(999, 32, 0, 1, wb.baseAddress, wb.baseAddress, o.baseAddress),
                    raif_matvec(Int32(GGMLType.q4_1.rawValue), 32, 2, 1, wb.baseAddress, wb.baseAddress, o.baseAddress),
                ]
            }
        }
        #expect(status == [-1, -1, -1, -1, -1])
    }

    /// The benchmark runs and its fast and reference outputs agree (a smoke test of the command core;
    /// the speed figures themselves are printed by `raif bench kernels`, not asserted).
    @Test func benchmarkCoreRuns() {
        let rows = KernelBenchmark(rows: 8, columns: 512, rounds: 1).run(types: ["q4_1", "q6_K", "f16"])
        #expect(rows.map(\.type) == ["f16", "q4_1", "q6_K"])
        #expect(rows.allSatisfy { $0.agrees && $0.fastGBps > 0 && $0.referenceGBps > 0 })
        #expect(KernelBenchmark.report(rows).split(separator: "\n").count == 4)
    }
}
