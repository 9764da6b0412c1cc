import Logging
import ServiceLifecycle
import Testing
import Verifiers
import WireProtocol

@testable import Server

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The HTTP front door: routes without I/O, response extraction, address rules, and a live
/// server on 127.0.0.1 with an ephemeral port.
@Suite("HTTP front door", .serialized, .timeLimit(.minutes(2)))
struct HTTPFrontDoorTests {
    static func methods() -> MethodRegistry {
        var methods = MethodRegistry()
        VerifierMethods.register(into: &methods, scorer: Scorer(registry: .builtin))
        return methods
    }

    static let routes = HTTPRoutes(
        methods: methods(), logger: Logger(label: "raif.test") { _ in SwiftLogNoOpLogHandler() })

    static let noComma = #"{\"instruction_id_list\": [\"punctuation:no_comma\"], \"kwargs\": [{}]}"#

    /// An OpenRLHF batch: ChatML queries with their prompts, IFEval labels as JSON strings.
    static let rewardBody = """
        {"query": ["<|im_start|>user\\nHi<|im_end|>\\n<|im_start|>assistant\\nno commas here<|im_end|>",
                   "<|im_start|>user\\nHi<|im_end|>\\n<|im_start|>assistant\\nyes, a comma<|im_end|>\\n<|endoftext|>"],
         "prompts": ["<|im_start|>user\\nHi<|im_end|>\\n<|im_start|>assistant\\n",
                     "<|im_start|>user\\nHi<|im_end|>\\n<|im_start|>assistant\\n"],
         "labels": ["\(noComma)", "\(noComma)"]}
        """

    // MARK: Routes, no I/O

    @Test("get_reward answers OpenRLHF's shape")
    func getReward() async throws {
        let reply = await Self.routes.respond(method: "POST", uri: "/get_reward", body: Array(Self.rewardBody.utf8))
        #expect(reply.status == 200, "\(reply.body)")
        #expect(reply.body["rewards"] == [1.0, 0.0])
        #expect(reply.body["scores"] == [1.0, 0.0])
        #expect(reply.body["extra_logs"]?["raif/pass_rate"] == [1.0, 0.0])
        #expect(reply.body["extra_logs"]?["raif/format_fail_rate"] == [0.0, 0.0])
    }

    @Test("scoring options from the query string and the body")
    func options() async throws {
        // fraction of two constraints, one passing: 0.5; raif without <think>: format -1, answer -2.
        let body = """
            {"query": ["Q: say it\\nA: hello, world"], "prompts": ["Q: say it\\nA: "],
             "labels": [{"instruction_id_list": ["punctuation:no_comma", "change_case:english_lowercase"], "kwargs": [{}, {}]}],
             "policy": "fraction"}
            """
        let fraction = await Self.routes.respond(method: "POST", uri: "/get_reward", body: Array(body.utf8))
        #expect(fraction.body["rewards"] == [0.5], "\(fraction.body)")
        let raif = await Self.routes.respond(method: "POST", uri: "/get_reward?policy=raif", body: Array(body.utf8))
        #expect(raif.body["rewards"] == [-3.0], "\(raif.body)")
        #expect(raif.body["extra_logs"]?["raif/format_fail_rate"] == [1.0], "\(raif.body)")
    }

    @Test("score takes the socket params and returns its result")
    func score() async throws {
        let body = #"{"items": [{"response": "a, b", "constraints": {"verifier": "punctuation:no_comma"}}]}"#
        let reply = await Self.routes.respond(method: "POST", uri: "/score", body: Array(body.utf8))
        #expect(reply.status == 200)
        #expect(reply.body["results"]?.arrayValue?.first?["passed"] == false)
        #expect(reply.body["results"]?.arrayValue?.first?["tree"]?["children"] != nil)
    }

