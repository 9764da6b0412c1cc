/// One tensor's entry in the GGUF tensor directory.
public struct GGUFTensorInfo: Sendable, Equatable {
    /// Tensor name, e.g. `blk.0.attn_q.weight`.
    public let name: String
    /// Dimensions, `ne[0]` first as in ggml (`ne[0]` is the contiguous row length).
    public let dims: [Int]
    /// Element type.
    public let type: GGMLType
    /// Offset of the first byte relative to the start of the data section.
    public let offset: Int
    /// Bytes taken by the tensor's data.
    public let byteCount: Int

    /// Total number of elements (product of `dims`).
    public var elementCount: Int { dims.reduce(1, *) }
    /// Elements per row (`ne[0]`).
    public var rowLength: Int { dims.first ?? 1 }
    /// Number of rows (product of `dims[1...]`).
    public var rowCount: Int { dims.dropFirst().reduce(1, *) }
    /// Bytes per row.
    public var rowByteCount: Int { rowCount == 0 ? 0 : byteCount / rowCount }
}

/// A memory-mapped, fully validated GGUF model file (versions 2 and 3, little-endian).
///
/// Opening parses the header, all metadata and the tensor directory, checking every length and
/// offset against the bytes left; tensor data stays in the read-only mapping and is handed out as
/// views (`data(for:)`) valid as long as this object lives.
///
/// File layout (all integers little-endian):
/// ```
/// offset 0
/// +--------+---------+--------------+----------+
/// | "GGUF" | version | tensor_count | kv_count |    u32 magic 0x46554747, u32 version (2|3),
/// |  4 B   |   4 B   |     8 B      |   8 B    |    u64, u64
/// +--------+---------+--------------+----------+
/// | kv_count × key/value:                      |
/// |   string key | u32 value_type | value      |    string = u64 length + bytes (no NUL)
/// |   value: u8 i8 u16 i16 u32 i32 f32 bool(1B) |    types 0..7, 10..12 fixed size
/// |          string (8) | array (9):           |
/// |          u32 elem_type | u64 n | n × value |    arrays may nest
/// +--------------------------------------------+
/// | tensor_count × tensor info:                |
/// |   string name | u32 n_dims (<= 4)          |
/// |   n_dims × u64 ne (ne[0] first)            |
/// |   u32 ggml_type | u64 offset               |    offset relative to data section,
/// +--------------------------------------------+    multiple of the alignment
/// | zero padding to general.alignment (def 32) |
/// +--------------------------------------------+ <- data section start
/// | tensor data ...                            |
/// +--------------------------------------------+
/// ```
public final class GGUFFile: Sendable {
    /// The GGUF format version (2 or 3).
    public let version: UInt32
    /// All metadata key/values, typed.
    public let metadata: [String: GGUFValue]
    /// Metadata keys in file order.
    public let metadataKeys: [String]
    /// The tensor directory in file order.
    public let tensors: [GGUFTensorInfo]
    /// Data section alignment (`general.alignment`, default 32).
    public let alignment: Int
    /// File offset of the data section.
    public let dataOffset: Int
    /// Size of the whole file in bytes.
    public var fileSize: Int { mapping.bytes.count }

    let mapping: GGUFMapping
    private let tensorIndex: [String: Int]

    /// The GGUF magic, `"GGUF"` read as a little-endian u32.
    public static let magic: UInt32 = 0x4655_4747
    /// The default data alignment when `general.alignment` is absent.
    public static let defaultAlignment = 32

