import Synchronization
import Testing
import WireProtocol

@testable import Server

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Start-up on the socket path, permissions, graceful shutdown.
@Suite("Server lifecycle", .timeLimit(.minutes(2)))
struct LifecycleTests {
    @Test("the socket file gets the configured mode", arguments: [UInt32(0o600), 0o660])
    func socketMode(mode: UInt32) async throws {
        try await LiveServer.with(configure: { $0.socketMode = mode }) { live in
            #expect(SocketFile(path: live.path).mode() == mode)
        }
    }

    @Test("a stale socket file is replaced")
    func staleSocketReplaced() async throws {
        let path = LiveServer.temporaryPath()
        try Wire.makeStaleSocket(at: path)
        #expect(try SocketFile(path: path).occupant() == .socket)
        let live = try await LiveServer.start(path: path)
        let health = try await live.client { try await $0.call("health") }
        #expect(health["status"] == "ok")
        try await live.stop()
        #expect(try SocketFile(path: path).occupant() == .nothing, "removed on shutdown")
    }

    @Test("a path where a live server answers is refused; that server keeps serving")
    func liveSocketRefused() async throws {
        try await LiveServer.with { live in
            await #expect(throws: ServerError.socketInUse(path: live.path)) {
                _ = try await LiveServer.start(path: live.path)
            }
            let health = try await live.client { try await $0.call("health") }
            #expect(health["status"] == "ok")
        }
    }

    @Test("a path holding something other than a socket is left untouched")
    func nonSocketUntouched() async throws {
        let path = LiveServer.temporaryPath()
        let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o644)
        #expect(fd >= 0)
        _ = write(fd, "keep me", 7)
        close(fd)
        defer { unlink(path) }
        await #expect(throws: ServerError.notASocket(path: path)) {
            _ = try await LiveServer.start(path: path)
        }
        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(info.st_size == 7 && (info.st_mode & S_IFMT) == S_IFREG)
    }

    @Test("an over-long socket path is a clear error")
    func pathTooLong() async throws {
        let path = "/tmp/" + String(repeating: "x", count: 120) + ".sock"
        await #expect(throws: ServerError.socketPathTooLong(path: path, limit: SocketFile.maximumPathBytes)) {
            _ = try await LiveServer.start(path: path)
        }
    }

    @Test("default socket path: RAIF_SOCKET, else XDG_RUNTIME_DIR, else /tmp/raif-UID.sock")
    func defaultPath() {
        #expect(
            SocketFile.defaultPath(environment: ["RAIF_SOCKET": "/x/r.sock", "XDG_RUNTIME_DIR": "/run/user/7"])
                == "/x/r.sock")
        #expect(SocketFile.defaultPath(environment: ["XDG_RUNTIME_DIR": "/run/user/7"]) == "/run/user/7/raif.sock")
        #expect(SocketFile.defaultPath(environment: [:]) == "/tmp/raif-\(getuid()).sock")
    }

    @Test("graceful shutdown finishes in-flight requests, refuses new ones, removes the socket")
    func drainFinishesInFlight() async throws {
        let probe = TestMethods.CancellationProbe()
        let live = try await LiveServer.start(methods: TestMethods.registry(probe: probe))
        try await live.client { client in
            let slow = Task { try await client.call("gate", params: ["tag": "slow"]) }
            #expect(await probe.waitUntil { $0.startedTags == ["slow"] })
            let stopping = Task { try await live.stop() }
            // The listening socket closes first when the drain begins.
            #expect(await probe.waitUntil { _ in !SocketFile(path: live.path).hasLiveListener() })
            // Read during the drain: refused with -32000, the connection still answers.
            do {
                _ = try await client.call("echo")
                Issue.record("a request read during the drain must be refused")
            } catch let error as RPCError {
                #expect(error.code == -32000)
            } catch {
                Issue.record("the request read during the drain: \(error)")
            }
            probe.open("slow")
            let slowResult = await slow.result
            #expect((try? slowResult.get())?["opened"] == "slow", "the in-flight request completed: \(slowResult)")
            try await stopping.value
        }
        #expect(try SocketFile(path: live.path).occupant() == .nothing)
        await #expect(throws: ServerError.self) {
            try await RaifClientConnection.withConnection(socketPath: live.path) { _ in }
        }
    }

    @Test("the drain deadline cancels what is still running")
    func drainDeadline() async throws {
        let probe = TestMethods.CancellationProbe()
        let live = try await LiveServer.start(methods: TestMethods.registry(probe: probe)) {
            $0.drainTimeout = .milliseconds(200)
        }
        try await live.client { client in
            try await client.send(["id": 1, "method": "wait", "params": ["tag": "stuck"]])
            #expect(await probe.waitUntil { $0.startedTags == ["stuck"] })
            let started = ContinuousClock.now
            try await live.stop()
            // `wait` sleeps 600 s: stopping well before that means the deadline cancelled it.
            #expect(ContinuousClock.now - started < .seconds(60))
            #expect(probe.cancelledTags == ["stuck"])
        }
        #expect(try SocketFile(path: live.path).occupant() == .nothing)
    }
}
