internal import Foundation

/// RMSNorm, rounded exactly like ggml's CPU backend (a double sum of squares, then the scale).
///
/// The other element-wise pieces whose rounding depends on evaluation order (SwiGLU with ggml's
/// vector `expf`, the F16 and tiled attention) are C kernels with scalar references.
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
}