    /// Opens, memory-maps and validates the GGUF file at `path`.
    ///
    /// - Throws: `GGUFError` naming the first thing wrong with the file.
    public init(path: String) throws(GGUFError) {
        let mapping = try GGUFMapping(path: path)
        self.mapping = mapping
        var reader = ByteReader(mapping: mapping, offset: 0)

        let magic = try reader.read(UInt32.self, "magic")
        guard magic == Self.magic else { throw .badMagic(found: magic) }
        let version = try reader.read(UInt32.self, "version")
        guard version == 2 || version == 3 else { throw .unsupportedVersion(version) }
        self.version = version
        let tensorCount = try reader.read(UInt64.self, "tensor count")
        let kvCount = try reader.read(UInt64.self, "metadata count")
        // Every key/value takes at least 8 (key length) + 4 (type) + 1 bytes; every tensor info
        // at least 8 + 4 + 4 + 8: reject counts that cannot possibly fit before allocating.
        guard kvCount <= UInt64(reader.remaining / 13) else {
            throw .countTooLarge(what: "metadata", count: kvCount, available: reader.remaining)
        }
        guard tensorCount <= UInt64(reader.remaining / 24) else {
            throw .countTooLarge(what: "tensor", count: tensorCount, available: reader.remaining)
        }

        var metadata: [String: GGUFValue] = [:]
        var keys: [String] = []
        metadata.reserveCapacity(Int(kvCount))
        for i in 0..<Int(kvCount) {
            let key = try reader.readStrictString("metadata key \(i)")
            let rawType = try reader.read(UInt32.self, "value type of '\(key)'")
            guard let type = GGUFValueType(rawValue: rawType) else { throw .unknownValueType(rawType, key: key) }
            let value = try reader.readValue(type: type, key: key)
            guard metadata.updateValue(value, forKey: key) == nil else { throw .duplicateKey(key) }
            keys.append(key)
        }
        self.metadata = metadata
        self.metadataKeys = keys

        var alignment = Self.defaultAlignment
        if let value = metadata["general.alignment"] {
            guard case .uint32(let a) = value, a != 0, a & (a - 1) == 0 else {
                throw .invalidAlignment(key: "general.alignment")
            }
            alignment = Int(a)
        }
        self.alignment = alignment

        struct RawTensor {
            var name: String
            var dims: [Int]
            var type: GGMLType
            var offset: UInt64
            var byteCount: Int
        }
        var raw: [RawTensor] = []
        raw.reserveCapacity(Int(tensorCount))
        var index: [String: Int] = [:]
        for i in 0..<Int(tensorCount) {
            let name = try reader.readStrictString("name of tensor \(i)")
            let nDims = try reader.read(UInt32.self, "dimension count of tensor '\(name)'")
            guard nDims <= 4 else { throw .tooManyDimensions(Int(nDims), tensor: name) }
            var rawDims: [UInt64] = []
            for d in 0..<Int(nDims) {
                rawDims.append(try reader.read(UInt64.self, "dimension \(d) of tensor '\(name)'"))
            }
            let rawType = try reader.read(UInt32.self, "type of tensor '\(name)'")
            guard let type = GGMLType(rawValue: rawType) else { throw .unknownTensorType(rawType, tensor: name) }
            let offset = try reader.read(UInt64.self, "data offset of tensor '\(name)'")

            // Dimensions: each non-negative as int64, the product must not overflow, rows whole blocks.
            var dims: [Int] = []
            var elements = 1
            for d in rawDims {
                guard d <= UInt64(Int64.max) else { throw .invalidDimensions(rawDims, tensor: name) }
                let (p, overflow) = elements.multipliedReportingOverflow(by: Int(d))
                guard !overflow else { throw .invalidDimensions(rawDims, tensor: name) }
                elements = p
                dims.append(Int(d))
            }
            guard (dims.first ?? 1) % type.blockSize == 0, let byteCount = type.bytes(forElements: elements) else {
                throw .invalidDimensions(rawDims, tensor: name)
            }
            guard offset % UInt64(alignment) == 0 else {
                throw .misalignedOffset(tensor: name, offset: offset, alignment: alignment)
            }
            guard index.updateValue(i, forKey: name) == nil else { throw .duplicateTensor(name) }
            raw.append(RawTensor(name: name, dims: dims, type: type, offset: offset, byteCount: byteCount))
        }

        // The data section starts at the next multiple of the alignment.
        let padded = (reader.offset + alignment - 1) / alignment * alignment
        let dataOffset = min(padded, mapping.bytes.count)
        let dataSize = mapping.bytes.count - dataOffset
        for t in raw {
            guard t.offset <= UInt64(dataSize), UInt64(t.byteCount) <= UInt64(dataSize) - t.offset else {
                throw .tensorDataOutOfRange(
                    tensor: t.name, offset: t.offset, byteCount: t.byteCount, dataSectionSize: dataSize)
            }
        }
        self.dataOffset = dataOffset
        self.tensors = raw.map {
            GGUFTensorInfo(name: $0.name, dims: $0.dims, type: $0.type, offset: Int($0.offset), byteCount: $0.byteCount)
        }
        self.tensorIndex = index
    }

