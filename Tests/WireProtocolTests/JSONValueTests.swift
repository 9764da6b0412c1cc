import Testing
import WireProtocol

@Suite("JSON values over json-c")
struct JSONValueTests {
    /// Texts that must come back byte for byte after parse → serialize.
    static let exactRoundTrips: [String] = [
        #"{}"#, #"[]"#, #"null"#, #"true"#, #"false"#, #"0"#, #"-1"#,
        #"9223372036854775807"#, #"-9223372036854775808"#,
        #"0.1"#, #"1e308"#, #"-0.0"#, #"5e-324"#, #"1.7976931348623157e308"#, #"2.2250738585072014e-308"#,
        #"1.0"#, #"100.0"#, #"123456.789"#, #"1e-5"#, #"1e16"#, #"0.30000000000000004"#, #"-1.5e-7"#,
        #""""#, #""plain ascii""#, #""é ü 中文 العربية""#, #""😀 🇫🇷 👩‍👩‍👧""#, #""a\u0000b""#,
        #""quote \" backslash \\ newline \n tab \t cr \r""#, #""\b\f\u0001\u001f""#, #""slash / stays""#,
        #"{"a":1,"b":[true,false,null],"c":{"d":"e"}}"#, #"{"z":1,"a":2,"m":3}"#,
        #"[1,2.5,"x",[],{},[[[]]]]"#, #"{"é":"ü","😀":["😀"]}"#,
    ]

    @Test("exact round trip", arguments: exactRoundTrips)
    func roundTrip(text: String) throws {
        let value = try JSONValue.parse(text)
        #expect(value.serializedString() == text)
        #expect(try JSONValue.parse(value.serialized()) == value)
    }

