/// nltk's Punkt sentence tokenizer with its English model, as IFEval's `count_sentences` and
/// nltk's `word_tokenize` use it: candidate boundaries at `.?!`, decided from a small token
/// context by the abbreviation, collocation, sentence-starter and orthographic heuristics, then
/// realigned over closing quotes and brackets.
///
/// Works on Unicode scalars because the reference's indices are code points.
struct PunktSentenceTokenizer: Sendable {
    /// The English model nltk ships (`punkt_tab/english`).
    static let english = PunktSentenceTokenizer(
        abbreviations: PunktEnglishModel.abbreviations, sentenceStarters: PunktEnglishModel.sentenceStarters,
        collocations: PunktEnglishModel.collocations,
        orthographicContext: parseTable(PunktEnglishModel.orthographicContextTable),
        curlyQuotesAsPunctuation: true)

    let abbreviations: Set<String>
    let sentenceStarters: Set<String>
    let collocations: Set<String>
    let orthographicContext: [String: UInt8]
    /// nltk ≥ 3.10 also treats curly quotes and guillemets as closing punctuation.
    let curlyQuotesAsPunctuation: Bool

    private static let begUC: UInt8 = 1 << 1
    private static let midUC: UInt8 = 1 << 2
    private static let unkUC: UInt8 = 1 << 3
    private static let begLC: UInt8 = 1 << 4
    private static let midLC: UInt8 = 1 << 5
    private static let unkLC: UInt8 = 1 << 6
    private static let upperContexts: UInt8 = begUC | midUC | unkUC
    private static let lowerContexts: UInt8 = begLC | midLC | unkLC

    static func parseTable(_ table: String) -> [String: UInt8] {
        var out: [String: UInt8] = [:]
        out.reserveCapacity(21_000)
        for line in table.split(separator: "\n") {
            guard let tab = line.firstIndex(of: "\t"), let flags = UInt8(line[line.index(after: tab)...]) else {
                continue
            }
            out[String(line[..<tab])] = flags
        }
        return out
    }

    // MARK: Character classes

    @inline(__always) private static func isSentenceEnd(_ c: Unicode.Scalar) -> Bool {
        c == "." || c == "?" || c == "!"
    }

