public import Logging
public import WireProtocol

/// The HTTP front door's endpoints, without any I/O: a request in, a status and a JSON body out.
///
/// | route              | body                                                     | reply                                   |
/// |--------------------|----------------------------------------------------------|-----------------------------------------|
/// | `POST /get_reward` | OpenRLHF's remote reward model: `{"query", "prompts", "labels"}` | `{"rewards", "scores", "extra_logs"}` |
/// | `POST /score`      | the socket `score` params                                | the socket `score` result               |
/// | `GET /health`      | —                                                        | the socket `health` result              |
///
/// Both POST routes run the server's own `score` method (the same handler the socket serves).
/// Errors are `{"error": {"code", "message", "data"?}}` with 400 (the request's fault), 404 (no such
/// path), 405 (wrong method), 413 (body too large, decided by the connection) or 500 — never a
/// zero reward.
public struct HTTPRoutes: Sendable {
    /// One reply: status code, JSON body, and the `Allow` header for a 405.
    public struct Reply: Sendable, Hashable {
        /// The HTTP status code.
        public var status: Int
        /// The JSON body.
        public var body: JSONValue
        /// The methods the path allows (set on 405 replies).
        public var allow: String?

        /// An error reply: `{"error": {...}}`.
        public static func error(_ status: Int, _ error: RPCError) -> Reply {
            Reply(status: status, body: ["error": error.json])
        }
    }

    /// The members `/get_reward` reads; others are ignored (trainers may add their own).
    static let scoringOptions = ["mode", "reasoning", "policy"]

    private let methods: MethodRegistry
    private let logger: Logger

    /// Routes over a method table that has `score` (and `health`).
    public init(methods: MethodRegistry, logger: Logger) {
        self.methods = methods
        self.logger = logger
    }

    /// The reply to one request.
    ///
    /// - Parameters:
    ///   - method: the HTTP method (`POST`).
    ///   - uri: the request target, query string included (`/get_reward?policy=raif`).
    ///   - body: the request body.
    public func respond(method: String, uri: String, body: [UInt8]) async -> Reply {
        let (path, query) = Self.split(uri)
        let allowed: String
        switch path {
        case "/get_reward", "/score": allowed = "POST"
        case "/health": allowed = "GET"
        default:
            return .error(404, RPCError.methodNotFound("no endpoint at \(path) (try POST /get_reward or POST /score)"))
        }
        guard method == allowed else {
            var reply = Reply.error(
                405, RPCError.invalidRequest("\(method) is not allowed on \(path); use \(allowed)"))
            reply.allow = allowed
            return reply
        }
        do {
            switch path {
            case "/get_reward": return try await getReward(query: query, body: body)
            case "/score": return try await score(query: query, body: body)
            default:
                return Reply(status: 200, body: try await call("health", params: JSONObject()))
            }
        } catch {
            return .error(Self.status(for: error), error)
        }
    }

    /// The HTTP status of a protocol error: the caller's fault is 400, the rest 500.
    static func status(for error: RPCError) -> Int {
        switch error.errorCode {
        case .parseError, .invalidRequest, .invalidParams: return 400
        case .methodNotFound: return 404
        case .frameTooLarge: return 413
        default: return 500
        }
    }

    // MARK: Endpoints

    /// `POST /score`: the body is the `score` params; query parameters may set `mode`,
    /// `reasoning`, `policy` when the body does not.
    private func score(query: [(String, String)], body: [UInt8]) async throws(RPCError) -> Reply {
        var params = try Self.object(body)
        for (key, value) in try Self.options(query) where params[key] == nil { params.set(key, .string(value)) }
        return Reply(status: 200, body: try await call("score", params: params))
    }

