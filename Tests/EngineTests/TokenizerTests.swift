import Engine
import Foundation
import GGUF
import Testing

/// Token ids identical to llama.cpp's, for every corpus entry and every pre-tokenizer family.
@Suite("Tokenizer vs llama.cpp")
struct TokenizerTests {
    static let corpusIndices = Array(0..<TokenizerFixtures.corpus.count)

    @Test("the corpus fixture is loaded")
    func corpusLoaded() {
        #expect(TokenizerFixtures.corpus.count >= 50)
    }

    @Test(
        "tiny vocabularies: ids match llama.cpp, with and without special parsing",
        arguments: TokenizerFixtures.families)
    func tinyVocabularyMatchesLlamaCpp(pre: String) throws {
        let vocab = try TokenizerFixtures.tiny(pre)
        let tokenizer = try vocab.tokenizer()
        #expect(tokenizer.addsBOS == vocab.llamaCppAddBos)
        for (i, text) in TokenizerFixtures.corpus.enumerated() {
            let special = tokenizer.encode(text, addBOS: true, parseSpecial: true)
            #expect(special == vocab.expected.special[i], "\(pre) special #\(i): \(text.debugDescription)")
            let plain = tokenizer.encode(text, addBOS: false, parseSpecial: false)
            #expect(plain == vocab.expected.plain[i], "\(pre) plain #\(i): \(text.debugDescription)")
        }
    }

    @Test("tiny vocabularies: pieces and end-of-generation ids match llama.cpp", arguments: TokenizerFixtures.families)
    func tinyVocabularyPieces(pre: String) throws {
        let vocab = try TokenizerFixtures.tiny(pre)
        let tokenizer = try vocab.tokenizer()
        for id in 0..<Int32(vocab.tokens.count) {
            #expect(try tokenizer.tokenPiece(id, renderSpecial: true) == vocab.piecesSpecial[Int(id)], "\(pre) \(id)")
            #expect(try tokenizer.tokenPiece(id, renderSpecial: false) == vocab.piecesPlain[Int(id)], "\(pre) \(id)")
        }
        #expect(tokenizer.endOfGenerationIDs == Set(vocab.eogIds))
    }

