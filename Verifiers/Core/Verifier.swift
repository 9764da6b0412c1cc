/// The contract every constraint verifier fulfils, built in or plugged in from outside.
///
/// A verifier is a named, parameterised rule family. The registry validates a constraint's
/// parameters against the verifier's ``VerifierDescriptor/parameters`` schema, then asks the
/// verifier to ``Verifier/prepare(_:)`` a ``Rule`` once per constraint; the rule is then run
/// against any number of responses (and response variants, in loose mode).
///
/// Plugins from outside the package (including proxies for external plugin processes) conform
/// to the same protocol and register with ``VerifierRegistry/register(_:)``.
public protocol Verifier: Sendable {
    /// Identity, family, parameter schema and a one-line description.
    var descriptor: VerifierDescriptor { get }

    /// Builds the ready-to-run rule for one constraint.
    ///
    /// - Parameter parameters: already checked against ``descriptor``'s schema (types, required
    ///   fields, allowed values), with defaults filled in. Checks that need more than the schema
    ///   (say, `min <= max`) happen here.
    /// - Throws: ``VerifierError/invalidParameter(constraint:field:reason:)`` for a bad value.
    func prepare(_ parameters: Parameters) throws(VerifierError) -> any Rule
}

/// One constraint with its parameters bound: checks a response and says why it passes or not.
public protocol Rule: Sendable {
    /// Checks one response.
    ///
    /// - Parameter response: the text under test, with its lazily computed analyses
    ///   (words, sentences, paragraphs, language …) shared between all rules of one item.
    /// - Returns: pass/fail, a score in [0, 1] and a human-readable reason.
    /// - Throws: ``VerifierError`` when the check cannot run (budget exceeded, internal error);
    ///   the caller reports that as an error node, never as a pass or a fail.
    func check(_ response: ResponseText) throws(VerifierError) -> Check
}

/// The outcome of one rule on one response.
public struct Check: Sendable, Hashable {
    /// Whether the constraint holds.
    public var pass: Bool
    /// Partial credit in [0, 1]; 1 when `pass`, unless the rule grades more finely.
    public var score: Double
    /// Why, for humans: "found 87 words, need at least 100".
    public var detail: String

    /// Makes a check; `score` defaults to 1 for a pass and 0 for a fail.
    public init(pass: Bool, score: Double? = nil, detail: String) {
        self.pass = pass
        self.score = score ?? (pass ? 1 : 0)
        self.detail = detail
    }
}

/// The family a verifier belongs to, as listed by the `verifiers` method.
public enum VerifierFamily: String, Sendable, Hashable, CaseIterable {
    case length, format, keyword, language, content, structure
}

/// What a verifier declares about itself: the registry and the `verifiers` method read this.
public struct VerifierDescriptor: Sendable, Hashable {
    /// The canonical id, e.g. `length_constraints:number_words`.
    public var id: String
    /// Other ids that resolve to this verifier.
    public var aliases: [String]
    /// The family it belongs to.
    public var family: VerifierFamily
    /// The parameter schema.
    public var parameters: [ParameterSpec]
    /// One line saying what it checks.
    public var summary: String

    /// Makes a descriptor.
    public init(
        id: String, aliases: [String] = [], family: VerifierFamily, parameters: [ParameterSpec] = [],
        summary: String
    ) {
        self.id = id
        self.aliases = aliases
        self.family = family
        self.parameters = parameters
        self.summary = summary
    }
}

/// One parameter in a verifier's schema.
public struct ParameterSpec: Sendable, Hashable {
    /// The JSON type a parameter takes.
    public enum Kind: String, Sendable, Hashable {
        /// A whole number; a JSON number with no fractional part (`5.0`) is accepted as 5.
        case integer
        /// Any JSON number.
        case number
        case string
        case boolean
        /// A JSON array of strings.
        case stringList = "string_list"
        /// Any JSON value (for nested constraint nodes and free-form objects).
        case any
    }

    public var name: String
    public var kind: Kind
    public var required: Bool
    /// Filled in when the parameter is absent.
    public var defaultValue: ConstraintValue?
    /// When set, the value must be one of these.
    public var allowedValues: [ConstraintValue]?
    /// One line for the `verifiers` listing.
    public var summary: String

    /// Makes a parameter spec.
    public init(
        _ name: String, _ kind: Kind, required: Bool = true, defaultValue: ConstraintValue? = nil,
        allowedValues: [ConstraintValue]? = nil, summary: String = ""
    ) {
        self.name = name
        self.kind = kind
        self.required = required
        self.defaultValue = defaultValue
        self.allowedValues = allowedValues
        self.summary = summary
    }
}

/// A JSON-shaped value: constraint specs and parameters reach this module in this form.
///
/// The server converts its wire JSON into this type, so this module never depends on the
/// protocol module.
///
/// Not `indirect`: arrays and objects already hold their elements out of line, and boxing every
/// scalar as well cost an allocation per value and a pointer chase per read.
public enum ConstraintValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([ConstraintValue])
    case object([String: ConstraintValue])
}

/// Validated parameters of one constraint, by name.
public struct Parameters: Sendable, Hashable {
    /// The constraint's id as the caller wrote it, for error messages.
    public var constraint: String
    /// Values by parameter name, defaults filled in.
    public var values: [String: ConstraintValue]

    /// Makes a parameter set.
    public init(constraint: String, values: [String: ConstraintValue]) {
        self.constraint = constraint
        self.values = values
    }
}
