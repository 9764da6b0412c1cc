/// A request id: a string or an integer, echoed back unchanged in the reply.
public enum RequestID: Sendable, Hashable {
    case string(String)
    case integer(Int64)

    /// The id from its JSON form; nil for anything but a string or an integer.
    public init?(json: JSONValue) {
        switch json {
        case .string(let s): self = .string(s)
        case .integer(let i): self = .integer(i)
        default: return nil
        }
    }

    /// The JSON form.
    public var json: JSONValue {
        switch self {
        case .string(let s): return .string(s)
        case .integer(let i): return .integer(i)
        }
    }
}

extension RequestID: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
}

extension RequestID: CustomStringConvertible {
    /// The id as JSON text (`7`, `"abc"`).
    public var description: String { json.description }
}

/// A decoded request. Without an id it is a notification: it runs but gets no reply.
public struct Request: Sendable, Hashable {
    /// The id to echo back; nil for a notification.
    public var id: RequestID?
    /// The method name.
    public var method: String
    /// The params object (empty when the request had none).
    public var params: JSONObject

    /// A request; `id: nil` makes it a notification.
    public init(id: RequestID?, method: String, params: JSONObject = [:]) {
        self.id = id
        self.method = method
        self.params = params
    }

    /// Whether this is a notification (no id, no reply).
    public var isNotification: Bool { id == nil }

    /// The JSON form `{"id"?, "method", "params"}` (as a client sends it).
    public var json: JSONValue {
        var object = JSONObject()
        if let id { object["id"] = id.json }
        object["method"] = .string(method)
        object["params"] = .object(params)
        return .object(object)
    }
}

/// A reply: the request's id (nil → `null` when it could not be determined) and a result or an error.
public struct Response: Sendable, Hashable {
    /// The outcome of a request.
    public enum Outcome: Sendable, Hashable {
        case result(JSONValue)
        case error(RPCError)
    }

    /// The id of the request answered; nil is written as `null`.
    public var id: RequestID?
    /// The result or the error.
    public var outcome: Outcome

    /// A reply to request `id` (nil → `null`).
    public init(id: RequestID?, outcome: Outcome) {
        self.id = id
        self.outcome = outcome
    }

    /// A success reply carrying `result`.
    public static func result(id: RequestID?, _ result: JSONObject) -> Response {
        Response(id: id, outcome: .result(.object(result)))
    }

    /// An error reply.
    public static func error(id: RequestID?, _ error: RPCError) -> Response {
        Response(id: id, outcome: .error(error))
    }

    /// The result, if this is a success reply.
    public var result: JSONValue? {
        if case .result(let r) = outcome { return r }
        return nil
    }

    /// The error, if this is an error reply.
    public var error: RPCError? {
        if case .error(let e) = outcome { return e }
        return nil
    }

    /// `{"id": ..., "result": ...}` or `{"id": ..., "error": {"code", "message", "data"?}}`.
    public var json: JSONValue {
        switch outcome {
        case .result(let result):
            return ["id": id?.json ?? .null, "result": result]
        case .error(let error):
            return ["id": id?.json ?? .null, "error": error.json]
        }
    }
}

/// A streamed event frame sent before a request's final reply: `{"id", "event", "data"}`.
public struct StreamEvent: Sendable, Hashable {
    /// The id of the request the event belongs to.
    public var id: RequestID
    /// The event name (`token`, `scored`, ...).
    public var event: String
    /// The event payload.
    public var data: JSONObject

    /// An event named `event` for request `id`.
    public init(id: RequestID, event: String, data: JSONObject) {
        self.id = id
        self.event = event
        self.data = data
    }

    /// `{"id": ..., "event": "<name>", "data": {...}}`.
    public var json: JSONValue {
        ["id": id.json, "event": .string(event), "data": .object(data)]
    }
}
