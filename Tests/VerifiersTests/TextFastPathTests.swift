import Testing

@testable import Verifiers

/// The table-driven and byte-level fast paths of the IFEval checks against the per-scalar
/// definitions they replace (Unicode properties, Python's full lowercase mapping).
@Suite("Text fast paths agree with the per-scalar definitions")
struct TextFastPathTests {
    /// Mixed scripts, case oddities (titlecase digraphs, full mappings that grow, Kelvin and Ångström
    /// signs), digits of other scripts, text beyond the BMP and ASCII edge bytes.
    static let texts: [String] = [
        "", "   ", "plain ascii words_with_underscores and 123 numbers", "ALL CAPS TEXT!", "all lower text.",
        "Mixed Case With ǅ titlecase and ǆ lower", "İstanbul KELVIN \u{212A} and Å sign \u{212B}",
        "Ünïcödé wörds — ñ, ß, Σίσυφος, Кириллица, 日本語, ١٢٣ arabic digits", "𝐀𝐁𝐂 mathematical 𝒜 and 😀 emoji",
        "tabs\tand\nnewlines\r\nand\u{0B}vertical\u{0C}feeds", "@[`{ edges of the ASCII letter ranges Z a z A",
        String(repeating: "Repeated block of ordinary English text, with commas. ", count: 50),
    ]

    /// The words of `re.findall(r"\w+", text)` from Unicode properties.
    static func words(_ text: String) -> [Range<Int>] {
        let s = Array(text.unicodeScalars)
        var out: [Range<Int>] = []
        var i = 0
        while i < s.count {
            if PythonText.isWord(s[i]) {
                let start = i
                while i < s.count, PythonText.isWord(s[i]) { i += 1 }
                out.append(start..<i)
            } else {
                i += 1
            }
        }
        return out
    }

    @Test("word ranges and counts", arguments: texts)
    func wordRanges(text: String) {
        let response = ResponseText(text)
        #expect(response.wordRanges == Self.words(text))
        #expect(response.wordCount == Self.words(text).count)
    }

    @Test("str.isupper and str.islower", arguments: texts + ["ǅ", "Σ", "ß", "123", "ABC ǅ", "abc Ǆ"])
    func caseTests(text: String) {
        let s = Array(text.unicodeScalars)
        let kinds = s.map(PythonText.caseKind)
        let cased = kinds.contains { $0 != .uncased }
        #expect(PythonText.isUpper(s) == (cased && !kinds.contains { $0 == .lower || $0 == .title }))
        #expect(PythonText.isLower(s) == (cased && !kinds.contains { $0 == .upper || $0 == .title }))
        #expect(PythonText.isUpper(s[...]) == PythonText.isUpper(s))
        #expect(PythonText.isLower(AnySequence(s)) == PythonText.isLower(s))
    }

    @Test("letter counts read from UTF-8 equal counts in Python's lower()", arguments: texts)
    func letterCounts(text: String) {
        let lowered = PythonText.lower(Array(text.unicodeScalars))
        for letter in ["a", "i", "k", "s", "z"] {
            let scalar = Unicode.Scalar(letter)!
            #expect(
                KeywordVerifiers.LetterRule.count(scalar, in: text) == lowered.filter { $0 == scalar }.count,
                "letter \(letter)")
        }
    }

    @Test("repeat_prompt and end_checker lowercase only the edge they compare, full mappings included")
    func edgeLowercasing() throws {
        let registry = VerifierRegistry.builtin
        func check(_ id: String, _ kwargs: [String: ConstraintValue], _ text: String) throws -> Bool {
            try registry.prepare(id, parameters: kwargs).check(ResponseText(text)).pass
        }
        let prompt: [String: ConstraintValue] = ["prompt_to_repeat": .string("i̇stanbul is GREAT")]
        #expect(try check("combination:repeat_prompt", prompt, "  İSTANBUL is great. And more."))
        #expect(try !check("combination:repeat_prompt", prompt, "Istanbul is great"))
        #expect(try !check("combination:repeat_prompt", prompt, "İstanbul"))
        let end: [String: ConstraintValue] = ["end_phrase": .string("Bye İ")]
        #expect(try check("startend:end_checker", end, "Well... bye i̇\"  "))
        #expect(try check("startend:end_checker", end, "Well... BYE İ"))
        #expect(try !check("startend:end_checker", end, "Well... bye i"))
        #expect(try !check("startend:end_checker", end, "i̇"))
    }

    @Test("IGNORECASE folding through the BMP table equals the Unicode properties for every code point")
    func foldTable() {
        var differing = 0
        for v in UInt32(0)...0x1_FFFF {
            guard let scalar = Unicode.Scalar(v) else { continue }
            if CaselessSearch.fold(scalar) != CaselessSearch.foldByProperties(scalar) { differing += 1 }
        }
        #expect(differing == 0)
        #expect(
            CaselessSearch.fold("İ") == "i" && CaselessSearch.fold("\u{212A}") == "k" && CaselessSearch.fold("Σ") == "σ"
        )
    }
}
