/// IFBench checks over the reference's rule-based sentences (``IFBenchSentences``).
enum IFBenchSentenceVerifiers {
    static let keyword = IFBenchSchema.verifier(
        "sentence:keyword", .keyword,
        "Sentence `N` (1-based; 0 means the last, as in the reference) contains `word` (case-insensitive substring).",
        parameters: [
            IFBenchSchema.string("word", "the keyword"),
            IFBenchSchema.integer("N", "which sentence"),
        ]
    ) { (p: Parameters) throws(VerifierError) -> any Rule in
        let word = try p.nonEmptyString("word")
        let n = try p.ifbenchCount("N")
        let needle = PythonText.lower(PyStr.scalars(word))
        return IFBenchRule { response in
            let sentences = IFBenchSentences.split(response.scalars)
            guard sentences.count >= n, !sentences.isEmpty else {
                return Check(pass: false, detail: "found \(sentences.count) sentences, so there is no sentence \(n)")
            }
            let sentence = n == 0 ? sentences[sentences.count - 1] : sentences[n - 1]
            let pass = PyStr.contains(PythonText.lower(sentence), needle)
            return Check(
                pass: pass,
                detail: pass
                    ? "sentence \(n) contains \(quoted(word))" : "sentence \(n) does not contain \(quoted(word))")
        }
    }

    /// Words of a sentence once ASCII punctuation is removed.
    private static func wordCount(_ sentence: [Unicode.Scalar]) -> Int {
        PyStr.split(PyStr.removePunctuation(sentence)).count
    }

    static let increment = IFBenchSchema.verifier(
        "sentence:increment", .length,
        "Each sentence has exactly `small_n` more words than the one before (ASCII punctuation removed).",
        parameters: [IFBenchSchema.integer("small_n", "the increment")]
    ) { (p: Parameters) throws(VerifierError) -> any Rule in
        let step = try p.ifbenchCount("small_n")
        return IFBenchRule { response in
            let sentences = IFBenchSentences.split(response.scalars)
            guard let first = sentences.first else { return Check(pass: false, detail: "no sentences") }
            var previous = wordCount(first)
            for (index, sentence) in sentences.enumerated().dropFirst() {
                let count = wordCount(sentence)
                if count != previous + step {
                    return Check(
                        pass: false,
                        detail:
                            "sentence \(index + 1) has \(count) words, need \(previous + step) (\(step) more than the one before)"
                    )
                }
                previous = count
            }
            return Check(
                pass: true, detail: "\(sentences.count) sentences, each \(step) words longer than the one before")
        }
    }

    /// Sentences ending in `.`, `?` and `!`.
    private static func endings(_ sentences: [[Unicode.Scalar]]) -> (period: Int, question: Int, exclamation: Int) {
        var out = (0, 0, 0)
        for s in sentences {
            switch s.last {
            case ".": out.0 += 1
            case "?": out.1 += 1
            case "!": out.2 += 1
            default: break
            }
        }
        return out
    }

    static let sentenceType = IFBenchSchema.verifier(
        "ratio:sentence_type", .structure,
        "Twice as many sentences ending in \".\" as ending in \"?\"."
    ) { (_: Parameters) throws(VerifierError) -> any Rule in
        IFBenchRule { response in
            let e = endings(IFBenchSentences.split(response.scalars))
            return Check(
                pass: e.period == 2 * e.question,
                detail: "\(e.period) declarative and \(e.question) interrogative sentences, need a 2:1 ratio")
        }
    }

    static let sentenceBalance = IFBenchSchema.verifier(
        "ratio:sentence_balance", .structure,
        "As many sentences ending in \".\" as in \"?\" and in \"!\"."
    ) { (_: Parameters) throws(VerifierError) -> any Rule in
        IFBenchRule { response in
            let e = endings(IFBenchSentences.split(response.scalars))
            return Check(
                pass: e.period == e.question && e.question == e.exclamation,
                detail:
                    "\(e.period) declarative, \(e.question) interrogative, \(e.exclamation) exclamatory sentences, need equal counts"
            )
        }
    }

