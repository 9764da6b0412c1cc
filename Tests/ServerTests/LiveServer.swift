import Logging
import ServiceLifecycle
import Synchronization
import Testing
import WireProtocol

@testable import Server

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A server running in this process on a short temporary socket path, for live tests.
///
/// Stopped through its `ServiceGroup`'s graceful shutdown, as SIGTERM would.
struct LiveServer {
    let path: String
    let server: RaifServer
    let group: ServiceGroup
    let run: Task<Void, any Error>

    /// A fresh path like `/tmp/raif-test-1a2b3c4d.sock` (Unix socket paths hold ~107 bytes).
    static func temporaryPath() -> String {
        "/tmp/raif-test-\(String(UInt32.random(in: .min ... .max), radix: 16)).sock"
    }

    /// Starts a server with the test methods and waits until it listens.
    static func start(
        path: String = temporaryPath(), methods: MethodRegistry = TestMethods.registry(),
        configure: (inout ServerConfiguration) -> Void = { _ in }
    ) async throws -> LiveServer {
        var configuration = ServerConfiguration(socketPath: path)
        configure(&configuration)
        // RAIF_TEST_LOG=debug shows the server's log on stderr.
        let level = getenv("RAIF_TEST_LOG").flatMap { Logger.Level(rawValue: String(cString: $0)) }
        let logger = Logger(label: "raif.test") { label in
            guard let level else { return SwiftLogNoOpLogHandler() }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let server = RaifServer(configuration: configuration, methods: methods, logger: logger)
        let group = ServiceGroup(services: [server], logger: logger)
        let run = Task { try await group.run() }
        try await server.waitUntilListening()
        return LiveServer(path: path, server: server, group: group, run: run)
    }

    /// Graceful shutdown (as on SIGTERM); returns when the server has stopped.
    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await run.value
    }

    /// Runs `body` against a fresh server and stops it afterwards.
    static func with<T>(
        methods: MethodRegistry = TestMethods.registry(),
        configure: (inout ServerConfiguration) -> Void = { _ in },
        _ body: (LiveServer) async throws -> T
    ) async throws -> T {
        let live = try await start(methods: methods, configure: configure)
        do {
            let result = try await body(live)
            try await live.stop()
            return result
        } catch {
            try? await live.stop()
            throw error
        }
    }

    /// Runs `body` with a client connected to this server.
    func client<T: Sendable>(_ body: (RaifClientConnection) async throws -> T) async throws -> T {
        try await RaifClientConnection.withConnection(socketPath: path, body)
    }
}

/// Test-only methods, registered in the tests' own tables (never in production).
enum TestMethods {
    /// Where the `wait` method reports that it saw cancellation.
    final class CancellationProbe: Sendable {
        private let cancelled = Mutex<[String]>([])
        private let started = Mutex<[String]>([])

        private let opened = Mutex<Set<String>>([])

        /// Lets the `gate` request with this tag finish.
        func open(_ tag: String) { _ = opened.withLock { $0.insert(tag) } }
        func isOpen(_ tag: String) -> Bool { opened.withLock { $0.contains(tag) } }
        func markStarted(_ tag: String) { started.withLock { $0.append(tag) } }
        func markCancelled(_ tag: String) { cancelled.withLock { $0.append(tag) } }
        var startedTags: [String] { started.withLock { $0 } }
        var cancelledTags: [String] { cancelled.withLock { $0 } }

        /// Polls until `condition` holds or `seconds` pass.
        func waitUntil(seconds: Double = 10, _ condition: (CancellationProbe) -> Bool) async -> Bool {
            let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
            while ContinuousClock.now < deadline {
                if condition(self) { return true }
                try? await Task.sleep(for: .milliseconds(5))
            }
            return condition(self)
        }
    }

    /// `echo` (params back), `sleep` ({"ms"}), `wait` (until cancelled; {"tag"}), `gate` (until
    /// the probe opens its {"tag"}), `stream`
    /// ({"count"} events then a result), `fail` (invalid params naming a field).
    static func registry(probe: CancellationProbe = CancellationProbe()) -> MethodRegistry {
        var methods = MethodRegistry()
        methods.register("echo") { (params, _) async throws(RPCError) -> JSONValue in .object(params) }
        methods.register("sleep") { (params, _) async throws(RPCError) -> JSONValue in
            let ms = params["ms"]?.intValue ?? 0
            probe.markStarted("sleep \(ms)")
            do {
                try await Task.sleep(for: .milliseconds(ms))
            } catch {
                throw ErrorMapping.rpcError(for: error)
            }
            return ["slept_ms": .integer(Int64(ms))]
        }
        methods.register("wait") { (params, _) async throws(RPCError) -> JSONValue in
            let tag = params["tag"]?.stringValue ?? ""
            probe.markStarted(tag)
            do {
                try await Task.sleep(for: .seconds(600))
            } catch {
                probe.markCancelled(tag)
                throw ErrorMapping.rpcError(for: error)
            }
            return .null
        }
        methods.register("gate") { (params, _) async throws(RPCError) -> JSONValue in
            let tag = params["tag"]?.stringValue ?? ""
            probe.markStarted(tag)
            while !probe.isOpen(tag) {
                do {
                    try await Task.sleep(for: .milliseconds(5))
                } catch {
                    throw ErrorMapping.rpcError(for: error)
                }
            }
            return ["opened": .string(tag)]
        }
        methods.register("stream") { (params, context) async throws(RPCError) -> JSONValue in
            let count = params["count"]?.intValue ?? 0
            for index in 0..<count {
                await context.emit("token", data: ["index": .integer(Int64(index))])
            }
            return ["events": .integer(Int64(count))]
        }
        methods.register("fail") { (_, _) async throws(RPCError) -> JSONValue in
            throw RPCError.invalidParams("params.n must be an integer")
        }
        return methods
    }
}

/// Helpers on raw sockets and replies.
enum Wire {
    /// The frame for `text` (header + UTF-8 bytes).
    static func frame(_ text: String) -> [UInt8] {
        FrameEncoder.encode(Array(text.utf8))
    }

    /// A header declaring `length` bytes and no body.
    static func header(_ length: UInt32) -> [UInt8] {
        [UInt8(length >> 24), UInt8(length >> 16 & 0xff), UInt8(length >> 8 & 0xff), UInt8(length & 0xff)]
    }

    /// The error code of an error reply object, if it is one.
    static func errorCode(_ reply: JSONValue?) -> Int? {
        reply?["error"]?["code"]?.intValue
    }

    /// The next frame the server sent that matched no pending call, or nil if the connection closed.
    static func nextUnsolicited(_ client: RaifClientConnection) async -> JSONValue? {
        var iterator = client.unsolicited.makeAsyncIterator()
        return await iterator.next()
    }

    /// Creates a Unix socket file at `path` with nobody listening (as a crashed server leaves).
    static func makeStaleSocket(at path: String) throws {
        #if canImport(Glibc)
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let fd = socket(AF_UNIX, SOCK_STREAM, 0)
        #endif
        #expect(fd >= 0)
        defer { close(fd) }
        guard var address = SocketFile.address(path) else {
            Issue.record("path too long for a socket: \(path)")
            return
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        #expect(result == 0, "bind a stale socket at \(path)")
    }
}
