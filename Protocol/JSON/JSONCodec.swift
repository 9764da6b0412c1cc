internal import CJSONC

// MARK: - Parsing

extension JSONValue {
    /// The default nesting limit for arrays and objects.
    public static let defaultMaxDepth = 64

    /// Parses one JSON document (any JSON value at top level) with json-c's strict tokener.
    ///
    /// Behaviour beyond plain RFC 8259:
    /// - Integer literals (no fraction, no exponent) must fit in `Int64`; outside that range the
    ///   document is rejected with `WireError.numberOutOfRange` (json-c would clamp silently).
    ///   Literals with a fraction or exponent become `double`s, correctly rounded; one whose
    ///   magnitude overflows a double is also `numberOutOfRange`.
    /// - Strings must be well-formed UTF-8 and `\u` surrogate escapes must pair up
    ///   (`WireError.invalidUTF8`); `\u0000` is kept in string values but rejected in object keys.
    /// - A repeated object key keeps its first position and its last value.
    /// - Whitespace may follow the value; anything else after it is an error.
    ///
    /// - Parameters:
    ///   - bytes: the UTF-8 text.
    ///   - maxDepth: how many arrays/objects may nest (`[[1]]` has depth 2); deeper is `depthExceeded`.
    /// - Throws: `WireError` naming what is wrong and the byte offset.
    public static func parse(_ bytes: some Collection<UInt8>, maxDepth: Int = defaultMaxDepth) throws(WireError)
        -> JSONValue
    {
        let result = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(WireError) in try parseContiguous(buffer, maxDepth: maxDepth) }
        }
        if let result { return try result.get() }
        let copy = Array(bytes)
        return try copy.withUnsafeBufferPointer { buffer in
            Result { () throws(WireError) in try parseContiguous(buffer, maxDepth: maxDepth) }
        }.get()
    }

    /// Parses one JSON document from a string; see `parse(_:maxDepth:)` for the rules.
    public static func parse(_ text: String, maxDepth: Int = defaultMaxDepth) throws(WireError) -> JSONValue {
        var text = text
        return try text.withUTF8 { buffer in
            Result { () throws(WireError) in try parseContiguous(buffer, maxDepth: maxDepth) }
        }.get()
    }

    private static func parseContiguous(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) throws(WireError)
        -> JSONValue
    {
        precondition(maxDepth >= 1 && maxDepth < 100_000, "maxDepth must be in 1..<100000")
        guard let tokener = json_tokener_new_ex(Int32(maxDepth + 2)) else {
            fatalError("json-c could not allocate a tokener")
        }
        defer { json_tokener_free(tokener) }
        json_tokener_set_flags(tokener, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8)

        let root = try tokenize(bytes, tokener: tokener, maxDepth: maxDepth)
        defer { json_object_put(root) }
        try StrictJSONChecker.check(bytes, maxDepth: maxDepth)
        return try value(of: root)
    }

    /// Feeds `bytes` to json-c and returns the root object (nil is JSON `null`).
    private static func tokenize(
        _ bytes: UnsafeBufferPointer<UInt8>, tokener: UnsafeMutablePointer<json_tokener>, maxDepth: Int
    ) throws(WireError) -> OpaquePointer? {
        // json-c takes an `int` length: feed large documents in chunks.
        let chunkLimit = Int(Int32.max)
        var consumed = 0
        var root: OpaquePointer?
        var error = json_tokener_continue
        var errorOffset = 0
        while error == json_tokener_continue {
            if consumed == bytes.count {
                // End of input: a NUL byte tells json-c to finish a top-level number or report truncation.
                root = json_tokener_parse_ex(tokener, "", 1)
                error = json_tokener_get_error(tokener)
                errorOffset = bytes.count
                break
            }
            let chunk = min(bytes.count - consumed, chunkLimit)
            // Non-empty here, so the buffer has a base address.
            let start = UnsafeRawPointer(bytes.baseAddress! + consumed).assumingMemoryBound(to: CChar.self)
            root = json_tokener_parse_ex(tokener, start, Int32(chunk))
            error = json_tokener_get_error(tokener)
            errorOffset = consumed + json_tokener_get_parse_end(tokener)
            consumed += chunk
        }
        if error == json_tokener_success {
            // json-c stops after the value (and trailing whitespace); an embedded NUL also stops it.
            if errorOffset < bytes.count {
                json_object_put(root)
                let what = bytes[errorOffset] == 0 ? "NUL byte" : "data"
                throw .invalidJSON(message: "unexpected \(what) after the JSON value", offset: errorOffset)
            }
            return root
        }
        json_object_put(root)
        if error == json_tokener_error_depth {
            // json-c counts a scalar inside the deepest container as one more level, hence its limit
            // of maxDepth + 2 here; StrictJSONChecker enforces the exact container depth.
            let exact = StrictJSONChecker.firstOffsetDeeper(than: maxDepth, in: bytes)
            throw .depthExceeded(limit: maxDepth, offset: exact ?? errorOffset)
        }
        if error == json_tokener_error_parse_utf8_string {
            throw .invalidUTF8(message: "ill-formed UTF-8 sequence", offset: errorOffset)
        }
        let description = String(cString: json_tokener_error_desc(error))
        if errorOffset < bytes.count, bytes[errorOffset] == 0 {
            throw .invalidJSON(message: "unexpected NUL byte", offset: errorOffset)
        }
        throw .invalidJSON(message: description, offset: errorOffset)
    }

    /// Converts a json-c tree (already checked by `StrictJSONChecker`) to a `JSONValue`.
    private static func value(of object: OpaquePointer?) throws(WireError) -> JSONValue {
        guard let object else { return .null }
        switch json_object_get_type(object) {
        case json_type_null:
            return .null
        case json_type_boolean:
            return .bool(json_object_get_boolean(object) != 0)
        case json_type_int:
            return .integer(json_object_get_int64(object))
        case json_type_double:
            let d = json_object_get_double(object)
            guard d.isFinite else {
                // Unreachable after StrictJSONChecker (it rejects NaN, Infinity and overflowing literals).
                throw .numberOutOfRange(literal: "\(d)", offset: 0)
            }
            return .double(d)
        case json_type_string:
            return .string(string(of: object))
        case json_type_array:
            let count = json_object_array_length(object)
            var elements: [JSONValue] = []
            elements.reserveCapacity(count)
            for i in 0..<count {
                elements.append(try value(of: json_object_array_get_idx(object, i)))
            }
            return .array(elements)
        case json_type_object:
            var members = JSONObject()
            var iterator = json_object_iter_begin(object)
            var end = json_object_iter_end(object)
            while json_object_iter_equal(&iterator, &end) == 0 {
                let key = String(cString: json_object_iter_peek_name(&iterator))
                members[key] = try value(of: json_object_iter_peek_value(&iterator))
                json_object_iter_next(&iterator)
            }
            return .object(members)
        default:
            fatalError("json-c returned an unknown type")
        }
    }

    private static func string(of object: OpaquePointer) -> String {
        let length = Int(json_object_get_string_len(object))
        guard length > 0, let pointer = json_object_get_string(object) else { return "" }
        return pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
    }
}

