/// One element of an incoming message: a valid request, or the error to answer it with.
public enum DecodedRequest: Sendable, Hashable {
    /// A well-formed request (or notification).
    case request(Request)
    /// Not a valid request. `id` is the request's id when it could be read (nil → reply with `null`).
    /// Always answered, even without an id: an invalid request is not a notification.
    case invalid(id: RequestID?, error: RPCError)

    /// The reply for an invalid element; nil for a request (the method decides its reply).
    public var errorResponse: Response? {
        if case .invalid(let id, let error) = self { return .error(id: id, error) }
        return nil
    }
}

/// A decoded frame: one request or a batch.
public enum IncomingMessage: Sendable, Hashable {
    /// A single request, or a frame-level error (parse error, empty batch, wrong top-level type).
    case single(DecodedRequest)
    /// A non-empty array of requests; reply with an array holding one entry per element that is
    /// not a notification, in any order (matched by id). A batch of notifications gets no reply.
    case batch([DecodedRequest])
}

/// A decoded frame from the server, as a client sees it.
public enum IncomingReply: Sendable, Hashable {
    /// A reply to one request.
    case response(Response)
    /// A stream event for a request still running.
    case event(StreamEvent)
    /// The replies to a batch.
    case batch([Response])
}

/// The JSON-RPC-shaped envelope: decoding requests and encoding replies and events.
///
/// Request: `{"id": <string|integer>, "method": <string>, "params": <object, optional>}`; a member
/// `"jsonrpc"` is accepted and ignored, any other member is an invalid request (it is almost always
/// a typo, like `"param"`). No `id` → notification.
public enum Envelope {
    /// Members a request may have.
    public static let requestMembers: Set<String> = ["id", "method", "params", "jsonrpc"]

    /// Decodes a frame payload. Never throws: every problem becomes an `.invalid` element carrying
    /// the right error (and the id, when it could be read).
    public static func decode(_ payload: some Collection<UInt8>, maxDepth: Int = JSONValue.defaultMaxDepth)
        -> IncomingMessage
    {
        do {
            return decode(json: try JSONValue.parse(payload, maxDepth: maxDepth))
        } catch {
            return .single(.invalid(id: nil, error: RPCError(error)))
        }
    }

    /// Decodes a parsed message: an object is one request, a non-empty array a batch.
    public static func decode(json: JSONValue) -> IncomingMessage {
        switch json {
        case .object:
            return .single(decodeRequest(json))
        case .array(let elements):
            guard !elements.isEmpty else {
                return .single(.invalid(id: nil, error: .invalidRequest("empty batch")))
            }
            return .batch(elements.map(decodeRequest))
        default:
            return .single(
                .invalid(
                    id: nil,
                    error: .invalidRequest("a message must be an object or an array, got \(json.typeName)")))
        }
    }

    /// Decodes one request object.
    public static func decodeRequest(_ json: JSONValue) -> DecodedRequest {
        guard case .object(let object) = json else {
            return .invalid(id: nil, error: .invalidRequest("a request must be an object, got \(json.typeName)"))
        }
        var id: RequestID?
        if let rawID = object["id"] {
            guard let parsed = RequestID(json: rawID) else {
                return .invalid(
                    id: nil, error: .invalidRequest("id must be a string or an integer, got \(describe(rawID))"))
            }
            id = parsed
        }
        if let unknown = object.keys.first(where: { !requestMembers.contains($0) }) {
            return .invalid(
                id: id,
                error: .invalidRequest("unknown member '\(unknown)' (a request has id, method, params, jsonrpc)"))
        }
        guard let rawMethod = object["method"] else {
            return .invalid(id: id, error: .invalidRequest("missing member 'method'"))
        }
        guard case .string(let method) = rawMethod else {
            return .invalid(id: id, error: .invalidRequest("method must be a string, got \(rawMethod.typeName)"))
        }
        var params = JSONObject()
        switch object["params"] {
        case nil, .null?:
            break
        case .object(let p)?:
            params = p
        case let other?:
            return .invalid(id: id, error: .invalidRequest("params must be an object, got \(other.typeName)"))
        }
        return .request(Request(id: id, method: method, params: params))
    }

    /// The payload (JSON text, no header) of one reply.
    public static func encode(_ response: Response) -> [UInt8] {
        response.json.serialized()
    }

    /// The payload of a batch reply; nil when there is nothing to send (every element was a notification).
    public static func encodeBatch(_ responses: [Response]) -> [UInt8]? {
        guard !responses.isEmpty else { return nil }
        return JSONValue.array(responses.map(\.json)).serialized()
    }

    /// The payload of a stream event.
    public static func encode(_ event: StreamEvent) -> [UInt8] {
        event.json.serialized()
    }

    /// The payload of a request (for clients and tests).
    public static func encode(_ request: Request) -> [UInt8] {
        request.json.serialized()
    }

    // MARK: Client side

    /// Decodes a frame sent by a server: a reply, an event, or a batch of replies.
    public static func decodeReply(_ payload: some Collection<UInt8>) throws(WireError) -> IncomingReply {
        try decodeReply(json: JSONValue.parse(payload))
    }

    /// Decodes a parsed server frame; see `decodeReply(_:)`.
    public static func decodeReply(json: JSONValue) throws(WireError) -> IncomingReply {
        switch json {
        case .array(let elements):
            var responses: [Response] = []
            for element in elements {
                responses.append(try response(from: element))
            }
            return .batch(responses)
        case .object(let object) where object["event"] != nil:
            guard let id = object["id"].flatMap(RequestID.init(json:)) else {
                throw .invalidMessage("event frame without a valid id")
            }
            guard case .string(let name)? = object["event"] else {
                throw .invalidMessage("event name must be a string")
            }
            guard case .object(let data)? = object["data"] ?? .object([:]) else {
                throw .invalidMessage("event data must be an object")
            }
            return .event(StreamEvent(id: id, event: name, data: data))
        default:
            return .response(try response(from: json))
        }
    }

    private static func response(from json: JSONValue) throws(WireError) -> Response {
        guard case .object(let object) = json else {
            throw .invalidMessage("a reply must be an object, got \(json.typeName)")
        }
        var id: RequestID?
        switch object["id"] {
        case nil, .null?: id = nil
        case let raw?:
            guard let parsed = RequestID(json: raw) else {
                throw .invalidMessage("reply id must be a string, an integer or null")
            }
            id = parsed
        }
        if let result = object["result"] {
            return Response(id: id, outcome: .result(result))
        }
        guard case .object(let error)? = object["error"] else {
            throw .invalidMessage("a reply needs a 'result' or an 'error' object")
        }
        guard let code = error["code"]?.int64Value.flatMap({ Int(exactly: $0) }),
            case .string(let message)? = error["message"]
        else {
            throw .invalidMessage("an error needs an integer 'code' and a string 'message'")
        }
        return .error(id: id, RPCError(code: code, message: message, data: error["data"]))
    }

    /// A short description of a rejected value for messages: its type, and the value when small.
    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool, .double: return "\(value.typeName) \(value)"
        default: return value.typeName
        }
    }
}
