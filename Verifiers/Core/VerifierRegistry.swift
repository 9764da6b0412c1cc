/// Verifiers by id and alias: validates a constraint's parameters against the verifier's schema
/// and prepares its rule.
///
/// ```swift
/// let rule = try VerifierRegistry.builtin.prepare(
///     "length_constraints:number_words", parameters: ["relation": .string("at least"), "num_words": .integer(100)])
/// let check = try rule.check(ResponseText(answer))
/// ```
public struct VerifierRegistry: Sendable {
    /// A registered verifier with its parameter schema read once (a descriptor is rebuilt, or at
    /// least copied, on every `descriptor` read).
    private struct Entry: Sendable {
        let verifier: any Verifier
        let parameters: [ParameterSpec]
    }

    private var byName: [String: Entry] = [:]
    private var canonical: [String: any Verifier] = [:]

    /// An empty registry.
    public init() {}

    /// The built-in verifiers: IFEval's 25 instructions plus `detectable_format:xml_format`, and the
    /// native parametric ones.
    public static let builtin: VerifierRegistry = {
        var registry = VerifierRegistry()
        for verifier in IFEvalVerifiers.all + IFBenchVerifiers.all + NativeVerifiers.all {
            do throws(VerifierError) {
                try registry.register(verifier)
            } catch {
                // Two built-ins sharing an id is a programming error, caught by the registry tests.
                fatalError("built-in verifier registration failed: \(error.message)")
            }
        }
        return registry
    }()

    /// Adds a verifier under its id and aliases.
    ///
    /// - Throws: ``VerifierError/duplicateVerifier(_:)`` when its id or an alias is taken (nothing
    ///   is registered then).
    public mutating func register(_ verifier: any Verifier) throws(VerifierError) {
        let descriptor = verifier.descriptor
        let names = [descriptor.id] + descriptor.aliases
        var seen = Set<String>()
        for name in names {
            if byName[name] != nil || !seen.insert(name).inserted {
                throw .duplicateVerifier(name)
            }
        }
        let entry = Entry(verifier: verifier, parameters: descriptor.parameters)
        for name in names { byName[name] = entry }
        canonical[descriptor.id] = verifier
    }

    /// The verifier registered under an id or alias.
    public func verifier(for id: String) -> (any Verifier)? {
        byName[id]?.verifier
    }

    /// Every registered verifier's descriptor, sorted by id.
    public var descriptors: [VerifierDescriptor] {
        canonical.values.map(\.descriptor).sorted { $0.id < $1.id }
    }

    /// Validates parameters against the schema of the verifier `id` names, then prepares its rule.
    ///
    /// Null values count as absent (IFBench pads every key with null). Unknown names are rejected,
    /// types are checked (an integer parameter accepts `5.0`, not `5.5`), required parameters must be
    /// present, values must be among the allowed ones, and defaults are filled in.
    ///
    /// - Throws: ``VerifierError/unknownVerifier(_:)``, or
    ///   ``VerifierError/invalidParameter(constraint:field:reason:)`` naming the field.
    public func prepare(_ id: String, parameters: [String: ConstraintValue]) throws(VerifierError) -> any Rule {
        guard let entry = byName[id] else { throw .unknownVerifier(id) }
        let validated = try ParameterValidation.validate(parameters, against: entry.parameters, constraint: id)
        return try entry.verifier.prepare(Parameters(constraint: id, values: validated))
    }
}

