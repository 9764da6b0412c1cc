/// Everything that can go wrong below the method layer: JSON text, frames, envelopes.
///
/// Offsets are byte offsets into the frame payload (0-based). `RPCError(_:)` maps each case
/// to the protocol error code the peer sees.
public enum WireError: Error, Sendable, Hashable {
    /// The text is not JSON: `message` says why (json-c's description or the strict checker's),
    /// `offset` where.
    case invalidJSON(message: String, offset: Int)
    /// A byte sequence that is not well-formed UTF-8 (overlong forms, encoded surrogates and
    /// code points above U+10FFFF included), or a `\u` escape naming an unpaired surrogate.
    case invalidUTF8(message: String, offset: Int)
    /// Arrays/objects nested deeper than `limit`.
    case depthExceeded(limit: Int, offset: Int)
    /// An integer literal outside `Int64` or a number literal whose magnitude overflows `Double`.
    case numberOutOfRange(literal: String, offset: Int)
    /// An object key containing U+0000: json-c keeps keys as C strings and would truncate it.
    case nulInObjectKey(offset: Int)
    /// A frame header declared more bytes than the limit allows.
    case frameTooLarge(declared: UInt64, limit: Int)
    /// A frame header declared zero bytes.
    case emptyFrame
    /// A JSON document that is not a valid protocol message (used when decoding replies).
    case invalidMessage(String)
}

extension WireError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .invalidJSON(let message, let offset):
            return "invalid JSON at byte \(offset): \(message)"
        case .invalidUTF8(let message, let offset):
            return "invalid UTF-8 at byte \(offset): \(message)"
        case .depthExceeded(let limit, let offset):
            return "JSON nested deeper than \(limit) levels at byte \(offset)"
        case .numberOutOfRange(let literal, let offset):
            return "number \(literal) at byte \(offset) is out of range (integers must fit in 64-bit signed, "
                + "other numbers in a double)"
        case .nulInObjectKey(let offset):
            return "object key containing U+0000 at byte \(offset) is not supported"
        case .frameTooLarge(let declared, let limit):
            return "frame of \(declared) bytes exceeds the limit of \(limit) bytes"
        case .emptyFrame:
            return "empty frame (declared length 0)"
        case .invalidMessage(let message):
            return "invalid message: \(message)"
        }
    }
}