    static let sentenceWords = IFBenchSchema.verifier(
        "ratio:sentence_words", .structure,
        "Exactly three sentences, all with the same number of characters."
    ) { (_: Parameters) throws(VerifierError) -> any Rule in
        IFBenchRule { response in
            let sentences = IFBenchSentences.split(response.scalars)
            let lengths = sentences.map(\.count)
            guard sentences.count == 3 else {
                return Check(pass: false, detail: "found \(sentences.count) sentences, need exactly 3")
            }
            let pass = Set(lengths).count == 1
            return Check(pass: pass, detail: "sentence lengths \(lengths) characters, need three equal lengths")
        }
    }

    static let lastFirst = IFBenchSchema.verifier(
        "words:last_first", .content,
        "Each sentence starts with the word the previous sentence ended with (case-insensitive)."
    ) { (_: Parameters) throws(VerifierError) -> any Rule in
        IFBenchRule { response in
            let sentences = IFBenchSentences.split(response.scalars)
            if sentences.count >= 2 {
                for i in 0..<(sentences.count - 1) {
                    let end = PyStr.split(sentences[i][..<(lastKept(sentences[i]) + 1)])
                    let start = PyStr.split(dropLeading(sentences[i + 1]))
                    guard let last = end.last, let first = start.first else {
                        return Check(
                            pass: false, detail: "sentence \(i + 1) or \(i + 2) has no words (the reference fails it)")
                    }
                    if PythonText.lower(last) != PythonText.lower(first) {
                        return Check(
                            pass: false,
                            detail:
                                "sentence \(i + 2) starts with \(quoted(PythonText.string(first[...]))), not \(quoted(PythonText.string(last[...])))"
                        )
                    }
                }
            }
            return Check(
                pass: true, detail: "each of \(sentences.count) sentences starts with the previous one's last word")
        }
    }

    /// Index of the last scalar kept by `rstrip(string.punctuation + ' ')` (-1 when none).
    private static func lastKept(_ s: [Unicode.Scalar]) -> Int {
        var i = s.count - 1
        while i >= 0, PyStr.isPunctuationOrSpace(s[i]) { i -= 1 }
        return i
    }

    /// `lstrip(string.punctuation + ' ')`.
    private static func dropLeading(_ s: [Unicode.Scalar]) -> ArraySlice<Unicode.Scalar> {
        s.drop(while: PyStr.isPunctuationOrSpace)
    }

    static let noBulletsBullets = IFBenchSchema.verifier(
        "format:no_bullets_bullets", .format,
        "At least two sentences of prose, then at least two lines starting with `*` and nothing after them."
    ) { (_: Parameters) throws(VerifierError) -> any Rule in
        IFBenchRule { response in
            var prose = true
            var sentences = 0
            var bullets = 0
            for line in PyStr.lines(response.scalars) {
                let stripped = PyStr.stripSpace(line[...])
                if stripped.first == "*" {
                    prose = false
                    if sentences < 2 {
                        return Check(pass: false, detail: "a bullet comes after only \(sentences) sentences, need 2")
                    }
                    bullets += 1
                } else if prose {
                    sentences += IFBenchSentences.split(Array(stripped)).count
                } else {
                    return Check(pass: false, detail: "text follows the bullet points")
                }
            }
            return Check(
                pass: bullets >= 2, detail: "\(sentences) sentences then \(bullets) bullet points, need 2+ of each")
        }
    }

    static let alliterationIncrement = IFBenchSchema.verifier(
        "sentence:alliteration_increment", .content,
        "Each sentence has a higher alliteration score (adjacent words sharing a first letter) than the one before."
    ) { (_: Parameters) throws(VerifierError) -> any Rule in
        IFBenchRule { response in
            var previous = -1
            for (index, sentence) in IFBenchSentences.split(response.scalars).enumerated() {
                let words = PyStr.split(PythonText.lower(sentence)).map { $0.drop(while: PyStr.isPunctuationOrSpace) }
                    .filter { !$0.isEmpty }
                var score = 0
                var chained = false
                if words.count >= 2 {
                    for i in 0..<(words.count - 1) {
                        if words[i].first == words[i + 1].first {
                            score += chained ? 1 : 2
                            chained = true
                        } else {
                            chained = false
                        }
                    }
                }
                if score <= previous {
                    return Check(
                        pass: false,
                        detail:
                            "sentence \(index + 1) has alliteration \(score), not more than the \(previous) before it")
                }
                previous = score
            }
            return Check(pass: true, detail: "alliteration grows from sentence to sentence")
        }
    }

