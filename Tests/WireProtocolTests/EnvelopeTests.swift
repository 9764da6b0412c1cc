import Testing
import WireProtocol

@Suite("Envelope")
struct EnvelopeTests {
    static func decode(_ text: String) -> IncomingMessage {
        Envelope.decode(Array(text.utf8))
    }

    static let valid: [(text: String, request: Request)] = [
        (#"{"id":1,"method":"health"}"#, Request(id: 1, method: "health")),
        (
            #"{"id":"abc","method":"score","params":{"items":[]}}"#,
            Request(id: "abc", method: "score", params: ["items": []])
        ),
        (
            #"{"jsonrpc":"2.0","id":-9223372036854775808,"method":"x","params":null}"#,
            Request(id: .integer(.min), method: "x")
        ),
        (#"{"jsonrpc":"1.0","id":"","method":""}"#, Request(id: "", method: "")),
        (#"{"method":"stats"}"#, Request(id: nil, method: "stats")),
        (#"{"method":"cancel","params":{"target":7}}"#, Request(id: nil, method: "cancel", params: ["target": 7])),
    ]

    @Test("valid requests", arguments: valid)
    func validRequests(text: String, request: Request) {
        #expect(Self.decode(text) == .single(.request(request)))
    }

    @Test("a request without id is a notification")
    func notification() {
        guard case .single(.request(let request)) = Self.decode(#"{"method":"health"}"#) else {
            Issue.record("not a request")
            return
        }
        #expect(request.isNotification)
    }

    static let invalid: [(text: String, id: RequestID?, code: ErrorCode, fragment: String)] = [
        (#"{"id":1.5,"method":"x"}"#, nil, .invalidRequest, "id must be a string or an integer, got number 1.5"),
        (#"{"id":null,"method":"x"}"#, nil, .invalidRequest, "got null"),
        (#"{"id":true,"method":"x"}"#, nil, .invalidRequest, "got boolean true"),
        (#"{"id":[1],"method":"x"}"#, nil, .invalidRequest, "got array"),
        (#"{"id":{},"method":"x"}"#, nil, .invalidRequest, "got object"),
        (#"{"id":3}"#, 3, .invalidRequest, "missing member 'method'"),
        (#"{"id":3,"method":5}"#, 3, .invalidRequest, "method must be a string, got integer"),
        (#"{"id":"q","method":null}"#, "q", .invalidRequest, "method must be a string, got null"),
        (#"{"id":4,"method":"x","params":[1]}"#, 4, .invalidRequest, "params must be an object, got array"),
        (#"{"id":4,"method":"x","params":"s"}"#, 4, .invalidRequest, "params must be an object, got string"),
        (#"{"id":5,"method":"x","param":{}}"#, 5, .invalidRequest, "unknown member 'param'"),
        (#"{"method":5}"#, nil, .invalidRequest, "method must be a string"),
        ("5", nil, .invalidRequest, "must be an object or an array, got integer"),
        (#""x""#, nil, .invalidRequest, "got string"),
        ("null", nil, .invalidRequest, "got null"),
        ("[]", nil, .invalidRequest, "empty batch"),
        (#"{"id":1,"method":"x""#, nil, .parseError, "end of data"),
        (#"{"id":1,"method":'x'}"#, nil, .parseError, "parse error"),
        ("{\"id\":1,\"method\":\"\u{1}\"}", nil, .parseError, "control character"),
        (#"{"id":18446744073709551616,"method":"x"}"#, nil, .parseError, "out of range"),
    ]

    @Test("invalid single messages", arguments: invalid)
    func invalidMessages(text: String, id: RequestID?, code: ErrorCode, fragment: String) {
        guard case .single(.invalid(let gotID, let error)) = Self.decode(text) else {
            Issue.record("expected an invalid single message")
            return
        }
        #expect(gotID == id)
        #expect(error.errorCode == code)
        #expect(error.message.contains(fragment), "\(error.message)")
    }

    @Test("parse errors carry the byte offset")
    func parseErrorOffset() {
        guard case .single(.invalid(nil, let error)) = Self.decode(#"{"id":1,]"#) else {
            Issue.record("expected a parse error")
            return
        }
        #expect(error.code == -32700)
        #expect(error.data?["offset"] == 8)
    }

    @Test("too deep → parse error")
    func tooDeep() {
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        guard case .single(.invalid(nil, let error)) = Self.decode(deep) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.errorCode == .parseError)
        #expect(error.message.contains("deeper than 64"))
    }

    @Test("batch with mixed validity keeps order and ids")
    func mixedBatch() {
        let text =
            #"[{"id":1,"method":"a"},{"method":"notify"},{"id":2,"method":7},5,{"id":"x","method":"b","params":{"k":1}}]"#
        #expect(
            Self.decode(text)
                == .batch([
                    .request(Request(id: 1, method: "a")),
                    .request(Request(id: nil, method: "notify")),
                    .invalid(id: 2, error: .invalidRequest("method must be a string, got integer")),
                    .invalid(id: nil, error: .invalidRequest("a request must be an object, got integer")),
                    .request(Request(id: "x", method: "b", params: ["k": 1])),
                ]))
    }

    @Test("nested batch elements are invalid")
    func nestedBatch() {
        #expect(
            Self.decode("[[]]")
                == .batch([.invalid(id: nil, error: .invalidRequest("a request must be an object, got array"))]))
    }

    @Test("reply shapes")
    func replies() {
        let ok = Response.result(id: 7, ["status": "ok"])
        #expect(String(decoding: Envelope.encode(ok), as: UTF8.self) == #"{"id":7,"result":{"status":"ok"}}"#)
        let failed = Response.error(id: nil, .invalidRequest("empty batch"))
        #expect(
            String(decoding: Envelope.encode(failed), as: UTF8.self)
                == #"{"id":null,"error":{"code":-32600,"message":"invalid request: empty batch"}}"#)
        let withData = Response.error(id: "a", .methodNotFound("nope"))
        #expect(
            String(decoding: Envelope.encode(withData), as: UTF8.self)
                == #"{"id":"a","error":{"code":-32601,"message":"method not found: nope","data":{"method":"nope"}}}"#)
        #expect(Envelope.encodeBatch([]) == nil)
        #expect(
            Envelope.encodeBatch([ok, withData]).map { String(decoding: $0, as: UTF8.self) }
                == #"[{"id":7,"result":{"status":"ok"}},{"id":"a","error":{"code":-32601,"message":"method not found: nope","data":{"method":"nope"}}}]"#
        )
        let event = StreamEvent(id: 3, event: "token", data: ["index": 0, "text": "hi"])
        #expect(
            String(decoding: Envelope.encode(event), as: UTF8.self)
                == #"{"id":3,"event":"token","data":{"index":0,"text":"hi"}}"#)
    }

    @Test("client-side decoding of replies, events and batches round-trips")
    func clientDecoding() throws {
        let responses: [Response] = [
            .result(id: 1, ["a": [1, 2]]),
            .error(id: "s", .invalidParams("params.n must be an integer, got string")),
            .error(id: nil, .parseError("x", data: ["offset": 3])),
        ]
        for response in responses {
            #expect(try Envelope.decodeReply(Envelope.encode(response)) == .response(response))
        }
        #expect(try Envelope.decodeReply(Envelope.encodeBatch(responses)!) == .batch(responses))
        let event = StreamEvent(id: "g", event: "scored", data: ["index": 2, "reward": 1.5])
        #expect(try Envelope.decodeReply(Envelope.encode(event)) == .event(event))
        #expect(throws: WireError.self) { try Envelope.decodeReply(Array(#"{"id":1}"#.utf8)) }
        #expect(throws: WireError.self) { try Envelope.decodeReply(Array(#"{"id":1,"error":{"code":"x"}}"#.utf8)) }
    }

    @Test("requests encode and decode symmetrically")
    func requestRoundTrip() {
        let request = Request(id: "r1", method: "generate", params: ["prompt": "hi", "max_tokens": 4])
        #expect(Envelope.decode(Envelope.encode(request)) == .single(.request(request)))
    }

    @Test(
        "wire errors map to protocol codes",
        arguments: [
            (WireError.invalidJSON(message: "m", offset: 1), ErrorCode.parseError),
            (.invalidUTF8(message: "m", offset: 1), .parseError),
            (.depthExceeded(limit: 64, offset: 1), .parseError),
            (.numberOutOfRange(literal: "1e999", offset: 0), .parseError),
            (.nulInObjectKey(offset: 0), .parseError),
            (.frameTooLarge(declared: 20, limit: 10), .frameTooLarge),
            (.emptyFrame, .invalidRequest),
            (.invalidMessage("m"), .invalidRequest),
        ])
    func wireErrorMapping(error: WireError, code: ErrorCode) {
        #expect(RPCError(error).errorCode == code)
    }

    @Test("error codes have their documented values")
    func codes() {
        let expected: [ErrorCode: Int] = [
            .parseError: -32700, .invalidRequest: -32600, .methodNotFound: -32601, .invalidParams: -32602,
            .internalError: -32603, .overloaded: -32000, .timeout: -32001, .cancelled: -32002,
            .frameTooLarge: -32003, .modelUnavailable: -32004,
        ]
        for code in ErrorCode.allCases { #expect(expected[code] == code.rawValue) }
        #expect(RPCError.frameTooLarge(declared: 20, limit: 10).data == ["declared": 20, "limit": 10])
    }
}
