import Testing
import WireProtocol

@Suite("Param reader")
struct ParamReaderTests {
    static let params: JSONObject = [
        "response": "hello", "max_tokens": "16", "n": 4, "temperature": 0, "five": 5.0, "half": 0.5,
        "stop": ["a", 1], "flag": true, "nothing": nil, "nested": ["inner": "x"],
    ]
    let reader = ParamReader(params)

    /// Asserts that `body` throws -32602 with exactly `message`.
    func expectInvalid(_ message: String, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("expected: \(message)")
        } catch let error as RPCError {
            #expect(error.errorCode == .invalidParams)
            #expect(error.message == message)
        } catch {
            Issue.record("unexpected error type: \(error)")
        }
    }

    @Test("values of the right type are read")
    func reads() throws {
        #expect(try reader.required("response", as: String.self) == "hello")
        #expect(try reader.required("n", as: Int.self) == 4)
        #expect(try reader.required("five", as: Int.self) == 5)
        #expect(try reader.required("temperature", as: Double.self) == 0)
        #expect(try reader.required("half", as: Double.self) == 0.5)
        #expect(try reader.required("flag", as: Bool.self))
        #expect(try reader.optional("missing", default: 16) == 16)
        #expect(try reader.optional("nothing", as: String.self) == nil)
        #expect(try reader.optional("n", default: 1, in: 1...8) == 4)
        #expect(try reader.optional("n", default: 1, in: 0...) == 4)
        #expect(try reader.nested("nested")?.required("inner", as: String.self) == "x")
        #expect(try reader.nested("absent") == nil)
        #expect(try reader.required("nested", as: JSONValue.self) == ["inner": "x"])
    }

    @Test("messages name the field and the expected type")
    func messages() {
        expectInvalid("params.max_tokens must be an integer, got string") {
            _ = try reader.optional("max_tokens", default: 16)
        }
        expectInvalid("params.missing is required") { _ = try reader.required("missing", as: String.self) }
        expectInvalid("params.nothing is required") { _ = try reader.required("nothing", as: String.self) }
        expectInvalid("params.half must be an integer, got number 0.5") {
            _ = try reader.required("half", as: Int.self)
        }
        expectInvalid("params.response must be a number, got string") {
            _ = try reader.required("response", as: Double.self)
        }
        expectInvalid("params.flag must be a string, got boolean true") {
            _ = try reader.required("flag", as: String.self)
        }
        expectInvalid("params.stop[1] must be a string, got integer") {
            _ = try reader.required("stop", as: [String].self)
        }
        expectInvalid("params.n must be an array, got integer") { _ = try reader.required("n", as: [Int].self) }
        expectInvalid("params.n must be between 5 and 8, got 4") {
            _ = try reader.required("n", as: Int.self, in: 5...8)
        }
        expectInvalid("params.n must be at least 10, got 4") { _ = try reader.optional("n", default: 10, in: 10...) }
        expectInvalid("params.nested.inner must be an integer, got string") {
            _ = try reader.nested("nested")?.required("inner", as: Int.self)
        }
        expectInvalid("params.response must be one of strict, loose, got 'hello'") {
            _ = try reader.choice("response", of: ["strict", "loose"])
        }
        expectInvalid(
            "params.flag is not a known parameter (known: five, half, max_tokens, n, nested, nothing, response, stop, temperature)"
        ) {
            try reader.rejectUnknown([
                "response", "max_tokens", "n", "temperature", "five", "half", "stop", "nothing", "nested",
            ])
        }
    }

    @Test("choice falls back to its default")
    func choiceDefault() throws {
        #expect(try reader.choice("mode", of: ["strict", "loose"], default: "strict") == "strict")
    }

    @Test("invalid-params errors carry the field in data")
    func data() {
        do {
            _ = try reader.required("max_tokens", as: Int.self)
        } catch {
            #expect(error.data?["field"] == "params.max_tokens")
            #expect(error.data?["expected"] == "an integer")
        }
    }
}
