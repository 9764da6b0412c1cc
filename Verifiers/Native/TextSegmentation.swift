/// The unit a response is split into for `each` / `part` nodes and the native length verifiers.
public enum TextUnit: String, Sendable, Hashable, CaseIterable {
    case paragraphs, sentences, lines, sections, bullets

    /// The singular noun, for details ("paragraph 3").
    public var singular: String {
        switch self {
        case .paragraphs: return "paragraph"
        case .sentences: return "sentence"
        case .lines: return "line"
        case .sections: return "section"
        case .bullets: return "bullet"
        }
    }
}

/// Unicode-aware segmentation used by the native verifiers and the constraint tree.
///
/// This is deliberately *better* than IFEval's reference (whose quirks the IFEval ids keep):
///
/// - **words**: maximal runs of letters, digits and combining marks, joined across an internal
///   apostrophe (`don't`, `l’homme`), hyphen (`state-of-the-art`) or digit separator (`3.14`,
///   `1,000`); every Han ideograph, kana or other unspaced-script character counts as one word.
/// - **sentences**: end at `.` `!` `?` `…` (then optional closing quotes/brackets) followed by white
///   space or the end, at `。` `！` `？` anywhere, at blank lines and before list items or headings;
///   a `.` after a single letter (`J. K.`), a common abbreviation (`Dr.`, `e.g.`) or before a
///   lowercase word does not end a sentence.
/// - **paragraphs**: blocks separated by blank lines or by horizontal rules (`***`, `---`, `___`,
///   also spaced like `* * *`).
/// - **lines**: non-blank lines, trimmed.
/// - **sections**: from one heading line to the next; a heading is a markdown `#`–`######` line or
///   a line starting `Section`, `Part` or `Chapter` plus a word (any case). Text before the first
///   heading is not a section; a text with no heading has no sections.
/// - **bullets**: list items (`*`, `-`, `+`, `•`, `‣`, `◦` or `1.` / `1)` followed by a space and
///   content); the part is the item's text after its marker.
///
/// All functions return ranges of scalar offsets into the given scalars, trimmed of white space.
enum TextSegmentation {
    // MARK: Scalar classes