    /// `POST /get_reward`: OpenRLHF's remote reward model.
    ///
    /// `query[i]` is prompt + response with the chat template in it (the response is found as
    /// ``ChatQuery`` says), `prompts[i]` the templated prompt (optional), `labels[i]` the
    /// constraints (see ``ConstraintLabel``). Scoring options come from the body or, taking
    /// precedence (the URL is all OpenRLHF lets one configure), the query string.
    ///
    /// Reply: `rewards` (the policy's reward), `scores` (1 when every constraint holds, else 0) and
    /// per-sample `extra_logs` (`raif/pass_rate`, `raif/mean_reward`, `raif/format_fail_rate`), as
    /// the OpenRLHF adapter returns them. A rule that could not run fails the whole request (500).
    /// The body may also set `time_budget_ms` (per item, as in `score`).
    private func getReward(query: [(String, String)], body: [UInt8]) async throws(RPCError) -> Reply {
        let object = try Self.object(body)
        let reader = ParamReader(object, path: "body")
        let queries = try reader.required("query", as: [JSONValue].self)
        let prompts = try reader.optional("prompts", as: [JSONValue].self)
        let labels = try reader.required("labels", as: [JSONValue].self)
        guard labels.count == queries.count else {
            throw RPCError.invalidParams("body: \(queries.count) queries but \(labels.count) labels")
        }
        if let prompts, prompts.count != queries.count {
            throw RPCError.invalidParams("body: \(queries.count) queries but \(prompts.count) prompts")
        }
        var items: [JSONValue] = []
        items.reserveCapacity(queries.count)
        for index in queries.indices {
            guard case .string(let text) = queries[index] else {
                throw RPCError.invalidParams("body.query[\(index)] must be a string, got \(queries[index].typeName)")
            }
            var prompt: String? = nil
            if let prompts {
                switch prompts[index] {
                case .string(let p): prompt = p
                case .null: prompt = nil
                default:
                    throw RPCError.invalidParams(
                        "body.prompts[\(index)] must be a string, got \(prompts[index].typeName)")
                }
            }
            guard let response = ChatQuery.response(query: text, prompt: prompt) else {
                throw RPCError.invalidParams(
                    "body.query[\(index)]: cannot find the response: the query neither starts with its prompt nor "
                        + "contains an assistant-turn marker of a known chat format")
            }
            let constraints = try ConstraintLabel.normalize(labels[index], what: "body.labels[\(index)]")
            items.append(["response": .string(response), "constraints": constraints])
        }
        var params: JSONObject = ["items": .array(items)]
        for key in Self.scoringOptions + ["time_budget_ms"] {
            if let value = object[key], !value.isNull { params.set(key, value) }
        }
        for (key, value) in try Self.options(query) { params.set(key, .string(value)) }
        let result = try await call("score", params: params)
        guard let results = result["results"]?.arrayValue, results.count == items.count else {
            throw RPCError.internalError("score returned no result list of \(items.count) entries")
        }
        var rewards: [JSONValue] = []
        var scores: [JSONValue] = []
        var formatFailed: [JSONValue] = []
        for (index, entry) in results.enumerated() {
            if let error = entry["error"], !error.isNull {
                let code = error["code"]?.intValue ?? ErrorCode.internalError.rawValue
                let message = error["message"]?.stringValue ?? "\(error)"
                throw RPCError(code: code, message: "body.labels[\(index)]: verification could not run: \(message)")
            }
            guard let reward = entry["reward"]?.doubleValue, reward.isFinite else {
                throw RPCError.internalError("result \(index) has no finite reward")
            }
            rewards.append(.double(reward))
            scores.append(.double(entry["passed"]?.boolValue == true ? 1 : 0))
            formatFailed.append(.double(entry["format"]?["pass"]?.boolValue == false ? 1 : 0))
        }
        let body: JSONValue = [
            "rewards": .array(rewards),
            "scores": .array(scores),
            "extra_logs": [
                "raif/pass_rate": .array(scores),
                "raif/mean_reward": .array(rewards),
                "raif/format_fail_rate": .array(formatFailed),
            ],
        ]
        return Reply(status: 200, body: body)
    }

    // MARK: Helpers

    private func call(_ name: String, params: JSONObject) async throws(RPCError) -> JSONValue {
        guard let handler = methods.handler(named: name) else {
            throw RPCError.internalError("the server has no '\(name)' method")
        }
        let context = RequestContext(requestID: "http", method: name, logger: logger, eventSink: { _, _ in })
        return try await handler(params, context)
    }

    /// The body as a JSON object.
    static func object(_ body: [UInt8]) throws(RPCError) -> JSONObject {
        if body.isEmpty { throw RPCError.invalidRequest("the request body is empty; expected a JSON object") }
        let value: JSONValue
        do {
            value = try JSONValue.parse(body)
        } catch {
            throw RPCError(error)
        }
        guard case .object(let object) = value else {
            throw RPCError.invalidRequest("the request body must be a JSON object, got \(value.typeName)")
        }
        return object
    }

    /// The scoring options in a query string; anything else is an error.
    static func options(_ query: [(String, String)]) throws(RPCError) -> [(String, String)] {
        for (key, _) in query where !scoringOptions.contains(key) {
            throw RPCError.invalidParams(
                "unknown query parameter '\(key)' (known: \(scoringOptions.joined(separator: ", ")))")
        }
        return query
    }

    /// The path and the decoded `key=value` pairs of a request target.
    static func split(_ uri: String) -> (path: String, query: [(String, String)]) {
        guard let mark = uri.firstIndex(of: "?") else { return (uri, []) }
        let path = String(uri[..<mark])
        let pairs = uri[uri.index(after: mark)...].split(separator: "&").map { pair -> (String, String) in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (percentDecoded(parts[0]), parts.count > 1 ? percentDecoded(parts[1]) : "")
        }
        return (path, pairs)
    }

    private static func percentDecoded(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "+") {
                bytes.append(0x20)
            } else if byte == UInt8(ascii: "%"), utf8.count >= 2,
                let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
