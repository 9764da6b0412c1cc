public import Logging
public import WireProtocol

/// The work behind one method: takes the request's params, returns the `result` value.
///
/// Runs on the Swift concurrency pool, never on an event-loop thread, so CPU-heavy work spreads
/// over the cores. Throws only ``RPCError``: errors from other modules are converted with
/// ``ErrorMapping`` first.
public typealias MethodHandler =
    @Sendable (_ params: JSONObject, _ context: RequestContext) async throws(RPCError) -> JSONValue

/// What a handler knows about the request it serves, and how it talks back before its reply.
public struct RequestContext: Sendable {
    /// The request's id; nil for a notification (which gets no reply and no events).
    public let requestID: RequestID?
    /// The method name.
    public let method: String
    /// A logger carrying `raif.request.id` and `raif.request.method` metadata.
    public let logger: Logger
    private let eventSink: @Sendable (String, JSONObject) async -> Void

    /// Makes a context; `eventSink` writes one event frame and returns once it is written.
    public init(
        requestID: RequestID?, method: String, logger: Logger,
        eventSink: @escaping @Sendable (String, JSONObject) async -> Void
    ) {
        self.requestID = requestID
        self.method = method
        self.logger = logger
        self.eventSink = eventSink
    }

    /// Sends an event frame `{"id", "event", "data"}` ahead of the final reply.
    ///
    /// Returns once the frame is handed to the connection (so frames keep their order and a
    /// slow reader slows the producer). Nothing is sent for a notification or a closed connection.
    public func emit(_ event: String, data: JSONObject) async {
        guard requestID != nil else { return }
        await eventSink(event, data)
    }

    /// Whether the request was cancelled (by `cancel`, a disconnect or the drain deadline).
    public var isCancelled: Bool { Task.isCancelled }

    /// Throws the cancelled error (-32002) if the request was cancelled.
    public func checkCancellation() throws(RPCError) {
        if Task.isCancelled { throw ErrorMapping.cancelled(method: method) }
    }
}

/// The method table: name → handler.
///
/// `cancel` is built into every connection and cannot be registered.
public struct MethodRegistry: Sendable {
    /// Names handled by the connection itself.
    public static let reservedNames: Set<String> = ["cancel"]

    private var handlers: [String: MethodHandler] = [:]

    /// An empty table.
    public init() {}

    /// Adds a method. Registering a name twice, or a reserved name, is a programming error.
    public mutating func register(_ name: String, _ handler: @escaping MethodHandler) {
        precondition(!Self.reservedNames.contains(name), "method name \(name) is reserved")
        precondition(handlers[name] == nil, "method \(name) registered twice")
        handlers[name] = handler
    }

    /// Adds every method of `other`.
    public mutating func merge(_ other: MethodRegistry) {
        for (name, handler) in other.handlers { register(name, handler) }
    }

    /// The handler for `name`, if registered.
    public func handler(named name: String) -> MethodHandler? {
        handlers[name]
    }

    /// Registered method names, sorted.
    public var names: [String] { handlers.keys.sorted() }
}
