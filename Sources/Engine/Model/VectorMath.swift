internal import Foundation

/// Element-wise pieces of the forward pass, written to round exactly like ggml's CPU backend.
///
/// Where ggml's result depends on evaluation order (RMSNorm's double sum, the F16 dot product's
/// four 8-lane accumulators, the AVX2 `expf` approximation inside SiLU, the F16 attention
/// accumulator) these follow the same order so logits match llama.cpp's bit for bit where possible.
enum VectorMath {
    /// `out = x / sqrt(mean(x²) + eps) * weight` over `n` elements (ggml `rms_norm` then `mul`).
    @inline(__always)
    static func rmsNorm(
        _ x: UnsafePointer<Float>, weight: UnsafePointer<Float>, epsilon: Float, count n: Int,
        into out: UnsafeMutablePointer<Float>
    ) {
        var sum: Double = 0
        for i in 0..<n { sum += Double(x[i] * x[i]) }
        let mean = Float(sum / Double(n))
        let scale = 1 / (mean + epsilon).squareRoot()
        for i in 0..<n { out[i] = (x[i] * scale) * weight[i] }
    }

    /// ggml's AVX2 `ggml_v_expf`: an `expf` approximation (max error ~1.5 ulp) used by its SiLU.
    @inline(__always)
    static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let r = SIMD8<Float>(repeating: 0x1.8p23)
        let z = r.addingProduct(x, SIMD8(repeating: 0x1.715476p+0))
        let n = z - r
        let b = x.addingProduct(-n, SIMD8(repeating: 0x1.62e4p-1)).addingProduct(-n, SIMD8(repeating: 0x1.7f7d1cp-20))
        let zBits = unsafeBitCast(z, to: SIMD8<UInt32>.self)
        let e = zBits &<< 23
        let oneBits = SIMD8<UInt32>(repeating: (1 as Float).bitPattern)
        let k = unsafeBitCast(e &+ oneBits, to: SIMD8<Float>.self)
        let u = b * b
        let inner1 = SIMD8<Float>(repeating: 0x1.573e2ep-5).addingProduct(SIMD8(repeating: 0x1.0e4020p-7), b)
        let inner2 = SIMD8<Float>(repeating: 0x1.fffdb6p-2).addingProduct(SIMD8(repeating: 0x1.555e66p-3), b)
        let j = (SIMD8<Float>(repeating: 0x1.ffffecp-1) * b).addingProduct(inner2.addingProduct(inner1, u), u)
        let absN = unsafeBitCast(unsafeBitCast(n, to: SIMD8<UInt32>.self) & 0x7fff_ffff, to: SIMD8<Float>.self)
        let c = absN .> SIMD8(repeating: 126)
        if !any(c) { return k.addingProduct(j, k) }
        // Rare: results near overflow or underflow, handled lane by lane as ggml does.
        var result = SIMD8<Float>()
        for lane in 0..<8 {
            let g: UInt32 = n[lane] <= 0 ? 0x8200_0000 : 0
            let s1 = Float(bitPattern: g &+ 0x7f00_0000)
            let s2 = Float(bitPattern: e[lane] &- g)
            if absN[lane] > 192 {
                result[lane] = s1 * s1
            } else if c[lane] {
                result[lane] = s2.addingProduct(s2, j[lane]) * s1
            } else {
                result[lane] = k[lane].addingProduct(k[lane], j[lane])
            }
        }
        return result
    }

    /// `gate[i] = silu(gate[i]) * up[i]` (ggml `swiglu`: vector `expf` for whole 8-lane groups, libm for the tail).
    static func swiglu(_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, count n: Int) {
        var i = 0
        let g = UnsafeMutableRawPointer(gate)
        let u = UnsafeRawPointer(up)
        while i + 8 <= n {
            let x = g.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            let y = u.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            let silu = x / (SIMD8<Float>(repeating: 1) + exp(SIMD8<Float>() - x))
            g.storeBytes(of: silu * y, toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        while i < n {
            gate[i] = gate[i] / (1 + expf(-gate[i])) * up[i]
            i += 1
        }
    }
}
