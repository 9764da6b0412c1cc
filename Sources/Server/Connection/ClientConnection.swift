internal import Logging
internal import NIOCore
internal import Synchronization
internal import WireProtocol

/// Cancels one request's work.
struct CancelHandle: Sendable {
    let cancel: @Sendable () -> Void
}

/// One accepted client: reads frames, runs each request as its own task, writes replies.
///
/// Every request (or batch) runs in a child task of the connection's discarding task group, so
/// replies leave in completion order and a slow request never holds back a fast one. Each frame
/// is written with a single `write` of one buffer, so frames never interleave. All decisions
/// about admission, cancellation and closing come from ``ConnectionStateMachine``.
final class ClientConnection: Sendable {
    typealias StateMachine = ConnectionStateMachine<RequestID, CancelHandle>

    let number: Int
    private let channel: any Channel
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private let methods: MethodRegistry
    private let counters: ServerCounters
    private let maxFrameBytes: Int
    private let logger: Logger
    private let maxPipelined: Int
    private let state = Mutex(LockedState())

    /// The state machine plus the reader parked while too many replies are outstanding.
    private struct LockedState {
        var machine = StateMachine()
        var readWaiter: CheckedContinuation<Void, Never>?
    }

    init(
        number: Int, channel: any Channel, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>,
        methods: MethodRegistry, counters: ServerCounters, maxFrameBytes: Int, maxPipelined: Int, logger: Logger
    ) {
        self.maxPipelined = maxPipelined
        self.number = number
        self.channel = channel
        self.outbound = outbound
        self.methods = methods
        self.counters = counters
        self.maxFrameBytes = maxFrameBytes
        var logger = logger
        logger[metadataKey: "raif.connection"] = "\(number)"
        self.logger = logger
    }

    // MARK: Reading

    /// Serves the connection until the peer leaves, a frame is too large, or the server drains.
    func serve(inbound: NIOAsyncChannelInboundStream<ByteBuffer>) async {
        var decoder = FrameDecoder(maxFrameBytes: maxFrameBytes)
        await withDiscardingTaskGroup { group in
            do {
                reading: for try await buffer in inbound {
                    decoder.feed(buffer.readableBytesView)
                    while let event = decoder.next() {
                        await waitForPipelineCapacity()
                        switch event {
                        case .frame(let payload):
                            startUnit(in: &group) { refuse in await self.serveFrame(payload, refuse: refuse) }
                        case .empty:
                            startUnit(in: &group) { _ in
                                await self.writeError(ErrorMapping.wire(.emptyFrame), id: nil)
                            }
                        case .tooLarge(let declared):
                            await rejectOversizedFrame(declared: declared)
                            group.cancelAll()
                            break reading
                        }
                    }
                }
            } catch {
                logger.debug("read ended", metadata: ["raif.error": "\(error)"])
            }
            let handles = state.withLock { $0.machine.inputClosed() }
            for handle in handles { handle.cancel() }
            // Notifications carry no id and no handle: cancel the whole group for them.
            group.cancelAll()
        }
        state.withLock { $0.machine.channelClosed() }
    }

    /// Runs `work` as one reply unit: counted, and closing the channel if it was the last one
    /// of a draining connection. `work` is told whether to refuse its requests (server draining).
    private func startUnit(
        in group: inout DiscardingTaskGroup, _ work: @escaping @Sendable (_ refuse: Bool) async -> Void
    ) {
        let refuse: Bool
        switch state.withLock({ $0.machine.beginUnit() }) {
        case .start: refuse = false
        case .refuseShuttingDown: refuse = true
        case .ignore: return
        }
        group.addTask {
            await work(refuse)
            self.endUnit()
        }
    }

