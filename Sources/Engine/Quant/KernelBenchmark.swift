internal import CKernels
internal import GGUF

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// Micro benchmark of the matmul kernels: weight bytes streamed per second, scalar reference vs
/// AVX2, per weight type, on one thread.
///
/// Each round times the reference matvec, the fast matvec and the fast 4-vector matmul back to
/// back (interleaved, so drift in machine load hits all three alike); times are the thread's CPU
/// time, so other processes on a shared machine do not inflate them. The report gives medians and
/// the fast/reference ratio. `raif bench kernels` prints `KernelBenchmark.report(...)`.
public struct KernelBenchmark: Sendable {
    /// One weight type's figures.
    public struct Row: Sendable {
        /// ggml type name, e.g. `q4_1`.
        public let type: String
        /// Bytes of the weight matrix.
        public let weightBytes: Int
        /// Median GB/s of the scalar reference matvec.
        public let referenceGBps: Double
        /// Median GB/s of the fast matvec.
        public let fastGBps: Double
        /// Median effective GB/s of the fast matmul with 4 activation vectors: 4 x weight bytes per
        /// call time (what 4 separate matvecs would have to stream to match it).
        public let fastBatch4GBps: Double
        /// Whether fast and reference outputs agreed within the kernel test bound on this data.
        public let agrees: Bool
    }

    /// Matrix rows.
    public var rows: Int
    /// Matrix columns (a multiple of 256).
    public var columns: Int
    /// Timed rounds per type (the median is reported).
    public var rounds: Int

    public init(rows: Int = 512, columns: Int = 4096, rounds: Int = 7) {
        self.rows = rows
        self.columns = max(256, columns / 256 * 256)
        self.rounds = max(1, rounds)
    }

    /// Runs every weight type (or those named in `types`, e.g. `["q4_1", "q8_0"]`).
    public func run(types: [String]? = nil) -> [Row] {
        QuantTraits.weightTypes.filter { types == nil || types!.contains($0.name) }.map(measure)
    }

    /// A fixed-width table of `rows`.
    public static func report(_ rows: [Row]) -> String {
        func pad(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }
        func f(_ v: Double) -> String {
            let r = (v * 100).rounded() / 100
            return String(r)
        }
        var lines = [
            "type      MB  ref GB/s fast GB/s  fast/ref  x4 eff GB/s   x4/x1  check"
        ]
        for r in rows {
            lines.append(
                r.type + String(repeating: " ", count: max(0, 6 - r.type.count))
                    + pad(f(Double(r.weightBytes) / 1e6), 6)
                    + pad(f(r.referenceGBps), 10) + pad(f(r.fastGBps), 10)
                    + pad(f(r.fastGBps / r.referenceGBps) + "x", 10)
                    + pad(f(r.fastBatch4GBps), 13) + pad(f(r.fastBatch4GBps / r.fastGBps) + "x", 8)
                    + (r.agrees ? "  ok" : "  MISMATCH"))
        }
        return lines.joined(separator: "\n")
    }

    private func measure(_ type: GGMLType) -> Row {
        let traits = QuantTraits(type)!
        let act = QuantTraits(traits.vecDotType)!
        let weights = QuantSamples.blocks(type, elements: rows * columns, seed: 42 &+ UInt64(type.rawValue))
        let batch = 4
        var vectors = [UInt8](repeating: 0, count: act.rowBytes(columns) * batch)
        let stride = act.rowBytes(columns)
        for v in 0..<batch {
            let x = QuantSamples.floats(columns, seed: 7 &+ UInt64(v))
            x.withUnsafeBufferPointer { xp in
                vectors.withUnsafeMutableBytes { vp in
                    act.quantize(xp, into: UnsafeMutableRawBufferPointer(rebasing: vp[v * stride..<(v + 1) * stride]))
                }
            }
        }
        var outRef = [Float](repeating: 0, count: rows)
        var outFast = [Float](repeating: 0, count: rows)
        var outBatch = [Float](repeating: 0, count: rows * batch)
        var refTimes: [Double] = [], fastTimes: [Double] = [], batchTimes: [Double] = []
        weights.withUnsafeBytes { w in
            vectors.withUnsafeBytes { a in
                for _ in 0..<rounds {
                    refTimes.append(
                        cpuSeconds {
                            outRef.withUnsafeMutableBufferPointer { o in
                                traits.matmul(
                                    weights: w.baseAddress!, columns: columns, rows: 0..<rows,
                                    activations: a.baseAddress!, vectorCount: 1, activationStride: stride,
                                    output: o.baseAddress!, outputStride: rows, reference: true)
                            }
                        })
                    fastTimes.append(
                        cpuSeconds {
                            outFast.withUnsafeMutableBufferPointer { o in
                                traits.matmul(
                                    weights: w.baseAddress!, columns: columns, rows: 0..<rows,
                                    activations: a.baseAddress!, vectorCount: 1, activationStride: stride,
                                    output: o.baseAddress!, outputStride: rows)
                            }
                        })
                    batchTimes.append(
                        cpuSeconds {
                            outBatch.withUnsafeMutableBufferPointer { o in
                                traits.matmul(
                                    weights: w.baseAddress!, columns: columns, rows: 0..<rows,
                                    activations: a.baseAddress!, vectorCount: batch, activationStride: stride,
                                    output: o.baseAddress!, outputStride: rows)
                            }
                        })
                }
            }
        }
        let agrees =
            zip(outRef, outFast).allSatisfy { r, f in
                abs(r - f) <= 1e-4 * Swift.max(1, abs(r)) * Float(columns / 256)
            } && zip(outFast, outBatch.prefix(rows)).allSatisfy { $0 == $1 }
        let bytes = Double(weights.count)
        return Row(
            type: type.name, weightBytes: weights.count, referenceGBps: bytes / median(refTimes) / 1e9,
            fastGBps: bytes / median(fastTimes) / 1e9, fastBatch4GBps: bytes * Double(batch) / median(batchTimes) / 1e9,
            agrees: agrees)
    }

    /// The calling thread's CPU time spent in `body`, in seconds.
    private func cpuSeconds(_ body: () -> Void) -> Double {
        var t0 = timespec(), t1 = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0)
        body()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1)
        return Double(t1.tv_sec - t0.tv_sec) + Double(t1.tv_nsec - t0.tv_nsec) * 1e-9
    }

    private func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}
