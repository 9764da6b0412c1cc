/// nltk's Punkt sentence tokenizer with its English model, as IFEval's `count_sentences` and
/// nltk's `word_tokenize` use it: candidate boundaries at `.?!`, decided from a small token
/// context by the abbreviation, collocation, sentence-starter and orthographic heuristics, then
/// realigned over closing quotes and brackets.
///
/// Works on Unicode scalars because the reference's indices are code points. The model's word
/// lists live in ``PunktLexicon`` tables keyed by lowercased scalars, so deciding a candidate
/// builds no strings; a context's tokens get their first-pass annotation only as far as the
/// decision reads them.
struct PunktSentenceTokenizer: Sendable {
    /// The English model nltk ships (`punkt_tab/english`).
    static let english = PunktSentenceTokenizer(
        abbreviations: PunktEnglishModel.abbreviations, sentenceStarters: PunktEnglishModel.sentenceStarters,
        collocations: PunktEnglishModel.collocations,
        orthographicContext: parseTable(PunktEnglishModel.orthographicContextTable),
        curlyQuotesAsPunctuation: true)

    /// The abbreviations, sentence starters and collocations (with their first types).
    let words: PunktLexicon
    /// The orthographic contexts.
    let orthography: PunktLexicon
    /// `words` and `orthography` flags of `##number##`, the type of every number.
    let numberWords: UInt16
    let numberOrthography: UInt16
    /// nltk ≥ 3.10 also treats curly quotes and guillemets as closing punctuation.
    let curlyQuotesAsPunctuation: Bool

    init(
        abbreviations: Set<String>, sentenceStarters: Set<String>, collocations: Set<String>,
        orthographicContext: [String: UInt8], curlyQuotesAsPunctuation: Bool
    ) {
        var wordTypes = abbreviations.map { ($0, PunktLexicon.abbreviation) }
        wordTypes += sentenceStarters.map { ($0, PunktLexicon.sentenceStarter) }
        for pair in collocations {
            wordTypes.append((pair, PunktLexicon.collocation))
            if let tab = pair.unicodeScalars.firstIndex(of: "\t") {
                wordTypes.append((String(pair.unicodeScalars[..<tab]), PunktLexicon.collocationFirst))
            }
        }
        words = PunktLexicon(wordTypes)
        orthography = PunktLexicon(orthographicContext.map { ($0.key, UInt16($0.value)) })
        numberWords = words.flags(Self.numberType, hash: PunktLexicon.hash(Self.numberType))
        numberOrthography = orthography.flags(Self.numberType, hash: PunktLexicon.hash(Self.numberType))
        self.curlyQuotesAsPunctuation = curlyQuotesAsPunctuation
    }

    private static let midUC: UInt16 = 1 << 2
    private static let begLC: UInt16 = 1 << 4
    private static let upperContexts: UInt16 = (1 << 1) | (1 << 2) | (1 << 3)
    private static let lowerContexts: UInt16 = (1 << 4) | (1 << 5) | (1 << 6)

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

    /// `.?!` as bits of a 64-bit mask.
    private static let sentenceEndMask: UInt64 = (1 << 0x21) | (1 << 0x2E) | (1 << 0x3F)

    /// 1 for `.?!`, else 0, without a branch.
    @inline(__always) private static func sentenceEndBit(_ v: UInt32) -> UInt32 {
        // All ones when v < 64 (scalar values are below 2^21).
        let below64 = UInt64(truncatingIfNeeded: Int64(Int32(bitPattern: v &- 64)) >> 63)
        return UInt32(truncatingIfNeeded: (sentenceEndMask &>> UInt64(v & 63)) & below64 & 1)
    }

    /// Classes of a scalar for the candidate scan and the word tokenizer (bits, several may be set).
    private static let spaceClass: UInt8 = 1 << 0
    /// Ends a word: ``isNonWord(_:)``.
    private static let nonWordClass: UInt8 = 1 << 1
    /// Cannot start a word: not ``isWordStart(_:)``.
    private static let notWordStartClass: UInt8 = 1 << 2
    /// `-` or `.`: may start a multi-character punctuation token.
    private static let multiCharClass: UInt8 = 1 << 3
    private static let commaClass: UInt8 = 1 << 4

