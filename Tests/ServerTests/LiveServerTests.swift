import Synchronization
import Testing
import WireProtocol

@testable import Server

/// The server over a real Unix socket, in this process.
@Suite("Live server", .timeLimit(.minutes(2)))
struct LiveServerTests {
    @Test("32 clients × 100 pipelined requests: every reply matched to its id")
    func manyPipelinedClients() async throws {
        try await LiveServer.with { live in
            try await withThrowingTaskGroup(of: Int.self) { clients in
                for clientIndex in 0..<32 {
                    clients.addTask {
                        try await live.client { client in
                            try await withThrowingTaskGroup(of: Bool.self) { calls in
                                for requestIndex in 0..<100 {
                                    calls.addTask {
                                        let tag = "\(clientIndex)-\(requestIndex)"
                                        let result = try await client.call("echo", params: ["tag": .string(tag)])
                                        return result["tag"]?.stringValue == tag
                                    }
                                }
                                var matched = 0
                                for try await ok in calls where ok { matched += 1 }
                                return matched
                            }
                        }
                    }
                }
                var total = 0
                for try await matched in clients { total += matched }
                #expect(total == 3200)
            }
        }
    }

    /// One case of bad input: what to send and the error code expected back.
    struct BadInput: Sendable, CustomTestStringConvertible {
        let name: String
        let bytes: [UInt8]
        let code: Int
        /// Whether the server closes the connection after its reply.
        let closes: Bool
        var testDescription: String { name }
    }

    static let badInputs: [BadInput] = [
        BadInput(name: "malformed JSON", bytes: Wire.frame("{\"id\": 1, \"method\": "), code: -32700, closes: false),
        BadInput(name: "invalid UTF-8", bytes: FrameEncoder.encode([0x22, 0xff, 0x22]), code: -32700, closes: false),
        BadInput(name: "zero length", bytes: Wire.header(0), code: -32600, closes: false),
        BadInput(name: "top-level number", bytes: Wire.frame("42"), code: -32600, closes: false),
        BadInput(name: "top-level string", bytes: Wire.frame("\"health\""), code: -32600, closes: false),
        BadInput(name: "empty batch", bytes: Wire.frame("[]"), code: -32600, closes: false),
        BadInput(
            name: "method not a string", bytes: Wire.frame("{\"id\": 1, \"method\": 7}"), code: -32600, closes: false),
        BadInput(
            name: "unknown method", bytes: Wire.frame("{\"id\": 1, \"method\": \"nope\"}"), code: -32601, closes: false),
        BadInput(
            name: "bad params", bytes: Wire.frame("{\"id\": 1, \"method\": \"fail\"}"), code: -32602, closes: false),
        BadInput(
            name: "cancel without target", bytes: Wire.frame("{\"id\": 1, \"method\": \"cancel\"}"), code: -32602,
            closes: false),
        BadInput(name: "oversize header", bytes: Wire.header(1 << 20 + 1), code: -32003, closes: true),
        BadInput(
            name: "oversize header, body following",
            bytes: Wire.header(UInt32.max) + Array(repeating: 0x20, count: 4096), code: -32003, closes: true),
    ]

    @Test(
        "bad input gets its error; the connection stays usable unless oversize; others keep being served",
        arguments: badInputs)
    func badInput(_ input: BadInput) async throws {
        try await LiveServer.with(configure: { $0.maxFrameBytes = 1 << 20 }) { live in
            // A bystander keeps calling throughout.
            let bystander = Task {
                try await live.client { client in
                    var served = 0
                    for index in 0..<200 {
                        let result = try await client.call("echo", params: ["i": .integer(Int64(index))])
                        if result["i"]?.intValue == index { served += 1 }
                    }
                    return served
                }
            }
            try await live.client { client in
                try await client.sendRaw(input.bytes)
                let reply = await Wire.nextUnsolicited(client)
                #expect(Wire.errorCode(reply) == input.code, "\(input.name): \(String(describing: reply))")
                if input.closes {
                    #expect(await Wire.nextUnsolicited(client) == nil, "connection closed after the error")
                } else {
                    let health = try await client.call("health")
                    #expect(health["status"]?.stringValue == "ok", "connection still usable")
                }
            }
            #expect(try await bystander.value == 200)
        }
    }

    @Test("a slow request does not hold back a fast one on the same connection")
    func slowDoesNotBlockFast() async throws {
        let probe = TestMethods.CancellationProbe()
        try await LiveServer.with(methods: TestMethods.registry(probe: probe)) { live in
            try await live.client { client in
                let slow = Task { try await client.call("gate", params: ["tag": "slow"]) }
                #expect(await probe.waitUntil { $0.startedTags == ["slow"] })
                // The slow request stays in flight until the gate opens; the fast one answers now.
                let fast = try await client.call("echo", params: ["fast": true])
                #expect(fast["fast"] == true)
                probe.open("slow")
                #expect(try await slow.value["opened"] == "slow")
            }
        }
    }

