import Foundation

/// Rebuilds the tiny synthetic models of scripts/fixtures/model_synthetic_fixtures.py byte for byte.
///
/// Every tensor is a pure function of (architecture, type, name) through splitmix64 seeded with
/// FNV-1a of `"arch/type/name"`: float tensors are `offset + amplitude * (2u - 1)` rounded to the
/// tensor type; quantized tensors are random block bytes whose f16 scale fields are set to
/// `base * (1 + u)`. The model is written as a GGUF v3 file.
enum SyntheticModel {
    static let embd = 256, heads = 4, headsKV = 2, headDim = 64, ff = 256, vocab = 32, ctx = 128

    /// ggml type number, block size, bytes per block, f16 scale fields (offset, base).
    static let quant: [String: (type: UInt32, block: Int, size: Int, scales: [(Int, Double)])] = [
        "q4_0": (2, 32, 18, [(0, 0.01)]),
        "q4_1": (3, 32, 20, [(0, 0.01), (2, -0.04)]),
        "q5_0": (6, 32, 22, [(0, 0.005)]),
        "q5_1": (7, 32, 24, [(0, 0.005), (2, -0.04)]),
        "q8_0": (8, 32, 34, [(0, 0.0005)]),
        "q4_K": (12, 256, 144, [(0, 0.0005), (2, 0.0005)]),
        "q5_K": (13, 256, 176, [(0, 0.0003), (2, 0.0005)]),
        "q6_K": (14, 256, 210, [(208, 0.0001)]),
    ]
    static let floatTypes: [String: UInt32] = ["f32": 0, "f16": 1, "bf16": 30]

    struct Stream {
        var state: UInt64
        init(_ key: String) {
            var h: UInt64 = 0xCBF2_9CE4_8422_2325
            for b in key.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
            state = h
        }
        mutating func next() -> UInt64 {
            state = state &+ 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func unit() -> Double { Double(next() >> 11) * (1.0 / Double(UInt64(1) << 53)) }
    }

    static func floats(_ key: String, _ n: Int, offset: Double, amplitude: Double) -> [Float] {
        var s = Stream(key)
        return (0..<n).map { _ in Float(offset + amplitude * (s.unit() * 2 - 1)) }
    }

    struct Tensor {
        let name: String
        let dims: [Int]  // ne[0] first
        let type: UInt32
        let data: [UInt8]
    }

    static func bytes<T>(_ values: [T]) -> [UInt8] { values.withUnsafeBytes { Array($0) } }

    static func matrix(_ prefix: String, _ name: String, _ typeName: String, rows: Int, cols: Int) -> Tensor {
        let key = "\(prefix)/\(name)"
        if let q = quant[typeName] {
            var s = Stream(key)
            var out: [UInt8] = []
            out.reserveCapacity(rows * cols / q.block * q.size)
            for _ in 0..<(rows * cols / q.block) {
                var block = (0..<q.size).map { _ in UInt8(truncatingIfNeeded: s.next() & 0xFF) }
                for (offset, base) in q.scales {
                    let bits = Float16(Float(base * (1 + s.unit()))).bitPattern
                    block[offset] = UInt8(bits & 0xFF)
                    block[offset + 1] = UInt8(bits >> 8)
                }
                out += block
            }
            return Tensor(name: name, dims: [cols, rows], type: q.type, data: out)
        }
        let values = floats(key, rows * cols, offset: 0, amplitude: 0.08)
        switch typeName {
        case "f32": return Tensor(name: name, dims: [cols, rows], type: 0, data: bytes(values))
        case "f16": return Tensor(name: name, dims: [cols, rows], type: 1, data: bytes(values.map { Float16($0) }))
        default:
            let halves: [UInt16] = values.map {
                let b = $0.bitPattern
                return UInt16((b &+ 0x7FFF &+ ((b >> 16) & 1)) >> 16)
            }
            return Tensor(name: name, dims: [cols, rows], type: 30, data: bytes(halves))
        }
    }