    /// The tensor named `name`, if present.
    public func tensor(named name: String) -> GGUFTensorInfo? {
        tensorIndex[name].map { tensors[$0] }
    }

    /// A read-only view of the tensor's bytes inside the mapping (valid while this file lives).
    ///
    /// `tensor` must come from this file's `tensors` (its range was checked when opening).
    public func data(for tensor: GGUFTensorInfo) -> UnsafeRawBufferPointer {
        let start = dataOffset + tensor.offset
        precondition(start + tensor.byteCount <= mapping.bytes.count, "tensor info from another GGUF file")
        return UnsafeRawBufferPointer(rebasing: mapping.bytes[start..<start + tensor.byteCount])
    }

    /// The raw bytes of the whole file (valid while this file lives).
    public var bytes: UnsafeRawBufferPointer { mapping.bytes }

    // MARK: - Typed metadata getters

    /// The value under `key`, if any.
    public subscript(key: String) -> GGUFValue? { metadata[key] }

    /// A string value.
    public func string(_ key: String) -> String? {
        if case .string(let s) = metadata[key] { return s }
        return nil
    }

    /// A boolean value.
    public func bool(_ key: String) -> Bool? {
        if case .bool(let b) = metadata[key] { return b }
        return nil
    }

    /// Any integer value that fits in `Int`.
    public func int(_ key: String) -> Int? { metadata[key]?.integer(as: Int.self) }
    /// Any integer value that fits in `UInt32`.
    public func uint32(_ key: String) -> UInt32? { metadata[key]?.integer(as: UInt32.self) }
    /// Any integer value that fits in `Int32`.
    public func int32(_ key: String) -> Int32? { metadata[key]?.integer(as: Int32.self) }
    /// Any integer value that fits in `UInt64`.
    public func uint64(_ key: String) -> UInt64? { metadata[key]?.integer(as: UInt64.self) }
    /// Any integer value that fits in `Int64`.
    public func int64(_ key: String) -> Int64? { metadata[key]?.integer(as: Int64.self) }

    /// A float32 value (a float64 is narrowed).
    public func float32(_ key: String) -> Float? {
        switch metadata[key] {
        case .float32(let v): return v
        case .float64(let v): return Float(v)
        default: return nil
        }
    }

    /// A float value of either width.
    public func float64(_ key: String) -> Double? {
        switch metadata[key] {
        case .float32(let v): return Double(v)
        case .float64(let v): return v
        default: return nil
        }
    }

    /// An array value.
    public func array(_ key: String) -> GGUFArray? {
        if case .array(let a) = metadata[key] { return a }
        return nil
    }

    /// A string array (e.g. `tokenizer.ggml.tokens`, `tokenizer.ggml.merges`).
    public func stringArray(_ key: String) -> [String]? { array(key)?.strings }
    /// An int32 array (e.g. `tokenizer.ggml.token_type`).
    public func int32Array(_ key: String) -> [Int32]? { array(key)?.int32s }
    /// A float32 array (e.g. `tokenizer.ggml.scores`).
    public func float32Array(_ key: String) -> [Float]? { array(key)?.float32s }
    /// An integer array of any integer element type, widened to Int.
    public func intArray(_ key: String) -> [Int]? { array(key)?.ints }

    /// `general.architecture` (e.g. `llama`, `qwen2`).
    public var architecture: String? { string("general.architecture") }
}
