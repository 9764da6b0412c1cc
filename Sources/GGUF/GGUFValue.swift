/// A GGUF metadata value type number, as stored before every value.
public enum GGUFValueType: UInt32, Sendable, CaseIterable {
    case uint8 = 0
    case int8 = 1
    case uint16 = 2
    case int16 = 3
    case uint32 = 4
    case int32 = 5
    case float32 = 6
    case bool = 7
    case string = 8
    case array = 9
    case uint64 = 10
    case int64 = 11
    case float64 = 12

    /// Bytes per value for fixed-size types, nil for strings and arrays.
    var fixedSize: Int? {
        switch self {
        case .uint8, .int8, .bool: return 1
        case .uint16, .int16: return 2
        case .uint32, .int32, .float32: return 4
        case .uint64, .int64, .float64: return 8
        case .string, .array: return nil
        }
    }

    /// The fewest bytes one value of this type can take (a string's 8-byte length, an array's
    /// 12-byte header): used to reject counts that cannot fit in the bytes left.
    var minimumSize: Int {
        switch self {
        case .string: return 8
        case .array: return 12
        default: return fixedSize!
        }
    }
}

/// One typed GGUF metadata value.
///
/// Arrays are kept as a compact view into the mapped file (`GGUFArray`) and decoded on request,
/// so a 49k-entry token list costs nothing until asked for.
public indirect enum GGUFValue: Sendable, Equatable {
    case uint8(UInt8)
    case int8(Int8)
    case uint16(UInt16)
    case int16(Int16)
    case uint32(UInt32)
    case int32(Int32)
    case uint64(UInt64)
    case int64(Int64)
    case float32(Float)
    case float64(Double)
    case bool(Bool)
    case string(String)
    case array(GGUFArray)

    /// The value type this value was stored as.
    public var type: GGUFValueType {
        switch self {
        case .uint8: return .uint8
        case .int8: return .int8
        case .uint16: return .uint16
        case .int16: return .int16
        case .uint32: return .uint32
        case .int32: return .int32
        case .uint64: return .uint64
        case .int64: return .int64
        case .float32: return .float32
        case .float64: return .float64
        case .bool: return .bool
        case .string: return .string
        case .array: return .array
        }
    }

    /// The value as an integer if it is stored as any integer type and fits in `T`.
    public func integer<T: FixedWidthInteger>(as: T.Type = T.self) -> T? {
        switch self {
        case .uint8(let v): return T(exactly: v)
        case .int8(let v): return T(exactly: v)
        case .uint16(let v): return T(exactly: v)
        case .int16(let v): return T(exactly: v)
        case .uint32(let v): return T(exactly: v)
        case .int32(let v): return T(exactly: v)
        case .uint64(let v): return T(exactly: v)
        case .int64(let v): return T(exactly: v)
        default: return nil
        }
    }

    /// The value as a Double if it is stored as a float or integer type.
    public var doubleValue: Double? {
        switch self {
        case .float32(let v): return Double(v)
        case .float64(let v): return v
        default: return integer(as: Int64.self).map(Double.init) ?? integer(as: UInt64.self).map(Double.init)
        }
    }
}

/// A metadata array: its element type and count, with elements decoded from the mapped file on request.
///
/// Element bytes were bounds-checked when the file was opened; decoding cannot fail except for
/// asking for the wrong element type (the typed accessors return nil then).
public struct GGUFArray: Sendable, Equatable {
    /// The type of every element.
    public let elementType: GGUFValueType
    /// Number of elements.
    public let count: Int
    /// The mapping that owns the bytes (kept alive by this array).
    let mapping: GGUFMapping
    /// Offset of the first element in the file.
    let start: Int
    /// Offset one past the last element.
    let end: Int

    public static func == (lhs: GGUFArray, rhs: GGUFArray) -> Bool {
        lhs.elementType == rhs.elementType && lhs.count == rhs.count && lhs.byteView.elementsEqual(rhs.byteView)
    }

    private var byteView: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: mapping.bytes[start..<end])
    }

    /// All elements as values (nested arrays stay lazy).
    public var values: [GGUFValue] {
        var reader = ByteReader(mapping: mapping, offset: start)
        var out: [GGUFValue] = []
        out.reserveCapacity(count)
        for _ in 0..<count {
            // Already validated during parsing: cannot throw.
            guard let v = try? reader.readValue(type: elementType, key: "array element") else { break }
            out.append(v)
        }
        return out
    }

    /// The elements as strings, or nil if the elements are not strings.
    ///
    /// Invalid UTF-8 inside a string is repaired with U+FFFD; use `stringBytes` for the raw bytes.
    public var strings: [String]? {
        guard elementType == .string else { return nil }
        var out: [String] = []
        out.reserveCapacity(count)
        forEachStringBytes { out.append(String(decoding: $0, as: UTF8.self)) }
        return out
    }

    /// The elements as raw byte strings (no UTF-8 interpretation), or nil if they are not strings.
    public var stringBytes: [[UInt8]]? {
        guard elementType == .string else { return nil }
        var out: [[UInt8]] = []
        out.reserveCapacity(count)
        forEachStringBytes { out.append(Array($0)) }
        return out
    }

    /// Calls `body` with each string element's bytes (a view into the mapping), in order.
    /// Does nothing when the elements are not strings.
    public func forEachStringBytes(_ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        guard elementType == .string else { return }
        let bytes = mapping.bytes
        var offset = start
        for _ in 0..<count {
            let length = Int(bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self).littleEndian)
            offset += 8
            try body(UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length]))
            offset += length
        }
    }

    /// The elements as Int32, or nil unless they are stored as int32.
    public var int32s: [Int32]? { fixed(.int32, Int32.self) }
    /// The elements as UInt32, or nil unless they are stored as uint32.
    public var uint32s: [UInt32]? { fixed(.uint32, UInt32.self) }
    /// The elements as Float, or nil unless they are stored as float32.
    public var float32s: [Float]? { fixed(.float32, Float.self) }

    /// The elements as Int, widening any integer element type; nil if not integers or one does not fit.
    public var ints: [Int]? {
        guard elementType.fixedSize != nil, elementType != .float32, elementType != .float64, elementType != .bool
        else { return nil }
        var out: [Int] = []
        out.reserveCapacity(count)
        for v in values {
            guard let i = v.integer(as: Int.self) else { return nil }
            out.append(i)
        }
        return out
    }

    private func fixed<T: FixedWidthInteger>(_ type: GGUFValueType, _: T.Type) -> [T]? {
        guard elementType == type else { return nil }
        let bytes = mapping.bytes
        return (0..<count).map { T(littleEndian: bytes.loadUnaligned(fromByteOffset: start + $0 * 4, as: T.self)) }
    }

    private func fixed(_ type: GGUFValueType, _: Float.Type) -> [Float]? {
        guard elementType == type else { return nil }
        let bytes = mapping.bytes
        return (0..<count).map {
            Float(
                bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: start + $0 * 4, as: UInt32.self)))
        }
    }
}
