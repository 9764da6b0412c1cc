/// `length_constraints:*` — sentences, paragraphs (`***`), words, nth paragraph's first word.
enum LengthVerifiers {
    static let numberSentences = IFEvalVerifier(
        descriptor: VerifierDescriptor(
            id: "length_constraints:number_sentences", family: .length,
            parameters: [Schema.count("num_sentences", "the threshold"), Schema.relation("relation")],
            summary: "The number of sentences (nltk punkt, English) is less than / at least `num_sentences`."),
        makeRule: { (p: Parameters) throws(VerifierError) -> any Rule in
            SentencesRule(threshold: try p.count("num_sentences"), relation: try p.relation("relation"))
        })

    struct SentencesRule: IFEvalRule {
        let threshold: Int
        let relation: Relation

        func evaluate(_ response: ResponseText) -> Check {
            relation.check(response.sentenceCount, threshold, "sentences")
        }
    }

    static let numberWords = IFEvalVerifier(
        descriptor: VerifierDescriptor(
            id: "length_constraints:number_words", family: .length,
            parameters: [Schema.count("num_words", "the threshold"), Schema.relation("relation")],
            summary: "The number of words (`\\w+` runs) is less than / at least `num_words`."),
        makeRule: { (p: Parameters) throws(VerifierError) -> any Rule in
            WordsRule(threshold: try p.count("num_words"), relation: try p.relation("relation"))
        })

    struct WordsRule: IFEvalRule {
        let threshold: Int
        let relation: Relation

        func evaluate(_ response: ResponseText) -> Check {
            relation.check(response.wordCount, threshold, "words")
        }
    }

    static let numberParagraphs = IFEvalVerifier(
        descriptor: VerifierDescriptor(
            id: "length_constraints:number_paragraphs", family: .length,
            parameters: [Schema.count("num_paragraphs", "the exact number of paragraphs")],
            summary: "Exactly `num_paragraphs` paragraphs separated by the markdown divider `***`."),
        makeRule: { (p: Parameters) throws(VerifierError) -> any Rule in
            ParagraphsRule(expected: try p.count("num_paragraphs"))
        })

    struct ParagraphsRule: IFEvalRule {
        let expected: Int

        /// Pieces of `re.split(r"\s?\*\*\*\s?", text)` as scalar ranges.
        ///
        /// The leftmost match from `p` starts at the first `***` at or after `p`, or one earlier
        /// when a whitespace character precedes it there.
        static func pieces(_ s: [Unicode.Scalar]) -> [Range<Int>] {
            let n = s.count
            let stars: [Unicode.Scalar] = ["*", "*", "*"]
            var out: [Range<Int>] = []
            var pieceStart = 0
            var p = 0
            while p < n, let k = PythonText.find(stars, in: s, from: p) {
                let start = k > p && PythonText.isSpace(s[k - 1].value) ? k - 1 : k
                var q = k + 3
                if q < n, PythonText.isSpace(s[q].value) { q += 1 }
                out.append(pieceStart..<start)
                pieceStart = q
                p = q
            }
            out.append(pieceStart..<n)
            return out
        }

        func evaluate(_ response: ResponseText) -> Check {
            let s = response.scalars
            let pieces = Self.pieces(s)
            var count = pieces.count
            for (index, piece) in pieces.enumerated() where PythonText.stripRange(s, piece).isEmpty {
                if index == 0 || index == pieces.count - 1 {
                    count -= 1
                } else {
                    return Check(pass: false, detail: "paragraph \(index + 1) between `***` dividers is empty")
                }
            }
            return Check(
                pass: count == expected,
                detail: "found \(count) paragraphs separated by `***`, need exactly \(expected)")
        }
    }

    static let nthParagraphFirstWord = IFEvalVerifier(
        descriptor: VerifierDescriptor(
            id: "length_constraints:nth_paragraph_first_word", family: .length,
            parameters: [
                Schema.count("num_paragraphs", "the exact number of paragraphs (separated by blank lines)"),
                Schema.count("nth_paragraph", "which paragraph (1-based)"),
                ParameterSpec("first_word", .string, summary: "the word it must start with"),
            ],
            summary:
                "Exactly `num_paragraphs` paragraphs split by \"\\n\\n\", paragraph `nth_paragraph` starting with `first_word`."
        ),
        makeRule: { (p: Parameters) throws(VerifierError) -> any Rule in
            let total = try p.count("num_paragraphs")
            let nth = try p.count("nth_paragraph")
            guard nth <= total else {
                throw p.invalid("nth_paragraph", "must be between 1 and num_paragraphs (\(total)), got \(nth)")
            }
            let word = try p.nonEmptyString("first_word")
            return FirstWordRule(expected: total, nth: nth, firstWord: PythonText.lower(word))
        })

    struct FirstWordRule: IFEvalRule {
        let expected: Int
        let nth: Int
        let firstWord: String

        func evaluate(_ response: ResponseText) -> Check {
            let s = response.scalars
            // re.split(r"\n\n", text)
            var pieces: [Range<Int>] = []
            var start = 0
            var i = 0
            while i + 1 < s.count {
                if s[i] == "\n", s[i + 1] == "\n" {
                    pieces.append(start..<i)
                    i += 2
                    start = i
                } else {
                    i += 1
                }
            }
            pieces.append(start..<s.count)
            let count = pieces.filter { !PythonText.stripRange(s, $0).isEmpty }.count
            guard nth <= count else {
                return Check(pass: false, detail: "found \(count) paragraphs, so there is no paragraph \(nth)")
            }
            let paragraph = PythonText.stripRange(s, pieces[nth - 1])
            guard !paragraph.isEmpty else {
                return Check(pass: false, detail: "paragraph \(nth) is empty")
            }
            var end = paragraph.lowerBound
            while end < paragraph.upperBound, !PythonText.isSpace(s[end].value) { end += 1 }
            var w = paragraph.lowerBound
            while w < end, s[w] == "'" { w += 1 }
            while w < end, s[w] == "\"" { w += 1 }
            var letters: [Unicode.Scalar] = []
            while w < end {
                let c = s[w]
                if c == "." || c == "," || c == "?" || c == "!" || c == "'" || c == "\"" { break }
                letters.append(c)
                w += 1
            }
            let found = PythonText.string(PythonText.lower(letters)[...])
            let countOK = count == expected
            let wordOK = found == firstWord
            var problems: [String] = []
            if !countOK { problems.append("found \(count) paragraphs, need exactly \(expected)") }
            if !wordOK { problems.append("paragraph \(nth) starts with \(quoted(found)), need \(quoted(firstWord))") }
            return Check(
                pass: countOK && wordOK, score: Double((countOK ? 1 : 0) + (wordOK ? 1 : 0)) / 2,
                detail: problems.isEmpty
                    ? "\(count) paragraphs, paragraph \(nth) starts with \(quoted(firstWord))"
                    : problems.joined(separator: "; "))
        }
    }
}