    @Test("cancel: the target gets -32002, the cancel call says whether it found it")
    func cancelByID() async throws {
        let probe = TestMethods.CancellationProbe()
        try await LiveServer.with(methods: TestMethods.registry(probe: probe)) { live in
            try await live.client { client in
                let waiting = Task {
                    try await client.call(
                        id: "w1", request: ["id": "w1", "method": "wait", "params": ["tag": "w1"]])
                }
                #expect(await probe.waitUntil { $0.startedTags.contains("w1") })
                let cancel = try await client.call("cancel", params: ["target": "w1"])
                #expect(cancel["cancelled"] == true)
                do {
                    _ = try await waiting.value
                    Issue.record("the cancelled request must fail")
                } catch let error as RPCError {
                    #expect(error.code == -32002)
                }
                #expect(probe.cancelledTags == ["w1"])
                let again = try await client.call("cancel", params: ["target": "w1"])
                #expect(again["cancelled"] == false)
            }
        }
    }

    @Test("a client disconnect cancels its in-flight requests, and only its own")
    func disconnectCancels() async throws {
        let probe = TestMethods.CancellationProbe()
        try await LiveServer.with(methods: TestMethods.registry(probe: probe)) { live in
            let other = Task {
                try await live.client { client in
                    try await client.call("wait", params: ["tag": "other"])
                }
            }
            try await live.client { client in
                try await client.send(["id": 1, "method": "wait", "params": ["tag": "gone"]])
                try await client.send(["method": "wait", "params": ["tag": "gone-notification"]])
                #expect(await probe.waitUntil { $0.startedTags.count == 3 })
            }
            #expect(await probe.waitUntil { Set($0.cancelledTags) == ["gone", "gone-notification"] })
            #expect(!probe.cancelledTags.contains("other"))
            other.cancel()
        }
    }

    @Test("streamed events arrive before the final reply, in order")
    func streaming() async throws {
        try await LiveServer.with { live in
            try await live.client { client in
                let events = Mutex<[Int]>([])
                let result = try await client.call("stream", params: ["count": 5]) { event, data in
                    #expect(event == "token")
                    events.withLock { $0.append(data["index"]?.intValue ?? -1) }
                }
                #expect(result["events"] == 5)
                #expect(events.withLock { $0 } == [0, 1, 2, 3, 4])
            }
        }
    }

    @Test("a batch gets one array reply in batch order; notifications get nothing")
    func batch() async throws {
        try await LiveServer.with { live in
            try await live.client { client in
                try await client.sendRaw(
                    Wire.frame(
                        """
                        [{"id": "a", "method": "sleep", "params": {"ms": 200}},
                         {"method": "echo"},
                         {"id": "b", "method": "echo", "params": {"x": 1}},
                         {"id": "c", "method": "nope"},
                         17]
                        """))
                let reply = await Wire.nextUnsolicited(client)
                guard case .array(let replies)? = reply else {
                    Issue.record("expected an array reply, got \(String(describing: reply))")
                    return
                }
                #expect(replies.map { $0["id"] } == ["a", "b", "c", .null])
                #expect(replies[0]["result"]?["slept_ms"] == 200)
                #expect(replies[1]["result"]?["x"] == 1)
                #expect(Wire.errorCode(replies[2]) == -32601)
                #expect(Wire.errorCode(replies[3]) == -32600)

                // A batch of notifications only: no reply; the next frame is the health reply.
                try await client.sendRaw(Wire.frame("[{\"method\": \"echo\"}, {\"method\": \"echo\"}]"))
                try await client.sendRaw(Wire.frame("{\"method\": \"echo\"}"))
                try await client.sendRaw(Wire.frame("{\"id\": \"h\", \"method\": \"health\"}"))
                let next = await Wire.nextUnsolicited(client)
                #expect(next?["result"]?["status"] == "ok", "got \(String(describing: next))")
            }
        }
    }

    @Test("over the in-flight cap, requests get -32000 and the server recovers")
    func overload() async throws {
        let probe = TestMethods.CancellationProbe()
        try await LiveServer.with(methods: TestMethods.registry(probe: probe), configure: { $0.maxInFlight = 2 }) {
            live in
            try await live.client { client in
                try await client.send(["id": "w1", "method": "wait", "params": ["tag": "1"]])
                try await client.send(["id": "w2", "method": "wait", "params": ["tag": "2"]])
                #expect(await probe.waitUntil { $0.startedTags.count == 2 })
                do {
                    _ = try await client.call("echo")
                    Issue.record("expected overloaded")
                } catch let error as RPCError {
                    #expect(error.code == -32000)
                }
                _ = try await client.call("cancel", params: ["target": "w1"])
                _ = try await client.call("cancel", params: ["target": "w2"])
                #expect(await probe.waitUntil { $0.cancelledTags.count == 2 })
                // Slots come back once the cancelled requests have replied.
                var recovered = false
                for _ in 0..<200 where !recovered {
                    recovered = (try? await client.call("echo")) != nil
                    if !recovered { try await Task.sleep(for: .milliseconds(10)) }
                }
                #expect(recovered)
            }
        }
    }

