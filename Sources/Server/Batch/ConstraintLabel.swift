public import WireProtocol

/// Turns a trainer's or a dataset's constraint label into a spec `score` accepts.
///
/// The same rules as the Python adapters' `normalize_constraints` (Examples/python/raif_adapters/core.py):
///
/// - a JSON string is decoded (up to three times: exported datasets double-encode), and a string
///   that is not JSON is read as a Python literal (open-instruct writes `repr`s:
///   `"[{'instruction_id': [...], 'kwargs': [None]}]"`);
/// - an IFEval / IFBench record keeps only `instruction_id_list` and `kwargs` (extra keys such as
///   `key` or `prompt` are dropped), an open-instruct ground truth only `instruction_id` and `kwargs`;
/// - a list is normalized element by element; anything else (a native tree) is passed on as is.
///
/// Semantic checks (known ids, parameter types) stay with the verifier module.
public enum ConstraintLabel {
    /// The spec inside `label`; `what` names the label in error messages (`labels[3]`).
    ///
    /// - Throws: -32602 when the label is an empty string, is neither JSON nor a Python literal,
    ///   is an empty list, or has no constraint shape at all.
    public static func normalize(_ label: JSONValue, what: String) throws(RPCError) -> JSONValue {
        var value = label
        for _ in 0..<3 {
            guard case .string(let text) = value else { break }
            value = try parseText(text, what: what)
        }
        switch value {
        case .string:
            throw invalid(what, "is nested too deeply in strings")
        case .array(let elements):
            if elements.isEmpty { throw invalid(what, "is an empty list, not a constraint spec") }
            var out: [JSONValue] = []
            out.reserveCapacity(elements.count)
            for element in elements { out.append(try normalize(element, what: what)) }
            return .array(out)
        case .object(let object):
            if object.contains("instruction_id_list") {
                return ["instruction_id_list": object["instruction_id_list"]!, "kwargs": object["kwargs"] ?? .null]
            }
            if object.contains("instruction_id") {
                return ["instruction_id": object["instruction_id"]!, "kwargs": object["kwargs"] ?? .null]
            }
            return value
        default:
            throw invalid(what, "must be an object or a list of objects, got \(value.typeName)")
        }
    }

    private static func invalid(_ what: String, _ detail: String) -> RPCError {
        .invalidParams("\(what) \(detail)", data: ["field": .string(what)])
    }

    /// A label string as JSON, else as a Python literal.
    private static func parseText(_ text: String, what: String) throws(RPCError) -> JSONValue {
        let trimmed = text.trimmingWhitespace
        if trimmed.isEmpty { throw invalid(what, "is an empty string, not a constraint spec") }
        do {
            return try JSONValue.parse(trimmed)
        } catch let jsonError {
            if let literal = PythonLiteral.parse(trimmed) { return literal }
            let start = String(trimmed.prefix(120))
            throw invalid(what, "is neither JSON nor a Python literal (\(jsonError.description)): \(start)")
        }
    }
}

/// A reader of Python literals (`repr` of dicts, lists, tuples, strings, numbers, `True`, `False`,
/// `None`) as JSON values; nil for anything else. Tuples become arrays.
enum PythonLiteral {
    /// The value of `text`, or nil when it is not a single literal.
    static func parse(_ text: String) -> JSONValue? {
        var reader = Reader(scalars: Array(text.unicodeScalars))
        guard let value = reader.value(depth: 0) else { return nil }
        reader.skipSpace()
        return reader.position == reader.scalars.count ? value : nil
    }

    private struct Reader {
        let scalars: [Unicode.Scalar]
        var position = 0

        init(scalars: [Unicode.Scalar]) { self.scalars = scalars }

        mutating func skipSpace() {
            while position < scalars.count, scalars[position].properties.isWhitespace { position += 1 }
        }

        func peek() -> Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

        mutating func value(depth: Int) -> JSONValue? {
            guard depth < JSONValue.defaultMaxDepth else { return nil }
            skipSpace()
            guard let c = peek() else { return nil }
            switch c {
            case "{": return dict(depth: depth)
            case "[": return sequence(close: "]", depth: depth)
            case "(": return sequence(close: ")", depth: depth)
            case "'", "\"": return string().map(JSONValue.string)
            default:
                if let word = keyword() { return word }
                return number()
            }
        }

        mutating func keyword() -> JSONValue? {
            for (word, value) in [("True", JSONValue.bool(true)), ("False", .bool(false)), ("None", .null)] {
                let scalarsOfWord = Array(word.unicodeScalars)
                if position + scalarsOfWord.count <= scalars.count,
                    Array(scalars[position..<position + scalarsOfWord.count]) == scalarsOfWord
                {
                    position += scalarsOfWord.count
                    return value
                }
            }
            return nil
        }

        mutating func number() -> JSONValue? {
            let start = position
            while let c = peek(), c == "-" || c == "+" || c == "." || c == "e" || c == "E" || ("0"..."9").contains(c) {
                position += 1
            }
            guard position > start else { return nil }
            let text = String(String.UnicodeScalarView(scalars[start..<position]))
            if let integer = Int64(text) { return .integer(integer) }
            if let double = Double(text), double.isFinite { return .double(double) }
            return nil
        }

        mutating func string() -> String? {
            guard let quote = peek() else { return nil }
            position += 1
            var out = String.UnicodeScalarView()
            while let c = peek() {
                position += 1
                if c == quote { return String(out) }
                guard c == "\\" else {
                    out.append(c)
                    continue
                }
                guard let escaped = peek() else { return nil }
                position += 1
                switch escaped {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                case "0": out.append("\u{0}")
                case "x", "u", "U":
                    let length = escaped == "x" ? 2 : escaped == "u" ? 4 : 8
                    guard position + length <= scalars.count,
                        let code = UInt32(
                            String(String.UnicodeScalarView(scalars[position..<position + length])), radix: 16),
                        let scalar = Unicode.Scalar(code)
                    else { return nil }
                    position += length
                    out.append(scalar)
                default: out.append(escaped)  // \\ \' \" and unknown escapes kept literally
                }
            }
            return nil
        }

        mutating func sequence(close: Unicode.Scalar, depth: Int) -> JSONValue? {
            position += 1
            var elements: [JSONValue] = []
            while true {
                skipSpace()
                if peek() == close {
                    position += 1
                    return .array(elements)
                }
                guard let element = value(depth: depth + 1) else { return nil }
                elements.append(element)
                skipSpace()
                if peek() == "," {
                    position += 1
                } else if peek() != close {
                    return nil
                }
            }
        }

        mutating func dict(depth: Int) -> JSONValue? {
            position += 1
            var object = JSONObject()
            while true {
                skipSpace()
                if peek() == "}" {
                    position += 1
                    return .object(object)
                }
                guard let c = peek(), c == "'" || c == "\"", let key = string() else { return nil }
                skipSpace()
                guard peek() == ":" else { return nil }
                position += 1
                guard let member = value(depth: depth + 1) else { return nil }
                object.set(key, member)
                skipSpace()
                if peek() == "," {
                    position += 1
                } else if peek() != "}" {
                    return nil
                }
            }
        }
    }
}

extension String {
    /// The string without leading and trailing white space.
    var trimmingWhitespace: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
