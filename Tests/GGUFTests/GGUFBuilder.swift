import Foundation

/// Builds GGUF files byte by byte for tests, with knobs to corrupt any field.
struct GGUFBuilder {
    struct KV {
        var key: [UInt8]
        var type: UInt32
        var payload: [UInt8]
        /// Writes this length instead of the key's real length.
        var keyLength: UInt64? = nil
    }
    struct Tensor {
        var name: [UInt8]
        var dims: [UInt64]
        var type: UInt32
        var offset: UInt64
        /// Writes this length instead of the name's real length.
        var nameLength: UInt64? = nil
    }

    var magic: [UInt8] = Array("GGUF".utf8)
    var version: UInt32 = 3
    var kvs: [KV] = []
    var tensors: [Tensor] = []
    /// Overrides the counts written in the header (to lie about them).
    var tensorCountOverride: UInt64? = nil
    var kvCountOverride: UInt64? = nil
    var alignment = 32
    var data: [UInt8] = []

    // MARK: value encoding

    static func u32(_ v: UInt32) -> [UInt8] { withUnsafeBytes(of: v.littleEndian, Array.init) }
    static func u64(_ v: UInt64) -> [UInt8] { withUnsafeBytes(of: v.littleEndian, Array.init) }
    static func string(_ s: String) -> [UInt8] { u64(UInt64(s.utf8.count)) + Array(s.utf8) }
    static func rawString(_ b: [UInt8]) -> [UInt8] { u64(UInt64(b.count)) + b }

    mutating func add(_ key: String, type: UInt32, payload: [UInt8]) {
        kvs.append(KV(key: Array(key.utf8), type: type, payload: payload))
    }
    mutating func add(_ key: String, uint32 v: UInt32) { add(key, type: 4, payload: Self.u32(v)) }
    mutating func add(_ key: String, string v: String) { add(key, type: 8, payload: Self.string(v)) }
    mutating func add(_ key: String, strings: [String]) {
        add(key, type: 9, payload: Self.u32(8) + Self.u64(UInt64(strings.count)) + strings.flatMap(Self.string))
    }

    mutating func addTensor(_ name: String, dims: [UInt64], type: UInt32, offset: UInt64) {
        tensors.append(Tensor(name: Array(name.utf8), dims: dims, type: type, offset: offset))
    }

    /// The file bytes, and the offsets where each field starts (for truncation tests).
    func build() -> (bytes: [UInt8], boundaries: [Int]) {
        var out: [UInt8] = []
        var marks: [Int] = []
        func put(_ b: [UInt8]) {
            marks.append(out.count)
            out += b
        }
        put(magic)
        put(Self.u32(version))
        put(Self.u64(tensorCountOverride ?? UInt64(tensors.count)))
        put(Self.u64(kvCountOverride ?? UInt64(kvs.count)))
        for kv in kvs {
            put(Self.u64(kv.keyLength ?? UInt64(kv.key.count)) + kv.key)
            put(Self.u32(kv.type))
            put(kv.payload)
        }
        for t in tensors {
            put(Self.u64(t.nameLength ?? UInt64(t.name.count)) + t.name)
            put(Self.u32(UInt32(t.dims.count)))
            for d in t.dims { put(Self.u64(d)) }
            put(Self.u32(t.type))
            put(Self.u64(t.offset))
        }
        let padded = (out.count + alignment - 1) / alignment * alignment
        if padded > out.count { put([UInt8](repeating: 0, count: padded - out.count)) }
        if !data.isEmpty { put(data) }
        marks.append(out.count)
        return (out, marks)
    }

    /// A small valid file: metadata of several types and two tensors (f32 [4,2] and q8_0 [32]).
    static func valid() -> GGUFBuilder {
        var b = GGUFBuilder()
        b.add("general.architecture", string: "llama")
        b.add("llama.block_count", uint32: 2)
        b.add("test.i8", type: 1, payload: [0xfe])  // -2
        b.add("test.u16", type: 2, payload: [0x34, 0x12])
        b.add("test.i64", type: 11, payload: u64(UInt64(bitPattern: -5)))
        b.add("test.f32", type: 6, payload: u32(Float(1.5).bitPattern))
        b.add("test.f64", type: 12, payload: u64(Double(-2.25).bitPattern))
        b.add("test.bool", type: 7, payload: [1])
        b.add("test.tokens", strings: ["a", "bc", "", "Ġd"])
        b.add("test.ids", type: 9, payload: u32(5) + u64(3) + u32(7) + u32(UInt32(bitPattern: -1)) + u32(9))
        b.add(
            "test.nested", type: 9, payload: u32(9) + u64(2) + u32(0) + u64(2) + [1, 2] + u32(8) + u64(1) + string("x"))
        b.addTensor("w.f32", dims: [4, 2], type: 0, offset: 0)
        b.addTensor("w.q8", dims: [32], type: 8, offset: 32)
        b.data = (0..<32).map { UInt8($0) } + (0..<34).map { UInt8(100 + $0) }
        return b
    }
}

/// Writes `bytes` to a fresh temporary file and returns its path.
func temporaryFile(_ bytes: [UInt8], name: String = "test") -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("raif-gguf-tests-\(getpid())")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let url = dir.appendingPathComponent("\(name)-\(UUID().uuidString).gguf")
    _ = FileManager.default.createFile(atPath: url.path, contents: Data(bytes))
    return url.path
}
