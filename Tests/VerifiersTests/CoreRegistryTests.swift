import Testing

@testable import Verifiers

/// A verifier for registry tests: declares a schema and echoes its validated parameters.
private struct EchoVerifier: Verifier {
    var id = "test:echo"
    var aliases: [String] = []

    var descriptor: VerifierDescriptor {
        VerifierDescriptor(
            id: id, aliases: aliases, family: .content,
            parameters: [
                ParameterSpec("n", .integer),
                ParameterSpec(
                    "mode", .string, required: false, defaultValue: .string("a"),
                    allowedValues: [.string("a"), .string("b")]),
                ParameterSpec("x", .number, required: false),
                ParameterSpec("words", .stringList, required: false),
                ParameterSpec("flag", .boolean, required: false),
            ],
            summary: "echoes parameters")
    }

    struct EchoRule: Rule {
        var parameters: Parameters
        func check(_ response: ResponseText) throws(VerifierError) -> Check {
            Check(pass: true, detail: ParameterValidation.render(.object(parameters.values)))
        }
    }

    func prepare(_ parameters: Parameters) throws(VerifierError) -> any Rule { EchoRule(parameters: parameters) }
}

@Suite("Verifier registry")
struct CoreRegistryTests {
    @Test("built-in registry lists every IFEval id, sorted, with summaries")
    func builtin() {
        let ids = VerifierRegistry.builtin.descriptors.map(\.id)
        #expect(ids == ids.sorted())
        for verifier in IFEvalVerifiers.all {
            #expect(VerifierRegistry.builtin.verifier(for: verifier.descriptor.id) != nil)
            #expect(!verifier.descriptor.summary.isEmpty)
        }
        #expect(VerifierRegistry.builtin.verifier(for: "no:such") == nil)
    }

    @Test("duplicate ids and aliases are rejected")
    func duplicates() throws {
        var registry = VerifierRegistry()
        try registry.register(EchoVerifier(aliases: ["echo"]))
        #expect(throws: VerifierError.duplicateVerifier("test:echo")) { try registry.register(EchoVerifier()) }
        #expect(throws: VerifierError.duplicateVerifier("echo")) {
            try registry.register(EchoVerifier(id: "test:other", aliases: ["echo"]))
        }
        #expect(throws: VerifierError.duplicateVerifier("same")) {
            try registry.register(EchoVerifier(id: "same", aliases: ["same"]))
        }
        #expect(registry.verifier(for: "echo")?.descriptor.id == "test:echo")
        #expect(registry.descriptors.count == 1)
    }

    @Test(
        "schema validation",
        arguments: [
            (["n": ConstraintValue.integer(5)], "{\"mode\": \"a\", \"n\": 5}"),
            (["n": .number(5.0)], "{\"mode\": \"a\", \"n\": 5}"),
            (
                ["n": .integer(5), "mode": .string("b"), "flag": .bool(true)],
                "{\"flag\": true, \"mode\": \"b\", \"n\": 5}"
            ),
            (["n": .integer(5), "x": .integer(2)], "{\"mode\": \"a\", \"n\": 5, \"x\": 2.0}"),
            (["n": .integer(5), "junk": .null], "{\"mode\": \"a\", \"n\": 5}"),
            (["n": .integer(5), "words": .array([.string("a")])], "{\"mode\": \"a\", \"n\": 5, \"words\": [\"a\"]}"),
        ])
    func valid(_ parameters: [String: ConstraintValue], _ expected: String) throws {
        var registry = VerifierRegistry()
        try registry.register(EchoVerifier())
        let rule = try registry.prepare("test:echo", parameters: parameters)
        #expect(try rule.check(ResponseText("x")).detail == expected)
    }

    @Test(
        "schema violations name the field",
        arguments: [
            ([String: ConstraintValue](), "n"),
            (["n": .number(5.5)], "n"),
            (["n": .string("5")], "n"),
            (["n": .integer(1), "mode": .string("c")], "mode"),
            (["n": .integer(1), "extra": .integer(1)], "extra"),
            (["n": .integer(1), "words": .array([.integer(1)])], "words"),
            (["n": .integer(1), "flag": .integer(1)], "flag"),
            (["n": .integer(1), "x": .string("1")], "x"),
        ])
    func invalid(_ parameters: [String: ConstraintValue], _ field: String) throws {
        var registry = VerifierRegistry()
        try registry.register(EchoVerifier())
        #expect {
            _ = try registry.prepare("test:echo", parameters: parameters)
        } throws: { error in
            guard case .invalidParameter("test:echo", let f, let reason) = error as? VerifierError else { return false }
            return f == field && !reason.isEmpty
        }
    }

    @Test("unknown verifier")
    func unknown() {
        #expect(throws: VerifierError.unknownVerifier("nope")) {
            _ = try VerifierRegistry.builtin.prepare("nope", parameters: [:])
        }
        #expect(VerifierError.unknownVerifier("nope").message == "unknown verifier 'nope'")
    }
}