    /// The classes of the ASCII code points (curly quotes, the only non-ASCII non-word
    /// characters, are classified by ``classes(_:_:)``).
    private static let asciiClasses: [UInt8] = (0..<128).map { v in
        let c = Unicode.Scalar(UInt8(v))
        var bits: UInt8 = 0
        if isSpace(c) { bits |= spaceClass }
        switch c {
        case ")", "\"", ";", "}", "]", "*", ":", "@", "'", "(", "{", "[", "?", "!": bits |= nonWordClass
        default: break
        }
        if !isWordStart(c) { bits |= notWordStartClass }
        if c == "-" || c == "." { bits |= multiCharClass }
        if c == "," { bits |= commaClass }
        return bits
    }

    /// The classes of a scalar value: `table` (``asciiClasses``) for ASCII.
    @inline(__always)
    private func classes(_ v: UInt32, _ table: UnsafePointer<UInt8>) -> UInt8 {
        if v < 0x80 { return table[Int(v)] }
        if PythonText.isSpace(v) { return Self.spaceClass }
        return isNonWord(Unicode.Scalar(v).unsafelyUnwrapped) ? Self.nonWordClass : 0
    }

    // MARK: Sentences

    private struct Candidate {
        var position: Int
        var afterEnd: Int
        /// Where the next token starts, -1 when punctuation follows directly.
        var nextToken: Int
    }

