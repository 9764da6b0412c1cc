internal import CKernels
import GGUF
import Testing

@testable import Engine

/// Fast (AVX2) kernels against the scalar references on seeded random tensors of every type.
@Suite("Quant kernels: fast vs reference")
struct QuantKernelTests {
    static let weightTypes = QuantTraits.weightTypes

    @Test func traitsTable() throws {
        let expected: [(GGMLType, Int, Int, GGMLType)] = [
            (.f32, 1, 4, .f32), (.f16, 1, 2, .f16), (.bf16, 1, 2, .bf16), (.q8_0, 32, 34, .q8_0),
            (.q4_0, 32, 18, .q8_0), (.q4_1, 32, 20, .q8_1), (.q5_0, 32, 22, .q8_0), (.q5_1, 32, 24, .q8_1),
            (.q4_K, 256, 144, .q8_K), (.q5_K, 256, 176, .q8_K), (.q6_K, 256, 210, .q8_K),
        ]
        #expect(Set(Self.weightTypes) == Set(expected.map(\.0)))
        for (type, block, size, act) in expected {
            let t = try #require(QuantTraits(type))
            #expect(t.blockSize == block && t.typeSize == size && t.vecDotType == act, "\(type)")
            // The C table agrees with the GGUF reader's ggml type table.
            #expect(type.blockSize == block && type.typeSize == size)
            #expect(QuantTraits(act)?.quantize != nil)
        }
        #expect(QuantTraits(.q8_1)?.typeSize == 36 && QuantTraits(.q8_K)?.typeSize == 292)
        #expect(QuantTraits(.q2_K) == nil && QuantTraits(.iq4_nl) == nil)
        #expect(raif_row_size(Int32(GGMLType.q4_1.rawValue), 576) == 360)
        #expect(raif_row_size(Int32(GGMLType.q4_1.rawValue), 33) == 0)
    }

    /// Elements per test vector: several blocks, and long enough to exercise the 32-wide F32/F16 loops
    /// and their leftovers.
    static func lengths(_ type: GGMLType) -> [Int] {
        type.blockSize == 1
            ? [8, 33, 96, 1000] : [type.blockSize, 4 * type.blockSize, 2304 / type.blockSize * type.blockSize]
    }

    @Test(arguments: weightTypes)
    func dequantizeFastEqualsReference(_ type: GGMLType) throws {
        let traits = try #require(QuantTraits(type))
        for n in Self.lengths(type) {
            let blocks = QuantSamples.blocks(type, elements: n, seed: 1 &+ UInt64(n))
            var fast = [Float](repeating: .nan, count: n), ref = [Float](repeating: -.nan, count: n)
            blocks.withUnsafeBytes { src in
                fast.withUnsafeMutableBufferPointer { traits.dequantize(src, count: n, into: $0) }
                ref.withUnsafeMutableBufferPointer { traits.dequantize(src, count: n, into: $0, reference: true) }
            }
            // Bit-identical: both do the same roundings (d*q exact, one add / multiply).
            #expect(zip(fast, ref).allSatisfy { $0.bitPattern == $1.bitPattern }, "\(type) n=\(n)")
        }
    }

    /// Bound: |fast - ref| <= 1e-5 * sum_i |w_i * a_i| (+ 1e-30): both sum the same exact integer block
    /// sums; only float accumulation order (8 lanes + FMA vs sequential) differs.
    @Test(arguments: weightTypes)
    func dotFastWithinBoundOfReference(_ type: GGMLType) throws {
        let traits = try #require(QuantTraits(type))
        let act = try #require(QuantTraits(traits.vecDotType))
        for n in Self.lengths(type) {
            for seed in 0..<4 as Range<UInt64> {
                let w = QuantSamples.blocks(type, elements: n, seed: 100 &+ seed &* 7 &+ UInt64(n))
                let x = QuantSamples.floats(n, seed: 200 &+ seed)
                var a = [UInt8](repeating: 0, count: act.rowBytes(n))
                x.withUnsafeBufferPointer { xp in a.withUnsafeMutableBytes { act.quantize(xp, into: $0) } }
                var wf = [Float](repeating: 0, count: n), af = [Float](repeating: 0, count: n)
                w.withUnsafeBytes { src in
                    wf.withUnsafeMutableBufferPointer { traits.dequantize(src, count: n, into: $0) }
                }
                a.withUnsafeBytes { src in af.withUnsafeMutableBufferPointer { act.dequantize(src, count: n, into: $0) }
                }
                let magnitude = zip(wf, af).reduce(Float(0)) { $0 + abs($1.0 * $1.1) }
                let exact = zip(wf, af).reduce(Double(0)) { $0 + Double($1.0) * Double($1.1) }
                let (fast, ref) = w.withUnsafeBytes { wb in
                    a.withUnsafeBytes { ab in
                        (traits.dot(wb, ab, count: n), traits.dot(wb, ab, count: n, reference: true))
                    }
                }
                let bound = 1e-5 * magnitude + 1e-30
                #expect(abs(fast - ref) <= bound, "\(type) n=\(n) seed=\(seed): fast \(fast) ref \(ref)")
                // And both are the dot product of the dequantized vectors, except that Q8_1's stored
                // s = fp16(d * sum q) carries a rounding of up to |s| * 2^-11 per block (times the weight min).
                var sError: Float = 0
                if traits.vecDotType == .q8_1 {
                    for b in 0..<n / 32 {
                        let m = raif_fp16_to_fp32(
                            UInt16(w[b * traits.typeSize + 2]) | UInt16(w[b * traits.typeSize + 3]) << 8)
                        let s = raif_fp16_to_fp32(UInt16(a[b * 36 + 2]) | UInt16(a[b * 36 + 3]) << 8)
                        sError += abs(m * s) * 0x1p-11
                    }
                }
                #expect(abs(Double(ref) - exact) <= Double(bound + sError), "\(type) n=\(n): ref \(ref) exact \(exact)")
            }
        }
    }

