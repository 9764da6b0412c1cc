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
        // Runs of spaces and of other space-class characters (the fast path reads them uncollapsed),
        // capital words around them, a Latin text long enough to be cut at 10,000 code points.
        "Two  spaces,   three.    Four\t\ttabs\n\n  and  CAPS  RUN  HERE  .  A  B  C  x  Y  z  ",
        "  leading and trailing   ", "NASA  IS   HERE: Ok? YES! No.. ..A ..b",
        String(repeating: "word  and   ANOTHER    Word, ", count: 400),
        String(repeating: "Das ist ein deutscher Satz über Straßen.  ", count: 300),
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

    /// The fast trials read the generator's precomputed outputs, then generate their own: a
    /// detection that runs past the table (here: a table cut short anywhere, even mid-draw) must
    /// draw exactly what the generator itself gives.
    @Test(
        "langdetect's trials give the same bits when the precomputed random words run out",
        arguments: [0, 1, 5, 623, 624, 700])
    func precomputedWords(count: Int) throws {
        let texts = Self.edgeCases + (try Self.records().prefix(40).map(\.response))
        for text in texts {
            let scalars = Array(text.unicodeScalars)
            let reference = LangDetect.shared.probabilities(scalars, scalarKernels: true)
            #expect(
                LangDetect.shared.probabilities(scalars, precomputedWords: count) == reference, "\(text.prefix(80))")
            #expect(
                LangDetect.shared.probabilities(scalars, stopWhenDecided: true, precomputedWords: count)
                    == LangDetect.shared.probabilities(scalars, scalarKernels: true, stopWhenDecided: true))
        }
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

    /// Texts aimed at the Punkt lexicon and decision rules and at the Treebank splits: model
    /// abbreviations in any case and after hyphens, collocations (`##number##`, initials),
    /// sentence starters after abbreviations, ellipses, numbers, non-ASCII types (including ones
    /// whose lowercase is longer), curly quotes, dashes, clitics, eight-scalar block edges.
    static let tokenizerCases: [String] = [
        "He met Gen. Smith. However, the ex-Gen. Jones left. In Jan. The end.",
        "DR. SMITH and MR. JONES met at 5 p.m. Then they left. U.S.A. Next line. I.B.M. is big.",
        "It rose 5. Business was good. Page 12. Who knows? In 1990. International news.",
        "B. Smith met J. Walter and I. Magnin. O. Ludcke left. A. B. C. Smith. x. y.",
        "He said so... However he left.. Then. . . more. . . . Yes. And -- or --- so.",
        "Number 3.5. -4,000. .5 left. 1.2.3. v2. 2nd. The 3rd. #1. ##number##. Next.",
        "İstanbul. İSTANBUL. Ǆungla. ǅ. Straße. ΣΊΣΥΦΟΣ. Ωmega. ŉ. Next one.",
        "She wrote “Go.” Then ‘Stop.’ And «Non.» Also (this.) [that.] {more.} 'x.' \"y.\" Done.",
        "Wait!?! Really?! Yes!!! No?? Hmm... ok.\n\nNew para. \tTabbed. \u{A0}Nbsp. \u{3000}Ideo.",
        "A—B – C ‒ D ― E; f@g #h $i %j &k ?l !m *n [o] (p) {q} <r> `s` :t ,u 3:30 1,000 a:b c,d",
        "I can't won't shouldn't CAN'T they're THEY'RE we've I'll YOU'LL he's HE'S I'm I'd 'tis 'em 'n' x'",
        "'Tis 're 've 'll 'm 't 's 'd 'n 'x 'Hello' 'ok. dogs' o'clock rock'n'roll",
        "CANNOT Gimme GONNA gotta LeMmE wanna more'n d'ye D'YE MORE'N cannot. gonna.",
        "abcdefg. Hijklmn. 1234567. ABCDEFGH. abcdefgh? ABCDEFG! abcdefghijklmnop. Q.",
        "12345678.Abcdefgh 1234567.Abcdefgh. ........ ok. !!!!!!!! ??????? Done.",
        "ALL CAPS SENTENCE. ÉCOLE NORMALE. ǅungla Title. ΑΒΓ δεζ. 中文。 DONE.",
        "e.g. this. i.e. that. etc. more. vs. them. Inc. Corp. Ltd. co. Mr. Mrs. Ms. Prof. Rep.",
        ". .. ... a. b .c .d. .", "no sentence end at all", "Trailing spaces.   \n\n  ",
        "x.\ny.\n\nZ.", "“Quoted.”\n(Bracketed.)\n[Done.]", "He said: \"No.\" -- and left.",
        "𝒜𝓁𝓅𝒽𝒶. 😀 Next. 𝐀𝐁𝐂 upper? 𝐚𝐛𝐜. End.",
        // Capital chunks: at sentence edges, glued to punctuation, with clitics and final periods.
        "THE END. \"STOP.\"GO NOW. (USA) U.S.A. DON'T. 'TIS. CANNOT. GONNA! A.B. X... NASA's ABC-DEF AB--CD.",
        "x ABC. ABC.DEF. ABC.. A. I. 'I' I'M I'LL YOU'RE. 1ST 2ND. ÀÉÎ. ǄA. ǅA. ΑΒΓ. 𝐀𝐁𝐂. END",
        "Lower only here. And One Capital. AND ALL CAPS LINE\nNEXT LINE: YES, NO; MAYBE? «OUI» “YES” ‘NO’",
    ]

    @Test("Punkt and Treebank agree with the reference ports on the lexicon and rule edge cases")
    func punktEdgeCases() {
        for text in Self.tokenizerCases + Self.edgeCases {
            Self.expectTokenizersAgree(text)
        }
    }

    /// Python's `str.isupper()` from the Unicode properties behind ``PythonText/caseKind(_:)``
    /// (no class table): a cased code point and no lowercase or titlecase one.
    static func referenceIsUpper(_ scalars: ArraySlice<Unicode.Scalar>) -> Bool {
        var cased = false
        for s in scalars {
            switch PythonText.caseKind(s) {
            case .lower, .title: return false
            case .upper: cased = true
            case .uncased: break
            }
        }
        return cased
    }

    /// The fast Punkt sentences, Treebank tokens and capital-token count equal the reference's.
    static func expectTokenizersAgree(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let scalars = Array(text.unicodeScalars)
        let sentences = PunktSentenceTokenizer.english.sentences(in: scalars)
        #expect(
            sentences == ReferencePunktSentenceTokenizer.english.sentences(in: scalars), "\(text.prefix(80))",
            sourceLocation: sourceLocation)
        var fastTokens: [Range<Int>] = []
        var referenceTokens: [Range<Int>] = []
        for sentence in sentences {
            TreebankWordTokenizer.tokenize(scalars, sentence, into: &fastTokens)
            ReferenceTreebankWordTokenizer.tokenize(scalars, sentence, into: &referenceTokens)
        }
        #expect(fastTokens == referenceTokens, "\(text.prefix(80))", sourceLocation: sourceLocation)
        let capitals = referenceTokens.filter { referenceIsUpper(scalars[$0]) }.count
        #expect(
            TreebankWordTokenizer.uppercaseTokenCount(scalars, fastTokens) == capitals, "\(text.prefix(80))",
            sourceLocation: sourceLocation)
        #expect(
            TreebankWordTokenizer.uppercaseTokenCount(scalars, sentences: sentences) == capitals,
            "\(text.prefix(80))", sourceLocation: sourceLocation)
    }

    @Test("the BMP class table answers PythonText's predicates for every code point")
    func scalarClassTable() {
        let table = ScalarClassTable.bmp
        #expect(table.count == 0x1_0000)
        var mismatches = 0
        for v in UInt32(0)..<0x1_0000 {
            guard let c = Unicode.Scalar(v) else { continue }
            let bits = table[Int(v)]
            let kind = PythonText.caseKind(c)
            let ok =
                (bits & ScalarClassTable.space != 0) == PythonText.isSpace(v)
                && (bits & ScalarClassTable.word != 0) == PythonText.isWord(c)
                && (bits & ScalarClassTable.decimal != 0) == PythonText.isDecimal(c)
                && (bits & ScalarClassTable.lower != 0) == (kind == .lower)
                && (bits & ScalarClassTable.upper != 0) == (kind == .upper)
                && (bits & ScalarClassTable.title != 0) == (kind == .title)
            if !ok { mismatches += 1 }
        }
        #expect(mismatches == 0)
        // Spot checks of the properties behind the table.
        #expect(table[0x41] == ScalarClassTable.word | ScalarClassTable.upper)
        #expect(table[0x1C5] == ScalarClassTable.word | ScalarClassTable.title)
        #expect(table[0x661] == ScalarClassTable.word | ScalarClassTable.decimal)
        #expect(table[0x3000] == ScalarClassTable.space)
    }

    @Test("the capital-token count equals str.isupper() per token for every BMP code point")
    func uppercaseCount() {
        // Each code point alone, after an ASCII capital and before a lowercase letter.
        var scalars: [Unicode.Scalar] = []
        var tokens: [Range<Int>] = []
        for v in UInt32(0x80)..<0x1_0000 {
            guard let c = Unicode.Scalar(v) else { continue }
            tokens.append(scalars.count..<(scalars.count + 1))
            scalars.append(c)
            tokens.append(scalars.count..<(scalars.count + 2))
            scalars += ["A", c]
            tokens.append(scalars.count..<(scalars.count + 2))
            scalars += [c, "b"]
        }
        for v in [0x1D400, 0x1D41A, 0x1F600, 0x10400, 0x10428] as [UInt32] {
            let c = Unicode.Scalar(v)!
            tokens.append(scalars.count..<(scalars.count + 2))
            scalars += ["A", c]
        }
        let expected = tokens.filter { Self.referenceIsUpper(scalars[$0]) }.count
        #expect(TreebankWordTokenizer.uppercaseTokenCount(scalars, tokens) == expected)
        #expect(expected > 1000)
    }

    /// Every response of the full reference file (and its loose variants) when
    /// `RAIF_CONFORMANCE_DIR` points at it.
    @Test(
        "Punkt and Treebank agree with the reference ports on the full reference file (set RAIF_CONFORMANCE_DIR)",
        .enabled(if: ProcessInfo.processInfo.environment["RAIF_CONFORMANCE_DIR"] != nil))
    func punktFullFile() throws {
        let dir = ProcessInfo.processInfo.environment["RAIF_CONFORMANCE_DIR"]!
        let url = URL(fileURLWithPath: dir).appendingPathComponent("ifeval_reference.jsonl")
        var seen = Set<String>()
        for record in try Conformance.loadRecords(url) where seen.insert(record.response).inserted {
            for text in [record.response] + ResponseVariants.loose(record.response) {
                Self.expectTokenizersAgree(text)
            }
        }
        #expect(seen.count > 100)
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
