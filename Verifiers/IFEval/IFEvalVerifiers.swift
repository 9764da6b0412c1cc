/// The IFEval-compatible verifiers, with the reference checkers' exact ids and kwargs
/// (lm-eval's `lm_eval/tasks/ifeval`), plus `detectable_format:xml_format`.
///
/// They reproduce the reference's quirks on purpose (punkt sentences, `\w+` words, `***`
/// paragraphs, Python regex and `json.loads` behaviour, langdetect with seed 0 for the language
/// ids), except that a missing kwarg the reference would draw at random is rejected as invalid.
/// The native verifiers use CLD2 (``ResponseText/language``) for language instead.
public enum IFEvalVerifiers {
    /// Every IFEval verifier, registered into ``VerifierRegistry/builtin``.
    public static let all: [any Verifier] = [
        KeywordVerifiers.existence,
        KeywordVerifiers.frequency,
        KeywordVerifiers.forbiddenWords,
        KeywordVerifiers.letterFrequency,
        CaseAndLanguageVerifiers.responseLanguage,
        LengthVerifiers.numberSentences,
        LengthVerifiers.numberParagraphs,
        LengthVerifiers.numberWords,
        LengthVerifiers.nthParagraphFirstWord,
        ContentVerifiers.numberPlaceholders,
        ContentVerifiers.postscript,
        FormatVerifiers.numberBulletLists,
        FormatVerifiers.constrainedResponse,
        FormatVerifiers.numberHighlightedSections,
        FormatVerifiers.multipleSections,
        FormatVerifiers.jsonFormat,
        FormatVerifiers.title,
        FormatVerifiers.xmlFormat,
        StructureVerifiers.twoResponses,
        StructureVerifiers.repeatPrompt,
        StructureVerifiers.endChecker,
        StructureVerifiers.quotation,
        CaseAndLanguageVerifiers.capitalWordFrequency,
        CaseAndLanguageVerifiers.englishCapital,
        CaseAndLanguageVerifiers.englishLowercase,
        StructureVerifiers.noComma,
    ]
}