    /// Sentence ranges (in scalar offsets) of `s`, as `PunktSentenceTokenizer.span_tokenize`.
    func sentences(in s: [Unicode.Scalar]) -> [Range<Int>] {
        s.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return [] }
            return sentences(base, buffer.count)
        }
    }

    private func sentences(_ s: UnsafePointer<Unicode.Scalar>, _ n: Int) -> [Range<Int>] {
        Self.asciiClasses.withUnsafeBufferPointer { table in
            sentences(s, n, table.baseAddress.unsafelyUnwrapped)
        }
    }

    private func sentences(_ s: UnsafePointer<Unicode.Scalar>, _ n: Int, _ table: UnsafePointer<UInt8>) -> [Range<Int>]
    {
        var workspace = Workspace()
        workspace.tokens.reserveCapacity(8)
        workspace.key.reserveCapacity(32)
        // Slices between the candidates that the context says are breaks.
        var slices: [(Int, Int)] = []
        slices.reserveCapacity(n / 64 + 4)
        var lastBreak = 0
        // The last candidate seen, its context start, and where that context search stops.
        var previous = Candidate(position: -1, afterEnd: 0, nextToken: -1)
        var previousStart = 0
        var previousStop = 0
        /// Appends a slice when the candidate's context holds a break.
        func decide(_ p: Candidate, contextStart: Int) {
            if containsSentenceBreak(s, contextStart, p.afterEnd, table, &workspace) {
                slices.append((lastBreak, p.position + 1))
                lastBreak = p.nextToken >= 0 ? p.nextToken : p.position + 1
            }
        }
        /// Takes the next candidate: its context is the word before it; a candidate whose context
        /// overlaps the next one's is merged away (the last wins), else decided now.
        func take(_ m: Candidate) {
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
            if previous.position >= 0, previousStop <= start { decide(previous, contextStart: previousStart) }
            previous = m
            previousStart = start
            previousStop = m.position
        }

        // Candidate boundaries: a sentence-end char followed by non-word punctuation, or by
        // whitespace and another token. The scan tests eight scalars without a branch and then
        // visits the sentence ends among them.
        let limit = n - 1
        var i = 0
        while i < limit {
            let width = min(8, limit - i)
            var ends: UInt32 = 0
            if width == 8 {
                for k in 0..<8 { ends |= Self.sentenceEndBit(s[i + k].value) << UInt32(k) }
            } else {
                for k in 0..<width { ends |= Self.sentenceEndBit(s[i + k].value) << UInt32(k) }
            }
            while ends != 0 {
                let position = i + ends.trailingZeroBitCount
                ends &= ends - 1
                let next = classes(s[position + 1].value, table)
                if next & Self.nonWordClass != 0 {
                    take(Candidate(position: position, afterEnd: position + 2, nextToken: -1))
                } else if next & Self.spaceClass != 0 {
                    var j = position + 2
                    while j < n, classes(s[j].value, table) & Self.spaceClass != 0 { j += 1 }
                    if j < n {
                        var k = j + 1
                        while k < n, classes(s[k].value, table) & Self.spaceClass == 0 { k += 1 }
                        take(Candidate(position: position, afterEnd: k, nextToken: j))
                    }
                }
            }
            i += width
        }
        if previous.position >= 0 { decide(previous, contextStart: previousStart) }
        var end = n
        while end > 0, Self.isSpace(s[end - 1]) { end -= 1 }
        slices.append((lastBreak, end))

        // Realign closing punctuation that follows a break onto the sentence before it.
        var out: [Range<Int>] = []
        out.reserveCapacity(slices.count)
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
    private func realignment(_ s: UnsafePointer<Unicode.Scalar>, from start: Int, to stop: Int) -> (Int, Int)? {
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

        init(_ start: Int, _ end: Int, in s: UnsafePointer<Unicode.Scalar>) {
            self.start = start
            self.end = end
            periodFinal = s[end - 1] == "."
        }

        var count: Int { end - start }
    }

    /// Buffers reused across the candidates of one text: the context's tokens and lexicon keys.
    private struct Workspace {
        var tokens: [Token] = []
        var key: [UInt32] = []
    }

    /// `##number##`, the type of every numeric token.
    private static let numberType: [UInt32] = "##number##".unicodeScalars.map(\.value)

    /// Appends the token's type to `key`: `"##number##"` for numbers, else the lowercased text
    /// of `s[token.start..<end]`.
    private static func appendType(
        _ key: inout [UInt32], _ s: UnsafePointer<Unicode.Scalar>, _ token: Token, number: Bool, end: Int
    ) {
        if number {
            key.append(contentsOf: numberType)
        } else {
            PunktLexicon.appendLowered(&key, s, token.start, end)
        }
    }

    private static func firstUpper(_ s: UnsafePointer<Unicode.Scalar>, _ token: Token) -> Bool {
        PythonText.caseKind(s[token.start]) == .upper
    }

    private static func firstLower(_ s: UnsafePointer<Unicode.Scalar>, _ token: Token) -> Bool {
        PythonText.caseKind(s[token.start]) == .lower
    }

    private static func isInitial(_ s: UnsafePointer<Unicode.Scalar>, _ token: Token) -> Bool {
        token.count == 2 && s[token.start + 1] == "." && PythonText.isWord(s[token.start])
            && !PythonText.isDecimal(s[token.start])
    }

    /// Whether a candidate's context `s[start..<end]` holds a sentence break that is not its last
    /// token.
    private func containsSentenceBreak(
        _ s: UnsafePointer<Unicode.Scalar>, _ start: Int, _ end: Int, _ table: UnsafePointer<UInt8>,
        _ workspace: inout Workspace
    ) -> Bool {
        workspace.tokens.removeAll(keepingCapacity: true)
        var lineStart = start
        var k = start
        while k <= end {
            if k == end || s[k] == "\n" {
                tokenizeWords(s, lineStart, k, table, into: &workspace.tokens)
                lineStart = k + 1
            }
            k += 1
        }
        let count = workspace.tokens.count
        guard count > 1 else { return false }
        // The first pass of a token only reads the token itself, so each one is annotated just
        // before the second pass looks at it.
        firstPass(&workspace.tokens[0], s, &workspace.key)
        for index in 0..<(count - 1) {
            firstPass(&workspace.tokens[index + 1], s, &workspace.key)
            // Later steps never read this token again: its second pass needs no write-back.
            var first = workspace.tokens[index]
            secondPass(&first, workspace.tokens[index + 1], s, &workspace)
            if first.sentenceBreak { return true }
        }
        return false
    }

    /// `^-?[\.,]?\d[\d,\.-]*\.?$` over `s[start..<end]`.
    ///
    /// On the original text: lowercasing neither makes nor removes digits, `-`, `.` or `,`.
    private static func isNumeric(_ t: UnsafePointer<Unicode.Scalar>, _ start: Int, _ end: Int) -> Bool {
        var i = start
        if i < end, t[i] == "-" { i += 1 }
        if i < end, t[i] == "." || t[i] == "," { i += 1 }
        guard i < end, PythonText.isDecimal(t[i]) else { return false }
        i += 1
        while i < end {
            let c = t[i]
            guard PythonText.isDecimal(c) || c == "," || c == "." || c == "-" else { return false }
            i += 1
        }
        return true
    }

    /// The end of a multi-character punctuation token (`--+`, `..+`, `. . .`) starting at `i`,
    /// within a line ending at `end`; -1 when none starts there.
    @inline(__always)
    private static func multiCharEnd(_ s: UnsafePointer<Unicode.Scalar>, _ i: Int, _ end: Int) -> Int {
        guard i + 1 < end else { return -1 }
        let c = s[i]
        if c == "-" {
            guard s[i + 1] == "-" else { return -1 }
            var e = i + 2
            while e < end, s[e] == "-" { e += 1 }
            return e
        }
        guard c == "." else { return -1 }
        return periodRunEnd(s, i, end)
    }

    private static func periodRunEnd(_ s: UnsafePointer<Unicode.Scalar>, _ i: Int, _ end: Int) -> Int {
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
        return -1
    }

    /// Punkt's word tokenizer regex over the line `s[start..<end]`, appended to `tokens`.
    private func tokenizeWords(
        _ s: UnsafePointer<Unicode.Scalar>, _ start: Int, _ end: Int, _ table: UnsafePointer<UInt8>,
        into tokens: inout [Token]
    ) {
        var i = start
        while i < end {
            let c = classes(s[i].value, table)
            if c & Self.spaceClass != 0 {
                i += 1
                continue
            }
            if c & Self.multiCharClass != 0 {
                let e = Self.multiCharEnd(s, i, end)
                if e >= 0 {
                    tokens.append(Token(i, e, in: s))
                    i = e
                    continue
                }
            }
            guard c & Self.notWordStartClass == 0 else {
                tokens.append(Token(i, i + 1, in: s))
                i += 1
                continue
            }
            var j = i + 1
            while j < end {
                let d = classes(s[j].value, table)
                if d == 0 {
                    j += 1
                    continue
                }
                if d & (Self.spaceClass | Self.nonWordClass) != 0 { break }
                if d & Self.multiCharClass != 0, Self.multiCharEnd(s, j, end) >= 0 { break }
                if d & Self.commaClass != 0 {
                    // A comma ends the word before a space, non-word punctuation, a multi-character
                    // token or the line end.
                    let k = j + 1
                    if k == end { break }
                    let e = classes(s[k].value, table)
                    if e & (Self.spaceClass | Self.nonWordClass) != 0 { break }
                    if e & Self.multiCharClass != 0, Self.multiCharEnd(s, k, end) >= 0 { break }
                }
                j += 1
            }
            tokens.append(Token(i, j, in: s))
            i = j
        }
    }

    private func firstPass(_ token: inout Token, _ s: UnsafePointer<Unicode.Scalar>, _ key: inout [UInt32]) {
        let count = token.count
        if count == 1, Self.isSentenceEnd(s[token.start]) {
            token.sentenceBreak = true
        } else if count >= 2, Self.allPeriods(s, token.start, token.end) {
            token.ellipsis = true
        } else if token.periodFinal, !(count >= 2 && s[token.end - 2] == ".") {
            // The lowercased text without its period, and its part after the last hyphen.
            let baseEnd = token.end - 1
            var isAbbreviation =
                words.flags(lowering: s, token.start, baseEnd, scratch: &key) & PunktLexicon.abbreviation != 0
            if !isAbbreviation, let hyphen = Self.lastHyphen(s, token.start, baseEnd) {
                isAbbreviation =
                    words.flags(lowering: s, hyphen + 1, baseEnd, scratch: &key) & PunktLexicon.abbreviation != 0
            }
            if isAbbreviation {
                token.abbreviation = true
            } else {
                token.sentenceBreak = true
            }
        }
    }

    private static func allPeriods(_ s: UnsafePointer<Unicode.Scalar>, _ start: Int, _ end: Int) -> Bool {
        for k in start..<end where s[k] != "." { return false }
        return true
    }

    private static func lastHyphen(_ s: UnsafePointer<Unicode.Scalar>, _ start: Int, _ end: Int) -> Int? {
        var k = end - 1
        while k >= start {
            if s[k] == "-" { return k }
            k -= 1
        }
        return nil
    }

    private func secondPass(
        _ first: inout Token, _ second: Token, _ s: UnsafePointer<Unicode.Scalar>, _ workspace: inout Workspace
    ) {
        guard first.periodFinal else { return }
        // `type_no_period`: "##number##", or the lowercased text without its final period. (A text
        // type is never "##number##" itself: a token starting with `#` is that one character.)
        let typeIsNumber = Self.isNumeric(s, first.start, first.end)
        let typeEnd = first.count > 1 ? first.end - 1 : first.end
        let typeFlags =
            typeIsNumber ? numberWords : words.flags(lowering: s, first.start, typeEnd, scratch: &workspace.key)
        // The next token's `type_no_sentperiod`, looked up the first time a rule reads it.
        let nextIsNumber = Self.isNumeric(s, second.start, second.end)
        let nextEnd =
            second.sentenceBreak && second.count > 1 && s[second.end - 1] == "." ? second.end - 1 : second.end
        var nextWordFlags: UInt16? = nil
        var nextOrthography: UInt16? = nil
        func nextIsStarter() -> Bool {
            if nextWordFlags == nil {
                nextWordFlags =
                    nextIsNumber
                    ? numberWords : words.flags(lowering: s, second.start, nextEnd, scratch: &workspace.key)
            }
            return nextWordFlags.unsafelyUnwrapped & PunktLexicon.sentenceStarter != 0
        }
        func nextContext() -> UInt16 {
            if let context = nextOrthography { return context }
            let context =
                nextIsNumber
                ? numberOrthography : orthography.flags(lowering: s, second.start, nextEnd, scratch: &workspace.key)
            nextOrthography = context
            return context
        }
        let isInitial = Self.isInitial(s, first)
        if typeFlags & PunktLexicon.collocationFirst != 0 {
            workspace.key.removeAll(keepingCapacity: true)
            Self.appendType(&workspace.key, s, first, number: typeIsNumber, end: typeEnd)
            workspace.key.append(0x09)
            Self.appendType(&workspace.key, s, second, number: nextIsNumber, end: nextEnd)
            let pair = words.flags(workspace.key, hash: PunktLexicon.hash(workspace.key))
            if pair & PunktLexicon.collocation != 0 {
                first.sentenceBreak = false
                first.abbreviation = true
                return
            }
        }
        if (first.abbreviation || first.ellipsis) && !isInitial {
            let starter = orthographicHeuristic(second, s, nextContext)
            if starter == .yes {
                first.sentenceBreak = true
                return
            }
            if Self.firstUpper(s, second) && nextIsStarter() {
                first.sentenceBreak = true
                return
            }
        }
        if isInitial || typeIsNumber {
            let starter = orthographicHeuristic(second, s, nextContext)
            if starter == .no {
                first.sentenceBreak = false
                first.abbreviation = true
                return
            }
            if starter == .unknown && isInitial && Self.firstUpper(s, second) && nextContext() & Self.lowerContexts == 0
            {
                first.sentenceBreak = false
                first.abbreviation = true
            }
        }
    }

    private enum Starter { case yes, no, unknown }

    /// Punkt's orthographic heuristic for the token after a candidate; `orthographicContext`
    /// gives the context flags of its `type_no_sentperiod`.
    private func orthographicHeuristic(
        _ token: Token, _ s: UnsafePointer<Unicode.Scalar>, _ orthographicContext: () -> UInt16
    ) -> Starter {
        if token.count == 1 {
            switch s[token.start] {
            case ";", ":", ",", ".", "!", "?": return .no
            default: break
            }
        }
        let context = orthographicContext()
        if Self.firstUpper(s, token) && context & Self.lowerContexts != 0 && context & Self.midUC == 0 { return .yes }
        if Self.firstLower(s, token) && (context & Self.upperContexts != 0 || context & Self.begLC == 0) { return .no }
        return .unknown
    }
}

