/// The native parametric verifiers, beyond IFEval's fixed kwargs.
public enum NativeVerifiers {
    /// Every native verifier, registered into ``VerifierRegistry/builtin``.
    public static let all: [any Verifier] = []
}