    static let emoji = IFBenchSchema.verifier(
        "format:emoji", .format,
        "Every sentence ends with an emoji (one of its last two characters once ASCII punctuation is removed, or the next sentence's first)."
    ) { (_: Parameters) throws(VerifierError) -> any Rule in
        IFBenchRule { response in
            let sentences = IFBenchSentences.split(response.scalars)
            func cleaned(_ s: [Unicode.Scalar]) -> ArraySlice<Unicode.Scalar> {
                PyStr.stripSpace(PyStr.removePunctuation(s)[...])
            }
            for (i, sentence) in sentences.enumerated() {
                let stripped = cleaned(sentence)
                guard let last = stripped.last else {
                    return Check(pass: false, detail: "sentence \(i + 1) is only punctuation")
                }
                let secondLast = stripped.count > 1 ? stripped[stripped.endIndex - 2] : last
                if EmojiTable.isEmoji(last) || EmojiTable.isEmoji(secondLast) { continue }
                if i < sentences.count - 1 {
                    let next = cleaned(sentences[i + 1])
                    guard let first = next.first else {
                        return Check(pass: false, detail: "sentence \(i + 2) is only punctuation")
                    }
                    if EmojiTable.isEmoji(first) { continue }
                }
                return Check(
                    pass: false,
                    score: Double(i) / Double(sentences.count),
                    detail: "sentence \(i + 1) \(quoted(PythonText.string(sentence[...]))) does not end with an emoji")
            }
            return Check(pass: true, detail: "all \(sentences.count) sentences end with an emoji")
        }
    }

    static let keywordSpecificPosition = IFBenchSchema.verifier(
        "words:keywords_specific_position", .keyword,
        "Word `m` (nltk `word_tokenize`) of sentence `n` is exactly `keyword` (case-sensitive).",
        parameters: [
            IFBenchSchema.string("keyword", "the keyword"),
            IFBenchSchema.integer("n", "which sentence (1-based)"),
            IFBenchSchema.integer("m", "which word of that sentence (1-based)"),
        ]
    ) { (p: Parameters) throws(VerifierError) -> any Rule in
        let keyword = PythonText.strip(try p.nonEmptyString("keyword"))
        let n = try p.ifbenchCount("n", minimum: 1)
        let m = try p.ifbenchCount("m", minimum: 1)
        return IFBenchRule { response in
            let sentences = IFBenchSentences.split(response.scalars)
            guard sentences.count >= n else {
                return Check(pass: false, detail: "found \(sentences.count) sentences, so there is no sentence \(n)")
            }
            let words = ResponseText(PythonText.string(sentences[n - 1][...])).treebankTokens
            guard words.count >= m else {
                return Check(pass: false, detail: "sentence \(n) has \(words.count) words, so there is no word \(m)")
            }
            let pass = words[m - 1] == keyword
            return Check(
                pass: pass, detail: "word \(m) of sentence \(n) is \(quoted(words[m - 1])), need \(quoted(keyword))")
        }
    }

    static let wordsPosition = IFBenchSchema.verifier(
        "words:words_position", .keyword,
        "The second word and the second-to-last word (nltk `word_tokenize`) are both exactly `keyword`.",
        parameters: [IFBenchSchema.string("keyword", "the keyword")]
    ) { (p: Parameters) throws(VerifierError) -> any Rule in
        guard let raw = p.string("keyword") else { throw p.invalid("keyword", "required but missing") }
        let keyword = PythonText.strip(raw)
        return IFBenchRule { response in
            let words = response.treebankTokens
            guard words.count >= 2 else { return Check(pass: false, detail: "fewer than 2 words") }
            let pass = words[1] == keyword && words[words.count - 2] == keyword
            return Check(
                pass: pass,
                detail:
                    "second word \(quoted(words[1])), second-to-last \(quoted(words[words.count - 2])), need \(quoted(keyword))"
            )
        }
    }
}
