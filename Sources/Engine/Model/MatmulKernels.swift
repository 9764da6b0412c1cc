internal import CKernels
internal import GGUF

/// The engine's view of the C kernels: activation encodings, matmuls over row ranges, dequantization.
///
/// Everything goes through `raif_get_type_traits`, the per-type table of the kernels module, so a
/// weight type is usable exactly when the kernels implement it.
enum MatmulKernels {
    /// Use the scalar reference dot products (tests compare whole forward passes both ways).
    nonisolated(unsafe) static var useReference = false

    /// Whether weights of `type` can be multiplied and dequantized.
    static func supports(_ type: GGMLType) -> Bool {
        guard let t = raif_get_type_traits(Int32(type.rawValue)) else { return false }
        return t.pointee.vec_dot != nil && t.pointee.dequantize != nil
    }

    /// The encoding activations must be converted to before a dot product with `weight` rows.
    static func activationType(for weight: GGMLType) -> GGMLType {
        let t = raif_get_type_traits(Int32(weight.rawValue))!
        return GGMLType(rawValue: UInt32(t.pointee.vec_dot_type.rawValue))!
    }

    /// Bytes of one activation row of `columns` elements encoded as `type`.
    static func rowBytes(_ type: GGMLType, columns: Int) -> Int {
        raif_row_size(Int32(type.rawValue), Int64(columns))
    }

    /// Encodes `count` floats as activation type `type` (Q8_0, Q8_1, Q8_K, F16, BF16 or F32) at `out`.
    @inline(__always)
    static func quantize(_ x: UnsafePointer<Float>, count: Int, as type: GGMLType, into out: UnsafeMutableRawPointer) {
        let t = raif_get_type_traits(Int32(type.rawValue))!
        (useReference ? t.pointee.quantize_ref! : t.pointee.quantize!)(x, out, Int64(count))
    }

    /// `output[v * outputStride + r] = dot(w row r, activation v)` for `r` in `rows`, `v` in `0..<batch`.
    @inline(__always)
    static func matmul(
        _ w: WeightMatrix, rows: Range<Int>, activations: UnsafeRawPointer, activationStride: Int, batch: Int,
        output: UnsafeMutablePointer<Float>, outputStride: Int
    ) {
        guard !rows.isEmpty, batch > 0 else { return }
        let status = (useReference ? raif_matmul_ref : raif_matmul)(
            Int32(w.type.rawValue), Int64(w.columns), Int64(rows.lowerBound), Int64(rows.upperBound), w.data,
            Int64(batch), activations, activationStride, output, outputStride)
        precondition(status == 0, "matmul kernel rejected \(w.name) (\(w.type))")
    }

    /// Row `row` of `w` as floats into `out` ([w.columns]).
    @inline(__always)
    static func dequantizeRow(_ w: WeightMatrix, row: Int, into out: UnsafeMutablePointer<Float>) {
        let t = raif_get_type_traits(Int32(w.type.rawValue))!
        t.pointee.dequantize!(w.row(row), out, Int64(w.columns))
    }

    /// The first `count` elements of a tensor as floats, or nil if the type cannot be dequantized.
    static func dequantize(_ bytes: UnsafeRawBufferPointer, type: GGMLType, count: Int) -> [Float]? {
        guard let t = raif_get_type_traits(Int32(type.rawValue)), let dequantize = t.pointee.dequantize,
            count % Int(t.pointee.block_size) == 0,
            raif_row_size(Int32(type.rawValue), Int64(count)) <= bytes.count
        else { return nil }
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            dequantize(bytes.baseAddress!, buffer.baseAddress!, Int64(count))
            initialized = count
        }
    }
}
