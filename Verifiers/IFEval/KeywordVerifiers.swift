/// `keywords:*` — keywords present, keyword frequency, forbidden words, letter frequency.
enum KeywordVerifiers {
    static let existence = IFEvalVerifier(
        descriptor: VerifierDescriptor(
            id: "keywords:existence", family: .keyword,
            parameters: [ParameterSpec("keywords", .stringList, summary: "words that must all appear")],
            summary: "Every keyword appears in the response (case-insensitive)."),
        makeRule: { (p: Parameters) throws(VerifierError) -> any Rule in
            guard let keywords = p.stringList("keywords"), !keywords.isEmpty else {
                throw p.invalid("keywords", "required and must not be empty")
            }
            return ExistenceRule(keywords: keywords.sorted())
        })

    struct ExistenceRule: IFEvalRule {
        let keywords: [String]

        func evaluate(_ response: ResponseText) -> Check {
            let haystack = response.foldedScalars
            var missing: [String] = []
            for keyword in keywords {
                let needle = CaselessSearch.fold(Array(keyword.unicodeScalars))
                if CaselessSearch.occurrences(of: needle, in: haystack, limit: 1).isEmpty { missing.append(keyword) }
            }
            let found = keywords.count - missing.count
            let score = Double(found) / Double(keywords.count)
            if missing.isEmpty {
                return Check(pass: true, detail: "all \(keywords.count) keywords present")
            }
            return Check(
                pass: false, score: score,
                detail:
                    "\(found) of \(keywords.count) keywords present; missing \(missing.map { quoted($0) }.joined(separator: ", "))"
            )
        }
    }

    static let frequency = IFEvalVerifier(
        descriptor: VerifierDescriptor(
            id: "keywords:frequency", family: .keyword,
            parameters: [
                ParameterSpec("keyword", .string, summary: "the word to count (case-insensitive)"),
                Schema.count("frequency", "the threshold"),
                Schema.relation("relation"),
            ],
            summary: "The keyword appears less than / at least `frequency` times."),
        makeRule: { (p: Parameters) throws(VerifierError) -> any Rule in
            let keyword = PythonText.strip(try p.nonEmptyString("keyword"))
            guard !keyword.isEmpty else { throw p.invalid("keyword", "must not be blank") }
            return FrequencyRule(
                keyword: keyword, frequency: try p.count("frequency"), relation: try p.relation("relation"))
        })

    struct FrequencyRule: IFEvalRule {
        let keyword: String
        let frequency: Int
        let relation: Relation

        func evaluate(_ response: ResponseText) -> Check {
            let needle = CaselessSearch.fold(Array(keyword.unicodeScalars))
            let count = CaselessSearch.occurrences(of: needle, in: response.foldedScalars).count
            return relation.check(count, frequency, "occurrences of \(quoted(keyword))")
        }
    }

    static let forbiddenWords = IFEvalVerifier(
        descriptor: VerifierDescriptor(
            id: "keywords:forbidden_words", family: .keyword,
            parameters: [ParameterSpec("forbidden_words", .stringList, summary: "words that must not appear")],
            summary: "None of the forbidden words appears as a whole word (case-insensitive)."),
        makeRule: { (p: Parameters) throws(VerifierError) -> any Rule in
            guard let words = p.stringList("forbidden_words"), !words.isEmpty else {
                throw p.invalid("forbidden_words", "required and must not be empty")
            }
            return ForbiddenRule(words: Array(Set(words)).sorted())
        })

    struct ForbiddenRule: IFEvalRule {
        let words: [String]
        /// The words folded for `re.IGNORECASE`, once.
        let folded: [[Unicode.Scalar]]

        init(words: [String]) {
            self.words = words
            folded = words.map { CaselessSearch.fold(Array($0.unicodeScalars)) }
        }

        func evaluate(_ response: ResponseText) -> Check {
            let haystack = response.foldedScalars
            let original = response.scalars
            var present: [String] = []
            for (word, needle) in zip(words, folded) where Self.containsWholeWord(needle, haystack, original) {
                present.append(word)
            }
            if present.isEmpty { return Check(pass: true, detail: "none of \(words.count) forbidden words used") }
            return Check(
                pass: false, score: Double(words.count - present.count) / Double(words.count),
                detail: "uses forbidden \(present.map { quoted($0) }.joined(separator: ", "))")
        }

        /// `re.search(r"\b" + word + r"\b", text, re.IGNORECASE)`.
        static func containsWholeWord(
            _ needle: [Unicode.Scalar], _ haystack: [Unicode.Scalar], _ original: [Unicode.Scalar]
        ) -> Bool {
            let n = haystack.count
            let m = needle.count
            func boundary(_ p: Int) -> Bool {
                let before = p > 0 && PythonText.isWord(original[p - 1])
                let after = p < n && PythonText.isWord(original[p])
                return before != after
            }
            guard m > 0 else { return (0...n).contains(where: boundary) }
            guard m <= n else { return false }
            var from = 0
            while let i = PythonText.find(needle, in: haystack, from: from) {
                if boundary(i), boundary(i + m) { return true }
                from = i + 1
            }
            return false
        }
    }

    static let letterFrequency = IFEvalVerifier(
        descriptor: VerifierDescriptor(
            id: "keywords:letter_frequency", family: .keyword,
            parameters: [
                ParameterSpec("letter", .string, summary: "one ASCII letter (case-insensitive)"),
                Schema.count("let_frequency", "the threshold"),
                Schema.relation("let_relation"),
            ],
            summary: "A letter appears less than / at least `let_frequency` times."),
        makeRule: { (p: Parameters) throws(VerifierError) -> any Rule in
            let letter = try p.nonEmptyString("letter")
            let scalars = Array(letter.unicodeScalars)
            guard scalars.count == 1, scalars[0].isASCII,
                let lower = Optional(CaselessSearch.fold(scalars[0])), lower.value >= 0x61, lower.value <= 0x7A
            else { throw p.invalid("letter", "must be a single ASCII letter, got \(quoted(letter))") }
            return LetterRule(
                letter: lower, frequency: try p.count("let_frequency"), relation: try p.relation("let_relation"))
        })

    struct LetterRule: IFEvalRule {
        let letter: Unicode.Scalar
        let frequency: Int
        let relation: Relation

        func evaluate(_ response: ResponseText) -> Check {
            relation.check(Self.count(letter, in: response.scalars), frequency, "letter '\(letter)'")
        }

        /// `collections.Counter(text.lower())[letter]` for an ASCII lowercase letter.
        static func count(_ letter: Unicode.Scalar, in text: String) -> Int {
            count(letter, in: PythonText.scalars(of: text))
        }

        /// The same on the text's scalars, without lowering the text: ASCII compares directly; a
        /// non-ASCII code point counts for each `letter` in its full lowercase mapping (U+212A
        /// KELVIN SIGN lowers to "k", U+0130 to "i" + U+0307).
        static func count(_ letter: Unicode.Scalar, in scalars: [Unicode.Scalar]) -> Int {
            let lower = letter.value
            let upper = lower - 32
            return scalars.withUnsafeBufferPointer { s in
                var count = 0
                for i in 0..<s.count {
                    let v = s[i].value
                    if v < 0x80 {
                        count &+= v == lower || v == upper ? 1 : 0
                    } else if s[i].properties.changesWhenLowercased {
                        for m in s[i].properties.lowercaseMapping.unicodeScalars where m == letter { count += 1 }
                    }
                }
                return count
            }
        }
    }
}