/// Types of the Punkt model and their flags in an open-addressing hash table keyed by lowercased
/// scalars; lookups hash and compare ASCII text straight from the source, lowercasing on the fly.
///
/// Flags: the orthographic-context bits of the model (the low byte), and whether the type is an
/// abbreviation, a sentence starter, a collocation (`first\tsecond`) or the first type of one.
/// The tokenizer keeps the few hundred types of the frequent questions (abbreviation, starter,
/// collocation) apart from the 20,000 orthographic contexts, so the common lookups stay in cache.
struct PunktLexicon: Sendable {
    static let abbreviation: UInt16 = 1 << 8
    static let sentenceStarter: UInt16 = 1 << 9
    static let collocation: UInt16 = 1 << 10
    static let collocationFirst: UInt16 = 1 << 11

    private struct Entry {
        var hash: UInt32
        var offset: UInt32
        var length: UInt16
        var flags: UInt16
    }

    /// Entry index + 1 per slot, 0 for an empty slot; a power of two, at most half full.
    private var slots: [UInt32]
    private var entries: [Entry] = []
    /// The keys' scalars, back to back.
    private var keys: [UInt32] = []

    /// A table of `types` with their flags (flags of a repeated type are merged).
    init(_ types: [(String, UInt16)]) {
        var capacity = 16
        while capacity < 2 * types.count { capacity *= 2 }
        slots = [UInt32](repeating: 0, count: capacity)
        for (type, flags) in types { insert(type.unicodeScalars.map(\.value), flags) }
    }

