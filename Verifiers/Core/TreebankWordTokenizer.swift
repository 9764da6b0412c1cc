/// The word tokens of nltk's `word_tokenize` (its improved Treebank tokenizer) for one sentence.
///
/// Follows the splits that decide which tokens exist: quotes, brackets, `;@#$%&`, `?!`, `*`,
/// figure/en/em dashes, `--`, runs of periods, `:`/`,` not followed by a digit, the sentence's
/// final period, the clitics `'s 'm 'd 'll 're 've n't` and the MacIntyre contractions
/// (`cannot`, `gonna`, …). Whitespace never joins tokens. Tokens are scalar ranges of the text.
enum TreebankWordTokenizer {
    @inline(__always) private static func isAlwaysSeparate(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0xAB, 0x201C, 0x2018, 0x201E, 0x60, 0xBB, 0x201D, 0x2019, 0x22,
            0x3B, 0x40, 0x23, 0x24, 0x25, 0x26, 0x3F, 0x21, 0x2A, 0x5B, 0x5D, 0x28, 0x29, 0x7B, 0x7D, 0x3C, 0x3E,
            0x2012, 0x2013, 0x2014, 0x2015:
            return true
        default:
            return false
        }
    }

    /// Appends the token ranges of the sentence `s[range]` to `out`.
    static func tokenize(_ s: [Unicode.Scalar], _ range: Range<Int>, into out: inout [Range<Int>]) {
        var pieces: [Range<Int>] = []
        let n = range.upperBound
        var i = range.lowerBound
        while i < n {
            if PythonText.isSpace(s[i].value) {
                i += 1
                continue
            }
            var wordStart = i
            while i < n, !PythonText.isSpace(s[i].value) {
                let c = s[i]
                var separator = 0
                if isAlwaysSeparate(c) {
                    separator = 1
                } else if c == ":" || c == "," {
                    if i + 1 >= n || !PythonText.isDecimal(s[i + 1]) { separator = 1 }
                } else if c == "." || c == "-", i + 1 < n, s[i + 1] == c {
                    var e = i + 2
                    while c == ".", e < n, s[e] == "." { e += 1 }
                    separator = e - i
                }
                if separator > 0 {
                    if i > wordStart { pieces.append(wordStart..<i) }
                    pieces.append(i..<(i + separator))
                    i += separator
                    wordStart = i
                } else {
                    i += 1
                }
            }
            if i > wordStart { pieces.append(wordStart..<i) }
        }
        // The sentence's final period is its own token.
        if let last = pieces.last, last.count > 1, s[last.upperBound - 1] == ".", s[last.upperBound - 2] != "." {
            pieces[pieces.count - 1] = last.lowerBound..<(last.upperBound - 1)
            pieces.append((last.upperBound - 1)..<last.upperBound)
        }
        for piece in pieces { splitClitics(s, piece, into: &out) }
    }

    @inline(__always) private static func lowerASCII(_ c: Unicode.Scalar) -> UInt32 {
        let v = c.value
        return v >= 0x41 && v <= 0x5A ? v + 32 : v
    }

    /// Whether `s[start..<start+word.count]` equals the lowercase ASCII `word`, ignoring ASCII case.
    private static func matchesCaseless(_ s: [Unicode.Scalar], _ start: Int, _ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard start >= 0, start + count <= s.count else { return false }
        return word.withUTF8Buffer { buffer in
            for k in 0..<count where lowerASCII(s[start + k]) != UInt32(buffer[k]) { return false }
            return true
        }
    }

    private static func matchesExact(_ s: [Unicode.Scalar], _ start: Int, _ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard start >= 0, start + count <= s.count else { return false }
        return word.withUTF8Buffer { buffer in
            for k in 0..<count where s[start + k].value != UInt32(buffer[k]) { return false }
            return true
        }
    }

    private static let contractions: [(StaticString, Int)] = [
        ("cannot", 3), ("d'ye", 1), ("gimme", 3), ("gonna", 3), ("gotta", 3), ("lemme", 3), ("more'n", 4),
        ("wanna", 3),
    ]
    private static let cliticsExact: [StaticString] = ["'ll", "'LL", "'re", "'RE", "'ve", "'VE", "n't", "N'T"]
    private static let cliticsCaseless: [StaticString] = ["'s", "'m", "'d"]
    private static let leadingClitics: [StaticString] = ["re", "ve", "ll", "m", "t", "s", "d", "n"]

    private static func splitClitics(_ s: [Unicode.Scalar], _ piece: Range<Int>, into out: inout [Range<Int>]) {
        // Without an apostrophe only the contractions `cannot`, `gimme`, `gonna`, `gotta`, `lemme`
        // and `wanna` can split a word: every other rule below needs a `'`.
        if !s[piece].contains("'") {
            if piece.count == 5 || piece.count == 6 {
                for (contraction, cut) in contractions
                where piece.count == contraction.utf8CodeUnitCount && matchesCaseless(s, piece.lowerBound, contraction)
                {
                    out.append(piece.lowerBound..<(piece.lowerBound + cut))
                    out.append((piece.lowerBound + cut)..<piece.upperBound)
                    return
                }
            }
            out.append(piece)
            return
        }
        var word = piece
        // A leading quote before a word that is not itself a clitic.
        if word.count > 1, s[word.lowerBound] == "'", PythonText.isWord(s[word.lowerBound + 1]) {
            let rest = word.lowerBound + 1
            let clitic = leadingClitics.contains { prefix in
                let end = rest + prefix.utf8CodeUnitCount
                return end <= word.upperBound && matchesCaseless(s, rest, prefix)
                    && (end == word.upperBound || !PythonText.isWord(s[end]))
            }
            if !clitic {
                out.append(word.lowerBound..<rest)
                word = rest..<word.upperBound
            }
        }
        for (contraction, cut) in contractions
        where word.count == contraction.utf8CodeUnitCount && matchesCaseless(s, word.lowerBound, contraction) {
            out.append(word.lowerBound..<(word.lowerBound + cut))
            out.append((word.lowerBound + cut)..<word.upperBound)
            return
        }
        var suffix = 0
        for clitic in cliticsExact
        where word.count >= clitic.utf8CodeUnitCount
            && matchesExact(s, word.upperBound - clitic.utf8CodeUnitCount, clitic)
        {
            suffix = clitic.utf8CodeUnitCount
            break
        }
        if suffix == 0 {
            for clitic in cliticsCaseless where word.count >= 2 && matchesCaseless(s, word.upperBound - 2, clitic) {
                suffix = 2
                break
            }
        }
        if suffix == 0, word.count > 1, s[word.upperBound - 1] == "'" { suffix = 1 }
        let cut = word.upperBound - suffix
        if suffix > 0, cut > word.lowerBound, s[cut - 1] != "'" {
            out.append(word.lowerBound..<cut)
            out.append(cut..<word.upperBound)
            return
        }
        out.append(word)
    }
}
