/// IFBench's rule-based sentence splitter (`instructions_util.split_into_sentences`), which several
/// IFBench checkers use instead of punkt.
///
/// The reference rewrites the text with a fixed series of regex substitutions, protecting periods
/// that do not end a sentence as `<prd>` and marking sentence ends with `<stop>`, then splits on
/// `<stop>`. This port runs the same substitutions, in the same order, with the same
/// leftmost, non-overlapping matching, on Unicode scalars.
enum IFBenchSentences {
    typealias Text = [Unicode.Scalar]

    private static let prd = PyStr.scalars("<prd>")
    private static let stop = PyStr.scalars("<stop>")
    private static let prefixes = ["Mr", "St", "Mrs", "Ms", "Dr"].map(PyStr.scalars)
    private static let websites = ["com", "net", "org", "io", "gov", "edu", "me"].map(PyStr.scalars)
    private static let suffixes = ["Inc", "Ltd", "Jr", "Sr", "Co"].map(PyStr.scalars)
    /// `_STARTERS`; a trailing `\s` is marked by `true`.
    private static let starters: [(Text, Bool)] = [
        ("Mr", false), ("Mrs", false), ("Ms", false), ("Dr", false), ("Prof", false), ("Capt", false),
        ("Cpt", false), ("Lt", false), ("He", true), ("She", true), ("It", true), ("They", true), ("Their", true),
        ("Our", true), ("We", true), ("But", true), ("However", true), ("That", true), ("This", true),
        ("Wherever", false),
    ].map { (PyStr.scalars($0.0), $0.1) }

    /// Sentences of `text`, stripped, as the reference returns them.
    static func split(_ text: Text) -> [Text] {
        var t: Text = [" "] + text.map { $0 == "\n" ? " " : $0 } + [" ", " "]
        // (Mr|St|Mrs|Ms|Dr)[.] -> \1<prd>
        t = substitute(t) { t, i in
            for word in prefixes where matches(t, i, word) && at(t, i + word.count) == "." {
                return (word.count + 1, word + prd)
            }
            return nil
        }
        // [.](com|net|org|io|gov|edu|me) -> <prd>\1
        t = substitute(t) { t, i in
            guard t[i] == "." else { return nil }
            for site in websites where matches(t, i + 1, site) { return (site.count + 1, prd + site) }
            return nil
        }
        // ([0-9])[.]([0-9]) -> \1<prd>\2
        t = substitute(t) { t, i in
            guard isDigit(t[i]), at(t, i + 1) == ".", let d = at(t, i + 2), isDigit(d) else { return nil }
            return (3, [t[i]] + prd + [d])
        }
        // \.{2,} -> "<prd>" * len + "<stop>"
        t = substitute(t) { t, i in
            var j = i
            while at(t, j) == "." { j += 1 }
            guard j - i >= 2 else { return nil }
            return (j - i, Array(Array(repeating: prd, count: j - i).joined()) + stop)
        }
        // "Ph.D." -> "Ph<prd>D<prd>"
        let phd = PyStr.scalars("Ph.D.")
        t = substitute(t) { t, i in matches(t, i, phd) ? (5, PyStr.scalars("Ph<prd>D<prd>")) : nil }
        // \s([A-Za-z])[.]  -> " \1<prd> "
        t = substitute(t) { t, i in
            guard PythonText.isSpace(t[i].value), let c = at(t, i + 1), isLetter(c), at(t, i + 2) == ".",
                at(t, i + 3) == " "
            else { return nil }
            return (4, [" ", c] + prd + [" "])
        }
        // ([A-Z][.][A-Z][.](?:[A-Z][.])?) <starter> -> \1<stop> \2
        t = substitute(t) { t, i in
            guard isUpper(t[i]), at(t, i + 1) == ".", let b = at(t, i + 2), isUpper(b), at(t, i + 3) == "." else {
                return nil
            }
            var candidates: [Int] = []
            if let c = at(t, i + 4), isUpper(c), at(t, i + 5) == "." { candidates.append(6) }
            candidates.append(4)
            for length in candidates where at(t, i + length) == " " {
                if let starter = starter(t, i + length + 1) {
                    return (
                        length + 1 + starter,
                        Array(t[i..<(i + length)]) + stop + [" "]
                            + Array(t[(i + length + 1)..<(i + length + 1 + starter)])
                    )
                }
            }
            return nil
        }
        // ([A-Za-z])[.]([A-Za-z])[.]([A-Za-z])[.] -> \1<prd>\2<prd>\3<prd>
        t = substitute(t) { t, i in
            guard isLetter(t[i]), at(t, i + 1) == ".", let b = at(t, i + 2), isLetter(b), at(t, i + 3) == ".",
                let c = at(t, i + 4), isLetter(c), at(t, i + 5) == "."
            else { return nil }
            return (6, [t[i]] + prd + [b] + prd + [c] + prd)
        }
        // ([A-Za-z])[.]([A-Za-z])[.] -> \1<prd>\2<prd>
        t = substitute(t) { t, i in
            guard isLetter(t[i]), at(t, i + 1) == ".", let b = at(t, i + 2), isLetter(b), at(t, i + 3) == "." else {
                return nil
            }
            return (4, [t[i]] + prd + [b] + prd)
        }
        // " (Inc|Ltd|Jr|Sr|Co)[.] <starter>" -> " \1<stop> \2"
        t = substitute(t) { t, i in
            guard t[i] == " " else { return nil }
            for word in suffixes where matches(t, i + 1, word) {
                let dot = i + 1 + word.count
                guard at(t, dot) == ".", at(t, dot + 1) == " ", let starter = starter(t, dot + 2) else { continue }
                return (
                    dot + 2 + starter - i, [" "] + word + stop + [" "] + Array(t[(dot + 2)..<(dot + 2 + starter)])
                )
            }
            return nil
        }
        // " (Inc|Ltd|Jr|Sr|Co)[.]" -> " \1<prd>"
        t = substitute(t) { t, i in
            guard t[i] == " " else { return nil }
            for word in suffixes where matches(t, i + 1, word) && at(t, i + 1 + word.count) == "." {
                return (word.count + 2, [" "] + word + prd)
            }
            return nil
        }
        // " ([A-Za-z])[.]" -> " \1<prd>"
        t = substitute(t) { t, i in
            guard t[i] == " ", let c = at(t, i + 1), isLetter(c), at(t, i + 2) == "." else { return nil }
            return (3, [" ", c] + prd)
        }
        if t.contains("”") { t = replace(t, [".", "”"], ["”", "."]) }
        if t.contains("\"") { t = replace(t, [".", "\""], ["\"", "."]) }
        if t.contains("!") { t = replace(t, ["!", "\""], ["\"", "!"]) }
        if t.contains("?") { t = replace(t, ["?", "\""], ["\"", "?"]) }
        t = replace(t, ["."], ["."] + stop)
        t = replace(t, ["?"], ["?"] + stop)
        t = replace(t, ["!"], ["!"] + stop)
        t = replace(t, prd, ["."])
        var sentences = PyStr.split(t, separator: stop).map { Array(PyStr.stripSpace($0[...])) }
        if let last = sentences.last, last.isEmpty { sentences.removeLast() }
        return sentences
    }

