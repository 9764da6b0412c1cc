/// The word tokens of nltk's `word_tokenize` (its improved Treebank tokenizer) for one sentence.
///
/// Follows the splits that decide which tokens exist: quotes, brackets, `;@#$%&`, `?!`, `*`,
/// figure/en/em dashes, `--`, runs of periods, `:`/`,` not followed by a digit, the sentence's
/// final period, the clitics `'s 'm 'd 'll 're 've n't` and the MacIntyre contractions
/// (`cannot`, `gonna`, …). Whitespace never joins tokens.
enum TreebankWordTokenizer {
    @inline(__always) private static func isAlwaysSeparate(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "\u{AB}", "\u{201C}", "\u{2018}", "\u{201E}", "`", "\u{BB}", "\u{201D}", "\u{2019}", "\"",
            ";", "@", "#", "$", "%", "&", "?", "!", "*", "[", "]", "(", ")", "{", "}", "<", ">",
            "\u{2012}", "\u{2013}", "\u{2014}", "\u{2015}":
            return true
        default:
            return false
        }
    }

    /// Tokens of one sentence.
    static func tokenize(_ s: [Unicode.Scalar]) -> [String] {
        var pieces: [ArraySlice<Unicode.Scalar>] = []
        let n = s.count
        var i = 0
        while i < n {
            if PythonText.isSpace(s[i].value) {
                i += 1
                continue
            }
            var wordStart = i
            func flushWord(_ end: Int) {
                if end > wordStart { pieces.append(s[wordStart..<end]) }
            }
            while i < n, !PythonText.isSpace(s[i].value) {
                let c = s[i]
                if isAlwaysSeparate(c) {
                    flushWord(i)
                    pieces.append(s[i..<(i + 1)])
                    i += 1
                    wordStart = i
                } else if (c == ":" || c == ","), i + 1 >= n || !PythonText.isDecimal(s[i + 1]) {
                    flushWord(i)
                    pieces.append(s[i..<(i + 1)])
                    i += 1
                    wordStart = i
                } else if (c == "." || c == "-"), i + 1 < n, s[i + 1] == c {
                    flushWord(i)
                    var e = i + 2
                    while c == ".", e < n, s[e] == "." { e += 1 }
                    pieces.append(s[i..<e])
                    i = e
                    wordStart = i
                } else {
                    i += 1
                }
            }
            flushWord(i)
        }
        // The sentence's final period (after any closing quotes or brackets) is its own token.
        if var last = pieces.popLast() {
            if last.count > 1, last.last == ".", last[last.endIndex - 2] != "." {
                pieces.append(last.dropLast())
                last = last[(last.endIndex - 1)...]
            }
            pieces.append(last)
        }
        var out: [String] = []
        out.reserveCapacity(pieces.count + 4)
        for piece in pieces { splitClitics(piece, into: &out) }
        return out
    }

    private static let cliticsAnyCase: [String] = ["'s", "'m", "'d"]
    private static let cliticsExact: [String] = ["'ll", "'LL", "'re", "'RE", "'ve", "'VE", "n't", "N'T"]
    private static let contractions: [(String, Int)] = [
        ("cannot", 3), ("d'ye", 1), ("gimme", 3), ("gonna", 3), ("gotta", 3), ("lemme", 3), ("more'n", 4),
        ("wanna", 3),
    ]

    private static func splitClitics(_ piece: ArraySlice<Unicode.Scalar>, into out: inout [String]) {
        var word = Array(piece)
        // A leading quote before a word that is not itself a clitic.
        if word.count > 1, word[0] == "'", PythonText.isWord(word[1]) {
            let rest = PythonText.lower(Array(word[1...]))
            let clitic = ["re", "ve", "ll", "m", "t", "s", "d", "n"].contains { prefix in
                let p = Array(prefix.unicodeScalars)
                guard rest.count >= p.count, Array(rest[..<p.count]) == p else { return false }
                return rest.count == p.count || !PythonText.isWord(rest[p.count])
            }
            if !clitic {
                out.append("'")
                word.removeFirst()
            }
        }
        let lower = PythonText.string(PythonText.lower(word)[...])
        for (contraction, cut) in contractions where lower == contraction {
            out.append(PythonText.string(word[..<cut]))
            out.append(PythonText.string(word[cut...]))
            return
        }
        let text = PythonText.string(word[...])
        var suffix: String?
        for clitic in cliticsExact where text.hasSuffix(clitic) {
            suffix = clitic
            break
        }
        if suffix == nil {
            for clitic in cliticsAnyCase where lower.hasSuffix(clitic) {
                suffix = String(text.unicodeScalars.suffix(2).map(Character.init))
                break
            }
        }
        if suffix == nil, word.count > 1, word.last == "'" { suffix = "'" }
        if let suffix {
            let cut = word.count - suffix.unicodeScalars.count
            if cut > 0, word[cut - 1] != "'" {
                out.append(PythonText.string(word[..<cut]))
                out.append(PythonText.string(word[cut...]))
                return
            }
        }
        out.append(text)
    }
}
