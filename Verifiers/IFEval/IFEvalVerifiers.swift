/// The IFEval-compatible verifiers, with the reference checkers' exact ids and kwargs.
public enum IFEvalVerifiers {
    /// Every IFEval verifier, registered into ``VerifierRegistry/builtin``.
    public static let all: [any Verifier] = []
}
