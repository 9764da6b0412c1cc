import Testing

@testable import Verifiers

/// One IFEval case: an id, its kwargs, a response and the expected verdict.
struct IFEvalCase: Sendable, CustomTestStringConvertible {
    var id: String
    var kwargs: [String: ConstraintValue]
    var response: String
    var pass: Bool
    var label: String
    var prompt: String? = nil

    var testDescription: String { "\(id) — \(label)" }

    init(
        _ id: String, _ kwargs: [String: ConstraintValue] = [:], _ response: String, _ pass: Bool, _ label: String,
        prompt: String? = nil
    ) {
        self.id = id
        self.kwargs = kwargs
        self.response = response
        self.pass = pass
        self.label = label
        self.prompt = prompt
    }
}

private let huge = String(repeating: "word ", count: 200_000)
private let hugeLines = String(repeating: "* item\n", count: 20_000)

/// Pass, fail, boundary, empty, huge and unicode inputs for every IFEval verifier.
let ifevalCases: [IFEvalCase] = [
    // keywords:existence
    .init(
        "keywords:existence", ["keywords": .array([.string("apple"), .string("Pie")])], "I like APPLE pie.", true,
        "pass, case-insensitive"),
    .init(
        "keywords:existence", ["keywords": .array([.string("apple"), .string("pie")])], "I like apples.", false,
        "one missing"),
    .init("keywords:existence", ["keywords": .array([.string("app")])], "happy", true, "substring counts (re.search)"),
    .init("keywords:existence", ["keywords": .array([.string("x")])], "   ", false, "blank response"),
    .init("keywords:existence", ["keywords": .array([.string("needle")])], huge + "needle", true, "huge"),
    .init("keywords:existence", ["keywords": .array([.string("ÉTÉ")])], "un été chaud", true, "unicode case folding"),
    // keywords:frequency
    .init(
        "keywords:frequency", ["keyword": .string("cat"), "frequency": .integer(2), "relation": .string("at least")],
        "Cat cat dog", true, "at least, boundary"),
    .init(
        "keywords:frequency", ["keyword": .string("cat"), "frequency": .integer(2), "relation": .string("less than")],
        "Cat cat dog", false, "less than, boundary"),
    .init(
        "keywords:frequency", ["keyword": .string("aa"), "frequency": .integer(2), "relation": .string("at least")],
        "aaa", false, "non-overlapping count"),
    .init(
        "keywords:frequency", ["keyword": .string("cat"), "frequency": .integer(1), "relation": .string("less than")],
        "", false, "empty"),
    .init(
        "keywords:frequency",
        ["keyword": .string("word"), "frequency": .integer(200_000), "relation": .string("at least")], huge, true,
        "huge"),
    .init(
        "keywords:frequency",
        ["keyword": .string("straße"), "frequency": .integer(1), "relation": .string("at least")],
        "Die STRASSE und die Straße", true, "unicode"),
    // keywords:forbidden_words
    .init("keywords:forbidden_words", ["forbidden_words": .array([.string("bad")])], "a good day", true, "pass"),
    .init("keywords:forbidden_words", ["forbidden_words": .array([.string("bad")])], "a BAD day", false, "fail"),
    .init(
        "keywords:forbidden_words", ["forbidden_words": .array([.string("bad")])], "badge and abad", true,
        "whole words only"),
    .init("keywords:forbidden_words", ["forbidden_words": .array([.string("bad")])], "", false, "empty"),
    .init("keywords:forbidden_words", ["forbidden_words": .array([.string("bad")])], huge, true, "huge"),
    .init("keywords:forbidden_words", ["forbidden_words": .array([.string("café")])], "un CAFÉ noir", false, "unicode"),
    // keywords:letter_frequency
    .init(
        "keywords:letter_frequency",
        ["letter": .string("A"), "let_frequency": .integer(3), "let_relation": .string("at least")], "banana", true,
        "boundary at least"),
    .init(
        "keywords:letter_frequency",
        ["letter": .string("a"), "let_frequency": .integer(3), "let_relation": .string("less than")], "banana", false,
        "boundary less than"),
    .init(
        "keywords:letter_frequency",
        ["letter": .string("z"), "let_frequency": .integer(1), "let_relation": .string("less than")], "", false, "empty"
    ),
    .init(
        "keywords:letter_frequency",
        ["letter": .string("w"), "let_frequency": .integer(200_000), "let_relation": .string("at least")], huge, true,
        "huge"),
    .init(
        "keywords:letter_frequency",
        ["letter": .string("i"), "let_frequency": .integer(1), "let_relation": .string("at least")], "İ", true,
        "unicode lowercasing İ → i̇"),
    // language:response_language
    .init(
        "language:response_language", ["language": .string("fr")],
        "Bonjour, je suis très heureux de vous voir aujourd'hui. Nous allons parler de la cuisine française.", true,
        "French"),
    .init(
        "language:response_language", ["language": .string("fr")],
        "Hello, I am very happy to see you today. We are going to talk about French cuisine.", false, "English"),
    .init(
        "language:response_language", ["language": .string("en")], "12345 !!!", true,
        "no letters passes like the reference"),
    .init("language:response_language", ["language": .string("en")], "", false, "empty"),
    .init("language:response_language", ["language": .string("ja")], "今日はとても良い天気ですね。公園に散歩に行きましょう。", true, "Japanese"),
    // length_constraints:number_sentences
    .init(
        "length_constraints:number_sentences", ["num_sentences": .integer(3), "relation": .string("at least")],
        "One. Two! Three?", true, "boundary"),
    .init(
        "length_constraints:number_sentences", ["num_sentences": .integer(3), "relation": .string("less than")],
        "One. Two! Three?", false, "boundary less than"),
    .init(
        "length_constraints:number_sentences", ["num_sentences": .integer(2), "relation": .string("less than")],
        "Mr. Smith met Dr. Jones at 5 p.m. yesterday.", true, "abbreviations"),
    .init(
        "length_constraints:number_sentences", ["num_sentences": .integer(1), "relation": .string("at least")], "",
        false, "empty"),
    .init(
        "length_constraints:number_sentences", ["num_sentences": .integer(10_000), "relation": .string("at least")],
        String(repeating: "A sentence. ", count: 10_000), true, "huge"),
    .init(
        "length_constraints:number_sentences", ["num_sentences": .integer(2), "relation": .string("at least")],
        "“Où es-tu?” dit-il. Il part.", true, "unicode quotes"),
    // length_constraints:number_paragraphs
    .init(
        "length_constraints:number_paragraphs", ["num_paragraphs": .integer(2)], "First.\n***\nSecond.", true, "pass"),
    .init(
        "length_constraints:number_paragraphs", ["num_paragraphs": .integer(2)], "First.\n***\n***\nSecond.", false,
        "empty middle paragraph"),
    .init(
        "length_constraints:number_paragraphs", ["num_paragraphs": .integer(1)], "***\nOnly.\n***", true,
        "leading and trailing dividers"),
    .init("length_constraints:number_paragraphs", ["num_paragraphs": .integer(1)], "", false, "empty"),
    .init("length_constraints:number_paragraphs", ["num_paragraphs": .integer(1)], huge, true, "huge"),
    .init(
        "length_constraints:number_paragraphs", ["num_paragraphs": .integer(2)], "Première.\n***\nDeuxième — fin.",
        true, "unicode"),
    // length_constraints:number_words
    .init(
        "length_constraints:number_words", ["num_words": .integer(3), "relation": .string("at least")],
        "one two, three", true, "boundary"),
    .init(
        "length_constraints:number_words", ["num_words": .integer(3), "relation": .string("less than")],
        "one two, three", false, "boundary less than"),
    .init(
        "length_constraints:number_words", ["num_words": .integer(2), "relation": .string("at least")], "don't", true,
        "\\w+ splits apostrophes"),
    .init(
        "length_constraints:number_words", ["num_words": .integer(1), "relation": .string("at least")], "", false,
        "empty"),
    .init(
        "length_constraints:number_words", ["num_words": .integer(200_000), "relation": .string("at least")], huge,
        true, "huge"),
    .init(
        "length_constraints:number_words", ["num_words": .integer(3), "relation": .string("at least")], "naïve café 東京",
        true, "unicode words"),
    // length_constraints:nth_paragraph_first_word
    .init(
        "length_constraints:nth_paragraph_first_word",
        ["num_paragraphs": .integer(2), "nth_paragraph": .integer(2), "first_word": .string("Then")],
        "First.\n\n\"Then, later.", true, "pass, quote and comma stripped"),
    .init(
        "length_constraints:nth_paragraph_first_word",
        ["num_paragraphs": .integer(2), "nth_paragraph": .integer(2), "first_word": .string("then")],
        "First.\n\nAfter.", false, "wrong word"),
    .init(
        "length_constraints:nth_paragraph_first_word",
        ["num_paragraphs": .integer(3), "nth_paragraph": .integer(2), "first_word": .string("then")], "First.\n\nThen.",
        false, "wrong count"),
    .init(
        "length_constraints:nth_paragraph_first_word",
        ["num_paragraphs": .integer(1), "nth_paragraph": .integer(1), "first_word": .string("a")], "", false, "empty"),
    .init(
        "length_constraints:nth_paragraph_first_word",
        ["num_paragraphs": .integer(1), "nth_paragraph": .integer(1), "first_word": .string("word")], huge, true, "huge"
    ),
    .init(
        "length_constraints:nth_paragraph_first_word",
        ["num_paragraphs": .integer(2), "nth_paragraph": .integer(1), "first_word": .string("élan")],
        "Élan vital.\n\nSuite.", true, "unicode"),
    // detectable_content:number_placeholders
    .init(
        "detectable_content:number_placeholders", ["num_placeholders": .integer(2)], "Dear [name], at [address].", true,
        "boundary"),
    .init(
        "detectable_content:number_placeholders", ["num_placeholders": .integer(2)], "Dear [name\n], see [x].", false,
        "brackets across lines don't count"),
    .init("detectable_content:number_placeholders", ["num_placeholders": .integer(1)], "", false, "empty"),
    .init(
        "detectable_content:number_placeholders", ["num_placeholders": .integer(20_000)],
        String(repeating: "[x] ", count: 20_000), true, "huge"),
    .init(
        "detectable_content:number_placeholders", ["num_placeholders": .integer(1)], "Cher [nom_prénom]", true,
        "unicode"),
    // detectable_content:postscript
    .init(
        "detectable_content:postscript", ["postscript_marker": .string("P.S.")], "Body.\n\np.s. see you", true,
        "P.S. lowercase"),
    .init(
        "detectable_content:postscript", ["postscript_marker": .string("P.P.S")], "Body.\nP. P. S. more", true,
        "P.P.S with spaces"),
    .init(
        "detectable_content:postscript", ["postscript_marker": .string("P.S.")], "Body. PS see you", false, "no dots"),
    .init("detectable_content:postscript", ["postscript_marker": .string("P.S.")], "", false, "empty"),
    .init("detectable_content:postscript", ["postscript_marker": .string("P.S.")], huge + "\nP.S. end", true, "huge"),
    .init(
        "detectable_content:postscript", ["postscript_marker": .string("Nachtrag:")], "Text.\nNACHTRAG: ÄÖÜ", true,
        "custom unicode marker"),
    // detectable_format:number_bullet_lists
    .init("detectable_format:number_bullet_lists", ["num_bullets": .integer(2)], "* one\n- two", true, "star and dash"),
    .init(
        "detectable_format:number_bullet_lists", ["num_bullets": .integer(2)], "* one\n** bold\n- two\n- three", false,
        "too many"),
    .init(
        "detectable_format:number_bullet_lists", ["num_bullets": .integer(1)], "**bold** only\n  * indented", true,
        "indented, bold excluded"),
    .init("detectable_format:number_bullet_lists", ["num_bullets": .integer(1)], "", false, "empty"),
    .init("detectable_format:number_bullet_lists", ["num_bullets": .integer(20_000)], hugeLines, true, "huge"),
    .init("detectable_format:number_bullet_lists", ["num_bullets": .integer(2)], "* café\n* 東京", true, "unicode"),
    // detectable_format:constrained_response
    .init("detectable_format:constrained_response", [:], "My answer is yes.", true, "pass"),
    .init("detectable_format:constrained_response", [:], "my answer is yes.", false, "case-sensitive"),
    .init("detectable_format:constrained_response", [:], "Well... My answer is maybe. Because.", true, "contained"),
    .init("detectable_format:constrained_response", [:], "", false, "empty"),
    .init("detectable_format:constrained_response", [:], huge + "My answer is no.", true, "huge"),
    .init("detectable_format:constrained_response", [:], "Réponse : My answer is no.", true, "unicode"),
    // detectable_format:number_highlighted_sections
    .init(
        "detectable_format:number_highlighted_sections", ["num_highlights": .integer(2)], "*one* and **two**", true,
        "single and double"),
    .init(
        "detectable_format:number_highlighted_sections", ["num_highlights": .integer(2)], "*one* and * *", false,
        "blank highlight ignored"),
    .init(
        "detectable_format:number_highlighted_sections", ["num_highlights": .integer(1)], "*across\nlines*", false,
        "no newline inside"),
    .init("detectable_format:number_highlighted_sections", ["num_highlights": .integer(1)], "", false, "empty"),
    .init(
        "detectable_format:number_highlighted_sections", ["num_highlights": .integer(10_000)],
        String(repeating: "*h* ", count: 10_000), true, "huge"),
    .init(
        "detectable_format:number_highlighted_sections", ["num_highlights": .integer(1)], "*Überblick*", true, "unicode"
    ),
    // detectable_format:multiple_sections
    .init(
        "detectable_format:multiple_sections", ["section_spliter": .string("Section"), "num_sections": .integer(2)],
        "Section 1\nA\nSection 2\nB", true, "boundary"),
    .init(
        "detectable_format:multiple_sections", ["section_spliter": .string("SECTION"), "num_sections": .integer(2)],
        "Section 1\nA\nSection 2\nB", false, "case-sensitive"),
    .init(
        "detectable_format:multiple_sections", ["section_spliter": .string("Section"), "num_sections": .integer(1)],
        "Section X", false, "needs a number"),
    .init(
        "detectable_format:multiple_sections", ["section_spliter": .string("Section"), "num_sections": .integer(1)], "",
        false, "empty"),
    .init(
        "detectable_format:multiple_sections",
        ["section_spliter": .string("Section"), "num_sections": .integer(5_000)],
        String(repeating: "Section 1 text ", count: 5_000), true, "huge"),
    .init(
        "detectable_format:multiple_sections", ["section_spliter": .string("Partie"), "num_sections": .integer(2)],
        "Partie 1 été\nPartie 2 hiver", true, "unicode"),
    // detectable_format:json_format
    .init(
        "detectable_format:json_format", [:], "```json\n{\"a\": [1, 2.5e3, NaN, -Infinity]}\n```", true,
        "fenced, NaN/Infinity"),
    .init("detectable_format:json_format", [:], "{\"a\": 1,}", false, "trailing comma"),
    .init("detectable_format:json_format", [:], "\"line\nbreak\"", false, "control character in string"),
    .init("detectable_format:json_format", [:], "", false, "empty"),
    .init("detectable_format:json_format", [:], "[" + String(repeating: "1,", count: 100_000) + "1]", true, "huge"),
    .init(
        "detectable_format:json_format", [:], "{\"clé\": \"値\", \"s\": \"\\ud800\"}", true, "unicode and lone surrogate"
    ),
    // detectable_format:title
    .init("detectable_format:title", [:], "<<My Title>>\nText", true, "pass"),
    .init("detectable_format:title", [:], "<< >>\n<<>>", false, "blank titles"),
    .init("detectable_format:title", [:], "<< >> and <<>>", true, "greedy like the reference: \">> and\" is the title"),
    .init("detectable_format:title", [:], "<<broken\ntitle>>", false, "no newline inside"),
    .init("detectable_format:title", [:], "", false, "empty"),
    .init("detectable_format:title", [:], huge + "<<t>>", true, "huge"),
    .init("detectable_format:title", [:], "<<Poème de joie>>", true, "unicode"),
    // detectable_format:xml_format
    .init(
        "detectable_format:xml_format", [:],
        "```xml\n<?xml version=\"1.0\"?>\n<root a=\"1\"><b>x &amp; y</b><c/></root>\n```", true, "fenced document"),
    .init("detectable_format:xml_format", [:], "<root><b></root></b>", false, "bad nesting"),
    .init("detectable_format:xml_format", [:], "<a></a><b></b>", false, "two roots"),
    .init("detectable_format:xml_format", [:], "", false, "empty"),
    .init(
        "detectable_format:xml_format", [:], "<r>" + String(repeating: "<i>x</i>", count: 50_000) + "</r>", true, "huge"
    ),
    .init("detectable_format:xml_format", [:], "<données clé=\"é\">東京</données>", true, "unicode names"),
    // combination:two_responses
    .init("combination:two_responses", [:], "Answer A\n******\nAnswer B", true, "pass"),
    .init("combination:two_responses", [:], "Same\n******\nSame", false, "identical"),
    .init("combination:two_responses", [:], "A\n******\n******\nB", false, "empty middle"),
    .init("combination:two_responses", [:], "", false, "empty"),
    .init("combination:two_responses", [:], huge + "******" + "other", true, "huge"),
    .init("combination:two_responses", [:], "Réponse un\n******\nRéponse deux", true, "unicode"),
    // combination:repeat_prompt
    .init(
        "combination:repeat_prompt", ["prompt_to_repeat": .string("Write a poem.")], "write a POEM. Here it is.", true,
        "case-insensitive", prompt: "Write a poem."),
    .init(
        "combination:repeat_prompt", ["prompt_to_repeat": .string("Write a poem.")], "Sure! Write a poem.", false,
        "not at the start"),
    .init(
        "combination:repeat_prompt", ["prompt_to_repeat": .string("Write a poem.")], "Write a poem", false,
        "boundary: one character short"),
    .init("combination:repeat_prompt", ["prompt_to_repeat": .string("Write")], "", false, "empty"),
    .init("combination:repeat_prompt", ["prompt_to_repeat": .string("word word")], huge, true, "huge"),
    .init(
        "combination:repeat_prompt", ["prompt_to_repeat": .string("Écris un poème.")], "  ÉCRIS UN POÈME. Voici.", true,
        "unicode"),
    // startend:end_checker
    .init(
        "startend:end_checker", ["end_phrase": .string("Any other questions?")], "Done. any other questions?\"", true,
        "case and trailing quote"),
    .init(
        "startend:end_checker", ["end_phrase": .string("Any other questions?")], "Any other questions? Bye.", false,
        "text after"),
    .init("startend:end_checker", ["end_phrase": .string("Bye.")], "", false, "empty"),
    .init("startend:end_checker", ["end_phrase": .string("The end.")], huge + "The end.", true, "huge"),
    .init("startend:end_checker", ["end_phrase": .string("À bientôt.")], "Merci. À BIENTÔT.", true, "unicode"),
    // startend:quotation
    .init("startend:quotation", [:], "  \"quoted\"  ", true, "pass"),
    .init("startend:quotation", [:], "\"", false, "boundary: single quote mark"),
    .init("startend:quotation", [:], "“curly”", false, "curly quotes"),
    .init("startend:quotation", [:], "", false, "empty"),
    .init("startend:quotation", [:], "\"" + huge + "\"", true, "huge"),
    .init("startend:quotation", [:], "\"東京\"", true, "unicode"),
    // change_case:capital_word_frequency
    .init(
        "change_case:capital_word_frequency",
        ["capital_frequency": .integer(2), "capital_relation": .string("at least")], "NASA and the ESA met.", true,
        "boundary"),
    .init(
        "change_case:capital_word_frequency",
        ["capital_frequency": .integer(2), "capital_relation": .string("less than")], "NASA and the ESA met.", false,
        "boundary less than"),
    .init(
        "change_case:capital_word_frequency",
        ["capital_frequency": .integer(2), "capital_relation": .string("at least")], "DON'T", true,
        "clitic split: DO + N'T"),
    .init(
        "change_case:capital_word_frequency",
        ["capital_frequency": .integer(1), "capital_relation": .string("less than")], "", false, "empty"),
    .init(
        "change_case:capital_word_frequency",
        ["capital_frequency": .integer(50_000), "capital_relation": .string("at least")],
        String(repeating: "WORD ", count: 50_000), true, "huge"),
    .init(
        "change_case:capital_word_frequency",
        ["capital_frequency": .integer(2), "capital_relation": .string("at least")], "ÉTÉ ÜBER alles", true,
        "unicode capitals"),
    // change_case:english_capital
    .init(
        "change_case:english_capital", [:], "THIS IS AN ENGLISH SENTENCE ABOUT THE WEATHER AND THE SEA.", true, "pass"),
    .init("change_case:english_capital", [:], "THIS IS An ENGLISH SENTENCE.", false, "a lowercase letter"),
    .init("change_case:english_capital", [:], "", false, "empty"),
    .init("change_case:english_capital", [:], "123 !!!", false, "no cased letters"),
    // change_case:english_lowercase
    .init(
        "change_case:english_lowercase", [:], "this is an english sentence about the weather and the sea.", true, "pass"
    ),
    .init("change_case:english_lowercase", [:], "this is an English sentence.", false, "a capital"),
    .init("change_case:english_lowercase", [:], "", false, "empty"),
    .init(
        "change_case:english_lowercase", [:], "ceci est une phrase en français sur le temps qu'il fait et la mer.",
        false, "lowercase but French"),
    // punctuation:no_comma
    .init("punctuation:no_comma", [:], "No commas here.", true, "pass"),
    .init("punctuation:no_comma", [:], "One, two.", false, "comma"),
    .init("punctuation:no_comma", [:], "Fullwidth，comma", true, "only ASCII commas count"),
    .init("punctuation:no_comma", [:], "", false, "empty"),
    .init("punctuation:no_comma", [:], huge, true, "huge"),
]

