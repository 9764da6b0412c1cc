/// A Swift type a parameter can be read as.
public protocol ParamValue: Sendable {
    /// How the type is named in messages: "a string", "an integer", ...
    static var paramTypeName: String { get }
    /// Reads the value at `field` (a path such as `params.items[2]`), or throws -32602 naming it.
    static func read(_ value: JSONValue, field: String) throws(RPCError) -> Self
}

extension ParamValue {
    /// The standard mismatch error: "params.n must be an integer, got string".
    public static func mismatch(_ value: JSONValue, field: String) -> RPCError {
        .invalidParams(
            "\(field) must be \(paramTypeName), got \(Envelope.describe(value))",
            data: ["field": .string(field), "expected": .string(paramTypeName), "got": .string(value.typeName)])
    }
}

extension String: ParamValue {
    public static var paramTypeName: String { "a string" }
    public static func read(_ value: JSONValue, field: String) throws(RPCError) -> String {
        guard let s = value.stringValue else { throw mismatch(value, field: field) }
        return s
    }
}

extension Bool: ParamValue {
    public static var paramTypeName: String { "a boolean" }
    public static func read(_ value: JSONValue, field: String) throws(RPCError) -> Bool {
        guard let b = value.boolValue else { throw mismatch(value, field: field) }
        return b
    }
}

extension Int: ParamValue {
    public static var paramTypeName: String { "an integer" }
    /// An integer, or a double with an integral value (`5.0`).
    public static func read(_ value: JSONValue, field: String) throws(RPCError) -> Int {
        guard let i = value.intValue else { throw mismatch(value, field: field) }
        return i
    }
}

extension Int64: ParamValue {
    public static var paramTypeName: String { "an integer" }
    public static func read(_ value: JSONValue, field: String) throws(RPCError) -> Int64 {
        guard let i = value.int64Value else { throw mismatch(value, field: field) }
        return i
    }
}

extension UInt64: ParamValue {
    public static var paramTypeName: String { "a non-negative integer" }
    public static func read(_ value: JSONValue, field: String) throws(RPCError) -> UInt64 {
        guard let i = value.int64Value, let u = UInt64(exactly: i) else { throw mismatch(value, field: field) }
        return u
    }
}

extension Double: ParamValue {
    public static var paramTypeName: String { "a number" }
    /// A double, or an integer converted to one.
    public static func read(_ value: JSONValue, field: String) throws(RPCError) -> Double {
        guard let d = value.doubleValue else { throw mismatch(value, field: field) }
        return d
    }
}

extension Float: ParamValue {
    public static var paramTypeName: String { "a number" }
    public static func read(_ value: JSONValue, field: String) throws(RPCError) -> Float {
        guard let d = value.doubleValue else { throw mismatch(value, field: field) }
        return Float(d)
    }
}

extension JSONValue: ParamValue {
    public static var paramTypeName: String { "a JSON value" }
    public static func read(_ value: JSONValue, field: String) throws(RPCError) -> JSONValue { value }
}

extension JSONObject: ParamValue {
    public static var paramTypeName: String { "an object" }
    public static func read(_ value: JSONValue, field: String) throws(RPCError) -> JSONObject {
        guard let o = value.objectValue else { throw mismatch(value, field: field) }
        return o
    }
}

extension Array: ParamValue where Element: ParamValue {
    public static var paramTypeName: String { "an array" }
    /// An array whose elements all read as `Element`; a bad element is named by index (`params.stop[1]`).
    public static func read(_ value: JSONValue, field: String) throws(RPCError) -> [Element] {
        guard let elements = value.arrayValue else { throw mismatch(value, field: field) }
        var result: [Element] = []
        result.reserveCapacity(elements.count)
        for (i, element) in elements.enumerated() {
            result.append(try Element.read(element, field: "\(field)[\(i)]"))
        }
        return result
    }
}

/// Reads a method's params with -32602 errors that name the field and the expected type.
///
/// ```swift
/// let p = ParamReader(request.params)
/// let response = try p.required("response", as: String.self)
/// let maxTokens = try p.optional("max_tokens", default: 16, in: 1...4096)
/// ```
/// A member whose value is `null` counts as absent.
public struct ParamReader: Sendable {
    /// The params being read.
    public let params: JSONObject
    /// The path used in messages, `params` at the top.
    public let path: String

