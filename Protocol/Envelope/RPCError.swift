/// The protocol's error codes (JSON-RPC 2.0 ranges plus raif's server errors).
public enum ErrorCode: Int, Sendable, Hashable, CaseIterable {
    /// The frame is not valid JSON (or not UTF-8, too deeply nested, a number out of range).
    case parseError = -32700
    /// Valid JSON that is not a request: wrong shape, empty batch, empty frame.
    case invalidRequest = -32600
    /// No such method.
    case methodNotFound = -32601
    /// The method exists but a parameter is missing or wrong; the message names the field.
    case invalidParams = -32602
    /// A bug or unexpected failure inside the server.
    case internalError = -32603
    /// The server is at capacity; retry later.
    case overloaded = -32000
    /// The request exceeded its time budget.
    case timeout = -32001
    /// The request was cancelled (by `cancel` or a disconnect).
    case cancelled = -32002
    /// A frame declared more bytes than the server accepts; the connection is closed after the reply.
    case frameTooLarge = -32003
    /// The method needs a model and none is loaded (or it failed to load).
    case modelUnavailable = -32004

    /// The standard short message for this code.
    public var defaultMessage: String {
        switch self {
        case .parseError: return "parse error"
        case .invalidRequest: return "invalid request"
        case .methodNotFound: return "method not found"
        case .invalidParams: return "invalid params"
        case .internalError: return "internal error"
        case .overloaded: return "server overloaded"
        case .timeout: return "timeout"
        case .cancelled: return "cancelled"
        case .frameTooLarge: return "frame too large"
        case .modelUnavailable: return "model unavailable"
        }
    }
}

/// An error object as it travels in a reply: `{"code": ..., "message": ..., "data": ...}`.
///
/// It is also an `Error`, so method handlers (and `ParamReader`) can throw it and the server
/// turns it into the reply unchanged.
public struct RPCError: Error, Sendable, Hashable {
    /// The numeric code (one of `ErrorCode` for errors raif produces; any integer when decoded).
    public var code: Int
    /// A human-readable, specific message.
    public var message: String
    /// Optional structured detail.
    public var data: JSONValue?

    /// An error with a known code.
    public init(_ code: ErrorCode, _ message: String? = nil, data: JSONValue? = nil) {
        self.code = code.rawValue
        self.message = message ?? code.defaultMessage
        self.data = data
    }

    /// An error with any numeric code (as decoded from a peer).
    public init(code: Int, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    /// The code as an `ErrorCode`, if it is one of raif's.
    public var errorCode: ErrorCode? { ErrorCode(rawValue: code) }

    /// -32700: the frame is not valid JSON; `detail` says why.
    public static func parseError(_ detail: String, data: JSONValue? = nil) -> RPCError {
        RPCError(.parseError, "parse error: \(detail)", data: data)
    }

    /// -32600: the JSON is not a valid request; `detail` says why.
    public static func invalidRequest(_ detail: String) -> RPCError {
        RPCError(.invalidRequest, "invalid request: \(detail)")
    }

    /// -32601: `method` is not a method of this server.
    public static func methodNotFound(_ method: String) -> RPCError {
        RPCError(.methodNotFound, "method not found: \(method)", data: ["method": .string(method)])
    }

    /// -32602: a parameter is missing or wrong; `message` names the field (e.g. "params.n must be ...").
    public static func invalidParams(_ message: String, data: JSONValue? = nil) -> RPCError {
        RPCError(.invalidParams, message, data: data)
    }

    /// -32603: an unexpected failure inside the server.
    public static func internalError(_ detail: String) -> RPCError {
        RPCError(.internalError, "internal error: \(detail)")
    }

    /// -32000: the server is at capacity.
    public static func overloaded(_ detail: String = "too many requests in flight, retry later") -> RPCError {
        RPCError(.overloaded, "server overloaded: \(detail)")
    }

    /// -32001: the request exceeded its time budget.
    public static func timeout(_ detail: String) -> RPCError {
        RPCError(.timeout, "timeout: \(detail)")
    }

    /// -32002: the request was cancelled.
    public static func cancelled(_ detail: String = "request cancelled") -> RPCError {
        RPCError(.cancelled, detail)
    }

    /// -32003: a frame header declared `declared` bytes, over `limit`.
    public static func frameTooLarge(declared: UInt64, limit: Int) -> RPCError {
        RPCError(
            .frameTooLarge, "frame too large: \(declared) bytes declared, limit is \(limit)",
            data: ["declared": JSONValue(declared), "limit": JSONValue(limit)])
    }

    /// -32004: no model is available for a method that needs one.
    public static func modelUnavailable(_ detail: String) -> RPCError {
        RPCError(.modelUnavailable, "model unavailable: \(detail)")
    }

    /// The protocol error for a wire-level failure.
    ///
    /// JSON problems (syntax, UTF-8, depth, number range, NUL in a key) → -32700 with
    /// `data: {"offset": n}`; an empty frame or malformed message → -32600; an oversize frame → -32003.
    public init(_ wireError: WireError) {
        switch wireError {
        case .invalidJSON(_, let offset), .invalidUTF8(_, let offset), .depthExceeded(_, let offset),
            .numberOutOfRange(_, let offset), .nulInObjectKey(let offset):
            self = .parseError(wireError.description, data: ["offset": JSONValue(offset)])
        case .frameTooLarge(let declared, let limit):
            self = .frameTooLarge(declared: declared, limit: limit)
        case .emptyFrame:
            self = .invalidRequest("empty frame (length 0)")
        case .invalidMessage(let detail):
            self = .invalidRequest(detail)
        }
    }

    /// The error object: `{"code", "message", "data"?}`.
    public var json: JSONValue {
        var object: JSONObject = ["code": JSONValue(code), "message": .string(message)]
        if let data { object["data"] = data }
        return .object(object)
    }
}

extension RPCError: CustomStringConvertible {
    public var description: String { "\(message) (\(code))" }
}