    /// Letters, digits and marks.
    static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 {
            return (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A)
        }
        let p = s.properties
        if p.isAlphabetic { return true }
        switch p.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber, .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }

    /// Characters of scripts written without spaces, each counted as a word.
    static func isUnspacedScriptScalar(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x2E80 { return false }
        if s.properties.isIdeographic { return true }
        return (0x3040...0x30FF).contains(v)  // Hiragana, Katakana
            || (0x31F0...0x31FF).contains(v)  // Katakana phonetic extensions
    }

    static func isSpace(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 { return v == 0x20 || (v >= 0x09 && v <= 0x0D) }
        return s.properties.isWhitespace
    }

    private static func isDigit(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x80 ? (s.value >= 0x30 && s.value <= 0x39) : s.properties.generalCategory == .decimalNumber
    }

    /// Trims white space off both ends of a range.
    static func trim(_ scalars: [Unicode.Scalar], _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, isSpace(scalars[lower]) { lower += 1 }
        while upper > lower, isSpace(scalars[upper - 1]) { upper -= 1 }
        return lower..<upper
    }

    /// The string of a scalar range.
    static func string(_ scalars: [Unicode.Scalar], _ range: Range<Int>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[range])
        return String(view)
    }

    // MARK: Words

    /// Word ranges (see the type's documentation).
    static func words(_ scalars: [Unicode.Scalar]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        let n = scalars.count
        var i = 0
        while i < n {
            let s = scalars[i]
            guard isWordScalar(s) else {
                i += 1
                continue
            }
            if isUnspacedScriptScalar(s) {
                out.append(i..<(i + 1))
                i += 1
                continue
            }
            let start = i
            i += 1
            while i < n {
                let c = scalars[i]
                if isWordScalar(c) && !isUnspacedScriptScalar(c) {
                    i += 1
                    continue
                }
                // A joiner between two word characters keeps the word going.
                if i + 1 < n, isWordScalar(scalars[i + 1]), !isUnspacedScriptScalar(scalars[i + 1]) {
                    switch c {
                    case "'", "\u{2019}", "-", "\u{2010}", "\u{2011}":
                        i += 2
                        continue
                    case ".", ",":
                        if isDigit(scalars[i - 1]) && isDigit(scalars[i + 1]) {
                            i += 2
                            continue
                        }
                    default: break
                    }
                }
                break
            }
            out.append(start..<i)
        }
        return out
    }

    // MARK: Lines and paragraphs

    /// Raw line ranges split on `\n`, untrimmed, including blank ones.
    static func rawLines(_ scalars: [Unicode.Scalar]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start = 0
        for (i, s) in scalars.enumerated() where s == "\n" {
            out.append(start..<i)
            start = i + 1
        }
        out.append(start..<scalars.count)
        return out
    }

    /// Non-blank lines, trimmed.
    static func lines(_ scalars: [Unicode.Scalar]) -> [Range<Int>] {
        rawLines(scalars).map { trim(scalars, $0) }.filter { !$0.isEmpty }
    }

    /// Whether a trimmed line is a markdown horizontal rule (`***`, `---`, `___`, `* * *`).
    static func isHorizontalRule(_ scalars: [Unicode.Scalar], _ line: Range<Int>) -> Bool {
        var marker: Unicode.Scalar? = nil
        var count = 0
        for i in line {
            let s = scalars[i]
            if s == " " || s == "\t" { continue }
            guard s == "*" || s == "-" || s == "_" else { return false }
            if let marker, marker != s { return false }
            marker = s
            count += 1
        }
        return count >= 3
    }

    /// Paragraphs: blocks between blank lines or horizontal rules, trimmed.
    static func paragraphs(_ scalars: [Unicode.Scalar]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var blockStart: Int? = nil
        var blockEnd = 0
        for line in rawLines(scalars) {
            let trimmed = trim(scalars, line)
            if trimmed.isEmpty || isHorizontalRule(scalars, trimmed) {
                if let start = blockStart { out.append(trim(scalars, start..<blockEnd)) }
                blockStart = nil
            } else {
                if blockStart == nil { blockStart = line.lowerBound }
                blockEnd = line.upperBound
            }
        }
        if let start = blockStart { out.append(trim(scalars, start..<blockEnd)) }
        return out
    }

    // MARK: Lists and headings

    /// The content range of a list item line (after its marker), or nil if the line is not one.
    static func listItemContent(_ scalars: [Unicode.Scalar], _ line: Range<Int>) -> Range<Int>? {
        let trimmed = trim(scalars, line)
        guard trimmed.count >= 2 else { return nil }
        var i = trimmed.lowerBound
        switch scalars[i] {
        case "*", "-", "+", "\u{2022}", "\u{2023}", "\u{25E6}":
            i += 1
        default:
            var digits = 0
            while i < trimmed.upperBound, scalars[i].value >= 0x30, scalars[i].value <= 0x39, digits < 9 {
                i += 1
                digits += 1
            }
            guard digits > 0, i < trimmed.upperBound, scalars[i] == "." || scalars[i] == ")" else { return nil }
            i += 1
        }
        guard i < trimmed.upperBound, scalars[i] == " " || scalars[i] == "\t" else { return nil }
        let content = trim(scalars, i..<trimmed.upperBound)
        guard !content.isEmpty, !isHorizontalRule(scalars, trimmed) else { return nil }
        return content
    }

    /// Whether a line item is numbered (`1.` / `1)`), given that it is a list item.
    static func isNumberedItem(_ scalars: [Unicode.Scalar], _ line: Range<Int>) -> Bool {
        let trimmed = trim(scalars, line)
        guard let first = trimmed.first else { return false }
        return scalars[first].value >= 0x30 && scalars[first].value <= 0x39
    }

    /// List item contents, in order.
    static func bullets(_ scalars: [Unicode.Scalar]) -> [Range<Int>] {
        rawLines(scalars).compactMap { listItemContent(scalars, $0) }
    }

    /// The heading level of a markdown heading line (1...6), or nil.
    static func markdownHeadingLevel(_ scalars: [Unicode.Scalar], _ line: Range<Int>) -> Int? {
        let trimmed = trim(scalars, line)
        var i = trimmed.lowerBound
        var level = 0
        while i < trimmed.upperBound, scalars[i] == "#" {
            level += 1
            i += 1
        }
        guard (1...6).contains(level), i < trimmed.upperBound, scalars[i] == " " || scalars[i] == "\t" else {
            return nil
        }
        return trim(scalars, i..<trimmed.upperBound).isEmpty ? nil : level
    }

    /// Whether a line starts a section: a markdown heading or `Section|Part|Chapter <word>`.
    static func isSectionHeading(_ scalars: [Unicode.Scalar], _ line: Range<Int>) -> Bool {
        if markdownHeadingLevel(scalars, line) != nil { return true }
        let trimmed = trim(scalars, line)
        var i = trimmed.lowerBound
        while i < trimmed.upperBound, scalars[i] == "*" || scalars[i] == "_" { i += 1 }  // **Section 1**
        var keyword = ""
        while i < trimmed.upperBound, scalars[i].isASCII, scalars[i].properties.isAlphabetic {
            keyword.unicodeScalars.append(scalars[i])
            i += 1
        }
        guard ["section", "part", "chapter"].contains(keyword.lowercased()) else { return false }
        guard i < trimmed.upperBound, scalars[i] == " " else { return false }
        i += 1
        return i < trimmed.upperBound && isWordScalar(scalars[i])
    }

    /// Sections from each heading line to the next (see the type's documentation).
    static func sections(_ scalars: [Unicode.Scalar]) -> [Range<Int>] {
        var starts: [Int] = []
        for line in rawLines(scalars) where isSectionHeading(scalars, line) {
            starts.append(line.lowerBound)
        }
        var out: [Range<Int>] = []
        for (k, start) in starts.enumerated() {
            let end = k + 1 < starts.count ? starts[k + 1] : scalars.count
            let range = trim(scalars, start..<end)
            if !range.isEmpty { out.append(range) }
        }
        return out
    }

    // MARK: Sentences

    private static let abbreviations: Set<String> = [
        "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "e.g", "i.e", "fig", "no", "vol", "inc", "ltd",
        "co", "mt", "approx", "dept", "est", "cf", "al",
    ]

    private static func isClosing(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case "\"", "'", ")", "]", "}", "\u{201D}", "\u{2019}", "\u{00BB}", "\u{300D}", "\u{300F}", "*", "_": return true
        default: return false
        }
    }

    /// Sentence ranges (see the type's documentation), each containing at least one word scalar.
    static func sentences(_ scalars: [Unicode.Scalar]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        let n = scalars.count
        var start = 0
        func close(_ end: Int) {
            let range = trim(scalars, start..<end)
            if range.contains(where: { isWordScalar(scalars[$0]) }) { out.append(range) }
            start = end
        }
        func isStructural(_ line: Range<Int>) -> Bool {
            listItemContent(scalars, line) != nil || markdownHeadingLevel(scalars, line) != nil
        }
        var lineStart = 0
        var i = 0
        while i < n {
            let s = scalars[i]
            switch s {
            case "\u{3002}", "\u{FF01}", "\u{FF1F}":  // 。！？ end a sentence anywhere
                i += 1
                while i < n, isClosing(scalars[i]) || scalars[i] == "\u{3002}" { i += 1 }
                close(i)
                continue
            case ".", "!", "?", "\u{2026}", "\u{203C}", "\u{2047}", "\u{2048}", "\u{2049}":
                let markStart = i
                while i < n, [".", "!", "?", "\u{2026}"].contains(scalars[i]) { i += 1 }
                while i < n, isClosing(scalars[i]) { i += 1 }
                guard i == n || isSpace(scalars[i]) else { continue }
                if s == "." && i - markStart == 1 && !endsSentenceAtPeriod(scalars, period: markStart, after: i) {
                    continue
                }
                // An ellipsis followed by a lowercase word trails off inside the sentence.
                if scalars[markStart..<i].allSatisfy({ $0 == "." || $0 == "\u{2026}" }),
                    nextIsLowercase(scalars, after: i)
                {
                    continue
                }
                close(i)
                continue
            case "\n":
                // A blank line, or a list item or heading on either side, ends the sentence.
                let current = lineStart..<i
                var j = i + 1
                while j < n, scalars[j] != "\n", isSpace(scalars[j]) { j += 1 }
                if j >= n || scalars[j] == "\n" || isStructural(current) {
                    close(i)
                } else {
                    var lineEnd = j
                    while lineEnd < n, scalars[lineEnd] != "\n" { lineEnd += 1 }
                    if isStructural((i + 1)..<lineEnd) { close(i) }
                }
                i += 1
                lineStart = i
                continue
            default:
                i += 1
            }
        }
        close(n)
        return out
    }

    /// Whether a single `.` at `period` (followed by space or end at `after`) ends a sentence.
    private static func endsSentenceAtPeriod(_ scalars: [Unicode.Scalar], period: Int, after: Int) -> Bool {
        // The word before the period.
        var wordStart = period
        while wordStart > 0, isWordScalar(scalars[wordStart - 1]) || scalars[wordStart - 1] == "." {
            wordStart -= 1
        }
        let word = string(scalars, wordStart..<period).lowercased()
        if word.unicodeScalars.count == 1, let only = word.unicodeScalars.first, only.properties.isAlphabetic,
            !isUnspacedScriptScalar(only)
        {
            return false  // an initial: "J. K. Rowling"
        }
        if abbreviations.contains(word) { return false }
        // The next visible scalar: a lowercase letter means the sentence goes on.
        return !nextIsLowercase(scalars, after: after)
    }

    /// Whether the first scalar after the spaces at `after` (on the same line) is lowercase.
    private static func nextIsLowercase(_ scalars: [Unicode.Scalar], after: Int) -> Bool {
        var j = after
        while j < scalars.count, isSpace(scalars[j]), scalars[j] != "\n" { j += 1 }
        return j < scalars.count && scalars[j].properties.isLowercase
    }

    // MARK: Units

    /// The parts of `unit` in a text, as scalar ranges.
    static func ranges(of unit: TextUnit, in scalars: [Unicode.Scalar]) -> [Range<Int>] {
        switch unit {
        case .paragraphs: return paragraphs(scalars)
        case .sentences: return sentences(scalars)
        case .lines: return lines(scalars)
        case .sections: return sections(scalars)
        case .bullets: return bullets(scalars)
        }
    }

    /// The parts of `unit` in a text, as strings.
    static func parts(of unit: TextUnit, in scalars: [Unicode.Scalar]) -> [String] {
        ranges(of: unit, in: scalars).map { string(scalars, $0) }
    }
}