    @Test(
        "default model: ids match llama.cpp for every corpus entry",
        .enabled(if: TokenizerFixtures.modelPath != nil, "needs the default model (RAIF_MODEL or ~/.cache/raif)"))
    func defaultModelMatchesLlamaCpp() throws {
        let fixture = try TokenizerFixtures.smolLM2()
        let tokenizer = try #require(TokenizerFixtures.modelTokenizer)
        #expect(tokenizer.preTokenizer == .smollm)
        #expect(tokenizer.addsBOS == fixture.addBos)
        #expect(tokenizer.endOfGenerationIDs == Set(fixture.eogIds))
        for (i, text) in TokenizerFixtures.corpus.enumerated() {
            #expect(
                tokenizer.encode(text, addBOS: true, parseSpecial: true) == fixture.expected.special[i],
                "special #\(i): \(text.debugDescription)")
            #expect(
                tokenizer.encode(text, addBOS: false, parseSpecial: false) == fixture.expected.plain[i],
                "plain #\(i): \(text.debugDescription)")
        }
        for (k, id) in fixture.pieceIds.enumerated() {
            #expect(try tokenizer.tokenPiece(id, renderSpecial: true) == fixture.piecesSpecial[k], "piece \(id)")
            #expect(try tokenizer.tokenPiece(id, renderSpecial: false) == fixture.piecesPlain[k], "piece \(id)")
        }
    }

    @Test(
        "decode(encode(text)) gives the text back (SentencePiece: after its prefix space)",
        arguments: TokenizerFixtures.families)
    func roundTrip(pre: String) throws {
        let tokenizer = try TokenizerFixtures.tiny(pre).tokenizer()
        for text in TokenizerFixtures.corpus {
            let ids = tokenizer.encode(text, addBOS: false, parseSpecial: false)
            // SentencePiece writes spaces as "▁", so a literal "▁" comes back as a space.
            let expected =
                tokenizer.model == .sentencePiece && !text.isEmpty
                ? " " + String(text.unicodeScalars.map { $0 == "▁" ? " " : Character($0) }) : text
            #expect(try tokenizer.decode(ids) == expected, "\(pre): \(text.debugDescription)")
        }
    }

    @Test("special tokens: parsed as one id when asked, as text otherwise")
    func specialParsing() throws {
        let tokenizer = try TokenizerFixtures.tiny("qwen2").tokenizer()
        let imStart = try #require(tokenizer.tokenID(forText: "<|im_start|>"))
        let parsed = tokenizer.encode("<|im_start|>user", addBOS: false, parseSpecial: true)
        #expect(parsed.first == imStart)
        #expect(try tokenizer.decode(Array(parsed.dropFirst())) == "user")
        let unparsed = tokenizer.encode("<|im_start|>user", addBOS: false, parseSpecial: false)
        #expect(!unparsed.contains(imStart))
        #expect(try tokenizer.decode(unparsed) == "<|im_start|>user")
        // Control tokens vanish when special tokens are not rendered.
        #expect(try tokenizer.decode(parsed, renderSpecial: false) == "user")
    }

    @Test("user-defined tokens are recognised even without special parsing")
    func userDefinedAlwaysParsed() throws {
        let tokenizer = try TokenizerFixtures.tiny("deepseek-r1-qwen").tokenizer()
        let think = try #require(tokenizer.tokenID(forText: "<think>"))
        #expect(try tokenizer.tokenType(think) == .userDefined)
        #expect(tokenizer.encode("a<think>b", addBOS: false, parseSpecial: false).contains(think))
        #expect(try tokenizer.decode([think], renderSpecial: false) == "<think>")
    }

    @Test("BOS is added only when asked for and the metadata wants it")
    func bosPolicy() throws {
        let llama = try TokenizerFixtures.tiny("llama-bpe").tokenizer()
        let bos = try #require(llama.specialIDs.bos)
        #expect(llama.encode("hi", addBOS: true).first == bos)
        #expect(llama.encode("hi", addBOS: false).first != bos)
        #expect(llama.encode("", addBOS: true) == [bos])
        let smol = try TokenizerFixtures.tiny("smollm").tokenizer()
        #expect(smol.encode("hi", addBOS: true) == smol.encode("hi", addBOS: false))
    }

    @Test("bad input is a clear error, not a crash")
    func errors() throws {
        let tokenizer = try TokenizerFixtures.tiny("gpt-2").tokenizer()
        #expect(throws: EngineError.tokenOutOfRange(id: -1, vocabularySize: tokenizer.vocabularySize)) {
            try tokenizer.tokenPiece(-1)
        }
        #expect(throws: EngineError.self) { try tokenizer.decode([Int32(tokenizer.vocabularySize)]) }
        #expect(throws: EngineError.self) {
            try Tokenizer(
                vocabulary: ["a", "b"], merges: [], tokenTypes: nil, specialIDs: SpecialTokenIDs(),
                preTokenizer: "bogus",
                addBOS: false)
        }
        #expect(throws: EngineError.self) {
            try Tokenizer(
                vocabulary: ["a", "a"], merges: [], tokenTypes: nil, specialIDs: SpecialTokenIDs(),
                preTokenizer: "gpt-2",
                addBOS: false)
        }
        #expect(throws: EngineError.self) {
            try Tokenizer(
                vocabulary: ["a"], merges: [], tokenTypes: [1, 1], specialIDs: SpecialTokenIDs(), preTokenizer: "gpt-2",
                addBOS: false)
        }
        #expect(throws: EngineError.self) {
            try Tokenizer(
                vocabulary: ["a"], merges: [], tokenTypes: nil, specialIDs: SpecialTokenIDs(), preTokenizer: "qwen2",
                addBOS: true)
        }
    }
}
