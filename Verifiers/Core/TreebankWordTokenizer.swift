/// The word tokens of nltk's `word_tokenize` (its improved Treebank tokenizer) for one sentence.
///
/// Follows the splits that decide which tokens exist: quotes, brackets, `;@#$%&`, `?!`, `*`,
/// figure/en/em dashes, `--`, runs of periods, `:`/`,` not followed by a digit, the sentence's
/// final period, the clitics `'s 'm 'd 'll 're 've n't` and the MacIntyre contractions
/// (`cannot`, `gonna`, …). Whitespace never joins tokens. Tokens are scalar ranges of the text.
///
/// One pass over the sentence: ASCII is classified by a 128-entry table, the last word piece is
/// held back until it is known whether it ends the sentence (the final-period rule), and pieces
/// go straight to the output.
enum TreebankWordTokenizer {
    // MARK: Character classes

    private static let space: UInt8 = 1 << 0
    /// Always a token of its own (quotes, brackets, `;@#$%&?!*<>`, the dashes U+2012...U+2015).
    private static let separate: UInt8 = 1 << 1
    /// `:` and `,`: a token of their own unless a digit follows.
    private static let colonOrComma: UInt8 = 1 << 2
    /// `.` and `-`: runs of two or more are tokens of their own (`..`, `...`, `--`).
    private static let runChar: UInt8 = 1 << 3
    private static let apostrophe: UInt8 = 1 << 4

    /// The classes above for the ASCII code points.
    private static let asciiClasses: [UInt8] = (0..<128).map { v in
        let c = Unicode.Scalar(UInt8(v))
        if PythonText.isSpace(UInt32(v)) { return space }
        if isAlwaysSeparate(c) { return separate }
        switch c {
        case ":", ",": return colonOrComma
        case ".", "-": return runChar
        case "'": return apostrophe
        default: return 0
        }
    }

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

    /// The class of a code point at or above U+0080.
    @inline(never) private static func nonASCIIClass(_ v: UInt32) -> UInt8 {
        if PythonText.isSpace(v) { return space }
        switch v {
        case 0xAB, 0xBB, 0x2012...0x2015, 0x2018, 0x2019, 0x201C, 0x201D, 0x201E: return separate
        default: return 0
        }
    }

    @inline(__always) private static func isDecimal(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        if v < 0x80 { return v &- 0x30 < 10 }
        return PythonText.isDecimal(c)
    }

    // MARK: Tokens