    /// Inputs whose canonical output differs from the input but whose value is the same.
    static let normalizing: [(input: String, output: String)] = [
        (#"  [ 1 , 2 ]  "#, #"[1,2]"#),
        (#""\ud83d\ude00""#, #""😀""#),
        (#""\u00e9\u4e2d""#, #""é中""#),
        (#""\/""#, #""/""#),
        (#"1E2"#, #"100.0"#),
        (#"1.50"#, #"1.5"#),
        (#"-0"#, #"0"#),
        (#"0.1e1"#, #"1.0"#),
        (#"{"a":1,"a":2,"b":3}"#, #"{"a":2,"b":3}"#),
        ("\"\u{7f}\"", "\"\u{7f}\""),
    ]

    @Test("normalizing round trip", arguments: normalizing)
    func normalizingRoundTrip(input: String, output: String) throws {
        #expect(try JSONValue.parse(input).serializedString() == output)
    }

    static let values: [(text: String, value: JSONValue)] = [
        (#"9223372036854775807"#, .integer(.max)),
        (#"-9223372036854775808"#, .integer(.min)),
        (#"5e-324"#, .double(.leastNonzeroMagnitude)),
        (#"1.7976931348623157e308"#, .double(.greatestFiniteMagnitude)),
        (#"0.1"#, .double(0.1)),
        (#"5.0"#, .double(5)),
        (#""a\u0000b""#, .string("a\u{0}b")),
        (#""\ud834\udd1e""#, .string("𝄞")),
        (#"{"k":[1,"2",null]}"#, ["k": [1, "2", nil]]),
    ]

    @Test("parsed values", arguments: values)
    func parsedValues(text: String, value: JSONValue) throws {
        let parsed = try JSONValue.parse(text)
        #expect(parsed == value)
        if case .double(let d) = parsed, case .double(let e) = value {
            #expect(d.bitPattern == e.bitPattern)
        }
    }

    @Test("negative zero keeps its sign")
    func negativeZero() throws {
        guard case .double(let d) = try JSONValue.parse("-0.0") else {
            Issue.record("not a double")
            return
        }
        #expect(d.sign == .minus)
        #expect(JSONValue.double(-0.0).serializedString() == "-0.0")
    }

    @Test(
        "doubles round-trip bit for bit",
        arguments: [
            0.1, 0.2, 1.0 / 3.0, .pi, 1e-300, 123456789.123456789, 2.5e-310, 9007199254740993.0, -1e22, 6.02214076e23,
        ])
    func doubleBits(d: Double) throws {
        guard case .double(let back) = try JSONValue.parse(JSONValue.double(d).serialized()) else {
            Issue.record("not a double")
            return
        }
        #expect(back.bitPattern == d.bitPattern)
    }

    @Test(
        "strings round-trip through escapes and raw UTF-8",
        arguments: [
            "", "\u{0}", "\u{0}\u{0}x", "\u{1}\u{1f}\u{7f}", "\u{10FFFF}", "\u{FFFD}", "\u{E000}", "line\u{2028}sep",
            String(repeating: "é😀", count: 1000),
        ])
    func stringRoundTrip(s: String) throws {
        let value = JSONValue.string(s)
        #expect(try JSONValue.parse(value.serialized()) == value)
        #expect(try JSONValue.parse(value.serialized(prettyPrinted: true)) == value)
    }

    @Test("non-finite doubles are written as null", arguments: [Double.nan, .infinity, -.infinity])
    func nonFinite(d: Double) {
        #expect(JSONValue.array([.double(d)]).serializedString() == "[null]")
    }

    static let rejected: [(text: String, fragment: String)] = [
        ("", "end of data"),
        ("   ", "end of data"),
        ("[1,2", "end of data"),
        ("[1,]", "unexpected"),
        ("{\"a\":1,}", "unexpected"),
        ("[1] x", "unexpected"),
        ("[1][2]", "unexpected"),
        ("{'a':1}", "single-quoted"),
        ("[NaN]", "NaN"),
        ("[Infinity]", "Infinity"),
        ("[-Infinity]", "number"),
        ("[True]", "boolean"),
        ("[nul]", "null"),
        ("[01]", "number"),
        ("[1.]", "malformed number"),
        ("[.5]", "unexpected"),
        ("[+1]", "unexpected"),
        ("[1.e5]", "malformed number"),
        ("\"tab\there\"", "control character"),
        ("\"\\x\"", "invalid"),
        ("\"\\u12\"", "invalid"),
        ("[1]\u{0}", "NUL"),
    ]

    @Test("malformed JSON is rejected", arguments: rejected)
    func malformed(text: String, fragment: String) {
        #expect {
            try JSONValue.parse(text)
        } throws: { error in
            guard case WireError.invalidJSON(let message, _) = error else { return false }
            return message.contains(fragment) || "\(error)".contains(fragment)
        }
    }

    @Test("error offsets point at the problem")
    func offsets() {
        #expect(throws: WireError.invalidJSON(message: "single-quoted strings are not JSON", offset: 5)) {
            try JSONValue.parse("[1, {'a': 1}]")
        }
        #expect(throws: WireError.invalidJSON(message: "unexpected NUL byte after the JSON value", offset: 3)) {
            try JSONValue.parse("[1]\u{0}")
        }
        #expect(throws: WireError.invalidJSON(message: "unexpected character", offset: 4)) {
            try JSONValue.parse("[1] x")
        }
        #expect(throws: WireError.depthExceeded(limit: 2, offset: 2)) { try JSONValue.parse("[[[]]]", maxDepth: 2) }
        // Far too deep (json-c's own guard fires first): still reported at the first bracket too deep.
        #expect(throws: WireError.depthExceeded(limit: 2, offset: 17)) {
            try JSONValue.parse(#"{"a":"[[[", "b":[[[[[[1]]]]]]}"#, maxDepth: 2)
        }
        #expect(throws: WireError.numberOutOfRange(literal: "9223372036854775808", offset: 6)) {
            try JSONValue.parse(#"{"n": 9223372036854775808}"#)
        }
    }

    static let outOfRange: [String] = [
        "9223372036854775808", "-9223372036854775809", "18446744073709551615", "18446744073709551616",
        "[99999999999999999999999]", "1e309", "-1e400", "[1.8e308]",
        "1" + String(repeating: "0", count: 309) + ".5",
    ]

    @Test("numbers out of range are rejected, not clamped", arguments: outOfRange)
    func numbersOutOfRange(text: String) {
        #expect {
            try JSONValue.parse(text)
        } throws: { error in
            if case WireError.numberOutOfRange = error { return true }
            return false
        }
    }

    @Test("tiny doubles underflow to zero or subnormals like any correctly rounded parser")
    func underflow() throws {
        #expect(try JSONValue.parse("1e-400") == .double(0))
        #expect(try JSONValue.parse("2.5e-324") == .double(.leastNonzeroMagnitude))
    }

    static let badUTF8: [[UInt8]] = [
        [0x22, 0xC3, 0x28, 0x22],  // bad continuation
        [0x22, 0xFF, 0x22],  // never valid
        [0x22, 0xC0, 0x80, 0x22],  // overlong NUL
        [0x22, 0xE0, 0x80, 0xAF, 0x22],  // overlong '/'
        [0x22, 0xED, 0xA0, 0x80, 0x22],  // encoded surrogate
        [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],  // above U+10FFFF
        [0x22, 0xE2, 0x82, 0x22],  // truncated
        Array(#""\ud83d""#.utf8),  // lone high surrogate escape
        Array(#""\ude00""#.utf8),  // lone low surrogate escape
        Array(#""\ud83dx""#.utf8),
        Array(#""\ud83d\u0041""#.utf8),
    ]

    @Test("invalid UTF-8 and unpaired surrogates are rejected", arguments: badUTF8)
    func invalidUTF8(bytes: [UInt8]) {
        #expect {
            try JSONValue.parse(bytes)
        } throws: { error in
            if case WireError.invalidUTF8 = error { return true }
            return false
        }
    }

    @Test("object keys with NUL are rejected (json-c would truncate them)")
    func nulKey() throws {
        #expect(throws: WireError.nulInObjectKey(offset: 1)) { try JSONValue.parse(#"{"a\u0000b":1}"#) }
        #expect(throws: WireError.nulInObjectKey(offset: 8)) { try JSONValue.parse(#"{"x":1, "\u0000":2}"#) }
        // The same escape in a value is fine.
        #expect(try JSONValue.parse(#"{"a":"\u0000"}"#) == ["a": "\u{0}"])
    }

    @Test("depth cap", arguments: [1, 2, 5, 64])
    func depth(limit: Int) throws {
        let ok = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        let deep = "[" + ok + "]"
        #expect(try JSONValue.parse(ok, maxDepth: limit) != .null)
        #expect {
            try JSONValue.parse(deep, maxDepth: limit)
        } throws: { error in
            guard case WireError.depthExceeded(let reported, _) = error else { return false }
            return reported == limit
        }
        let objects = String(repeating: #"{"a":"#, count: limit + 1) + "1" + String(repeating: "}", count: limit + 1)
        #expect(throws: WireError.self) { try JSONValue.parse(objects, maxDepth: limit) }
    }

    @Test("default depth is 64")
    func defaultDepth() throws {
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(try JSONValue.parse(ok) != .null)
        #expect(throws: WireError.self) { try JSONValue.parse("[" + ok + "]") }
    }

    @Test("object keeps insertion order and replaces in place")
    func objectOrder() throws {
        var object: JSONObject = ["z": 1, "a": 2]
        object["m"] = 3
        object["z"] = 9
        #expect(object.keys == ["z", "a", "m"])
        #expect(JSONValue.object(object).serializedString() == #"{"z":9,"a":2,"m":3}"#)
        object["a"] = nil
        #expect(object.keys == ["z", "m"])
        // Equality ignores order; hashing agrees.
        let reordered: JSONObject = ["m": 3, "z": 9]
        #expect(object == reordered)
        #expect(object.hashValue == reordered.hashValue)
    }

    @Test("large objects keep order and lookup", arguments: [3, 9, 200])
    func largeObject(count: Int) throws {
        var object = JSONObject()
        for i in (0..<count).reversed() { object["k\(i)"] = JSONValue(i) }
        #expect(object.count == count)
        for i in 0..<count { #expect(object["k\(i)"] == JSONValue(i)) }
        #expect(object.keys.first == "k\(count - 1)")
        object["k0"] = nil
        #expect(object["k0"] == nil)
        #expect(object["k1"] == JSONValue(1))
        let parsed = try JSONValue.parse(JSONValue.object(object).serialized())
        #expect(parsed.objectValue?.keys == object.keys)
    }

    @Test("accessors")
    func accessors() {
        #expect(JSONValue.double(5.0).intValue == 5)
        #expect(JSONValue.double(5.5).intValue == nil)
        #expect(JSONValue.integer(7).doubleValue == 7)
        #expect(JSONValue.string("x").intValue == nil)
        #expect(JSONValue.bool(true).boolValue == true)
        #expect(JSONValue(["a": [1, 2]])["a"]?.arrayValue?.count == 2)
        #expect(JSONValue.double(1e300).intValue == nil)
        #expect(JSONValue(UInt64.max) == .double(Double(UInt64.max)))
    }

    @Test("pretty printing")
    func pretty() throws {
        let value: JSONValue = ["a": [1, 2], "b": [:], "c": [], "d": "x"]
        let expected = """
            {
              "a": [
                1,
                2
              ],
              "b": {},
              "c": [],
              "d": "x"
            }
            """
        #expect(value.serializedString(prettyPrinted: true) == expected)
        #expect(try JSONValue.parse(expected) == value)
    }

    @Test("parse accepts any byte collection")
    func collections() throws {
        let bytes = Array(#"{"a":[1]}"#.utf8)
        #expect(try JSONValue.parse(bytes[...]) == ["a": [1]])
        #expect(try bytes.withUnsafeBytes { try JSONValue.parse($0) } == ["a": [1]])
        #expect(try JSONValue.parse(AnySequenceCollection(bytes)) == ["a": [1]])
    }
}

/// A collection without contiguous storage, to exercise the copying path.
struct AnySequenceCollection: Collection {
    let base: [UInt8]
    init(_ base: [UInt8]) { self.base = base }
    var startIndex: Int { base.startIndex }
    var endIndex: Int { base.endIndex }
    subscript(i: Int) -> UInt8 { base[i] }
    func index(after i: Int) -> Int { i + 1 }
}
