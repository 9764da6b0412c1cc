import Engine
import Testing

/// Stop strings found across token boundaries; only text that cannot start a stop is emitted.
@Suite("Stop strings")
struct SamplerStopTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let stops: [String]
        let pieces: [String]
        let emitted: String
        let stopped: Bool
        var testDescription: String { "\(stops) over \(pieces)" }
    }

    static let cases: [Case] = [
        Case(stops: ["\n\n"], pieces: ["Hello", "\n", "\nWorld"], emitted: "Hello", stopped: true),
        Case(stops: ["</s>"], pieces: ["a<", "/", "s", ">b"], emitted: "a", stopped: true),
        Case(stops: ["</s>"], pieces: ["a<", "/", "x>b"], emitted: "a</x>b", stopped: false),
        Case(stops: ["STOP"], pieces: ["xSTOPy"], emitted: "x", stopped: true),
        Case(stops: ["abc", "b"], pieces: ["a", "bc"], emitted: "", stopped: true),
        Case(stops: ["abd", "b"], pieces: ["a", "bc"], emitted: "a", stopped: true),
        Case(stops: ["bcd", "cd"], pieces: ["abc", "d"], emitted: "a", stopped: true),
        Case(stops: ["👋"], pieces: ["hi ", "👋", " there"], emitted: "hi ", stopped: true),
        Case(stops: ["end"], pieces: ["the e", "n"], emitted: "the en", stopped: false),
        Case(stops: [], pieces: ["a", "b"], emitted: "ab", stopped: false),
        Case(stops: [""], pieces: ["a", "b"], emitted: "ab", stopped: false),
        Case(stops: ["aab"], pieces: ["a", "a", "a", "b"], emitted: "a", stopped: true),
    ]

    @Test("emitted text and stop detection", arguments: cases)
    func stops(c: Case) {
        var matcher = StopMatcher(stops: c.stops)
        var out = ""
        var stopped = false
        for piece in c.pieces {
            let result = matcher.append(piece)
            out += result.text
            if result.stopped {
                stopped = true
                break
            }
        }
        if !stopped { out += matcher.finish() }
        #expect(out == c.emitted)
        #expect(stopped == c.stopped)
        #expect(matcher.stopped == c.stopped)
    }

    @Test("a possible stop prefix is held back until it is decided")
    func holdsBack() {
        var matcher = StopMatcher(stops: ["<|im_end|>"])
        #expect(matcher.append("Hi <|im").text == "Hi ")
        #expect(matcher.heldBackCount == 4)
        #expect(matcher.append("_en").text == "")
        let last = matcher.append("d|>more")
        #expect(last.text == "" && last.stopped)
        #expect(matcher.matchedStop == "<|im_end|>")
        #expect(matcher.append("ignored") == ("", true))
    }
}

/// Tokens to visible text: UTF-8 safety and stop strings together.
@Suite("Completion text stream")
struct SamplerCompletionTextTests {
    @Test("a stop string spanning tokens ends the text before it", arguments: TokenizerFixtures.families)
    func stopAcrossTokens(pre: String) throws {
        let tokenizer = try TokenizerFixtures.tiny(pre).tokenizer()
        let ids = tokenizer.encode("The quick brown fox jumps over the lazy dog.", addBOS: false, parseSpecial: false)
        var stream = CompletionTextStream(tokenizer: tokenizer, stops: ["fox jumps"])
        var shown = ""
        var stopped = false
        for id in ids {
            let out = try stream.append(id)
            shown += out.text
            if out.stopped {
                stopped = true
                break
            }
        }
        #expect(stopped)
        let prefix = tokenizer.model == .sentencePiece ? " The quick brown " : "The quick brown "
        #expect(shown == prefix)
        #expect(stream.text == shown)
        #expect(stream.matchedStop == "fox jumps")
    }

    @Test("without a stop, everything including split characters comes out by the end")
    func noStop() throws {
        let tokenizer = try TokenizerFixtures.tiny("qwen2").tokenizer()
        let text = "emoji 👨‍👩‍👧‍👦 and 中文 end"
        var stream = CompletionTextStream(tokenizer: tokenizer, stops: ["zzz", "end!"])
        var shown = ""
        for id in tokenizer.encode(text, addBOS: false, parseSpecial: false) {
            shown += try stream.append(id).text
        }
        shown += stream.finish()
        #expect(shown == text)
        #expect(!stream.stopped)
    }
}