    @inline(__always) private func isNonWord(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case ")", "\"", ";", "}", "]", "*", ":", "@", "'", "(", "{", "[", "?", "!": return true
        case "\u{2018}", "\u{2019}", "\u{201C}", "\u{201D}", "\u{AB}", "\u{BB}": return curlyQuotesAsPunctuation
        default: return false
        }
    }

    @inline(__always) private func isClosing(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "\"", "'", ")", "]", "}": return true
        case "\u{2018}", "\u{2019}", "\u{201C}", "\u{201D}", "\u{AB}", "\u{BB}": return curlyQuotesAsPunctuation
        default: return false
        }
    }

    @inline(__always) private static func isWordStart(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "(", "\"", "`", "{", "[", ":", ";", "&", "#", "*", "@", ")", "}", "]", "-", ",": return false
        default: return true
        }
    }

    @inline(__always) private static func isSpace(_ c: Unicode.Scalar) -> Bool { PythonText.isSpace(c.value) }

    @inline(__always) private static func isASCIISpace(_ c: Unicode.Scalar) -> Bool {
        c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0B}" || c == "\u{0C}"
    }

    // MARK: Sentences

    private struct Candidate {
        var position: Int
        var afterEnd: Int
        var nextToken: Int?
    }

    /// Sentence ranges (in scalar offsets) of `s`, as `PunktSentenceTokenizer.span_tokenize`.
    func sentences(in s: [Unicode.Scalar]) -> [Range<Int>] {
        let n = s.count
        // Candidate boundaries: a sentence-end char followed by non-word punctuation, or by
        // whitespace and another token.
        var candidates: [Candidate] = []
        var i = 0
        while i < n {
            let c = s[i]
            if Self.isSentenceEnd(c), i + 1 < n {
                let d = s[i + 1]
                if isNonWord(d) {
                    candidates.append(Candidate(position: i, afterEnd: i + 2, nextToken: nil))
                } else if Self.isSpace(d) {
                    var j = i + 1
                    while j < n, Self.isSpace(s[j]) { j += 1 }
                    if j < n {
                        var k = j
                        while k < n, !Self.isSpace(s[k]) { k += 1 }
                        candidates.append(Candidate(position: i, afterEnd: k, nextToken: j))
                    }
                }
            }
            i += 1
        }

        // Contexts: the word before each candidate (overlapping candidates merged, the last wins).
        var decided: [(Candidate, Int)] = []  // candidate and its context start
        var previousStart = 0
        var previousStop = 0
        var previous: Candidate?
        for m in candidates {
            var lastSpace = 0
            if previousStop < m.position {
                var k = m.position - 1
                while k >= previousStop {
                    if Self.isASCIISpace(s[k]) {
                        lastSpace = k - previousStop
                        break
                    }
                    k -= 1
                }
            }
            let start = lastSpace != 0 ? lastSpace + previousStop + 1 : previousStart
            if let p = previous, previousStop <= start {
                decided.append((p, previousStart))
            }
            previous = m
            previousStart = start
            previousStop = m.position
        }
        if let p = previous { decided.append((p, previousStart)) }

        // Slices between the candidates that the context says are breaks.
        var slices: [(Int, Int)] = []
        var lastBreak = 0
        var tokens: [Token] = []
        for (m, start) in decided where containsSentenceBreak(s[start..<m.afterEnd], tokens: &tokens) {
            slices.append((lastBreak, m.position + 1))
            lastBreak = m.nextToken ?? (m.position + 1)
        }
        var end = n
        while end > 0, Self.isSpace(s[end - 1]) { end -= 1 }
        slices.append((lastBreak, end))

        // Realign closing punctuation that follows a break onto the sentence before it.
        var out: [Range<Int>] = []
        var realign = 0
        for index in slices.indices {
            let first = (slices[index].0 + realign, slices[index].1)
            guard index + 1 < slices.count else {
                if first.1 > first.0 { out.append(first.0..<first.1) }
                continue
            }
            let second = slices[index + 1]
            if let (kept, matched) = realignment(s, from: second.0, to: second.1) {
                out.append(first.0..<max(first.0, second.0 + kept))
                realign = matched
            } else {
                realign = 0
                if first.1 > first.0 { out.append(first.0..<first.1) }
            }
        }
        return out
    }

    /// `re_boundary_realignment.match(text[start:stop])`: closing punctuation (lazily) followed by
    /// whitespace, `--` or a line end. Returns the length without trailing whitespace and the
    /// match length.
    private func realignment(_ s: [Unicode.Scalar], from start: Int, to stop: Int) -> (Int, Int)? {
        guard start < stop else { return nil }
        var q = start
        while q < stop, isClosing(s[q]) {
            q += 1
            if q < stop, Self.isSpace(s[q]) {
                var e = q
                while e < stop, Self.isSpace(s[e]) { e += 1 }
                return (q - start, e - start)
            }
            if q + 1 < stop, s[q] == "-", s[q + 1] == "-" { return (q - start, q - start) }
            if q == stop || s[q] == "\n" { return (q - start, q - start) }
        }
        return nil
    }

    // MARK: Tokens and annotation

    /// A token of a context: its scalar range and the annotations of punkt's two passes.
    private struct Token {
        var start: Int
        var end: Int
        var periodFinal: Bool
        var sentenceBreak = false
        var abbreviation = false
        var ellipsis = false

        init(_ start: Int, _ end: Int, in s: ArraySlice<Unicode.Scalar>) {
            self.start = start
            self.end = end
            periodFinal = s[end - 1] == "."
        }

        var count: Int { end - start }
    }

    /// The token's type (`"##number##"` for numbers, else the lowercased text), without a final
    /// period when `dropPeriod` (punkt's `type_no_period`).
    private static func type(_ s: ArraySlice<Unicode.Scalar>, _ token: Token, dropPeriod: Bool) -> String {
        if isNumeric(s[token.start..<token.end]) { return "##number##" }
        let end = dropPeriod && token.count > 1 && s[token.end - 1] == "." ? token.end - 1 : token.end
        return lowered(s[token.start..<end])
    }

    /// Python's `text.lower()` as a string (small ASCII strings are built without allocating).
    private static func lowered(_ text: ArraySlice<Unicode.Scalar>) -> String {
        var ascii = true
        for c in text where c.value >= 0x80 {
            ascii = false
            break
        }
        guard ascii else { return PythonText.string(PythonText.lower(Array(text))[...]) }
        return String(unsafeUninitializedCapacity: text.count) { buffer in
            var k = 0
            for c in text {
                let v = c.value
                buffer[k] = UInt8(v >= 0x41 && v <= 0x5A ? v + 32 : v)
                k += 1
            }
            return k
        }
    }

    private static func firstUpper(_ s: ArraySlice<Unicode.Scalar>, _ token: Token) -> Bool {
        PythonText.caseKind(s[token.start]) == .upper
    }

    private static func firstLower(_ s: ArraySlice<Unicode.Scalar>, _ token: Token) -> Bool {
        PythonText.caseKind(s[token.start]) == .lower
    }

    private static func isInitial(_ s: ArraySlice<Unicode.Scalar>, _ token: Token) -> Bool {
        token.count == 2 && s[token.start + 1] == "." && PythonText.isWord(s[token.start])
            && !PythonText.isDecimal(s[token.start])
    }

    /// Whether a candidate's context holds a sentence break that is not its last token.
    private func containsSentenceBreak(_ context: ArraySlice<Unicode.Scalar>, tokens: inout [Token]) -> Bool {
        tokens.removeAll(keepingCapacity: true)
        var lineStart = context.startIndex
        var k = context.startIndex
        while k <= context.endIndex {
            if k == context.endIndex || context[k] == "\n" {
                tokenizeWords(context[lineStart..<k], into: &tokens)
                lineStart = k + 1
            }
            k += 1
        }
        guard tokens.count > 1 else { return false }
        for index in tokens.indices { firstPass(&tokens[index], context) }
        for index in 0..<(tokens.count - 1) {
            secondPass(&tokens[index], tokens[index + 1], context)
            if tokens[index].sentenceBreak { return true }
        }
        return false
    }

    /// `^-?[\.,]?\d[\d,\.-]*\.?$`
    ///
    /// On the original text: lowercasing neither makes nor removes digits, `-`, `.` or `,`.
    private static func isNumeric(_ t: ArraySlice<Unicode.Scalar>) -> Bool {
        var i = t.startIndex
        if i < t.endIndex, t[i] == "-" { i += 1 }
        if i < t.endIndex, t[i] == "." || t[i] == "," { i += 1 }
        guard i < t.endIndex, PythonText.isDecimal(t[i]) else { return false }
        i += 1
        while i < t.endIndex {
            let c = t[i]
            guard PythonText.isDecimal(c) || c == "," || c == "." || c == "-" else { return false }
            i += 1
        }
        return true
    }

    /// The end of a multi-character punctuation token (`--+`, `..+`, `. . .`) starting at `i`.
    private static func multiCharEnd(_ s: ArraySlice<Unicode.Scalar>, _ i: Int) -> Int? {
        let end = s.endIndex
        guard i + 1 < end else { return nil }
        if s[i] == "-", s[i + 1] == "-" {
            var e = i + 2
            while e < end, s[e] == "-" { e += 1 }
            return e
        }
        guard s[i] == "." else { return nil }
        if s[i + 1] == "." {
            var e = i + 2
            while e < end, s[e] == "." { e += 1 }
            return e
        }
        var pairs = 0
        var p = i
        while p + 1 < end, s[p] == ".", isSpace(s[p + 1]) {
            pairs += 1
            p += 2
        }
        if pairs >= 2, p < end, s[p] == "." { return p + 1 }
        if pairs >= 3 { return i + 2 * (pairs - 1) + 1 }
        return nil
    }

    /// Punkt's word tokenizer regex over one line, appended to `tokens`.
    private func tokenizeWords(_ line: ArraySlice<Unicode.Scalar>, into tokens: inout [Token]) {
        let end = line.endIndex
        var i = line.startIndex
        while i < end {
            let c = line[i]
            if Self.isSpace(c) {
                i += 1
                continue
            }
            if let e = Self.multiCharEnd(line, i) {
                tokens.append(Token(i, e, in: line))
                i = e
                continue
            }
            if Self.isWordStart(c) {
                var j = i + 1
                while j < end {
                    let d = line[j]
                    if Self.isSpace(d) || isNonWord(d) || Self.multiCharEnd(line, j) != nil { break }
                    if d == "," {
                        let k = j + 1
                        if k == end || Self.isSpace(line[k]) || isNonWord(line[k]) || Self.multiCharEnd(line, k) != nil
                        {
                            break
                        }
                    }
                    j += 1
                }
                tokens.append(Token(i, j, in: line))
                i = j
            } else {
                tokens.append(Token(i, i + 1, in: line))
                i += 1
            }
        }
    }

    private func firstPass(_ token: inout Token, _ s: ArraySlice<Unicode.Scalar>) {
        let count = token.count
        if count == 1, Self.isSentenceEnd(s[token.start]) {
            token.sentenceBreak = true
        } else if count >= 2, s[token.start..<token.end].allSatisfy({ $0 == "." }) {
            token.ellipsis = true
        } else if token.periodFinal, !(count >= 2 && s[token.end - 2] == ".") {
            // The lowercased text without its period, and its part after the last hyphen.
            let baseEnd = token.end - 1
            let base = Self.lowered(s[token.start..<baseEnd])
            var isAbbreviation = abbreviations.contains(base)
            if !isAbbreviation, let hyphen = s[token.start..<baseEnd].lastIndex(of: "-") {
                isAbbreviation = abbreviations.contains(Self.lowered(s[(hyphen + 1)..<baseEnd]))
            }
            if isAbbreviation {
                token.abbreviation = true
            } else {
                token.sentenceBreak = true
            }
        }
    }

    private func secondPass(_ first: inout Token, _ second: Token, _ s: ArraySlice<Unicode.Scalar>) {
        guard first.periodFinal else { return }
        let type = Self.type(s, first, dropPeriod: true)
        let nextType = Self.type(s, second, dropPeriod: second.sentenceBreak)
        let isInitial = Self.isInitial(s, first)
        if collocations.contains(type + "\t" + nextType) {
            first.sentenceBreak = false
            first.abbreviation = true
            return
        }
        if (first.abbreviation || first.ellipsis) && !isInitial {
            let starter = orthographicHeuristic(second, type: nextType, s)
            if starter == .yes {
                first.sentenceBreak = true
                return
            }
            if Self.firstUpper(s, second) && sentenceStarters.contains(nextType) {
                first.sentenceBreak = true
                return
            }
        }
        if isInitial || type == "##number##" {
            let starter = orthographicHeuristic(second, type: nextType, s)
            if starter == .no {
                first.sentenceBreak = false
                first.abbreviation = true
                return
            }
            if starter == .unknown && isInitial && Self.firstUpper(s, second)
                && (orthographicContext[nextType] ?? 0) & Self.lowerContexts == 0
            {
                first.sentenceBreak = false
                first.abbreviation = true
            }
        }
    }

    private enum Starter { case yes, no, unknown }

    /// Punkt's orthographic heuristic for the token after a candidate; `type` is its
    /// `type_no_sentperiod`.
    private func orthographicHeuristic(_ token: Token, type: String, _ s: ArraySlice<Unicode.Scalar>) -> Starter {
        if token.count == 1 {
            switch s[token.start] {
            case ";", ":", ",", ".", "!", "?": return .no
            default: break
            }
        }
        let context = orthographicContext[type] ?? 0
        if Self.firstUpper(s, token) && context & Self.lowerContexts != 0 && context & Self.midUC == 0 { return .yes }
        if Self.firstLower(s, token) && (context & Self.upperContexts != 0 || context & Self.begLC == 0) { return .no }
        return .unknown
    }
}