    @Test(
        "errors have a status and a JSON error object, never a reward",
        arguments: [
            ("POST", "/nowhere", "{}", 404, -32601),
            ("GET", "/get_reward", "", 405, -32600),
            ("POST", "/health", "", 405, -32600),
            ("POST", "/get_reward", "{not json", 400, -32700),
            ("POST", "/get_reward", "", 400, -32600),
            ("POST", "/get_reward", "[1]", 400, -32600),
            ("POST", "/get_reward", #"{"query": ["x"]}"#, 400, -32602),
            ("POST", "/get_reward", #"{"query": ["x", "y"], "labels": [{}]}"#, 400, -32602),
            ("POST", "/get_reward", #"{"query": ["no marker"], "prompts": ["other"], "labels": ["{}"]}"#, 400, -32602),
            (
                "POST", "/get_reward",
                #"{"query": ["<|im_start|>assistant\nok"], "labels": ["{\"instruction_id_list\": [\"no:such\"], \"kwargs\": [{}]}"]}"#,
                400, -32602
            ),
            ("POST", "/get_reward?temperature=1", #"{"query": [], "labels": []}"#, 400, -32602),
            ("POST", "/get_reward?mode=lax", #"{"query": [], "labels": []}"#, 400, -32602),
            ("POST", "/score", #"{"items": [{"response": "x"}]}"#, 400, -32602),
        ])
    func errors(method: String, uri: String, body: String, status: Int, code: Int) async throws {
        let reply = await Self.routes.respond(method: method, uri: uri, body: Array(body.utf8))
        #expect(reply.status == status, "\(reply.body)")
        #expect(reply.body["error"]?["code"]?.intValue == code, "\(reply.body)")
        #expect(reply.body["error"]?["message"]?.stringValue?.isEmpty == false)
        #expect(reply.body["rewards"] == nil)
        if status == 405 { #expect(reply.allow != nil) }
    }

    @Test("a rule that cannot run is a 500, not a reward")
    func ruleError() async throws {
        // The sentence count of a 200 k-sentence response outlasts a 1 ms budget, so the second
        // constraint is never checked (the budget is tested before each rule).
        let response = String(repeating: "Word. ", count: 200_000)
        let label: JSONValue = [
            "instruction_id_list": ["length_constraints:number_sentences", "punctuation:no_comma"],
            "kwargs": [["relation": "at least", "num_sentences": 1], [:]],
        ]
        let body: JSONValue = [
            "query": [.string("PROMPT" + response)], "prompts": ["PROMPT"], "labels": [label], "time_budget_ms": 1,
        ]
        let reply = await Self.routes.respond(method: "POST", uri: "/get_reward", body: body.serialized())
        #expect(reply.status == 500, "\(reply.body)")
        #expect(reply.body["error"]?["code"] == -32001, "\(reply.body)")
        #expect(reply.body["rewards"] == nil)
    }

    // MARK: Response extraction (same cases as the Python adapter's tests)

    @Test(
        "the response inside a query",
        arguments: [
            ("PROMPT answer<|im_end|>", "PROMPT ", "answer"),
            ("<pad><pad>PROMPT answer", "PROMPT ", "answer"),
            ("<|im_start|>user\nq<|im_end|>\n<|im_start|>assistant\nA <|im_end|>\n<|endoftext|>", nil, "A "),
            (
                "<|start_header_id|>user<|end_header_id|>\n\nq<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nhi<|eot_id|>",
                "different prompt", "hi"
            ),
            ("<｜User｜>q<｜Assistant｜><think>\nr</think>ans<｜end▁of▁sentence｜>", nil, "<think>\nr</think>ans"),
            ("PROMPT keeps trailing space  ", "PROMPT ", "keeps trailing space  "),
        ] as [(String, String?, String)])
    func extraction(query: String, prompt: String?, response: String) {
        #expect(ChatQuery.response(query: query, prompt: prompt) == response)
    }

    @Test("no prompt and no marker: no response")
    func noResponse() {
        #expect(ChatQuery.response(query: "plain text", prompt: "other") == nil)
    }

    // MARK: Addresses

    @Test(
        "addresses",
        arguments: [
            ("127.0.0.1:8000", false, true), ("localhost:0", false, true), ("[::1]:80", false, true),
            ("8000", false, true), ("127.1.2.3:9", false, true), ("0.0.0.0:8000", false, false),
            ("10.0.0.1:8000", false, false), ("[::]:8000", false, false), ("0.0.0.0:8000", true, true),
            ("127.0.0.1:70000", false, false), ("127.0.0.1:x", false, false), ("[::1:80", false, false),
        ])
    func addresses(text: String, allowRemote: Bool, accepted: Bool) {
        let configuration = try? HTTPConfiguration.parse(text, allowRemote: allowRemote)
        #expect((configuration != nil) == accepted)
    }

    // MARK: Live

    @Test("live: both endpoints, keep-alive, 413, 404 and graceful shutdown on an ephemeral port")
    func live() async throws {
        let logger = Logger(label: "raif.test") { _ in SwiftLogNoOpLogHandler() }
        let configuration = try HTTPConfiguration(port: 0, maxBodyBytes: 4096, drainTimeout: .seconds(2))
        let door = HTTPFrontDoor(configuration: configuration, methods: Self.methods(), logger: logger)
        let group = ServiceGroup(services: [door], logger: logger)
        let run = Task { try await group.run() }
        let port = try await door.waitUntilListening()
        #expect(port > 0)

        let client = try RawHTTPClient(port: port)
        let first = try client.request("POST", "/get_reward", body: Self.rewardBody)
        #expect(first.status == 200, "\(first.body)")
        #expect(try JSONValue.parse(first.body)["rewards"] == [1.0, 0.0])
        // Same connection (keep-alive): /score, then a 404.
        let second = try client.request(
            "POST", "/score",
            body: #"{"items": [{"response": "ok", "constraints": {"verifier": "punctuation:no_comma"}}]}"#)
        #expect(second.status == 200)
        #expect(try JSONValue.parse(second.body)["results"]?.arrayValue?.first?["passed"] == true)
        let missing = try client.request("GET", "/missing", body: "")
        #expect(missing.status == 404)
        #expect(try JSONValue.parse(missing.body)["error"]?["code"] == -32601)
        let wrongMethod = try client.request("GET", "/score", body: "")
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.headers["allow"] == "POST")
        // Over the body cap: 413 and the connection closes.
        let big = try client.request("POST", "/score", body: String(repeating: "x", count: 5000))
        #expect(big.status == 413)
        #expect(try JSONValue.parse(big.body)["error"]?["code"] == -32003)
        #expect(big.headers["connection"] == "close")
        client.close()

        // An idle keep-alive connection does not hold up shutdown.
        let idle = try RawHTTPClient(port: port)
        _ = try idle.request("GET", "/missing", body: "")
        await group.triggerGracefulShutdown()
        try await run.value
        idle.close()
        #expect(throws: (any Error).self) { _ = try RawHTTPClient(port: port).request("GET", "/x", body: "") }
    }

    @Test("live: a non-loopback address is refused before binding")
    func refusesRemote() {
        #expect(throws: ServerError.self) { _ = try HTTPConfiguration(host: "0.0.0.0", port: 0) }
    }
}

/// A blocking HTTP/1.1 client over a TCP socket on 127.0.0.1 (10 s timeouts), keep-alive aware.
final class RawHTTPClient {
    struct Response {
        var status: Int
        var headers: [String: String]
        var body: String
    }

    private let fd: Int32
    private var pending: [UInt8] = []

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerError.connectionFailed(path: "127.0.0.1:\(port)", reason: "socket") }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            Glibc.close(fd)
            throw ServerError.connectionFailed(path: "127.0.0.1:\(port)", reason: "connect failed")
        }
    }

    func close() { Glibc.close(fd) }

    func request(_ method: String, _ path: String, body: String) throws -> Response {
        let bodyBytes = Array(body.utf8)
        var text = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        if method == "POST" { text += "Content-Length: \(bodyBytes.count)\r\n" }
        var bytes = Array((text + "\r\n").utf8) + bodyBytes
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeMutableBytes {
                send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard sent > 0 else { throw ServerError.connectionClosed }
            offset += sent
        }
        bytes = []
        // Head.
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var headEnd: Int? = nil
        while headEnd == nil {
            if let at = find(separator) { headEnd = at } else { try fill() }
        }
        let head = String(decoding: pending[..<headEnd!], as: UTF8.self)
        pending.removeSubrange(..<(headEnd! + 4))
        let lines = head.split(separator: "\r\n")
        let status = Int(lines[0].split(separator: " ")[1]) ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            if let colon = line.firstIndex(of: ":") {
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters()
            }
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while pending.count < length { try fill() }
        let responseBody = String(decoding: pending[..<length], as: UTF8.self)
        pending.removeSubrange(..<length)
        return Response(status: status, headers: headers, body: responseBody)
    }

    private func find(_ needle: [UInt8]) -> Int? {
        guard pending.count >= needle.count else { return nil }
        for i in 0...(pending.count - needle.count) where pending[i..<(i + needle.count)].elementsEqual(needle) {
            return i
        }
        return nil
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let got = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard got > 0 else { throw ServerError.connectionClosed }
        pending += chunk[..<got]
    }
}

extension Substring {
    fileprivate func trimmingCharacters() -> String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " || $0 == "\r" }).reversed())
    }
}
