import Engine
import Testing

/// Incremental detokenization never emits a broken UTF-8 sequence.
@Suite("Tokenizer streaming decoder")
struct TokenizerStreamingTests {
    @Test("streamed text equals the whole decode for every corpus entry", arguments: TokenizerFixtures.families)
    func streamEqualsDecode(pre: String) throws {
        let tokenizer = try TokenizerFixtures.tiny(pre).tokenizer()
        for text in TokenizerFixtures.corpus {
            let ids = tokenizer.encode(text, addBOS: false, parseSpecial: true)
            var decoder = StreamingDecoder(tokenizer: tokenizer)
            var streamed = ""
            for id in ids {
                let piece = try decoder.append(id)
                // Every emitted piece is whole characters: no U+FFFD appears that the text lacks.
                #expect(!piece.unicodeScalars.contains("\u{FFFD}") || text.unicodeScalars.contains("\u{FFFD}"))
                streamed += piece
            }
            streamed += decoder.finish()
            #expect(streamed == (try tokenizer.decode(ids)), "\(pre): \(text.debugDescription)")
            if tokenizer.model == .bytePair {
                #expect(streamed == text, "\(pre): \(text.debugDescription)")
            }
        }
    }

    @Test("an emoji split byte by byte is emitted once, when complete")
    func splitEmoji() throws {
        let tokenizer = try TokenizerFixtures.tiny("gpt-2").tokenizer()
        var decoder = StreamingDecoder(tokenizer: tokenizer)
        let family = "👨‍👩‍👧"
        var outputs: [String] = []
        for byte in Array(family.utf8) {
            outputs.append(decoder.appendBytes([byte]))
        }
        #expect(outputs.joined() == family)
        // Nothing is emitted mid-character: each non-empty output is a whole scalar sequence.
        #expect(outputs.filter { !$0.isEmpty }.count == family.unicodeScalars.count)
        #expect(decoder.heldBackBytes.isEmpty)
    }

    @Test(
        "held-back bytes for incomplete sequences",
        arguments: [
            ([0xF0, 0x9F, 0x98], 3), ([0xE2, 0x82], 2), ([0xC3], 1), ([0x41], 0), ([0xF0, 0x9F, 0x98, 0x80], 0),
            ([0xE0, 0x80], 0), ([0xED, 0xA0], 0), ([0xF4, 0x90], 0), ([0xFF], 0), ([0x80], 0), ([0x41, 0xE2], 1),
        ] as [([UInt8], Int)])
    func heldBack(bytes: [UInt8], held: Int) {
        var decoder = StreamingDecoder(tokenizer: TokenizerFixtures.anyTokenizer)
        _ = decoder.appendBytes(bytes)
        #expect(decoder.heldBackBytes.count == held)
    }

    @Test("random splits of random bytes decode like the whole")
    func randomBytes() {
        var g = SeededGenerator(seed: 11)
        let alphabet: [UInt8] = [0x41, 0x80, 0xBF, 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80, 0xED, 0xFF]
        for _ in 0..<300 {
            let bytes = (0..<Int(g.next() % 24)).map { _ in alphabet[Int(g.next() % UInt64(alphabet.count))] }
            var decoder = StreamingDecoder(tokenizer: TokenizerFixtures.anyTokenizer)
            var out = ""
            var i = 0
            while i < bytes.count {
                let n = 1 + Int(g.next() % 3)
                out += decoder.appendBytes(Array(bytes[i..<min(i + n, bytes.count)]))
                i += n
            }
            out += decoder.finish()
            #expect(out == String(decoding: bytes, as: UTF8.self), "\(bytes)")
        }
    }
}

extension TokenizerFixtures {
    static let anyTokenizer: Tokenizer = {
        guard let t = try? tiny("gpt-2").tokenizer() else { fatalError("fixture tok_vocab_gpt-2.json is unreadable") }
        return t
    }()
}