@Suite("Response analyses")
struct CoreResponseTextTests {
    @Test(
        "loose variants match the reference's construction",
        arguments: [
            ("a\n*b*\nc", ["a\n*b*\nc", "a\nb\nc", "*b*\nc", "a\n*b*", "*b*", "b\nc", "a\nb", "b"]),
            ("one line", ["one line", "one line", "", "", "", "", "", ""]),
            (" x \n y ", [" x \n y ", " x \n y ", "y", "x", "", "y", "x", ""]),
            ("a\r\nb", ["a\r\nb", "a\r\nb", "b", "a", "", "b", "a", ""]),
        ])
    func looseVariants(_ text: String, _ expected: [String]) {
        #expect(ResponseVariants.loose(text) == expected)
    }

    @Test(
        "punkt sentence counts (checked against nltk 3.10)",
        arguments: [
            ("Hello Mr. Smith. How are you? I am fine... ok. U.S. is big.", 3),
            ("One. Two. Three.", 3),
            ("1. First item\n2. Second item", 3),
            ("He said “Where are you?” and left.", 2),
            ("(Sent one.) Sent two.", 2),
            ("", 0),
            ("No terminal punctuation", 1),
        ])
    func sentences(_ text: String, _ count: Int) {
        #expect(ResponseText(text).sentenceCount == count)
    }

    @Test(
        "word_tokenize tokens",
        arguments: [
            (
                "HELLO WORLD, it is U.S.A. I don't know.",
                ["HELLO", "WORLD", ",", "it", "is", "U.S.A", ".", "I", "do", "n't", "know", "."]
            ),
            ("I cannot go (now)!", ["I", "can", "not", "go", "(", "now", ")", "!"]),
        ])
    func tokens(_ text: String, _ expected: [String]) {
        #expect(ResponseText(text).treebankTokens == expected)
    }

    @Test("words, lines, paragraphs, language")
    func analyses() {
        let r = ResponseText("Héllo wörld_1, 東京!\n\n  second   para \nline\n\n\n")
        #expect(r.wordCount == 6)
        #expect(r.words == ["Héllo", "wörld_1", "東京", "second", "para", "line"])
        #expect(r.lines == ["Héllo wörld_1, 東京!", "second   para", "line"])
        #expect(r.paragraphs == ["Héllo wörld_1, 東京!", "second   para \nline"])
        let french = ResponseText(
            "Bonjour à tous, nous sommes ravis de vous accueillir dans notre belle ville de Paris.")
        #expect(french.language.code == "fr")
        #expect(ResponseText("").language.code == nil)
        #expect(ResponseText(" \u{3000}\n").isBlank)
    }

    @Test(
        "Python json.loads acceptance",
        arguments: [
            ("{\"a\": 1}", true), ("[1, 2.5, -0.0e+3]", true), ("NaN", true), ("-Infinity", true),
            ("\"\\ud83d\"", true),
            ("01", false), ("1.", false), ("{'a': 1}", false), ("[1,]", false), ("\"\\x\"", false), ("\"a\tb\"", false),
            ("{\"a\" 1}", false), ("\u{FEFF}{}", false), ("nan", false), ("1 2", false), ("", false),
        ])
    func pythonJSON(_ text: String, _ valid: Bool) {
        #expect((PythonJSON.validate(Array(text.utf8)) == nil) == valid)
    }

    @Test(
        "XML well-formedness",
        arguments: [
            ("<a/>", true), ("<?xml version=\"1.0\"?><!-- c --><a x='1' y=\"2\">t<![CDATA[<x>]]>&#x41;</a>", true),
            ("<!DOCTYPE a [<!ENTITY e \"x\">]><a>&e;</a>", true), ("<a>&e;</a>", false), ("<a x=1/>", false),
            ("<a x='1' x='2'/>", false), ("<a>", false), ("text", false), ("<a></b>", false), ("<a/>junk", false),
            ("<a><!-- -- --></a>", false), ("<1a/>", false), ("<a>]]></a>", false),
        ])
    func xml(_ text: String, _ valid: Bool) {
        #expect((XMLWellFormedness.check(Array(text.unicodeScalars)) == nil) == valid)
    }
}
