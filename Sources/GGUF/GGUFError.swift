/// Everything that can be wrong with a GGUF file, each case naming what and where.
///
/// The reader checks every length and offset against the bytes left in the file, so a truncated,
/// corrupt or unsupported file always ends in one of these cases and never in a crash.
public enum GGUFError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened, inspected or memory-mapped (`errno` from the failing call).
    case cannotOpen(path: String, errno: Int32)
    /// The first four bytes are not `GGUF`.
    case badMagic(found: UInt32)
    /// The version is not 2 or 3 (version 1 and big-endian files are not supported).
    case unsupportedVersion(UInt32)
    /// A field needs more bytes than are left in the file.
    case truncated(what: String, offset: Int, needed: UInt64, available: Int)
    /// A string's declared length runs beyond the end of the file.
    case stringBeyondFile(what: String, offset: Int, length: UInt64, available: Int)
    /// A string is not valid UTF-8 (keys and tensor names must be).
    case invalidUTF8(what: String, offset: Int)
    /// A count (tensors, key/values, array elements) cannot fit in the bytes left.
    case countTooLarge(what: String, count: UInt64, available: Int)
    /// A metadata value type number outside the GGUF enumeration.
    case unknownValueType(UInt32, key: String)
    /// The same metadata key appears twice.
    case duplicateKey(String)
    /// `general.alignment` is not a non-zero power of two stored as a uint32.
    case invalidAlignment(key: String)
    /// A tensor type number that ggml does not define.
    case unknownTensorType(UInt32, tensor: String)
    /// A tensor has more than four dimensions.
    case tooManyDimensions(Int, tensor: String)
    /// A dimension is negative, the element count overflows, or the row is not whole blocks.
    case invalidDimensions([UInt64], tensor: String)
    /// The same tensor name appears twice.
    case duplicateTensor(String)
    /// A tensor's offset in the data section is not a multiple of the alignment.
    case misalignedOffset(tensor: String, offset: UInt64, alignment: Int)
    /// A tensor's bytes lie (partly) outside the file.
    case tensorDataOutOfRange(tensor: String, offset: UInt64, byteCount: Int, dataSectionSize: Int)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let errno):
            return "cannot open GGUF file '\(path)' (errno \(errno))"
        case .badMagic(let found):
            return "not a GGUF file: magic 0x\(String(found, radix: 16)) instead of 'GGUF'"
        case .unsupportedVersion(let version):
            return "unsupported GGUF version \(version) (supported: 2, 3, little-endian)"
        case .truncated(let what, let offset, let needed, let available):
            return "truncated GGUF file: \(what) at offset \(offset) needs \(needed) bytes, \(available) left"
        case .stringBeyondFile(let what, let offset, let length, let available):
            return "corrupt GGUF file: \(what) at offset \(offset) has length \(length), only \(available) bytes left"
        case .invalidUTF8(let what, let offset):
            return "corrupt GGUF file: \(what) at offset \(offset) is not valid UTF-8"
        case .countTooLarge(let what, let count, let available):
            return "corrupt GGUF file: \(what) count \(count) cannot fit in the \(available) bytes left"
        case .unknownValueType(let type, let key):
            return "corrupt GGUF file: metadata '\(key)' has unknown value type \(type)"
        case .duplicateKey(let key):
            return "corrupt GGUF file: duplicate metadata key '\(key)'"
        case .invalidAlignment(let key):
            return "corrupt GGUF file: '\(key)' must be a non-zero power of two (uint32)"
        case .unknownTensorType(let type, let tensor):
            return "unsupported GGUF file: tensor '\(tensor)' has unknown ggml type \(type)"
        case .tooManyDimensions(let n, let tensor):
            return "corrupt GGUF file: tensor '\(tensor)' has \(n) dimensions (at most 4)"
        case .invalidDimensions(let dims, let tensor):
            return "corrupt GGUF file: tensor '\(tensor)' has invalid dimensions \(dims)"
        case .duplicateTensor(let name):
            return "corrupt GGUF file: duplicate tensor '\(name)'"
        case .misalignedOffset(let tensor, let offset, let alignment):
            return "corrupt GGUF file: tensor '\(tensor)' offset \(offset) is not a multiple of \(alignment)"
        case .tensorDataOutOfRange(let tensor, let offset, let byteCount, let size):
            return
                "truncated GGUF file: tensor '\(tensor)' bytes \(offset)..<\(offset + UInt64(byteCount)) lie outside the \(size)-byte data section"
        }
    }
}
