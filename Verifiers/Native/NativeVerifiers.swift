/// The native parametric verifiers, beyond IFEval's fixed kwargs.
///
/// Ids are `family:name` (`length:words`, `format:json`, `keyword:all`, `language:script`,
/// `content:regex`, …). They use raif's unicode-aware segmentation (``TextSegmentation``) rather
/// than IFEval's reference quirks, count with `min` / `max` / `exact` where counting makes sense,
/// give partial credit where it is meaningful, and explain themselves ("found 87 words, need at
/// least 100").
public enum NativeVerifiers {
    /// Every native verifier, registered into ``VerifierRegistry/builtin``.
    public static let all: [any Verifier] =
        NativeLengthVerifiers.all + NativeFormatVerifiers.all + NativeKeywordVerifiers.all
        + NativeLanguageVerifiers.all + NativeContentVerifiers.all + [JudgeVerifier.verifier]
}
