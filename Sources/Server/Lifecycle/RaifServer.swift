public import Logging
internal import NIOCore
internal import NIOPosix
public import ServiceLifecycle
internal import Synchronization

/// The raif server: listens on a Unix socket and serves the method table to every client.
///
/// Run it in a `ServiceGroup` (SIGTERM/SIGINT start a graceful shutdown): it stops accepting,
/// lets in-flight requests finish for up to ``ServerConfiguration/drainTimeout``, cancels what
/// is left, removes its socket file and returns.
///
/// ```
/// ServerBootstrap ─ accept ─▶ discarding task group ─▶ ClientConnection.serve (one per client)
///                                                         └─ child task per request / batch
/// ```
public final class RaifServer: Service, Sendable {
    /// The configuration it was made with.
    public let configuration: ServerConfiguration
    /// What `health` reports about the model.
    public let modelStatus: ModelStatus
    private let methods: MethodRegistry
    /// The method table every client is served from (`health` and `stats` included), shared
    /// with the HTTP front door.
    var methodTable: MethodRegistry { methods }
    private let counters: ServerCounters
    private let logger: Logger
    private let eventLoopGroup: MultiThreadedEventLoopGroup
    private let registry = Mutex(Registry())
    private let listening = StartupLatch<Void>()

    private struct Registry {
        var nextNumber = 0
        var connections: [Int: ClientConnection] = [:]
        var draining = false
        var drainDeadline: Task<Void, Never>?
    }

    /// Makes a server.
    ///
    /// - Parameters:
    ///   - configuration: socket, limits, drain timeout.
    ///   - methods: methods beyond the built-in `health` and `stats` (e.g. `verifiers`, `score`,
    ///     `generate`); `cancel` is built into every connection.
    ///   - modelStatus: what `health` reports about the model.
    ///   - logger: the server's logger; the server never bootstraps logging.
    public init(
        configuration: ServerConfiguration, methods: MethodRegistry = MethodRegistry(),
        modelStatus: ModelStatus = ModelStatus(), logger: Logger
    ) {
        self.configuration = configuration
        self.modelStatus = modelStatus
        self.logger = logger
        self.eventLoopGroup = .singleton
        let counters = ServerCounters(maxInFlight: configuration.maxInFlight)
        var table = MethodRegistry()
        table.register("health", BuiltinMethods.health(modelStatus: modelStatus, counters: counters))
        table.register("stats", BuiltinMethods.stats(counters: counters))
        table.merge(methods)
        self.methods = table
        self.counters = counters
    }

    /// Waits until the socket accepts connections; throws if start-up failed.
    public func waitUntilListening() async throws {
        try await listening.wait()
    }

    /// Binds the socket and serves until a graceful shutdown (or cancellation) ends it.
    public func run() async throws {
        let socket = SocketFile(path: configuration.socketPath)
        let serverChannel: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>
        do {
            try socket.prepareForBinding()
            serverChannel = try await socket.bindPrivately(mode: configuration.socketMode) { temporaryPath in
                try await ServerBootstrap(group: eventLoopGroup)
                    .serverChannelOption(.backlog, value: 256)
                    .childChannelOption(.allowRemoteHalfClosure, value: false)
                    .bind(unixDomainSocketPath: temporaryPath) { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                        }
                    }
            }
        } catch {
            listening.settle(.failure(error))
            throw error
        }
        logger.info(
            "listening",
            metadata: [
                "raif.socket": "\(configuration.socketPath)",
                "raif.socket.mode": "\(String(configuration.socketMode, radix: 8))",
            ])
        listening.settle(.success(()))
        defer {
            socket.remove()
            logger.info("stopped", metadata: ["raif.socket": "\(configuration.socketPath)"])
        }

        await AcceptLoop.run(
            serverChannel, logger: logger, failure: "accept loop failed",
            isDraining: { self.registry.withLock { $0.draining } }, serve: { await self.serve($0) },
            onGracefulShutdown: { self.beginDrain(serverChannel: serverChannel.channel) })
        registry.withLock { $0.drainDeadline }?.cancel()
    }

    private func serve(_ client: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async {
        do {
            try await client.executeThenClose { inbound, outbound in
                let connection = registry.withLock { registry -> ClientConnection in
                    let connection = ClientConnection(
                        number: registry.nextNumber, channel: client.channel, outbound: outbound,
                        methods: methods, counters: counters, maxFrameBytes: configuration.maxFrameBytes,
                        maxPipelined: configuration.maxPipelinedPerConnection, logger: logger)
                    registry.nextNumber += 1
                    registry.connections[connection.number] = connection
                    return connection
                }
                defer { _ = registry.withLock { $0.connections.removeValue(forKey: connection.number) } }
                if registry.withLock({ $0.draining }) { connection.beginDrain() }
                logger.debug("connection opened", metadata: ["raif.connection": "\(connection.number)"])
                await connection.serve(inbound: inbound)
                logger.debug("connection closed", metadata: ["raif.connection": "\(connection.number)"])
            }
        } catch {
            logger.debug("connection ended with error", metadata: ["raif.error": "\(error)"])
        }
    }

    /// Stops accepting, asks every connection to drain, and arms the drain deadline.
    private func beginDrain(serverChannel: any Channel) {
        let timeout = configuration.drainTimeout
        let connections = registry.withLock { registry -> [ClientConnection] in
            guard !registry.draining else { return [] }
            registry.draining = true
            registry.drainDeadline = Task { [weak self] in
                try? await Task.sleep(for: timeout)
                guard !Task.isCancelled, let self else { return }
                self.forceCloseAll()
            }
            return Array(registry.connections.values)
        }
        logger.info(
            "shutting down: draining connections",
            metadata: ["raif.connections": "\(connections.count)", "raif.drain.timeout": "\(timeout)"])
        serverChannel.close(promise: nil)
        for connection in connections { connection.beginDrain() }
    }

    private func forceCloseAll() {
        let connections = registry.withLock { Array($0.connections.values) }
        if !connections.isEmpty {
            logger.warning("drain deadline reached; cancelling", metadata: ["raif.connections": "\(connections.count)"])
        }
        for connection in connections { connection.forceClose() }
    }
}