@Suite("IFEval verifiers")
struct IFEvalVerifierTests {
    @Test("verdicts", arguments: ifevalCases)
    func verdict(_ c: IFEvalCase) throws {
        let rule = try VerifierRegistry.builtin.prepare(c.id, parameters: c.kwargs)
        let check = try rule.check(ResponseText(c.response, prompt: c.prompt))
        #expect(check.pass == c.pass, "\(c.id) \(c.label): \(check.detail)")
        #expect(check.score >= 0 && check.score <= 1)
        #expect(!check.detail.isEmpty)
        if c.pass { #expect(check.score == 1) }
    }

    @Test("every IFEval id has cases")
    func coverage() {
        let covered = Set(ifevalCases.map(\.id))
        for verifier in IFEvalVerifiers.all {
            #expect(covered.contains(verifier.descriptor.id), "\(verifier.descriptor.id) has no cases")
        }
        #expect(IFEvalVerifiers.all.count == 26)
    }

    @Test("partial credit and detail text")
    func partialCredit() throws {
        let rule = try VerifierRegistry.builtin.prepare(
            "keywords:existence", parameters: ["keywords": .array([.string("a1"), .string("b2"), .string("c3")])])
        let check = try rule.check(ResponseText("a1 and b2"))
        #expect(!check.pass)
        #expect(abs(check.score - 2.0 / 3.0) < 1e-9)
        #expect(check.detail.contains("2 of 3"))
        let words = try VerifierRegistry.builtin.prepare(
            "length_constraints:number_words",
            parameters: ["num_words": .integer(100), "relation": .string("at least")])
        let wordCheck = try words.check(ResponseText(String(repeating: "w ", count: 87)))
        #expect(wordCheck.detail == "found 87 words, need at least 100")
        #expect(abs(wordCheck.score - 0.87) < 1e-9)
    }

    /// Where the reference would draw a random kwarg, raif rejects the constraint instead.
    @Test(
        "random-kwarg cases are rejected",
        arguments: [
            ("keywords:existence", [String: ConstraintValue](), "keywords"),
            ("keywords:existence", ["keywords": .array([])], "keywords"),
            ("length_constraints:number_words", ["relation": .string("at least")], "num_words"),
            (
                "length_constraints:number_words", ["num_words": .integer(0), "relation": .string("at least")],
                "num_words"
            ),
            ("length_constraints:number_words", ["num_words": .integer(10)], "relation"),
            (
                "keywords:letter_frequency",
                ["letter": .string("ab"), "let_frequency": .integer(1), "let_relation": .string("at least")], "letter"
            ),
            (
                "keywords:letter_frequency",
                ["letter": .string("é"), "let_frequency": .integer(1), "let_relation": .string("at least")], "letter"
            ),
            (
                "length_constraints:nth_paragraph_first_word",
                ["num_paragraphs": .integer(2), "nth_paragraph": .integer(3), "first_word": .string("a")],
                "nth_paragraph"
            ),
            ("startend:end_checker", ["end_phrase": .string("")], "end_phrase"),
            ("detectable_content:postscript", [:], "postscript_marker"),
            ("language:response_language", ["language": .string("xx")], "language"),
            (
                "change_case:capital_word_frequency",
                ["capital_frequency": .integer(3), "capital_relation": .string("at most")], "capital_relation"
            ),
        ])
    func rejected(_ id: String, _ kwargs: [String: ConstraintValue], _ field: String) {
        #expect {
            _ = try VerifierRegistry.builtin.prepare(id, parameters: kwargs)
        } throws: { error in
            guard case .invalidParameter(let constraint, let f, _) = error as? VerifierError else { return false }
            return constraint == id && f == field
        }
    }
}