    private func endUnit() {
        let limit = maxPipelined
        let (end, waiter) = state.withLock { state -> (StateMachine.UnitEnd, CheckedContinuation<Void, Never>?) in
            let end = state.machine.endUnit()
            guard state.machine.replyUnits < limit || !state.machine.mayWrite else { return (end, nil) }
            let waiter = state.readWaiter
            state.readWaiter = nil
            return (end, waiter)
        }
        waiter?.resume()
        if end == .close {
            channel.close(promise: nil)
        }
    }

    /// Stops taking frames while `maxPipelined` replies are outstanding (a client that sends
    /// without reading then meets socket back-pressure instead of growing the server's memory).
    private func waitForPipelineCapacity() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let limit = maxPipelined
            let mustWait = state.withLock { state -> Bool in
                guard state.machine.replyUnits >= limit, state.machine.mayWrite else { return false }
                state.readWaiter = continuation
                return true
            }
            if !mustWait { continuation.resume() }
        }
    }

    /// Answers -32003 without reading the body, then closes.
    private func rejectOversizedFrame(declared: UInt32) async {
        guard let handles = state.withLock({ $0.machine.frameTooLarge() }) else { return }
        for handle in handles { handle.cancel() }
        let error = ErrorMapping.wire(.frameTooLarge(declared: UInt64(declared), limit: maxFrameBytes))
        counters.recordProtocolError(error)
        logger.notice("frame too large; closing", metadata: ["raif.frame.declared": "\(declared)"])
        // The state is already `closing`, which stops ordinary writes; this one reply goes out.
        await writeFrame(Envelope.encode(Response.error(id: nil, error)), force: true)
        channel.close(promise: nil)
    }

    // MARK: Server shutdown

    /// The server stops: finish what runs, start nothing new, close when done.
    func beginDrain() {
        if state.withLock({ $0.machine.beginDrain() }) == .closeNow {
            channel.close(promise: nil)
        }
    }

    /// The drain deadline passed: cancel what still runs and close.
    func forceClose() {
        let handles = state.withLock { $0.machine.drainDeadlineReached() }
        for handle in handles { handle.cancel() }
        channel.close(promise: nil)
    }

    // MARK: Requests

    /// Parses one frame and answers it: a single request, a batch, or an error.
    ///
    /// With `refuse` (the server drains), requests are answered -32000 without running.
    private func serveFrame(_ payload: [UInt8], refuse: Bool) async {
        switch Envelope.decode(payload) {
        case .single(let element):
            if let reply = await answer(element, refuse: refuse) { await writeFrame(Envelope.encode(reply)) }
        case .batch(let elements):
            let replies = await withTaskGroup(of: (Int, Response?).self) { group in
                for (index, element) in elements.enumerated() {
                    group.addTask { (index, await self.answer(element, refuse: refuse)) }
                }
                var ordered = [Response?](repeating: nil, count: elements.count)
                for await (index, reply) in group { ordered[index] = reply }
                return ordered.compactMap { $0 }
            }
            // A batch of notifications only gets no reply at all.
            if let payload = Envelope.encodeBatch(replies) { await writeFrame(payload) }
        }
    }

    /// The reply to one decoded element: its error, or what running it produced.
    private func answer(_ element: DecodedRequest, refuse: Bool) async -> Response? {
        switch element {
        case .request(let request) where refuse:
            let error = ErrorMapping.shuttingDown()
            counters.recordProtocolError(error)
            return request.id.map { .error(id: $0, error) }
        case .request(let request):
            return await execute(request)
        case .invalid(let id, let error):
            counters.recordProtocolError(error)
            return .error(id: id, error)
        }
    }

    /// Runs one request; returns its reply, or nil for a notification.
    private func execute(_ request: Request) async -> Response? {
        let id = request.id
        func reply(_ outcome: Result<JSONValue, RPCError>) -> Response? {
            guard let id else { return nil }
            switch outcome {
            case .success(let value): return Response(id: id, outcome: .result(value))
            case .failure(let error): return .error(id: id, error)
            }
        }

        if request.method == "cancel" {
            return reply(cancelRequest(params: request.params))
        }
        guard let handler = methods.handler(named: request.method) else {
            let error = ErrorMapping.methodNotFound(request.method)
            counters.recordProtocolError(error)
            return reply(.failure(error))
        }
        guard counters.admit() else {
            let error = ErrorMapping.overloaded(limit: counters.maxInFlight)
            counters.record(method: request.method, error: error, seconds: 0)
            return reply(.failure(error))
        }
        defer { counters.release() }
        if let id, state.withLock({ $0.machine.register(id) }) == .duplicate {
            let error = ErrorMapping.duplicateID(id)
            counters.recordProtocolError(error)
            return reply(.failure(error))
        }

        var requestLogger = logger
        requestLogger[metadataKey: "raif.request.method"] = "\(request.method)"
        if let id { requestLogger[metadataKey: "raif.request.id"] = "\(id)" }
        let context = RequestContext(
            requestID: id, method: request.method, logger: requestLogger,
            eventSink: { [weak self] event, data in
                guard let self, let id else { return }
                await self.writeFrame(Envelope.encode(StreamEvent(id: id, event: event, data: data)))
            })

        let started = ContinuousClock.now
        let params = request.params
        // The handler runs in its own task so that `cancel` can reach it by id.
        let work = Task { () async -> Result<JSONValue, RPCError> in
            do throws(RPCError) {
                return .success(try await handler(params, context))
            } catch {
                return .failure(error)
            }
        }
        if let id, let handle = state.withLock({ $0.machine.attach(CancelHandle(cancel: { work.cancel() }), to: id) }) {
            handle.cancel()
        }
        var outcome = await withTaskCancellationHandler {
            await work.value
        } onCancel: {
            work.cancel()
        }
        if let id, state.withLock({ $0.machine.unregister(id) }) {
            outcome = .failure(ErrorMapping.cancelled(method: request.method))
        }
        let elapsed = ContinuousClock.now - started
        let seconds = elapsed.inSeconds
        if case .failure(let error) = outcome {
            counters.record(method: request.method, error: error, seconds: seconds)
            requestLogger.debug("request failed", metadata: ["raif.error": "\(error)"])
        } else {
            counters.record(method: request.method, error: nil, seconds: seconds)
        }
        return reply(outcome)
    }

    /// The built-in `cancel` method: `{"target": <id>}` cancels that request of this connection.
    ///
    /// Result: `{"cancelled": true}` when the target was in flight, else `{"cancelled": false}`.
    private func cancelRequest(params: JSONObject) -> Result<JSONValue, RPCError> {
        let target: RequestID
        do throws(RPCError) {
            let reader = ParamReader(params)
            try reader.rejectUnknown(["target"])
            let raw = try reader.required("target", as: JSONValue.self)
            guard let id = RequestID(json: raw) else {
                throw reader.error("target", "must be a string or an integer request id, got \(raw.typeName)")
            }
            target = id
        } catch {
            counters.recordProtocolError(error)
            return .failure(error)
        }
        switch state.withLock({ $0.machine.cancel(target) }) {
        case .cancel(let handle):
            handle.cancel()
            return .success(["cancelled": true])
        case .markedBeforeStart:
            return .success(["cancelled": true])
        case .notInFlight:
            return .success(["cancelled": false])
        }
    }

    // MARK: Writing

    private func writeError(_ error: RPCError, id: RequestID?) async {
        counters.recordProtocolError(error)
        await writeFrame(Envelope.encode(Response.error(id: id, error)))
    }

    /// Writes one frame (header + payload) as a single buffer; dropped once the connection is closing.
    private func writeFrame(_ payload: [UInt8], force: Bool = false) async {
        guard force || state.withLock({ $0.machine.mayWrite }) else { return }
        let frame = FrameEncoder.encode(payload)
        do {
            try await outbound.write(ByteBuffer(bytes: frame))
        } catch {
            logger.debug("write failed", metadata: ["raif.error": "\(error)"])
        }
    }
}
