#if canImport(Darwin)
    internal import Darwin
#elseif canImport(Glibc)
    internal import Glibc
#endif

/// A read-only memory mapping of a whole file, unmapped when the last reference goes away.
///
/// The bytes never change after mapping (PROT_READ, MAP_PRIVATE), so sharing across threads is safe.
final class GGUFMapping: @unchecked Sendable {
    /// The mapped bytes (empty for an empty file).
    let bytes: UnsafeRawBufferPointer

    /// Maps the file at `path` read-only.
    init(path: String) throws(GGUFError) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .cannotOpen(path: path, errno: errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .cannotOpen(path: path, errno: errno) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .cannotOpen(path: path, errno: EINVAL) }
        let size = Int(info.st_size)
        if size == 0 {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw .cannotOpen(path: path, errno: errno)
        }
        bytes = UnsafeRawBufferPointer(start: base, count: size)
    }

    deinit {
        if let base = bytes.baseAddress {
            munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
        }
    }
}

/// A cursor over the mapped bytes whose every read checks the bytes left first.
struct ByteReader {
    let mapping: GGUFMapping
    private(set) var offset: Int

    init(mapping: GGUFMapping, offset: Int) {
        self.mapping = mapping
        self.offset = offset
    }

    /// Bytes from the cursor to the end of the file.
    var remaining: Int { mapping.bytes.count - offset }

    /// Throws `truncated` unless `count` more bytes are available.
    func require(_ count: UInt64, _ what: @autoclosure () -> String) throws(GGUFError) {
        guard count <= UInt64(remaining) else {
            throw .truncated(what: what(), offset: offset, needed: count, available: remaining)
        }
    }

    mutating func skip(_ count: Int, _ what: @autoclosure () -> String) throws(GGUFError) {
        try require(UInt64(count), what())
        offset += count
    }

    mutating func read<T: FixedWidthInteger>(_: T.Type, _ what: @autoclosure () -> String) throws(GGUFError) -> T {
        try require(UInt64(MemoryLayout<T>.size), what())
        let v = T(littleEndian: mapping.bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
        offset += MemoryLayout<T>.size
        return v
    }

    /// Reads a GGUF string (u64 length + bytes) and returns the byte range of its contents.
    mutating func readStringRange(_ what: @autoclosure () -> String) throws(GGUFError) -> Range<Int> {
        let at = offset
        let length = try read(UInt64.self, "length of " + what())
        guard length <= UInt64(remaining) else {
            throw .stringBeyondFile(what: what(), offset: at, length: length, available: remaining)
        }
        let start = offset
        offset += Int(length)
        return start..<offset
    }

    /// Reads a GGUF string that must be valid UTF-8 (keys, tensor names).
    mutating func readStrictString(_ what: @autoclosure () -> String) throws(GGUFError) -> String {
        let at = offset
        let range = try readStringRange(what())
        let view = UnsafeRawBufferPointer(rebasing: mapping.bytes[range])
        guard let s = String(validating: view, as: UTF8.self) else { throw .invalidUTF8(what: what(), offset: at) }
        return s
    }

    /// Reads one value of `type`; arrays are validated to the end but stored lazily.
    mutating func readValue(type: GGUFValueType, key: String) throws(GGUFError) -> GGUFValue {
        switch type {
        case .uint8: return .uint8(try read(UInt8.self, "value of '\(key)'"))
        case .int8: return .int8(try read(Int8.self, "value of '\(key)'"))
        case .uint16: return .uint16(try read(UInt16.self, "value of '\(key)'"))
        case .int16: return .int16(try read(Int16.self, "value of '\(key)'"))
        case .uint32: return .uint32(try read(UInt32.self, "value of '\(key)'"))
        case .int32: return .int32(try read(Int32.self, "value of '\(key)'"))
        case .uint64: return .uint64(try read(UInt64.self, "value of '\(key)'"))
        case .int64: return .int64(try read(Int64.self, "value of '\(key)'"))
        case .float32: return .float32(Float(bitPattern: try read(UInt32.self, "value of '\(key)'")))
        case .float64: return .float64(Double(bitPattern: try read(UInt64.self, "value of '\(key)'")))
        case .bool: return .bool(try read(UInt8.self, "value of '\(key)'") != 0)
        case .string:
            let range = try readStringRange("string value of '\(key)'")
            return .string(String(decoding: UnsafeRawBufferPointer(rebasing: mapping.bytes[range]), as: UTF8.self))
        case .array:
            return .array(try readArray(key: key))
        }
    }

    /// Validates an array (header + every element, recursively) and returns its lazy view.
    mutating func readArray(key: String) throws(GGUFError) -> GGUFArray {
        let rawType = try read(UInt32.self, "array element type of '\(key)'")
        guard let elementType = GGUFValueType(rawValue: rawType) else { throw .unknownValueType(rawType, key: key) }
        let count = try read(UInt64.self, "array length of '\(key)'")
        guard count <= UInt64(remaining / elementType.minimumSize) else {
            throw .countTooLarge(what: "array '\(key)'", count: count, available: remaining)
        }
        let start = offset
        if let size = elementType.fixedSize {
            try skip(Int(count) * size, "array '\(key)'")
        } else if elementType == .string {
            for i in 0..<Int(count) {
                _ = try readStringRange("element \(i) of array '\(key)'")
            }
        } else {
            for i in 0..<Int(count) {
                _ = try readArray(key: "\(key)[\(i)]")
            }
        }
        return GGUFArray(elementType: elementType, count: Int(count), mapping: mapping, start: start, end: offset)
    }
}
