/// The cooperative time limit of the item being scored.
///
/// The scorer binds ``deadline`` for the duration of one item; the tree evaluator checks it before
/// every rule, and rules with long loops (the regex engine, anything scanning a huge text
/// repeatedly) call ``check(constraint:)`` every few thousand steps. Nothing is ever interrupted
/// preemptively: a rule that never checks still finishes its own work, then every later rule of
/// the item reports ``VerifierError/budgetExceeded(constraint:)``.
///
/// The value is a task-local, so it follows the item through synchronous calls on any thread and
/// needs no parameter on ``Rule/check(_:)``.
public enum EvaluationBudget {
    /// When the current item's time runs out; nil means no limit.
    @TaskLocal public static var deadline: ContinuousClock.Instant?

    /// Whether the current item's deadline has passed.
    public static var isExpired: Bool {
        guard let deadline else { return false }
        return ContinuousClock.now >= deadline
    }

    /// Throws ``VerifierError/budgetExceeded(constraint:)`` when the current deadline has passed.
    ///
    /// - Parameter constraint: the constraint id to name in the error.
    public static func check(constraint: String) throws(VerifierError) {
        if isExpired { throw .budgetExceeded(constraint: constraint) }
    }
}