// MARK: - Writing

extension JSONValue {
    /// This value as JSON text, written by json-c.
    ///
    /// Compact output has no whitespace; `prettyPrinted` indents by two spaces. Strings are written
    /// as UTF-8 with only `"`, `\` and control characters escaped (`/` is not). Doubles use the
    /// shortest text that reads back to the same double (`0.1`, `1e308`, `-0.0`, `5e-324`; integral
    /// doubles keep a `.0`). Non-finite doubles (NaN, ±infinity) have no JSON form and are written
    /// as `null`. An object key containing U+0000 is written with U+FFFD in its place.
    public func serialized(prettyPrinted: Bool = false) -> [UInt8] {
        if prettyPrinted {
            var out: [UInt8] = []
            writePretty(into: &out, indent: 0)
            return out
        }
        return Self.writeCompact(self)
    }

    /// This value as JSON text in a `String`; see `serialized(prettyPrinted:)`.
    public func serializedString(prettyPrinted: Bool = false) -> String {
        String(decoding: serialized(prettyPrinted: prettyPrinted), as: UTF8.self)
    }

    private static func writeCompact(_ value: JSONValue) -> [UInt8] {
        let object = makeObject(value)
        defer { json_object_put(object) }
        var length = 0
        let flags = JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE
        guard let text = json_object_to_json_string_length(object, flags, &length) else {
            fatalError("json-c could not allocate the output")
        }
        return text.withMemoryRebound(to: UInt8.self, capacity: length) {
            Array(UnsafeBufferPointer(start: $0, count: length))
        }
    }

