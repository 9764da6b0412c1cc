internal import CKernels
internal import GGUF

/// Deterministic random tensors in every kernel type: valid blocks (finite, normal-range scales)
/// for the kernel benchmark and the kernel tests.
enum QuantSamples {
    /// SplitMix64: small, fast, seeded.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// `count` floats, roughly normal with the given scale (sum of uniforms), occasional outliers.
    static func floats(_ count: Int, scale: Float = 1, seed: UInt64) -> [Float] {
        var g = Generator(seed: seed)
        return (0..<count).map { _ in
            let u = (0..<4).reduce(Float(0)) { acc, _ in acc + Float.random(in: -1...1, using: &g) }
            let outlier: Float = Int.random(in: 0..<64, using: &g) == 0 ? 4 : 1
            return u * 0.5 * scale * outlier
        }
    }

    /// `elements` elements of `type` as raw bytes: random quants, with every f16/f32 field (scales,
    /// mins, plain elements) a finite value of moderate size so no NaN, infinity or subnormal appears.
    static func blocks(_ type: GGMLType, elements: Int, seed: UInt64) -> [UInt8] {
        var g = Generator(seed: seed)
        let blockCount = elements / type.blockSize
        var bytes = (0..<blockCount * type.typeSize).map { _ in UInt8.random(in: 0...255, using: &g) }
        func f16(_ v: Float) -> UInt16 { raif_fp32_to_fp16(v) }
        func put16(_ value: UInt16, at offset: Int) {
            bytes[offset] = UInt8(value & 0xff)
            bytes[offset + 1] = UInt8(value >> 8)
        }
        let ts = type.typeSize
        for b in 0..<blockCount {
            let base = b * ts
            let scale = Float.random(in: 0.001...0.02, using: &g)
            let minimum = Float.random(in: -0.05...0.05, using: &g)
            switch type {
            case .f32:
                let v = Float.random(in: -2...2, using: &g).bitPattern
                for i in 0..<4 { bytes[base + i] = UInt8((v >> (8 * UInt32(i))) & 0xff) }
            case .f16:
                put16(f16(Float.random(in: -2...2, using: &g)), at: base)
            case .bf16:
                put16(UInt16(Float.random(in: -2...2, using: &g).bitPattern >> 16), at: base)
            case .q4_0, .q5_0:
                put16(f16(scale), at: base)
            case .q8_0:
                put16(f16(scale), at: base)
                for i in 0..<32 where bytes[base + 2 + i] == 0x80 { bytes[base + 2 + i] = 0x81 }  // -128 -> -127
            case .q8_1:
                put16(f16(scale), at: base)
                put16(f16(minimum), at: base + 2)
                for i in 0..<32 where bytes[base + 4 + i] == 0x80 { bytes[base + 4 + i] = 0x81 }
            case .q4_1, .q5_1, .q4_K, .q5_K:
                put16(f16(scale), at: base)
                put16(f16(abs(minimum)), at: base + 2)
            case .q6_K:
                put16(f16(scale), at: base + 208)
            case .q8_K:
                let d = Float.random(in: 0.001...0.02, using: &g).bitPattern
                for i in 0..<4 { bytes[base + i] = UInt8((d >> (8 * UInt32(i))) & 0xff) }
                var sums = [Int](repeating: 0, count: 16)
                for j in 0..<256 {
                    if bytes[base + 4 + j] == 0x80 { bytes[base + 4 + j] = 0x81 }
                    sums[j / 16] += Int(Int8(bitPattern: bytes[base + 4 + j]))
                }
                for (i, s) in sums.enumerated() { put16(UInt16(bitPattern: Int16(s)), at: base + 260 + 2 * i) }
            default:
                preconditionFailure("no sample generator for \(type)")
            }
        }
        return bytes
    }
}
