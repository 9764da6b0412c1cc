/// A ggml tensor element type, numbered as in `ggml.h` (the numbers stored in GGUF files).
///
/// Quantized types store elements in blocks of `blockSize` elements taking `typeSize` bytes;
/// plain types have a block size of 1.
public enum GGMLType: UInt32, Sendable, CaseIterable, CustomStringConvertible {
    case f32 = 0
    case f16 = 1
    case q4_0 = 2
    case q4_1 = 3
    case q5_0 = 6
    case q5_1 = 7
    case q8_0 = 8
    case q8_1 = 9
    case q2_K = 10
    case q3_K = 11
    case q4_K = 12
    case q5_K = 13
    case q6_K = 14
    case q8_K = 15
    case iq2_xxs = 16
    case iq2_xs = 17
    case iq3_xxs = 18
    case iq1_s = 19
    case iq4_nl = 20
    case iq3_s = 21
    case iq2_s = 22
    case iq4_xs = 23
    case i8 = 24
    case i16 = 25
    case i32 = 26
    case i64 = 27
    case f64 = 28
    case iq1_m = 29
    case bf16 = 30
    case tq1_0 = 34
    case tq2_0 = 35
    case mxfp4 = 39
    case nvfp4 = 40
    case q1_0 = 41
    case q2_0 = 42

    /// Elements per block (1 for plain types, 32 for Q4_0…Q8_1, 256 for K-quants).
    public var blockSize: Int { Self.traits(self).blockSize }

    /// Bytes per block.
    public var typeSize: Int { Self.traits(self).typeSize }

    /// ggml's lower-case name (`"q4_K"`, `"bf16"` …).
    public var name: String { Self.traits(self).name }

    public var description: String { name }

    /// Whether this type stores elements in multi-element quantized blocks.
    public var isQuantized: Bool { blockSize > 1 || self == .q8_K }

    /// Bytes taken by `count` elements, or nil if `count` is not a whole number of blocks
    /// (or negative, or the byte count overflows).
    public func bytes(forElements count: Int) -> Int? {
        let (block, size) = (blockSize, typeSize)
        guard count >= 0, count % block == 0 else { return nil }
        let (product, overflow) = (count / block).multipliedReportingOverflow(by: size)
        return overflow ? nil : product
    }

    private static func traits(_ type: GGMLType) -> (blockSize: Int, typeSize: Int, name: String) {
        let qk = 256  // QK_K
        switch type {
        case .f32: return (1, 4, "f32")
        case .f16: return (1, 2, "f16")
        case .q4_0: return (32, 2 + 16, "q4_0")
        case .q4_1: return (32, 2 + 2 + 16, "q4_1")
        case .q5_0: return (32, 2 + 4 + 16, "q5_0")
        case .q5_1: return (32, 2 + 2 + 4 + 16, "q5_1")
        case .q8_0: return (32, 2 + 32, "q8_0")
        case .q8_1: return (32, 2 + 2 + 32, "q8_1")
        case .q2_K: return (qk, 2 + 2 + qk / 16 + qk / 4, "q2_K")
        case .q3_K: return (qk, 2 + qk / 4 + qk / 8 + 12, "q3_K")
        case .q4_K: return (qk, 2 + 2 + qk / 2 + 12, "q4_K")
        case .q5_K: return (qk, 2 + 2 + qk / 2 + qk / 8 + 12, "q5_K")
        case .q6_K: return (qk, 2 + qk / 2 + qk / 4 + qk / 16, "q6_K")
        case .q8_K: return (qk, 4 + qk + qk / 8, "q8_K")
        case .iq2_xxs: return (qk, 2 + qk / 4, "iq2_xxs")
        case .iq2_xs: return (qk, 2 + qk / 4 + qk / 32, "iq2_xs")
        case .iq3_xxs: return (qk, 2 + qk / 4 + qk / 8, "iq3_xxs")
        case .iq1_s: return (qk, 2 + qk / 8 + qk / 16, "iq1_s")
        case .iq4_nl: return (32, 2 + 16, "iq4_nl")
        case .iq3_s: return (qk, 2 + qk / 4 + qk / 8 + qk / 32 + 4, "iq3_s")
        case .iq2_s: return (qk, 2 + qk / 4 + qk / 16, "iq2_s")
        case .iq4_xs: return (qk, 2 + 2 + qk / 2 + qk / 64, "iq4_xs")
        case .i8: return (1, 1, "i8")
        case .i16: return (1, 2, "i16")
        case .i32: return (1, 4, "i32")
        case .i64: return (1, 8, "i64")
        case .f64: return (1, 8, "f64")
        case .iq1_m: return (qk, qk / 8 + qk / 16 + qk / 32, "iq1_m")
        case .bf16: return (1, 2, "bf16")
        case .tq1_0: return (qk, 2 + 4 * 13, "tq1_0")
        case .tq2_0: return (qk, 2 + 64, "tq2_0")
        case .mxfp4: return (32, 1 + 16, "mxfp4")
        case .nvfp4: return (64, 4 + 32, "nvfp4")
        case .q1_0: return (128, 2 + 16, "q1_0")
        case .q2_0: return (64, 2 + 16, "q2_0")
        }
    }
}
