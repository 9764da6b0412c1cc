internal import NIOCore
internal import NIOPosix
internal import Synchronization
public import WireProtocol

/// A connection to a raif server: pipelined calls matched by id, events, raw frames for tests.
///
/// Used by `raif call` and by the server's tests. Open it with
/// ``withConnection(socketPath:maxFrameBytes:_:)``; every call may run concurrently with others
/// on the same connection.
///
/// ```swift
/// try await RaifClientConnection.withConnection(socketPath: path) { client in
///     let health = try await client.call("health")
/// }
/// ```
public final class RaifClientConnection: Sendable {
    /// A frame the server sent that answers no pending ``call(_:params:onEvent:)``: a batch
    /// reply, an error with a null id, a reply to a raw frame.
    public typealias Unsolicited = AsyncStream<JSONValue>

    private struct Pending {
        var continuation: CheckedContinuation<JSONValue, any Error>
        var onEvent: (@Sendable (String, JSONValue) -> Void)?
    }

    private struct State {
        var nextID: Int64 = 1
        var pending: [JSONValue: Pending] = [:]
        var closed = false
    }

    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private let state = Mutex(State())
    private let unsolicitedContinuation: Unsolicited.Continuation
    /// Frames that matched no pending call, in arrival order; finishes when the connection closes.
    public let unsolicited: Unsolicited

    private init(outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) {
        self.outbound = outbound
        (unsolicited, unsolicitedContinuation) = Unsolicited.makeStream()
    }

    /// Connects, runs `body` with the connection, then closes it.
    ///
    /// - Throws: ``ServerError/connectionFailed(path:reason:)`` when nothing listens on the path,
    ///   or whatever `body` throws.
    public static func withConnection<T: Sendable>(
        socketPath: String, maxFrameBytes: Int = 16 * ServerConfiguration.mebibyte,
        _ body: (RaifClientConnection) async throws -> T
    ) async throws -> T {
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(unixDomainSocketPath: socketPath) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw ServerError.connectionFailed(path: socketPath, reason: "\(error)")
        }
        return try await channel.executeThenClose { inbound, outbound in
            let client = RaifClientConnection(outbound: outbound)
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.read(inbound, maxFrameBytes: maxFrameBytes) }
                defer { group.cancelAll() }
                return try await body(client)
            }
        }
    }

    // MARK: Calls

    /// Sends one request and waits for its reply.
    ///
    /// - Parameters:
    ///   - method: the method name.
    ///   - params: the params object; omitted from the request when nil.
    ///   - onEvent: called with `(event, data)` for each event frame before the reply.
    /// - Returns: the reply's `result`.
    /// - Throws: ``RPCError`` for an error reply; ``ServerError`` when the connection closes first.
    public func call(
        _ method: String, params: JSONObject? = nil, onEvent: (@Sendable (String, JSONValue) -> Void)? = nil
    ) async throws -> JSONValue {
        let id = state.withLock { state -> JSONValue in
            defer { state.nextID += 1 }
            return .integer(state.nextID)
        }
        var request: JSONObject = ["id": id, "method": .string(method)]
        if let params { request.set("params", .object(params)) }
        return try await call(id: id, request: .object(request), onEvent: onEvent)
    }

    /// Sends a prepared request whose `id` is `id` and waits for the reply with that id.
    ///
    /// Cancelling the calling task sends `cancel` for this id; the call then ends with the
    /// server's cancelled error (-32002).
    public func call(
        id: JSONValue, request: JSONValue, onEvent: (@Sendable (String, JSONValue) -> Void)? = nil
    ) async throws -> JSONValue {
        let reply = try await withTaskCancellationHandler {
            try await send(id: id, request: request, onEvent: onEvent)
        } onCancel: {
            Task { try? await self.send(["method": "cancel", "params": ["target": id]]) }
        }
        return try Self.result(of: reply)
    }

    private func send(
        id: JSONValue, request: JSONValue, onEvent: (@Sendable (String, JSONValue) -> Void)?
    ) async throws -> JSONValue {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<JSONValue, any Error>) in
            let accepted = state.withLock { state -> Bool in
                guard !state.closed, state.pending[id] == nil else { return false }
                state.pending[id] = Pending(continuation: continuation, onEvent: onEvent)
                return true
            }
            guard accepted else {
                continuation.resume(throwing: ServerError.connectionClosed)
                return
            }
            Task {
                do {
                    try await self.send(request)
                } catch {
                    self.fail(id: id, with: error)
                }
            }
        }
    }

    /// Sends one message as a frame without waiting for anything.
    public func send(_ message: JSONValue) async throws {
        try await sendRaw(FrameEncoder.encode(message))
    }

    /// Writes raw bytes (any framing, any content): for tests of bad input.
    public func sendRaw(_ bytes: [UInt8]) async throws {
        try await outbound.write(ByteBuffer(bytes: bytes))
    }

    /// Splits a reply into its result, or throws its error as ``RPCError``.
    static func result(of reply: JSONValue) throws -> JSONValue {
        guard case .object(let object) = reply else {
            throw ServerError.malformedReply("reply is not an object: \(reply)")
        }
        if let result = object["result"] { return result }
        if let error = object["error"] {
            throw ErrorMapping.decodeErrorObject(error)
        }
        throw ServerError.malformedReply("reply has neither result nor error: \(reply)")
    }

    // MARK: Reading

    private func read(_ inbound: NIOAsyncChannelInboundStream<ByteBuffer>, maxFrameBytes: Int) async {
        var decoder = FrameDecoder(maxFrameBytes: maxFrameBytes)
        do {
            reading: for try await buffer in inbound {
                decoder.feed(buffer.readableBytesView)
                while let event = decoder.next() {
                    guard case .frame(let payload) = event else { break reading }
                    guard let message = try? JSONValue.parse(payload) else { break reading }
                    route(message)
                }
            }
        } catch {
            // The connection is gone; pending calls fail below.
        }
        let pending = state.withLock { state -> [Pending] in
            state.closed = true
            defer { state.pending = [:] }
            return Array(state.pending.values)
        }
        for call in pending { call.continuation.resume(throwing: ServerError.connectionClosed) }
        unsolicitedContinuation.finish()
    }

    private func route(_ message: JSONValue) {
        guard case .object(let object) = message, let id = object["id"], !id.isNull else {
            unsolicitedContinuation.yield(message)
            return
        }
        if let event = object["event"]?.stringValue {
            let onEvent = state.withLock { $0.pending[id]?.onEvent }
            onEvent?(event, object["data"] ?? .null)
            return
        }
        if let call = state.withLock({ $0.pending.removeValue(forKey: id) }) {
            call.continuation.resume(returning: message)
        } else {
            unsolicitedContinuation.yield(message)
        }
    }

    private func fail(id: JSONValue, with error: any Error) {
        state.withLock { $0.pending.removeValue(forKey: id) }?.continuation.resume(throwing: error)
    }
}