    private static let basis: UInt32 = 0x811C_9DC5
    private static let prime: UInt32 = 0x0100_0193

    @inline(__always) private static func mix(_ h: UInt32, _ v: UInt32) -> UInt32 { (h ^ v) &* prime }
    @inline(__always) private static func finish(_ h: UInt32) -> UInt32 { h ^ (h >> 15) }

    /// The hash of a key (FNV-1a over the scalar values).
    static func hash(_ key: [UInt32]) -> UInt32 {
        var h = basis
        for v in key { h = mix(h, v) }
        return finish(h)
    }

    private mutating func insert(_ key: [UInt32], _ flags: UInt16) {
        precondition(key.count < Int(UInt16.max), "Punkt type too long")
        let h = Self.hash(key)
        let mask = slots.count - 1
        var slot = Int(h) & mask
        while slots[slot] != 0 {
            let index = Int(slots[slot]) - 1
            let entry = entries[index]
            if entry.hash == h && Int(entry.length) == key.count
                && keys[Int(entry.offset)..<(Int(entry.offset) + key.count)].elementsEqual(key)
            {
                entries[index].flags |= flags
                return
            }
            slot = (slot + 1) & mask
        }
        entries.append(Entry(hash: h, offset: UInt32(keys.count), length: UInt16(key.count), flags: flags))
        keys.append(contentsOf: key)
        slots[slot] = UInt32(entries.count)
    }

