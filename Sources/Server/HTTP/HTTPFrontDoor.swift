public import Logging
internal import NIOCore
internal import NIOHTTP1
internal import NIOPosix
public import ServiceLifecycle
internal import Synchronization
internal import WireProtocol

/// The HTTP/1.1 front door: ``HTTPRoutes`` over TCP, next to the Unix socket in the same process
/// and with the same method table (`raif serve --http 127.0.0.1:PORT`).
///
/// ```
/// ServerBootstrap (TCP) ─ accept ─▶ discarding task group ─▶ one task per connection
///     HTTPServerPipelineHandler (keep-alive, pipelined requests answered in order)
///     head ─ body (capped at maxBodyBytes: 413 and close) ─ end ─▶ HTTPRoutes.respond ─▶ reply
/// ```
///
/// Graceful shutdown (a `ServiceGroup` signal): stops accepting, closes idle keep-alive
/// connections, lets requests in flight finish (their connection closes after the reply) and
/// closes whatever is left after ``HTTPConfiguration/drainTimeout``.
public final class HTTPFrontDoor: Service, Sendable {
    /// The configuration it was made with.
    public let configuration: HTTPConfiguration
    private let routes: HTTPRoutes
    private let logger: Logger
    private let state = Mutex(State())
    private let bound = StartupLatch<Int>()

    private struct State {
        var nextNumber = 0
        /// Open connections and whether each is inside a request.
        var connections: [Int: (channel: any Channel, busy: Bool)] = [:]
        var draining = false
        var drainDeadline: Task<Void, Never>?
    }

    /// A front door over `server`'s method table.
    public convenience init(configuration: HTTPConfiguration, server: RaifServer, logger: Logger) {
        self.init(configuration: configuration, methods: server.methodTable, logger: logger)
    }

    /// A front door over a method table holding `score` (and `health`).
    public init(configuration: HTTPConfiguration, methods: MethodRegistry, logger: Logger) {
        self.configuration = configuration
        self.routes = HTTPRoutes(methods: methods, logger: logger)
        self.logger = logger
    }

    /// Waits until the port accepts connections and returns it (the chosen one for port 0).
    public func waitUntilListening() async throws -> Int {
        try await bound.wait()
    }

    /// Binds the port and serves until a graceful shutdown (or cancellation) ends it.
    public func run() async throws {
        let serverChannel: NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, Never>
        do {
            serverChannel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.backlog, value: 256)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.allowRemoteHalfClosure, value: false)
                .bind(host: configuration.host, port: configuration.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
                            wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            let failure = ServerError.invalidArguments(
                "cannot listen for HTTP on \(configuration.host):\(configuration.port): \(error)")
            bound.settle(.failure(failure))
            throw failure
        }
        let port = serverChannel.channel.localAddress?.port ?? configuration.port
        let hostText = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        logger.info("http listening", metadata: ["raif.http.address": "\(hostText):\(port)"])
        bound.settle(.success(port))
        defer { logger.info("http stopped", metadata: ["raif.http.address": "\(hostText):\(port)"]) }

        await AcceptLoop.run(
            serverChannel, logger: logger, failure: "http accept loop failed",
            isDraining: { self.state.withLock { $0.draining } }, serve: { await self.serve($0) },
            onGracefulShutdown: { self.beginDrain(serverChannel: serverChannel.channel) })
        state.withLock { $0.drainDeadline }?.cancel()
    }

    private func serve(_ client: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async {
        let number = state.withLock { state -> Int? in
            guard !state.draining else { return nil }
            let number = state.nextNumber
            state.nextNumber += 1
            state.connections[number] = (client.channel, false)
            return number
        }
        guard let number else {
            client.channel.close(promise: nil)
            return
        }
        defer { _ = state.withLock { $0.connections.removeValue(forKey: number) } }
        do {
            try await client.executeThenClose { inbound, outbound in
                var head: HTTPRequestHead? = nil
                var body: [UInt8] = []
                var tooLarge = false
                for try await part in inbound {
                    switch part {
                    case .head(let requestHead):
                        head = requestHead
                        body.removeAll(keepingCapacity: true)
                        setBusy(number, true)
                        let declared = requestHead.headers.first(name: "content-length").flatMap { Int($0) }
                        tooLarge = (declared ?? 0) > configuration.maxBodyBytes
                    case .body(let chunk):
                        guard !tooLarge else { continue }
                        if body.count + chunk.readableBytes > configuration.maxBodyBytes {
                            tooLarge = true
                            body.removeAll()
                        } else {
                            body.append(contentsOf: chunk.readableBytesView)
                        }
                    case .end:
                        guard let requestHead = head else { continue }
                        head = nil
                        let reply: HTTPRoutes.Reply
                        if tooLarge {
                            reply = .error(
                                413,
                                RPCError.frameTooLarge(
                                    declared: UInt64(
                                        requestHead.headers.first(name: "content-length").flatMap { UInt64($0) }
                                            ?? UInt64(configuration.maxBodyBytes + 1)),
                                    limit: configuration.maxBodyBytes))
                        } else {
                            reply = await routes.respond(
                                method: requestHead.method.rawValue, uri: requestHead.uri, body: body)
                        }
                        let keepAlive = requestHead.isKeepAlive && !tooLarge && !state.withLock { $0.draining }
                        try await write(reply, for: requestHead, keepAlive: keepAlive, to: outbound)
                        if reply.status >= 400 {
                            logger.debug(
                                "http error reply",
                                metadata: [
                                    "raif.http.status": "\(reply.status)", "raif.http.uri": "\(requestHead.uri)",
                                ])
                        }
                        if !keepAlive { return }
                        setBusy(number, false)
                    }
                }
            }
        } catch {
            logger.debug("http connection ended with error", metadata: ["raif.error": "\(error)"])
        }
    }

    private func write(
        _ reply: HTTPRoutes.Reply, for request: HTTPRequestHead, keepAlive: Bool,
        to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>
    ) async throws {
        var bytes = reply.body.serialized()
        bytes.append(0x0A)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: String(bytes.count))
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        if let allow = reply.allow { headers.add(name: "Allow", value: allow) }
        let head = HTTPResponseHead(
            version: request.version, status: HTTPResponseStatus(statusCode: reply.status), headers: headers)
        try await outbound.write(.head(head))
        try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: bytes))))
        try await outbound.write(.end(nil))
    }

    private func setBusy(_ number: Int, _ busy: Bool) {
        state.withLock { state in state.connections[number]?.busy = busy }
    }

    /// Stops accepting, closes idle connections and arms the drain deadline.
    private func beginDrain(serverChannel: any Channel) {
        let timeout = configuration.drainTimeout
        let idle = state.withLock { state -> [any Channel] in
            guard !state.draining else { return [] }
            state.draining = true
            state.drainDeadline = Task { [weak self] in
                try? await Task.sleep(for: timeout)
                guard !Task.isCancelled, let self else { return }
                let left = self.state.withLock { $0.connections.values.map(\.channel) }
                for channel in left { channel.close(promise: nil) }
            }
            return state.connections.values.filter { !$0.busy }.map(\.channel)
        }
        logger.info("http shutting down", metadata: ["raif.http.idle_closed": "\(idle.count)"])
        serverChannel.close(promise: nil)
        for channel in idle { channel.close(promise: nil) }
    }
}