    /// Activation quantizers: fast and reference produce identical bytes on random data.
    @Test(arguments: [GGMLType.q8_0, .q8_1, .q8_K, .f16, .bf16, .f32])
    func quantizeFastEqualsReference(_ type: GGMLType) throws {
        let traits = try #require(QuantTraits(type))
        for n in [256, 1024, 4096] {
            let x = QuantSamples.floats(n, scale: 3, seed: UInt64(n))
            var fast = [UInt8](repeating: 1, count: traits.rowBytes(n)),
                ref = [UInt8](repeating: 2, count: traits.rowBytes(n))
            x.withUnsafeBufferPointer { xp in
                fast.withUnsafeMutableBytes { traits.quantize(xp, into: $0) }
                ref.withUnsafeMutableBytes { traits.quantize(xp, into: $0, reference: true) }
            }
            #expect(fast == ref, "\(type) n=\(n)")
            // Round trip: |x - q * fp16(d)| <= d/2 + 127 * |d - fp16(d)| <= d * (0.5 + 127/2048),
            // d = amax/127 per block (q8_K: f32 d, so d/2), f16/bf16: relative precision.
            var back = [Float](repeating: 0, count: n)
            fast.withUnsafeBytes { src in
                back.withUnsafeMutableBufferPointer { traits.dequantize(src, count: n, into: $0) }
            }
            let block = type == .q8_K ? 256 : 32
            for start in stride(from: 0, to: n, by: block) {
                let xs = x[start..<start + block], ys = back[start..<start + block]
                let d = xs.map(abs).max()! / 127
                let bound: (Float) -> Float =
                    switch type {
                    case .q8_0, .q8_1: { _ in d * (0.5 + 127 / 2048) * 1.001 }
                    case .q8_K: { _ in d * 0.5 * 1.001 }
                    case .f16: { abs($0) * 0x1p-11 + 0x1p-25 }
                    case .bf16: { abs($0) * 0x1p-8 }
                    default: { _ in 0 }
                    }
                #expect(zip(xs, ys).allSatisfy { abs($0 - $1) <= bound($0) }, "\(type) round trip, block at \(start)")
            }
        }
    }

    /// Special values through the f16 / bf16 activation encoders: fast (8 lanes + tail) equals reference.
    @Test(arguments: [GGMLType.f16, .bf16])
    func specialValuesEncodeLikeReference(_ type: GGMLType) throws {
        let traits = try #require(QuantTraits(type))
        let specials: [Float] = [
            .nan, -.nan, Float(bitPattern: 0x7fa0_0000), .infinity, -.infinity, 0, -0.0, .greatestFiniteMagnitude,
            -.greatestFiniteMagnitude, .leastNonzeroMagnitude, 1e-40, 65504, 65520, -65519, 6e-8, 3e-8,
            Float(bitPattern: 0x3f80_8000), Float(bitPattern: 0x3f81_8000), 1,
        ]
        var fast = [UInt8](repeating: 0, count: traits.rowBytes(specials.count)), ref = fast
        specials.withUnsafeBufferPointer { x in
            fast.withUnsafeMutableBytes { traits.quantize(x, into: $0) }
            ref.withUnsafeMutableBytes { traits.quantize(x, into: $0, reference: true) }
        }
        #expect(fast == ref)
    }

    /// f16 conversions: all 65536 halves round-trip through f32, and f32 -> f16 rounds like F16C.
    @Test func halfPrecisionConversions() {
        for h in 0...UInt16.max {
            let f = raif_fp16_to_fp32(h)
            if f.isNaN { continue }
            #expect(raif_fp32_to_fp16(f) == h, "half \(h)")
        }
        var g = QuantSamples.Generator(seed: 9)
        var mismatches = 0
        for _ in 0..<200_000 {
            // random bit patterns across the whole f16 range, including subnormals and overflow
            let f = Float(
                bitPattern: UInt32.random(in: 0x3000_0000...0x4800_0000, using: &g)
                    | (Bool.random(using: &g) ? 0x8000_0000 : 0))
            var one = f, fast: UInt16 = 0
            withUnsafePointer(to: &one) { p in
                withUnsafeMutableBytes(of: &fast) { raif_quantize_row_f16(p, $0.baseAddress!, 1) }
            }
            if raif_fp32_to_fp16(f) != fast { mismatches += 1 }
            // ties: exactly half-way between two halves
        }
        #expect(mismatches == 0)
        #expect(raif_fp32_to_fp16(65520) == 0x7c00 && raif_fp32_to_fp16(65519.99) == 0x7bff)
        #expect(raif_fp32_to_fp16(.infinity) == 0x7c00 && raif_fp32_to_fp16(-0.0) == 0x8000)
        #expect(raif_fp16_to_fp32(raif_fp32_to_fp16(.nan)).isNaN)
        #expect(raif_fp32_to_bf16(1.0) == 0x3f80 && raif_bf16_to_fp32(0x3f80) == 1)
        #expect(raif_fp32_to_bf16(Float(bitPattern: 0x3f80_8000)) == 0x3f80)  // tie to even
        #expect(raif_fp32_to_bf16(Float(bitPattern: 0x3f81_8000)) == 0x3f82)
    }
}
