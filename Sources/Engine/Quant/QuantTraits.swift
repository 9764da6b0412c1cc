internal import CKernels
internal import GGUF

/// What the kernels know about one tensor type: block geometry, the activation type its dot
/// products take, and the fast and reference kernels (from `raif_get_type_traits`).
///
/// Weight types: F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K.
/// Activation-only types: Q8_1, Q8_K (they have quantizers but no dot product of their own).
struct QuantTraits: @unchecked Sendable {
    /// The tensor type these traits describe.
    let type: GGMLType
    /// Elements per block.
    let blockSize: Int
    /// Bytes per block.
    let typeSize: Int
    /// The encoding activations take for dot products with weights of this type.
    let vecDotType: GGMLType
    /// Block -> f32 (fast and scalar reference).
    let dequantize: raif_dequantize_fn
    let dequantizeRef: raif_dequantize_fn
    /// f32 -> this type, present for activation types (F32, F16, BF16, Q8_0, Q8_1, Q8_K).
    let quantize: raif_quantize_fn?
    let quantizeRef: raif_quantize_fn?
    /// Dot product of a row of this type with a `vecDotType` vector, present for weight types.
    let vecDot: raif_vec_dot_fn?
    let vecDotRef: raif_vec_dot_fn?

    /// Traits of `type`, or nil if the kernels do not implement it.
    init?(_ type: GGMLType) {
        guard let t = raif_get_type_traits(Int32(type.rawValue))?.pointee,
            let vt = GGMLType(rawValue: UInt32(t.vec_dot_type.rawValue)),
            let dq = t.dequantize, let dqr = t.dequantize_ref
        else { return nil }
        self.type = type
        self.blockSize = Int(t.block_size)
        self.typeSize = Int(t.type_size)
        self.vecDotType = vt
        self.dequantize = dq
        self.dequantizeRef = dqr
        self.quantize = t.quantize
        self.quantizeRef = t.quantize_ref
        self.vecDot = t.vec_dot
        self.vecDotRef = t.vec_dot_ref
    }

    /// Traits of every type the kernels implement.
    static let all: [QuantTraits] = GGMLType.allCases.compactMap(QuantTraits.init)

    /// The weight types (those with a dot product).
    static let weightTypes: [GGMLType] = all.filter { $0.vecDot != nil }.map(\.type)

    /// Bytes of `count` elements; `count` must be a multiple of `blockSize`.
    func rowBytes(_ count: Int) -> Int {
        precondition(count >= 0 && count % blockSize == 0, "\(count) elements is not whole \(type) blocks")
        return count / blockSize * typeSize
    }

    /// Dequantizes `count` elements at `source` into `destination`.
    func dequantize(
        _ source: UnsafeRawBufferPointer, count: Int, into destination: UnsafeMutableBufferPointer<Float>,
        reference: Bool = false
    ) {
        precondition(source.count >= rowBytes(count) && destination.count >= count, "dequantize buffers too small")
        guard count > 0 else { return }
        (reference ? dequantizeRef : dequantize)(source.baseAddress!, destination.baseAddress!, Int64(count))
    }

    /// Encodes `source` (a multiple of `blockSize` floats) into `destination` as this type.
    /// Only activation types have quantizers (a programmer error otherwise).
    func quantize(
        _ source: UnsafeBufferPointer<Float>, into destination: UnsafeMutableRawBufferPointer, reference: Bool = false
    ) {
        guard let fn = reference ? quantizeRef : quantize else { preconditionFailure("\(type) has no quantizer") }
        precondition(destination.count >= rowBytes(source.count), "quantize destination too small")
        guard source.count > 0 else { return }
        fn(source.baseAddress!, destination.baseAddress!, Int64(source.count))
    }

    /// Dot product of `count` weights of this type with `count` activations encoded as `vecDotType`.
    func dot(
        _ weights: UnsafeRawBufferPointer, _ activations: UnsafeRawBufferPointer, count: Int, reference: Bool = false
    ) -> Float {
        guard let fn = reference ? vecDotRef : vecDot else { preconditionFailure("\(type) has no dot product") }
        precondition(weights.count >= rowBytes(count), "dot: weights too small")
        precondition(
            activations.count >= QuantTraits(vecDotType)!.rowBytes(count), "dot: activations too small")
        var s: Float = 0
        guard count > 0 else { return 0 }
        fn(Int32(count), &s, weights.baseAddress!, activations.baseAddress!)
        return s
    }

    /// `output[v * outputStride + r] = dot(weight row r, activation v)` for `r` in `rows`, `v` in
    /// `0..<vectorCount`. `weights` points at row 0 of a `columns`-wide matrix of this type;
    /// activations are `vectorCount` vectors of `vecDotType`, `activationStride` bytes apart.
    func matmul(
        weights: UnsafeRawPointer, columns: Int, rows: Range<Int>, activations: UnsafeRawPointer,
        vectorCount: Int, activationStride: Int, output: UnsafeMutablePointer<Float>, outputStride: Int,
        reference: Bool = false
    ) {
        let fn = reference ? raif_matmul_ref : raif_matmul
        let status = fn(
            Int32(type.rawValue), Int64(columns), Int64(rows.lowerBound), Int64(rows.upperBound), weights,
            Int64(vectorCount), activations, activationStride, output, outputStride)
        precondition(status == 0, "matmul rejected \(type) with \(columns) columns")
    }
}

/// Vectors of activations encoded for dot products with one weight type, in one owned buffer.
///
/// Layout: `count` vectors of `length` elements of `traits.type`, `stride` bytes apart.
final class QuantizedVectors {
    /// The activation encoding's traits.
    let traits: QuantTraits
    /// Elements per vector.
    let length: Int
    /// Number of vectors.
    let count: Int
    /// Bytes between consecutive vectors.
    let stride: Int
    /// The encoded bytes [count × stride].
    let storage: UnsafeMutableRawBufferPointer

    /// Allocates room for `count` vectors of `length` elements encoded as `type`'s activation type.
    init(forWeights type: GGMLType, length: Int, count: Int) {
        let weight = QuantTraits(type)!
        traits = QuantTraits(weight.vecDotType)!
        self.length = length
        self.count = count
        stride = traits.rowBytes(length)
        storage = .allocate(byteCount: max(1, stride * count), alignment: 64)
    }

    deinit { storage.deallocate() }

    /// Encodes `values` (`length` floats) as vector `index`.
    func set(_ index: Int, from values: UnsafeBufferPointer<Float>) {
        precondition(index < count && values.count == length)
        traits.quantize(
            values, into: UnsafeMutableRawBufferPointer(rebasing: storage[index * stride..<(index + 1) * stride]))
    }

    /// Base address of vector 0.
    var baseAddress: UnsafeRawPointer { UnsafeRawPointer(storage.baseAddress!) }
}
