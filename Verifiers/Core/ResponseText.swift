internal import CTextKernels

/// The response under test, with analyses computed on first use and cached.
///
/// Every rule of one item sees the same `ResponseText`, so words, sentences, paragraphs and the
/// language guess are computed once per response however many constraints ask for them. The
/// analyses follow the IFEval reference where it defines them (`\w+` words, punkt sentences,
/// nltk `word_tokenize` tokens).
///
/// Thread-safety: the caches are filled lazily without locks; one item is checked on one thread
/// at a time, which is how the scorer uses it. Hence `@unchecked Sendable`.
public final class ResponseText: @unchecked Sendable {
    /// The response text.
    public let text: String
    /// The prompt the response answers, for rules such as `combination:repeat_prompt`.
    public let prompt: String?

    /// Wraps a response (and optionally its prompt).
    public init(_ text: String, prompt: String? = nil) {
        self.text = text
        self.prompt = prompt
    }

    /// The text's Unicode scalars (Python indexes strings by code point).
    public private(set) lazy var scalars: [Unicode.Scalar] = PythonText.scalars(of: text)

    /// Whether the text is empty after Python's `str.strip()`; IFEval fails every rule then.
    public private(set) lazy var isBlank: Bool = PythonText.isBlank(text)

    /// Python's `text.lower()`, as scalars.
    public private(set) lazy var lowercasedScalars: [Unicode.Scalar] = PythonText.lower(scalars)

    /// The text folded for `re.IGNORECASE` matching (simple lowercase), one scalar per scalar.
    private(set) lazy var foldedScalars: [Unicode.Scalar] = CaselessSearch.fold(scalars)

    /// Scalar ranges of the maximal runs of Python `\w` characters (nltk's `RegexpTokenizer(r"\w+")`).
    public private(set) lazy var wordRanges: [Range<Int>] = {
        var out: [Range<Int>] = []
        Self.scanWords(scalars) { out.append($0) }
        return out
    }()

    /// The number of `\w+` words, as IFEval counts them.
    public private(set) lazy var wordCount: Int = Self.countWords(scalars)

    /// The number of maximal runs of `\w` characters (`raif_count_word_starts`; text beyond the
    /// BMP, which the C table does not cover, is counted here).
    static func countWords(_ scalars: [Unicode.Scalar], scalarKernel: Bool = false) -> Int {
        let word = ScalarClassTable.word
        return ScalarClassTable.withTable { table in
            scalars.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: UInt32.self) { s in
                    let kernel = scalarKernel ? raif_count_word_starts_ref : raif_count_word_starts
                    let count = kernel(s.baseAddress, s.count, table, word)
                    if count >= 0 { return count }  // SIZE_MAX comes back as -1
                    var runs = 0
                    scanWords(scalars) { _ in runs += 1 }
                    return runs
                }
            }
        }
    }

    /// Calls `body` with the range of every maximal run of `\w` characters, in order.
    @inline(__always)
    private static func scanWords(_ scalars: [Unicode.Scalar], _ body: (Range<Int>) -> Void) {
        let word = ScalarClassTable.word
        ScalarClassTable.withTable { table in
            scalars.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: UInt32.self) { s in
                    let n = s.count
                    var i = 0
                    while i < n {
                        guard ScalarClassTable.classes(s[i], table) & word != 0 else {
                            i += 1
                            continue
                        }
                        let start = i
                        i += 1
                        while i < n, ScalarClassTable.classes(s[i], table) & word != 0 { i += 1 }
                        body(start..<i)
                    }
                }
            }
        }
    }

    /// The `\w+` words.
    public var words: [String] { wordRanges.map { PythonText.string(scalars[$0]) } }

    /// Scalar ranges of the sentences as the reference's punkt (English) tokenizer splits them.
    public private(set) lazy var sentenceRanges: [Range<Int>] = PunktSentenceTokenizer.english.sentences(in: scalars)

    /// Sentences as the reference's punkt (English) tokenizer splits them.
    public var sentences: [String] { sentenceRanges.map { PythonText.string(scalars[$0]) } }

    /// The number of punkt sentences.
    public var sentenceCount: Int { sentenceRanges.count }

    /// Scalar ranges of the tokens nltk's `word_tokenize` produces (punkt sentences, then the
    /// Treebank rules).
    public private(set) lazy var treebankTokenRanges: [Range<Int>] = {
        var out: [Range<Int>] = []
        let s = scalars
        for range in sentenceRanges { TreebankWordTokenizer.tokenize(s, range, into: &out) }
        return out
    }()

    /// Tokens as nltk's `word_tokenize` produces them.
    public var treebankTokens: [String] { treebankTokenRanges.map { PythonText.string(scalars[$0]) } }

    /// Lines split on `"\n"`, stripped, blank ones dropped.
    public private(set) lazy var lines: [String] = text.utf8.split(separator: 0x0A).compactMap { raw in
        let line = PythonText.strip(String(Substring(raw)))
        return line.isEmpty ? nil : line
    }

    /// Paragraphs: blocks separated by one or more blank lines, stripped, empty ones dropped.
    public private(set) lazy var paragraphs: [String] = {
        var out: [String] = []
        var current: [String] = []
        for raw in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false) {
            let line = String(Substring(raw))
            if PythonText.isBlank(line) {
                if !current.isEmpty { out.append(PythonText.strip(current.joined(separator: "\n"))) }
                current.removeAll()
            } else {
                current.append(line)
            }
        }
        if !current.isEmpty { out.append(PythonText.strip(current.joined(separator: "\n"))) }
        return out
    }()

    /// The language the IFEval reference's detector (langdetect, seed 0) reports: "en", "zh-cn", …,
    /// "unknown"; nil where it finds no features (it raises, and the reference then passes).
    /// Shared across items through ``LanguageGuessCache`` (a pure function of the text).
    private(set) lazy var referenceLanguage: String? = LanguageGuessCache.shared.language(of: text) {
        LangDetect.shared.detect(scalars)
    }

    /// The language CLD2 detects for the whole text.
    public private(set) lazy var language: DetectedLanguage = LanguageDetector.detect(text)
}