/// Checks parameter values against a ``ParameterSpec`` schema.
enum ParameterValidation {
    static func validate(
        _ values: [String: ConstraintValue], against specs: [ParameterSpec], constraint: String
    ) throws(VerifierError) -> [String: ConstraintValue] {
        // The first unknown name in sorted order (a linear scan: schemas have a handful of names).
        var unknown: String? = nil
        for (name, value) in values where value != .null && !specs.contains(where: { $0.name == name }) {
            if unknown.map({ name < $0 }) ?? true { unknown = name }
        }
        if let name = unknown {
            let known = specs.map(\.name).sorted()
            throw .invalidParameter(
                constraint: constraint, field: name,
                reason: known.isEmpty
                    ? "this verifier takes no parameters"
                    : "unknown parameter; expected one of \(known.joined(separator: ", "))")
        }
        // Starts as the given values (sharing their storage) and is copied only when something
        // changes: a null dropped, a default filled in, a value coerced (most specs need none).
        var out = values
        for (name, value) in values where value == .null { out[name] = nil }
        for spec in specs {
            guard let raw = values[spec.name], raw != .null else {
                if let value = spec.defaultValue {
                    out[spec.name] = value
                } else if spec.required {
                    throw .invalidParameter(constraint: constraint, field: spec.name, reason: "required but missing")
                }
                continue
            }
            let value = try coerce(raw, to: spec.kind, constraint: constraint, field: spec.name)
            if let allowed = spec.allowedValues, !allowed.contains(value) {
                throw .invalidParameter(
                    constraint: constraint, field: spec.name,
                    reason: "\(render(value)) is not one of \(allowed.map(render).joined(separator: ", "))")
            }
            if value != raw { out[spec.name] = value }
        }
        return out
    }

    private static func coerce(
        _ value: ConstraintValue, to kind: ParameterSpec.Kind, constraint: String, field: String
    ) throws(VerifierError) -> ConstraintValue {
        func mismatch(_ expected: String) -> VerifierError {
            .invalidParameter(
                constraint: constraint, field: field, reason: "expected \(expected), got \(render(value))")
        }
        switch kind {
        case .any:
            return value
        case .integer:
            switch value {
            case .integer: return value
            case .number(let d):
                if d.isFinite, d.rounded() == d, let i = Int64(exactly: d) { return .integer(i) }
                throw mismatch("an integer")
            default: throw mismatch("an integer")
            }
        case .number:
            switch value {
            case .number: return value
            case .integer(let i): return .number(Double(i))
            default: throw mismatch("a number")
            }
        case .string:
            if case .string = value { return value }
            throw mismatch("a string")
        case .boolean:
            if case .bool = value { return value }
            throw mismatch("a boolean")
        case .stringList:
            guard case .array(let items) = value else { throw mismatch("a list of strings") }
            for item in items {
                guard case .string = item else { throw mismatch("a list of strings") }
            }
            return value
        }
    }

    /// A short JSON-ish rendering of a value for error messages.
    static func render(_ value: ConstraintValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .integer(let i): return String(i)
        case .number(let d): return String(d)
        case .string(let s): return "\"\(s)\""
        case .array(let items): return "[" + items.map(render).joined(separator: ", ") + "]"
        case .object(let fields):
            return "{" + fields.keys.sorted().map { "\"\($0)\": \(render(fields[$0]!))" }.joined(separator: ", ") + "}"
        }
    }
}

extension Parameters {
    /// The integer value of a validated parameter, if present.
    public func integer(_ name: String) -> Int? {
        if case .integer(let i) = values[name] { return Int(clamping: i) }
        return nil
    }

    /// The number value of a validated parameter, if present (integers widen).
    public func number(_ name: String) -> Double? {
        switch values[name] {
        case .number(let d): return d
        case .integer(let i): return Double(i)
        default: return nil
        }
    }

    /// The string value of a validated parameter, if present.
    public func string(_ name: String) -> String? {
        if case .string(let s) = values[name] { return s }
        return nil
    }

    /// The boolean value of a validated parameter, if present.
    public func bool(_ name: String) -> Bool? {
        if case .bool(let b) = values[name] { return b }
        return nil
    }

    /// The string-list value of a validated parameter, if present.
    public func stringList(_ name: String) -> [String]? {
        guard case .array(let items) = values[name] else { return nil }
        var out: [String] = []
        for item in items {
            guard case .string(let s) = item else { return nil }
            out.append(s)
        }
        return out
    }

    /// An error naming this constraint and a field.
    public func invalid(_ field: String, _ reason: String) -> VerifierError {
        .invalidParameter(constraint: constraint, field: field, reason: reason)
    }
}