    /// Pretty output: structure laid out here, every scalar written by json-c.
    private func writePretty(into out: inout [UInt8], indent: Int) {
        func newline(_ level: Int) {
            out.append(UInt8(ascii: "\n"))
            out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * level))
        }
        switch self {
        case .array(let elements) where !elements.isEmpty:
            out.append(UInt8(ascii: "["))
            for (i, element) in elements.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                element.writePretty(into: &out, indent: indent + 1)
            }
            newline(indent)
            out.append(UInt8(ascii: "]"))
        case .object(let members) where !members.isEmpty:
            out.append(UInt8(ascii: "{"))
            for (i, member) in members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                out.append(contentsOf: Self.writeCompact(.string(Self.storableKey(member.key))))
                out.append(contentsOf: ": ".utf8)
                member.value.writePretty(into: &out, indent: indent + 1)
            }
            newline(indent)
            out.append(UInt8(ascii: "}"))
        default:
            out.append(contentsOf: Self.writeCompact(self))
        }
    }

    /// Builds the json-c tree of `value` (nil is JSON `null`); the caller owns the result.
    private static func makeObject(_ value: JSONValue) -> OpaquePointer? {
        switch value {
        case .null:
            return nil
        case .bool(let b):
            return json_object_new_boolean(b ? 1 : 0)
        case .integer(let i):
            return json_object_new_int64(i)
        case .double(let d):
            guard d.isFinite else { return nil }
            return json_object_new_double_s(d, shortestText(d))
        case .string(let s):
            return newString(s)
        case .array(let elements):
            let array = json_object_new_array_ext(Int32(clamping: elements.count))
            for element in elements {
                json_object_array_add(array, makeObject(element))
            }
            return array
        case .object(let members):
            let object = json_object_new_object()
            for (key, member) in members {
                let storable = storableKey(key)
                // Keys of a JSONObject are unique, so json-c may skip its duplicate lookup,
                // unless replacing NUL made two keys equal.
                let flags: UInt32 = storable.utf8.count == key.utf8.count ? UInt32(JSON_C_OBJECT_ADD_KEY_IS_NEW) : 0
                json_object_object_add_ex(object, storable, makeObject(member), flags)
            }
            return object
        }
    }

    private static func newString(_ s: String) -> OpaquePointer? {
        var s = s
        return s.withUTF8 { buffer in
            precondition(buffer.count <= Int(Int32.max), "string too long for json-c")
            guard let base = buffer.baseAddress, buffer.count > 0 else { return json_object_new_string_len("", 0) }
            return base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                json_object_new_string_len($0, Int32(buffer.count))
            }
        }
    }

    /// json-c stores keys as C strings: U+0000 would cut them short, so it becomes U+FFFD.
    private static func storableKey(_ key: String) -> String {
        key.utf8.contains(0) ? String(key.map { $0 == "\u{0}" ? "\u{FFFD}" : $0 }) : key
    }

    /// The shortest round-trip text of a finite double, in JSON syntax (`1e-05` → `1e-5`, `1e+16` → `1e16`).
    static func shortestText(_ d: Double) -> String {
        let text = d.description  // Swift prints the shortest digits that read back exactly.
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return text }
        var exponent = text[text.index(after: e)...]
        var sign = ""
        if exponent.first == "-" {
            sign = "-"
            exponent = exponent.dropFirst()
        } else if exponent.first == "+" {
            exponent = exponent.dropFirst()
        }
        let digits = exponent.drop { $0 == "0" }
        return text[..<e] + "e" + sign + (digits.isEmpty ? "0" : digits)
    }
}