    /// Length of the `_STARTERS` alternative matching at `i` (first alternative in order), if any.
    private static func starter(_ t: Text, _ i: Int) -> Int? {
        for (word, space) in starters where matches(t, i, word) {
            if !space { return word.count }
            if let c = at(t, i + word.count), PythonText.isSpace(c.value) { return word.count + 1 }
        }
        return nil
    }

    /// `re.sub` with a matcher tried at every position: leftmost, non-overlapping.
    private static func substitute(_ t: Text, _ match: (Text, Int) -> (length: Int, replacement: Text)?) -> Text {
        var out: Text = []
        out.reserveCapacity(t.count + 16)
        var i = 0
        while i < t.count {
            if let (length, replacement) = match(t, i) {
                out += replacement
                i += length
            } else {
                out.append(t[i])
                i += 1
            }
        }
        return out
    }

    /// `str.replace(old, new)`.
    private static func replace(_ t: Text, _ old: Text, _ new: Text) -> Text {
        substitute(t) { t, i in matches(t, i, old) ? (old.count, new) : nil }
    }

    @inline(__always) private static func at(_ t: Text, _ i: Int) -> Unicode.Scalar? { i < t.count ? t[i] : nil }

    private static func matches(_ t: Text, _ i: Int, _ word: Text) -> Bool {
        guard i + word.count <= t.count else { return false }
        for k in 0..<word.count where t[i + k] != word[k] { return false }
        return true
    }

    @inline(__always) private static func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 0x30 && c.value <= 0x39 }
    @inline(__always) private static func isUpper(_ c: Unicode.Scalar) -> Bool { c.value >= 0x41 && c.value <= 0x5A }
    @inline(__always) private static func isLetter(_ c: Unicode.Scalar) -> Bool {
        isUpper(c) || (c.value >= 0x61 && c.value <= 0x7A)
    }
}