    /// Probes for a key of `length` scalars with hash `h`; `equal(stored)` compares a stored key.
    @inline(__always)
    private func probe(_ h: UInt32, _ length: Int, _ equal: (UnsafePointer<UInt32>) -> Bool) -> UInt16 {
        slots.withUnsafeBufferPointer { slots in
            entries.withUnsafeBufferPointer { entries in
                keys.withUnsafeBufferPointer { keys in
                    let mask = slots.count - 1
                    var slot = Int(h) & mask
                    while true {
                        let stored = slots[slot]
                        if stored == 0 { return 0 }
                        let entry = entries[Int(stored) - 1]
                        if entry.hash == h && Int(entry.length) == length
                            && equal(keys.baseAddress.unsafelyUnwrapped + Int(entry.offset))
                        {
                            return entry.flags
                        }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
    }

    /// The flags of a lowercased type given as scalar values (0 for a type the model lacks).
    func flags(_ key: [UInt32], hash h: UInt32) -> UInt16 {
        key.withUnsafeBufferPointer { key in
            probe(h, key.count) { stored in
                for k in 0..<key.count where stored[k] != key[k] { return false }
                return true
            }
        }
    }

    /// The flags of Python's `s[start..<end].lower()`; `scratch` holds the lowercased key when the
    /// text is not ASCII.
    func flags(lowering s: UnsafePointer<Unicode.Scalar>, _ start: Int, _ end: Int, scratch: inout [UInt32])
        -> UInt16
    {
        var h = Self.basis
        for k in start..<end {
            let v = s[k].value
            guard v < 0x80 else {
                scratch.removeAll(keepingCapacity: true)
                Self.appendLowered(&scratch, s, start, end)
                return flags(scratch, hash: Self.hash(scratch))
            }
            h = Self.mix(h, v &- 0x41 < 26 ? v + 32 : v)
        }
        return probe(Self.finish(h), end - start) { stored in
            for k in 0..<(end - start) {
                let v = s[start + k].value
                if stored[k] != (v &- 0x41 < 26 ? v + 32 : v) { return false }
            }
            return true
        }
    }

    /// Appends Python's `text.lower()` of `s[start..<end]` to `key` (the full case mapping, as
    /// ``PythonText/lower(_:)``; ASCII without property lookups).
    static func appendLowered(_ key: inout [UInt32], _ s: UnsafePointer<Unicode.Scalar>, _ start: Int, _ end: Int) {
        for k in start..<end {
            let c = s[k]
            let v = c.value
            if v < 0x80 {
                key.append(v &- 0x41 < 26 ? v + 32 : v)
            } else {
                let properties = c.properties
                if properties.changesWhenLowercased {
                    for l in properties.lowercaseMapping.unicodeScalars { key.append(l.value) }
                } else {
                    key.append(v)
                }
            }
        }
    }
}