    static func vector(_ prefix: String, _ name: String, _ n: Int, offset: Double, amplitude: Double) -> Tensor {
        Tensor(
            name: name, dims: [n], type: 0,
            data: bytes(floats("\(prefix)/\(name)", n, offset: offset, amplitude: amplitude)))
    }

    /// Writes the model to `path` (GGUF v3, alignment 32).
    static func write(architecture arch: String, type typeName: String, to path: String) throws {
        let prefix = "\(arch)/\(typeName)"
        let (qDim, kvDim) = (heads * headDim, headsKV * headDim)
        var tensors: [Tensor] = [matrix(prefix, "token_embd.weight", typeName, rows: vocab, cols: embd)]
        tensors.append(vector(prefix, "output_norm.weight", embd, offset: 1, amplitude: 0.1))
        if arch == "llama" { tensors.append(matrix(prefix, "output.weight", typeName, rows: vocab, cols: embd)) }
        let p = "blk.0."
        tensors.append(vector(prefix, p + "attn_norm.weight", embd, offset: 1, amplitude: 0.1))
        tensors.append(matrix(prefix, p + "attn_q.weight", typeName, rows: qDim, cols: embd))
        tensors.append(matrix(prefix, p + "attn_k.weight", typeName, rows: kvDim, cols: embd))
        tensors.append(matrix(prefix, p + "attn_v.weight", typeName, rows: kvDim, cols: embd))
        if arch == "qwen2" {
            tensors.append(vector(prefix, p + "attn_q.bias", qDim, offset: 0, amplitude: 0.1))
            tensors.append(vector(prefix, p + "attn_k.bias", kvDim, offset: 0, amplitude: 0.1))
            tensors.append(vector(prefix, p + "attn_v.bias", kvDim, offset: 0, amplitude: 0.1))
        }
        tensors.append(matrix(prefix, p + "attn_output.weight", typeName, rows: embd, cols: qDim))
        tensors.append(vector(prefix, p + "ffn_norm.weight", embd, offset: 1, amplitude: 0.1))
        tensors.append(matrix(prefix, p + "ffn_gate.weight", typeName, rows: ff, cols: embd))
        tensors.append(matrix(prefix, p + "ffn_up.weight", typeName, rows: ff, cols: embd))
        tensors.append(matrix(prefix, p + "ffn_down.weight", typeName, rows: embd, cols: ff))

        enum Value { case u32(UInt32), f32(Float), str(String) }
        let kv: [(String, Value)] = [
            ("general.architecture", .str(arch)),
            ("\(arch).context_length", .u32(UInt32(ctx))),
            ("\(arch).embedding_length", .u32(UInt32(embd))),
            ("\(arch).block_count", .u32(1)),
            ("\(arch).feed_forward_length", .u32(UInt32(ff))),
            ("\(arch).attention.head_count", .u32(UInt32(heads))),
            ("\(arch).attention.head_count_kv", .u32(UInt32(headsKV))),
            ("\(arch).rope.freq_base", .f32(arch == "llama" ? 10000 : 1_000_000)),
            ("\(arch).attention.layer_norm_rms_epsilon", .f32(arch == "llama" ? 1e-5 : 1e-6)),
        ]
        var out: [UInt8] = []
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
        func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
        func str(_ s: String) { u64(UInt64(s.utf8.count)); out += Array(s.utf8) }
        func pad() { while out.count % 32 != 0 { out.append(0) } }
        out += Array("GGUF".utf8)
        u32(3)
        u64(UInt64(tensors.count))
        u64(UInt64(kv.count))
        for (key, value) in kv {
            str(key)
            switch value {
            case .u32(let v): u32(4); u32(v)
            case .f32(let v): u32(6); u32(v.bitPattern)
            case .str(let s): u32(8); str(s)
            }
        }
        var offset = 0
        for t in tensors {
            str(t.name)
            u32(UInt32(t.dims.count))
            for d in t.dims { u64(UInt64(d)) }
            u32(t.type)
            u64(UInt64(offset))
            offset += (t.data.count + 31) / 32 * 32
        }
        pad()
        for t in tensors {
            out += t.data
            pad()
        }
        try Data(out).write(to: URL(fileURLWithPath: path))
    }
}