    /// Appends the token ranges of the sentence `s[range]` to `out`.
    static func tokenize(_ s: [Unicode.Scalar], _ range: Range<Int>, into out: inout [Range<Int>]) {
        precondition(range.lowerBound >= 0 && range.upperBound <= s.count, "sentence range outside the text")
        guard !range.isEmpty else { return }
        withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: TokenBuffer.capacity) { buffer in
            var tokens = TokenBuffer(base: buffer.baseAddress.unsafelyUnwrapped)
            swap(&tokens.out, &out)
            s.withUnsafeBufferPointer { text in
                asciiClasses.withUnsafeBufferPointer { table in
                    tokenize(
                        text.baseAddress.unsafelyUnwrapped, range, table.baseAddress.unsafelyUnwrapped, into: &tokens)
                }
            }
            tokens.flush()
            swap(&tokens.out, &out)
        }
    }

    /// Token ranges gathered in a small stack buffer and appended to the output array in batches
    /// (one capacity check per batch instead of one per token).
    private struct TokenBuffer {
        static let capacity = 32
        let base: UnsafeMutablePointer<Range<Int>>
        var count = 0
        var out: [Range<Int>] = []

        init(base: UnsafeMutablePointer<Range<Int>>) { self.base = base }

        @inline(__always) mutating func append(_ token: Range<Int>) {
            if count == Self.capacity { flush() }
            (base + count).initialize(to: token)
            count += 1
        }

        mutating func flush() {
            out.append(contentsOf: UnsafeBufferPointer(start: base, count: count))
            count = 0
        }
    }

    /// Tokenizes `s[range]`; `finalPeriod` says whether the range ends its sentence (whose last
    /// piece gives up a final period).
    private static func tokenize(
        _ s: UnsafePointer<Unicode.Scalar>, _ range: Range<Int>, _ table: UnsafePointer<UInt8>,
        finalPeriod: Bool = true, into out: inout TokenBuffer
    ) {
        let n = range.upperBound
        var i = range.lowerBound
        // The current word piece (from `wordStart`, -1 outside one) and whether it holds a `'`.
        var wordStart = -1
        var wordApostrophe = false
        // The last word piece, held back while it may still be the sentence's last piece.
        var pending = 0..<0
        var pendingApostrophe = false
        var hasPending = false
        while i < n {
            let c = s[i]
            let v = c.value
            let cls = v < 0x80 ? table[Int(v)] : nonASCIIClass(v)
            if cls == 0 || cls == apostrophe {
                if wordStart < 0 {
                    wordStart = i
                    wordApostrophe = false
                }
                if cls == apostrophe { wordApostrophe = true }
                i += 1
                // The rest of a run of ordinary ASCII characters.
                while i < n {
                    let w = s[i].value
                    guard w < 0x80, table[Int(w)] == 0 else { break }
                    i += 1
                }
                continue
            }
            var separator = 0
            if cls == space {
                separator = -1
            } else if cls == separate {
                separator = 1
            } else if cls == colonOrComma {
                if i + 1 >= n || !isDecimal(s[i + 1]) { separator = 1 }
            } else if i + 1 < n, s[i + 1] == c {  // `.` or `-`
                var e = i + 2
                if c == "." {
                    while e < n, s[e] == "." { e += 1 }
                }
                separator = e - i
            }
            if separator == 0 {
                if wordStart < 0 {
                    wordStart = i
                    wordApostrophe = false
                }
                i += 1
                continue
            }
            if wordStart >= 0 {
                if hasPending { splitClitics(s, pending, apostrophe: pendingApostrophe, into: &out) }
                pending = wordStart..<i
                pendingApostrophe = wordApostrophe
                hasPending = true
                wordStart = -1
            }
            if separator < 0 {
                i += 1
            } else {
                // A separator is never split further and, being a piece, ends the pending word's
                // chance to be the sentence's last piece.
                if hasPending {
                    splitClitics(s, pending, apostrophe: pendingApostrophe, into: &out)
                    hasPending = false
                }
                out.append(i..<(i + separator))
                i += separator
            }
        }
        if wordStart >= 0 {
            if hasPending { splitClitics(s, pending, apostrophe: pendingApostrophe, into: &out) }
            pending = wordStart..<n
            pendingApostrophe = wordApostrophe
            hasPending = true
        }
        guard hasPending else { return }
        // The sentence's final period is its own token.
        let last = pending
        if finalPeriod, last.count > 1, s[last.upperBound - 1] == ".", s[last.upperBound - 2] != "." {
            splitClitics(s, last.lowerBound..<(last.upperBound - 1), apostrophe: pendingApostrophe, into: &out)
            out.append((last.upperBound - 1)..<last.upperBound)
        } else {
            splitClitics(s, last, apostrophe: pendingApostrophe, into: &out)
        }
    }

    // MARK: Clitics and contractions

    @inline(__always) private static func lowerASCII(_ c: Unicode.Scalar) -> UInt32 {
        let v = c.value
        return v &- 0x41 < 26 ? v + 32 : v
    }

    /// Whether `s[start..<start+word.count]` equals the lowercase ASCII `word`, ignoring ASCII case
    /// (the caller keeps the range inside the text).
    @inline(__always)
    private static func matchesCaseless(_ s: UnsafePointer<Unicode.Scalar>, _ start: Int, _ word: StaticString) -> Bool
    {
        let count = word.utf8CodeUnitCount
        let bytes = word.utf8Start
        for k in 0..<count where lowerASCII(s[start + k]) != UInt32(bytes[k]) { return false }
        return true
    }

    @inline(__always)
    private static func matchesExact(_ s: UnsafePointer<Unicode.Scalar>, _ start: Int, _ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        let bytes = word.utf8Start
        for k in 0..<count where s[start + k].value != UInt32(bytes[k]) { return false }
        return true
    }

    private static let contractions: [(StaticString, Int)] = [
        ("cannot", 3), ("d'ye", 1), ("gimme", 3), ("gonna", 3), ("gotta", 3), ("lemme", 3), ("more'n", 4),
        ("wanna", 3),
    ]
    private static let cliticsExact: [StaticString] = ["'ll", "'LL", "'re", "'RE", "'ve", "'VE", "n't", "N'T"]
    private static let cliticsCaseless: [StaticString] = ["'s", "'m", "'d"]
    private static let leadingClitics: [StaticString] = ["re", "ve", "ll", "m", "t", "s", "d", "n"]

    /// Splits a contraction `word` (5 or 6 scalars, no `'`: `cannot`, `gimme`, `gonna`, `gotta`,
    /// `lemme`, `wanna`) into its two tokens; false for any other word.
    @inline(__always)
    private static func splitPlainContraction(
        _ s: UnsafePointer<Unicode.Scalar>, _ word: Range<Int>, into out: inout TokenBuffer
    ) -> Bool {
        let start = word.lowerBound
        let matched: Bool
        switch lowerASCII(s[start]) {
        case 0x63: matched = word.count == 6 && matchesCaseless(s, start, "cannot")
        case 0x67:
            matched =
                word.count == 5
                && (matchesCaseless(s, start, "gimme") || matchesCaseless(s, start, "gonna")
                    || matchesCaseless(s, start, "gotta"))
        case 0x6C: matched = word.count == 5 && matchesCaseless(s, start, "lemme")
        case 0x77: matched = word.count == 5 && matchesCaseless(s, start, "wanna")
        default: matched = false
        }
        guard matched else { return false }
        out.append(start..<(start + 3))
        out.append((start + 3)..<word.upperBound)
        return true
    }

    /// Appends the tokens of one word piece: the piece itself, or its parts split off by the
    /// clitic and contraction rules. `apostrophe` says whether the piece holds a `'`.
    @inline(__always)
    private static func splitClitics(
        _ s: UnsafePointer<Unicode.Scalar>, _ piece: Range<Int>, apostrophe: Bool, into out: inout TokenBuffer
    ) {
        // Without an apostrophe only the contractions `cannot`, `gimme`, `gonna`, `gotta`, `lemme`
        // and `wanna` can split a word: every other rule below needs a `'`.
        if !apostrophe {
            if piece.count == 5 || piece.count == 6, splitPlainContraction(s, piece, into: &out) { return }
            out.append(piece)
            return
        }
        splitCliticsWithApostrophe(s, piece, into: &out)
    }

    private static func splitCliticsWithApostrophe(
        _ s: UnsafePointer<Unicode.Scalar>, _ piece: Range<Int>, into out: inout TokenBuffer
    ) {
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

    // MARK: Case

    /// How many tokens of the sentences `s[sentences]` are Python `str.isupper()`, as
    /// ``uppercaseTokenCount(_:_:)`` over their ``tokenize(_:_:into:)`` tokens.
    ///
    /// Tokens never cross whitespace and each whitespace-separated chunk of a sentence splits on
    /// its own (only the sentence's last chunk gives up a final period), while an `isupper()`
    /// token needs an uppercase code point: so only the chunks holding one are tokenized.
    static func uppercaseTokenCount(_ s: [Unicode.Scalar], sentences: [Range<Int>]) -> Int {
        s.withUnsafeBufferPointer { text in
            ScalarClassTable.withTable { classTable in
                asciiClasses.withUnsafeBufferPointer { asciiTable in
                    withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: TokenBuffer.capacity) { buffer in
                        let p = text.baseAddress.unsafelyUnwrapped
                        let table = asciiTable.baseAddress.unsafelyUnwrapped
                        var tokens = TokenBuffer(base: buffer.baseAddress.unsafelyUnwrapped)
                        var count = 0
                        for sentence in sentences {
                            precondition(
                                sentence.lowerBound >= 0 && sentence.upperBound <= text.count,
                                "sentence range outside the text")
                            var contentEnd = sentence.upperBound
                            while contentEnd > sentence.lowerBound, PythonText.isSpace(p[contentEnd - 1].value) {
                                contentEnd -= 1
                            }
                            var i = sentence.lowerBound
                            while true {
                                // The next uppercase code point.
                                while i < contentEnd {
                                    let v = p[i].value
                                    if v < 0x80 {
                                        if v &- 0x41 < 26 { break }
                                    } else if ScalarClassTable.classes(v, classTable) & ScalarClassTable.upper != 0 {
                                        break
                                    }
                                    i += 1
                                }
                                guard i < contentEnd else { break }
                                // Its chunk.
                                var start = i
                                while start > sentence.lowerBound, !PythonText.isSpace(p[start - 1].value) {
                                    start -= 1
                                }
                                var end = i + 1
                                while end < contentEnd, !PythonText.isSpace(p[end].value) { end += 1 }
                                tokenize(p, start..<end, table, finalPeriod: end == contentEnd, into: &tokens)
                                tokens.flush()
                                count += uppercaseTokenCount(p, tokens.out, classTable)
                                tokens.out.removeAll(keepingCapacity: true)
                                i = end
                            }
                        }
                        return count
                    }
                }
            }
        }
    }

    /// How many of the tokens `s[range]` are Python `str.isupper()` (a cased code point and no
    /// lowercase or titlecase one): ``PythonText/isUpper(_:)`` per token, ASCII without property
    /// lookups and the rest of the BMP from ``ScalarClassTable``.
    static func uppercaseTokenCount(_ s: [Unicode.Scalar], _ tokens: [Range<Int>]) -> Int {
        for token in tokens {
            precondition(token.lowerBound >= 0 && token.upperBound <= s.count, "token outside the text")
        }
        return s.withUnsafeBufferPointer { text in
            ScalarClassTable.withTable { table in
                uppercaseTokenCount(text.baseAddress.unsafelyUnwrapped, tokens, table)
            }
        }
    }

    private static func uppercaseTokenCount(
        _ p: UnsafePointer<Unicode.Scalar>, _ tokens: [Range<Int>], _ table: UnsafePointer<UInt8>
    ) -> Int {
        var count = 0
        for token in tokens {
            var upper = false
            var rejected = false
            var k = token.lowerBound
            while k < token.upperBound {
                let v = p[k].value
                if v < 0x80 {
                    if v &- 0x61 < 26 {
                        rejected = true
                        break
                    }
                    if v &- 0x41 < 26 { upper = true }
                } else {
                    let cls = ScalarClassTable.classes(v, table)
                    if cls & (ScalarClassTable.lower | ScalarClassTable.title) != 0 {
                        rejected = true
                        break
                    }
                    if cls & ScalarClassTable.upper != 0 { upper = true }
                }
                k += 1
            }
            if upper && !rejected { count += 1 }
        }
        return count
    }
}