    @Test("a connection owing maxPipelinedPerConnection replies is not read further until one is written")
    func pipelineBackPressure() async throws {
        let probe = TestMethods.CancellationProbe()
        try await LiveServer.with(
            methods: TestMethods.registry(probe: probe), configure: { $0.maxPipelinedPerConnection = 4 }
        ) { live in
            try await live.client { client in
                for index in 0..<6 {
                    try await client.send([
                        "id": .integer(Int64(index)), "method": "gate", "params": ["tag": .string("g\(index)")],
                    ])
                }
                #expect(await probe.waitUntil { $0.startedTags.count == 4 })
                try await Task.sleep(for: .milliseconds(100))
                #expect(probe.startedTags.count == 4, "frames 5 and 6 wait until a reply is out")
                probe.open("g0")
                #expect(await probe.waitUntil { $0.startedTags.count == 5 })
                for index in 1..<6 { probe.open("g\(index)") }
                var ids: Set<Int> = []
                for _ in 0..<6 {
                    if let id = await Wire.nextUnsolicited(client)?["id"]?.intValue { ids.insert(id) }
                }
                #expect(ids == Set(0..<6))
            }
        }
    }

    @Test("a second request with an id already in flight is refused with -32600")
    func duplicateID() async throws {
        let probe = TestMethods.CancellationProbe()
        try await LiveServer.with(methods: TestMethods.registry(probe: probe)) { live in
            try await live.client { client in
                try await client.send(["id": 5, "method": "wait", "params": ["tag": "first"]])
                #expect(await probe.waitUntil { $0.startedTags == ["first"] })
                try await client.send(["id": 5, "method": "echo"])
                let reply = await Wire.nextUnsolicited(client)
                #expect(Wire.errorCode(reply) == -32600)
                #expect(reply?["id"] == 5)
            }
        }
    }

    @Test("health and stats report what happened")
    func healthAndStats() async throws {
        try await LiveServer.with { live in
            try await live.client { client in
                let health = try await client.call("health")
                #expect(health["status"] == "ok")
                #expect(health["version"]?.stringValue == RaifVersion.current)
                #expect(health["model"] == .null)
                #expect((health["uptime_s"]?.doubleValue ?? -1) >= 0)

                for _ in 0..<3 { _ = try await client.call("echo") }
                _ = try? await client.call("fail")
                _ = try? await client.call("nope")
                let stats = try await client.call("stats")
                #expect(stats["methods"]?["echo"]?["served"] == 3)
                #expect(stats["methods"]?["fail"]?["failed"] == 1)
                #expect(stats["methods"]?["echo"]?["latency_ms"]?["p50"]?.doubleValue != nil)
                #expect(stats["methods"]?["echo"]?["latency_ms"]?["p99"]?.doubleValue != nil)
                #expect(stats["errors"]?["-32602"] == 1)
                #expect(stats["errors"]?["-32601"] == 1)
                #expect(stats["in_flight"] == 1, "the stats call itself")
            }
        }
    }

    @Test("health reports a loading, then loaded, model")
    func healthModel() async throws {
        try await LiveServer.with { live in
            try await live.client { client in
                live.server.modelStatus.update(.loading)
                #expect(try await client.call("health")["status"] == "loading")
                live.server.modelStatus.update(.ready(["architecture": "llama"]))
                let health = try await client.call("health")
                #expect(health["status"] == "ok")
                #expect(health["model"]?["architecture"] == "llama")
            }
        }
    }

    @Test("raif call: result on stdout, errors on stderr with exit codes")
    func oneShotCall() async throws {
        try await LiveServer.with { live in
            let ok = await OneShotCall(method: "echo", paramsText: "{\"a\": [1, 2]}", socketPath: live.path).run()
            #expect(ok.exitCode == 0)
            let printed = try JSONValue.parse(ok.standardOutput ?? "")
            #expect(printed == ["a": [1, 2]])

            let unknown = await OneShotCall(method: "nope", paramsText: nil, socketPath: live.path).run()
            #expect(unknown.exitCode == 1)
            let printedError = try JSONValue.parse(unknown.standardError ?? "")
            #expect(printedError["code"] == -32601)

            let badText = await OneShotCall(method: "echo", paramsText: "[1]", socketPath: live.path).run()
            #expect(badText.exitCode == 64)

            let streamed = Mutex<[String]>([])
            let stream = await OneShotCall(method: "stream", paramsText: "{\"count\": 2}", socketPath: live.path).run {
                line in streamed.withLock { $0.append(line) }
            }
            #expect(stream.exitCode == 0)
            #expect(streamed.withLock { $0 }.count == 2)
        }
        let nobody = await OneShotCall(method: "health", paramsText: nil, socketPath: LiveServer.temporaryPath()).run()
        #expect(nobody.exitCode == 3)
    }
}
