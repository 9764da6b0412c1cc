@testable import Verifiers

/// The Punkt port that `PunktSentenceTokenizer` replaced (kept verbatim as the test reference:
/// the allocation-free tokenizer must split every text the same way).
///
/// nltk's Punkt sentence tokenizer with its English model, as IFEval's `count_sentences` and
/// nltk's `word_tokenize` use it: candidate boundaries at `.?!`, decided from a small token
/// context by the abbreviation, collocation, sentence-starter and orthographic heuristics, then
/// realigned over closing quotes and brackets.
///
/// Works on Unicode scalars because the reference's indices are code points.
struct ReferencePunktSentenceTokenizer: Sendable {
    /// The English model nltk ships (`punkt_tab/english`).
    static let english = ReferencePunktSentenceTokenizer(
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
        for (m, start) in decided where containsSentenceBreak(s[start..<m.afterEnd]) {
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

    private struct Token {
        var text: [Unicode.Scalar]
        var type: String
        var periodFinal: Bool
        var sentenceBreak = false
        var abbreviation = false
        var ellipsis = false

        var typeNoPeriod: String {
            if type.unicodeScalars.count > 1, type.unicodeScalars.last == "." {
                return String(String.UnicodeScalarView(type.unicodeScalars.dropLast()))
            }
            return type
        }
        var typeNoSentencePeriod: String { sentenceBreak ? typeNoPeriod : type }
        var firstUpper: Bool { PythonText.caseKind(text[0]) == .upper }
        var firstLower: Bool { PythonText.caseKind(text[0]) == .lower }
        var isInitial: Bool {
            text.count == 2 && text[1] == "." && PythonText.isWord(text[0]) && !PythonText.isDecimal(text[0])
        }
    }

    /// Whether a candidate's context holds a sentence break that is not its last token.
    private func containsSentenceBreak(_ context: ArraySlice<Unicode.Scalar>) -> Bool {
        var tokens: [Token] = []
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
        for index in tokens.indices { firstPass(&tokens[index]) }
        for index in 0..<(tokens.count - 1) {
            secondPass(&tokens[index], tokens[index + 1])
            if tokens[index].sentenceBreak { return true }
        }
        return false
    }

    private func makeToken(_ text: ArraySlice<Unicode.Scalar>) -> Token {
        let scalars = Array(text)
        let lower = PythonText.lower(scalars)
        let type = Self.isNumeric(lower) ? "##number##" : PythonText.string(lower[...])
        return Token(text: scalars, type: type, periodFinal: scalars.last == ".")
    }

    /// `^-?[\.,]?\d[\d,\.-]*\.?$`
    private static func isNumeric(_ t: [Unicode.Scalar]) -> Bool {
        var i = 0
        if i < t.count, t[i] == "-" { i += 1 }
        if i < t.count, t[i] == "." || t[i] == "," { i += 1 }
        guard i < t.count, PythonText.isDecimal(t[i]) else { return false }
        i += 1
        while i < t.count {
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
                tokens.append(makeToken(line[i..<e]))
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
                tokens.append(makeToken(line[i..<j]))
                i = j
            } else {
                tokens.append(makeToken(line[i..<(i + 1)]))
                i += 1
            }
        }
    }

    private func firstPass(_ token: inout Token) {
        let t = token.text
        if t.count == 1, Self.isSentenceEnd(t[0]) {
            token.sentenceBreak = true
        } else if t.count >= 2, t.allSatisfy({ $0 == "." }) {
            token.ellipsis = true
        } else if token.periodFinal, !(t.count >= 2 && t[t.count - 2] == ".") {
            let base = PythonText.string(PythonText.lower(Array(t.dropLast()))[...])
            let lastPart = base.split(separator: "-", omittingEmptySubsequences: false).last.map(String.init) ?? base
            if abbreviations.contains(base) || abbreviations.contains(lastPart) {
                token.abbreviation = true
            } else {
                token.sentenceBreak = true
            }
        }
    }

    private func secondPass(_ first: inout Token, _ second: Token) {
        guard first.periodFinal else { return }
        let type = first.typeNoPeriod
        let nextType = second.typeNoSentencePeriod
        let isInitial = first.isInitial
        if collocations.contains(type + "\t" + nextType) {
            first.sentenceBreak = false
            first.abbreviation = true
            return
        }
        if (first.abbreviation || first.ellipsis) && !isInitial {
            let starter = orthographicHeuristic(second)
            if starter == .yes {
                first.sentenceBreak = true
                return
            }
            if second.firstUpper && sentenceStarters.contains(nextType) {
                first.sentenceBreak = true
                return
            }
        }
        if isInitial || type == "##number##" {
            let starter = orthographicHeuristic(second)
            if starter == .no {
                first.sentenceBreak = false
                first.abbreviation = true
                return
            }
            if starter == .unknown && isInitial && second.firstUpper
                && (orthographicContext[nextType] ?? 0) & Self.lowerContexts == 0
            {
                first.sentenceBreak = false
                first.abbreviation = true
            }
        }
    }

    private enum Starter { case yes, no, unknown }

    private func orthographicHeuristic(_ token: Token) -> Starter {
        if token.text.count == 1 {
            switch token.text[0] {
            case ";", ":", ",", ".", "!", "?": return .no
            default: break
            }
        }
        let context = orthographicContext[token.typeNoSentencePeriod] ?? 0
        if token.firstUpper && context & Self.lowerContexts != 0 && context & Self.midUC == 0 { return .yes }
        if token.firstLower && (context & Self.upperContexts != 0 || context & Self.begLC == 0) { return .no }
        return .unknown
    }
}
