import Foundation
import Testing

@testable import Verifiers

/// The optimised langdetect, Punkt and Treebank ports against the straightforward ports they
/// replaced (``ReferenceLangDetect``, ``ReferencePunktSentenceTokenizer``,
/// ``ReferenceTreebankWordTokenizer``), on the committed IFEval slice,
/// its loose-mode variants and hand-made edge cases; and the shared language-guess cache.
@Suite("Fast paths agree with the reference ports")
struct FastPathAgreementTests {
    static func records() throws -> [ConformanceRecord] {
        let url = try #require(
            Bundle.module.url(forResource: "ifeval_slice", withExtension: "jsonl", subdirectory: "Fixtures"))
        return try Conformance.loadRecords(url)
    }

    /// Texts that exercise the text preparation: URLs, mail addresses, Vietnamese combining marks,
    /// capital words, CJK, kana, hangul, Arabic, text beyond the BMP, long text, nothing to detect.
    static let edgeCases: [String] = [
        "", "   ", "12345 !!! ...", "Hello world, this is plain English text.",
        "See https://example.com/a?b=c&d=e#f and mail me at first.last@example.co.uk today, ok?",
        "Tiếng Việt có dấu: Tie\u{302}\u{301}ng Vie\u{323}\u{302}t, ho\u{300}a bi\u{300}nh",
        "THIS IS ALL CAPITALS AND SHOULD GIVE LITTLE TO GO ON. BUT SOME words ARE lower.",
        "日本語のテキストです。カタカナもあります。中文文本也在这里。", "한국어 문장입니다. 안녕하세요.",
        "هذه جملة باللغة العربية مع ی فارسی", "Emoji 😀 and 𝒜𝓁𝓅𝒽𝒶 outside the BMP: 😀😀 done",
        String(repeating: "Mostly English words with a few Ελληνικά and кириллица mixed in. ", count: 200),
        "Ça va très bien, merci. Où est la bibliothèque? Ðiều này «quoted» °C",
        "user@@host a@b.c @@ http:// https://x http://ab.cd/ef mailto:x_y-z@sub-domain.example",
    ]

    @Test("langdetect probabilities are bit-identical to the reference port")
    func langDetect() throws {
        var texts = Self.edgeCases
        let languageIDs: Set<String> = [
            "language:response_language", "change_case:english_lowercase", "change_case:english_capital",
        ]
        for record in try Self.records() {
            texts.append(record.response)
            if languageIDs.contains(record.instructionID) { texts += ResponseVariants.loose(record.response) }
        }
        var compared = 0
        for text in texts {
            let scalars = Array(text.unicodeScalars)
            let fast = LangDetect.shared.probabilities(scalars)
            let reference = ReferenceLangDetect.shared.probabilities(scalars)
            #expect(fast == reference, "\(text.prefix(80))")
            #expect(LangDetect.shared.probabilities(scalars, scalarKernels: true) == fast, "\(text.prefix(80))")
            // detect() stops once the leader is decided; it must still name the full run's language.
            let language = ReferenceLangDetect.shared.detect(scalars)
            #expect(LangDetect.shared.detect(scalars) == language, "\(text.prefix(80))")
            #expect(LangDetect.shared.detect(scalars, scalarKernels: true) == language, "\(text.prefix(80))")
            if fast != nil { compared += 1 }
        }
        #expect(compared > 500)
    }

    @Test("Punkt sentence ranges and Treebank tokens equal the reference ports'")
    func punkt() throws {
        var texts =
            Self.edgeCases + [
                "Dr. Smith went to Washington D.C. on Jan. 5. He met Mr. J. R. Jones there... Then? \"Yes!\" (It ended.)",
                "The U.S. economy grew 3.5% in 2023. It was e.g. better than expected. No. 5 is next.",
                "One sentence.\nAnother one!\n\n  A third one?  ", "A--b. C. . . d. «Quoted.» ‘Single.’ Next.",
            ]
        for record in try Self.records() {
            texts.append(record.response)
            if record.instructionID == "length_constraints:number_sentences"
                || record.instructionID == "change_case:capital_word_frequency"
            {
                texts += ResponseVariants.loose(record.response)
            }
        }
        texts += ["I cannot go, gonna GIMME it. Don't! 'Tis the dogs' bone; they'll've it. Wanna? More'n d'ye"]
        for text in texts {
            let scalars = Array(text.unicodeScalars)
            var fastTokens: [Range<Int>] = []
            var referenceTokens: [Range<Int>] = []
            for sentence in PunktSentenceTokenizer.english.sentences(in: scalars) {
                TreebankWordTokenizer.tokenize(scalars, sentence, into: &fastTokens)
                ReferenceTreebankWordTokenizer.tokenize(scalars, sentence, into: &referenceTokens)
            }
            #expect(fastTokens == referenceTokens, "\(text.prefix(80))")
            #expect(
                PunktSentenceTokenizer.english.sentences(in: scalars)
                    == ReferencePunktSentenceTokenizer.english.sentences(in: scalars), "\(text.prefix(80))")
        }
    }

    @Test("the ASCII fast paths of decoding, folding and lowercasing match the per-scalar ones", arguments: edgeCases)
    func scalars(text: String) {
        #expect(PythonText.scalars(of: text) == Array(text.unicodeScalars))
        #expect(PythonText.countByte(UInt8(ascii: ","), in: text) == text.utf8.filter { $0 == 0x2C }.count)
        let scalars = Array(text.unicodeScalars)
        #expect(CaselessSearch.fold(scalars) == scalars.map { CaselessSearch.fold($0) })
        let mixedCase = Array((text + " MiXeD ASCII Case 123").unicodeScalars)
        var lowered: [Unicode.Scalar] = []
        for s in mixedCase {
            lowered += s.properties.changesWhenLowercased ? Array(s.properties.lowercaseMapping.unicodeScalars) : [s]
        }
        #expect(PythonText.lower(mixedCase) == lowered)
    }

    @Test("the language-guess cache returns cached guesses, caches 'no features', and stays bounded")
    func languageCache() {
        let cache = LanguageGuessCache(capacity: 3, maxTextBytes: 20)
        var calls = 0
        /// Asks the cache, with a detector that answers `answer` and counts its calls.
        func ask(_ text: String, _ answer: String?) -> String? {
            cache.language(of: text) {
                calls += 1
                return answer
            }
        }
        #expect(ask("one", "en") == "en")
        #expect(ask("one", "fr") == "en")
        #expect(calls == 1)
        #expect(ask("none", nil) == nil)
        #expect(ask("none", "en") == nil)
        #expect(calls == 2)
        for text in ["a", "b", "c", "d"] { _ = ask(text, "xx") }
        #expect(cache.count == 3)
        // "one" was evicted: detection runs again.
        #expect(ask("one", "de") == "de")
        #expect(calls == 7)
        // Longer texts are detected every time, never cached.
        let long = String(repeating: "x", count: 21)
        #expect(ask(long, "en") == "en")
        #expect(ask(long, "en") == "en")
        #expect(calls == 9)
        #expect(cache.count == 3)
    }

    @Test("the language-guess cache keys texts by their exact bytes")
    func languageCacheKeys() {
        let cache = LanguageGuessCache(capacity: 8, maxTextBytes: 100)
        var calls = 0
        func ask(_ text: String) -> String? {
            cache.language(of: text) {
                calls += 1
                return String(text.unicodeScalars.count)
            }
        }
        // "café" precomposed and decomposed: equal as Swift strings, different code points.
        let composed = "caf\u{E9}"
        let decomposed = "cafe\u{301}"
        #expect(composed == decomposed)
        #expect(ask(composed) == "4")
        #expect(ask(decomposed) == "5")
        #expect(ask(composed) == "4")
        #expect(calls == 2)
        // Texts that differ only past the first eight bytes, or only in length, are distinct.
        #expect(ask("abcdefghX") == "9" && ask("abcdefghY") == "9" && ask("abcdefgh") == "8")
        #expect(calls == 5)
        #expect(LanguageGuessCache.Key("abcdefghX") != LanguageGuessCache.Key("abcdefghY"))
        #expect(LanguageGuessCache.Key("") == LanguageGuessCache.Key(""))
    }

    @Test("the language-guess cache is safe under concurrent use")
    func languageCacheConcurrent() async {
        let cache = LanguageGuessCache(capacity: 8, maxTextBytes: 100)
        await withTaskGroup(of: Bool.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    var ok = true
                    for i in 0..<500 {
                        let text = "text \((i * 7 + worker) % 13)"
                        ok = ok && cache.language(of: text) { text.uppercased() } == text.uppercased()
                    }
                    return ok
                }
            }
            for await ok in group { #expect(ok) }
        }
        #expect(cache.count <= 8)
    }
}