    /// A reader over `params`; `path` prefixes field names in messages (`params.items[0]` for nested readers).
    public init(_ params: JSONObject, path: String = "params") {
        self.params = params
        self.path = path
    }

    /// The path of member `key`: `params.max_tokens`.
    public func field(_ key: String) -> String { "\(path).\(key)" }

    /// An invalid-params error about member `key`: "params.<key> <detail>".
    public func error(_ key: String, _ detail: String) -> RPCError {
        .invalidParams("\(field(key)) \(detail)", data: ["field": .string(field(key))])
    }

    /// The raw value of `key`, nil when absent or `null`.
    public func value(_ key: String) -> JSONValue? {
        guard let v = params[key], !v.isNull else { return nil }
        return v
    }

    /// Member `key` read as `T`; missing (or `null`) is an error.
    public func required<T: ParamValue>(_ key: String, as type: T.Type = T.self) throws(RPCError) -> T {
        guard let v = value(key) else { throw error(key, "is required") }
        return try T.read(v, field: field(key))
    }

    /// Member `key` read as `T`, nil when absent.
    public func optional<T: ParamValue>(_ key: String, as type: T.Type = T.self) throws(RPCError) -> T? {
        guard let v = value(key) else { return nil }
        return try T.read(v, field: field(key))
    }

    /// Member `key` read as `T`, `defaultValue` when absent.
    public func optional<T: ParamValue>(_ key: String, default defaultValue: T) throws(RPCError) -> T {
        try optional(key, as: T.self) ?? defaultValue
    }

    /// Member `key` read as `T` and checked against `range`; missing is an error.
    public func required<T: ParamValue & Comparable>(_ key: String, as type: T.Type = T.self, in range: ClosedRange<T>)
        throws(RPCError) -> T
    {
        try check(required(key, as: T.self), key, range)
    }

    /// Member `key` read as `T` and checked against `range`, `defaultValue` when absent.
    public func optional<T: ParamValue & Comparable>(_ key: String, default defaultValue: T, in range: ClosedRange<T>)
        throws(RPCError) -> T
    {
        guard let v = try optional(key, as: T.self) else { return defaultValue }
        return try check(v, key, range)
    }

    /// Member `key` read as `T`, at least `range.lowerBound`, `defaultValue` when absent.
    public func optional<T: ParamValue & Comparable>(
        _ key: String, default defaultValue: T, in range: PartialRangeFrom<T>
    ) throws(RPCError) -> T {
        guard let v = try optional(key, as: T.self) else { return defaultValue }
        guard range.contains(v) else { throw error(key, "must be at least \(range.lowerBound), got \(v)") }
        return v
    }

    /// Member `key` as one of `allowed` strings, `defaultValue` when absent (nil default → required).
    public func choice(_ key: String, of allowed: [String], default defaultValue: String? = nil) throws(RPCError)
        -> String
    {
        guard let v = value(key) else {
            if let defaultValue { return defaultValue }
            throw error(key, "is required (one of \(allowed.joined(separator: ", ")))")
        }
        let s = try String.read(v, field: field(key))
        guard allowed.contains(s) else {
            throw error(key, "must be one of \(allowed.joined(separator: ", ")), got '\(s)'")
        }
        return s
    }

    /// A reader for the object at `key` (path `params.key`), nil when absent.
    public func nested(_ key: String) throws(RPCError) -> ParamReader? {
        guard let object = try optional(key, as: JSONObject.self) else { return nil }
        return ParamReader(object, path: field(key))
    }

    /// Rejects members not in `known`: "params.max_token is not a known parameter (known: ...)".
    public func rejectUnknown(_ known: some Sequence<String>) throws(RPCError) {
        let knownSet = Set(known)
        if let unknown = params.keys.first(where: { !knownSet.contains($0) }) {
            throw error(unknown, "is not a known parameter (known: \(knownSet.sorted().joined(separator: ", ")))")
        }
    }

    private func check<T: Comparable>(_ v: T, _ key: String, _ range: ClosedRange<T>) throws(RPCError) -> T {
        guard range.contains(v) else {
            throw error(key, "must be between \(range.lowerBound) and \(range.upperBound), got \(v)")
        }
        return v
    }
}
