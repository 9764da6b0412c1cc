/// Everything that can go wrong in the Verifiers module, from a bad spec to a rule that cannot run.
///
/// The server maps these onto protocol error codes; this module never does.
public enum VerifierError: Error, Sendable, Hashable {
    /// No verifier is registered under this id or alias.
    case unknownVerifier(String)
    /// A verifier with this id or alias is already registered.
    case duplicateVerifier(String)
    /// A parameter of a constraint is missing, of the wrong type, or out of range.
    case invalidParameter(constraint: String, field: String, reason: String)
    /// A constraint spec (tree, IFEval record, ground truth) is malformed at `path`.
    case invalidSpec(path: String, reason: String)
    /// A rule ran out of its time or work budget.
    case budgetExceeded(constraint: String)
    /// A rule could not run for a reason that is not the caller's fault.
    case internalFailure(constraint: String, reason: String)

    /// A one-line, human-readable description naming the constraint and field involved.
    public var message: String {
        switch self {
        case .unknownVerifier(let id):
            return "unknown verifier '\(id)'"
        case .duplicateVerifier(let id):
            return "a verifier with id or alias '\(id)' is already registered"
        case .invalidParameter(let constraint, let field, let reason):
            return "invalid parameter '\(field)' of '\(constraint)': \(reason)"
        case .invalidSpec(let path, let reason):
            return "invalid constraint spec at \(path): \(reason)"
        case .budgetExceeded(let constraint):
            return "'\(constraint)' exceeded its time budget"
        case .internalFailure(let constraint, let reason):
            return "'\(constraint)' could not run: \(reason)"
        }
    }
}

extension VerifierError: CustomStringConvertible {
    /// Same as ``message``.
    public var description: String { message }
}
