/// IFBench `count:*` and `ratio:overlap`: counts of words, numbers, conjunctions, pronouns,
/// punctuation marks and keywords, as IFBench's checkers count them.
enum IFBenchCountVerifiers {
    static let uniqueWordCount = IFBenchSchema.verifier(
        "count:unique_word_count", .length,
        "At least `N` distinct lowercased whitespace-separated words (ASCII punctuation stripped from each end).",
        parameters: [IFBenchSchema.integer("N", "the minimum number of distinct words")]
    ) { (p: Parameters) throws(VerifierError) -> any Rule in
        let n = try p.ifbenchCount("N")
        return IFBenchRule { response in
            var unique = Set<[Unicode.Scalar]>()
            for word in PyStr.split(response.lowercasedScalars) {
                unique.insert(Array(PyStr.stripPunctuation(word[...])))
            }
            let score = n == 0 ? 1 : min(1, Double(unique.count) / Double(n))
            return Check(
                pass: unique.count >= n, score: unique.count >= n ? 1 : score,
                detail: "found \(unique.count) distinct words, need at least \(n)")
        }
    }

    static let wordCountRange = IFBenchSchema.verifier(
        "count:word_count_range", .length,
        "Between `min_words` and `max_words` words (`\\w+` runs, `\\w` as nltk's `regex` engine defines it), inclusive.",
        parameters: [
            IFBenchSchema.integer("min_words", "the minimum number of words"),
            IFBenchSchema.integer("max_words", "the maximum number of words"),
        ]
    ) { (p: Parameters) throws(VerifierError) -> any Rule in
        let low = try p.ifbenchCount("min_words")
        let high = try p.ifbenchCount("max_words")
        return IFBenchRule { response in
            let count = UnicodeWords.count(response.scalars)
            let pass = low <= count && count <= high
            var score: Double? = nil
            if !pass { score = count < low ? Double(count) / Double(max(low, 1)) : Double(high) / Double(count) }
            return Check(pass: pass, score: score, detail: "found \(count) words, need between \(low) and \(high)")
        }
    }

    static let numbers = IFBenchSchema.verifier(
        "count:numbers", .content,
        "Exactly `N` numbers: runs of decimal digits once ASCII punctuation is removed (so 3.14 is one number).",
        parameters: [IFBenchSchema.integer("N", "the exact number of numbers")]
    ) { (p: Parameters) throws(VerifierError) -> any Rule in
        let n = try p.ifbenchCount("N")
        return IFBenchRule { response in
            var count = 0
            var inRun = false
            for c in response.scalars where !PyStr.isPunctuation(c) {
                let digit = PythonText.isDecimal(c)
                if digit, !inRun { count += 1 }
                inRun = digit
            }
            return Check(pass: count == n, detail: "found \(count) numbers, need exactly \(n)")
        }
    }

    static let conjunctions = IFBenchSchema.verifier(
        "count:conjunctions", .keyword,
        "At least `small_n` different coordinating conjunctions (and, but, for, nor, or, so, yet); different spellings of a word count separately, as in the reference.",
        parameters: [IFBenchSchema.integer("small_n", "the minimum number of different conjunctions")]
    ) { (p: Parameters) throws(VerifierError) -> any Rule in
        let n = try p.ifbenchCount("small_n")
        let set: Set<String> = ["and", "but", "for", "nor", "or", "so", "yet"]
        return IFBenchRule { response in
            var found = Set<[Unicode.Scalar]>()
            for word in PyStr.split(response.scalars) {
                let key = PythonText.string(PythonText.lower(Array(PyStr.stripPunctuation(word[...])))[...])
                if set.contains(key) { found.insert(word) }
            }
            let names = found.map { PythonText.string($0[...]) }.sorted()
            return Check(
                pass: found.count >= n,
                score: found.count >= n ? 1 : Double(found.count) / Double(max(n, 1)),
                detail: "found \(found.count) different conjunctions \(names), need at least \(n)")
        }
    }

    static let pronouns = IFBenchSchema.verifier(
        "count:pronouns", .keyword,
        "At least `N` personal pronouns (I, me, my, … themselves; `/` separates words, ASCII punctuation is removed).",
        parameters: [IFBenchSchema.integer("N", "the minimum number of pronouns")]
    ) { (p: Parameters) throws(VerifierError) -> any Rule in
        let n = try p.ifbenchCount("N")
        let pronouns: Set<String> = [
            "i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves", "you", "your", "yours",
            "yourself", "yourselves", "he", "him", "his", "himself", "she", "her", "hers", "herself", "it", "its",
            "itself", "they", "them", "their", "theirs", "themselves",
        ]
        return IFBenchRule { response in
            let text = PythonText.lower(response.scalars.map { $0 == "/" ? " " : $0 })
            let count = PyStr.split(PyStr.removePunctuation(text)).filter {
                pronouns.contains(PythonText.string($0[...]))
            }.count
            return Check(
                pass: count >= n, score: count >= n ? 1 : Double(count) / Double(max(n, 1)),
                detail: "found \(count) pronouns, need at least \(n)")
        }
    }

    static let punctuation = IFBenchSchema.verifier(
        "count:punctuation", .format,
        "Uses . , ! ? ; : and an interrobang (`?!`, `!?` or `‽`); the interrobang's own marks do not count.",
    ) { (_: Parameters) throws(VerifierError) -> any Rule in
        IFBenchRule { response in
            let s = response.scalars
            let hasInterrobang =
                PyStr.contains(s, ["!", "?"]) || PyStr.contains(s, ["?", "!"]) || s.contains("‽")
            guard hasInterrobang else { return Check(pass: false, detail: "no interrobang (?!, !? or ‽)") }
            // value.replace('?!', '', 1), else value.replace('!?', '', 1)
            var rest = s
            if let i = PyStr.firstIndex(of: ["?", "!"], in: s) {
                rest.removeSubrange(i..<(i + 2))
            } else if let i = PyStr.firstIndex(of: ["!", "?"], in: s) {
                rest.removeSubrange(i..<(i + 2))
            }
            var missing: [Unicode.Scalar] = [".", ",", "!", "?", ";", ":"]
            for c in rest { missing.removeAll { $0 == c } }
            let score = Double(6 - missing.count) / 6
            return Check(
                pass: missing.isEmpty, score: missing.isEmpty ? 1 : score,
                detail: missing.isEmpty
                    ? "all of . , ! ? ; : and an interrobang are used"
                    : "missing \(missing.map { "\"\($0)\"" }.joined(separator: " "))")
        }
    }

    static let keywordsMultiple = IFBenchSchema.verifier(
        "count:keywords_multiple", .keyword,
        "`keyword1` once, `keyword2` twice, `keyword3` three times, `keyword4` five times, `keyword5` seven times (case-insensitive substring counts).",
        parameters: (1...5).map { IFBenchSchema.string("keyword\($0)", "a keyword") }
    ) { (p: Parameters) throws(VerifierError) -> any Rule in
        var keywords: [(String, [Unicode.Scalar], Int)] = []
        for (index, times) in [1, 2, 3, 5, 7].enumerated() {
            let name = "keyword\(index + 1)"
            guard let raw = p.string(name) else { throw p.invalid(name, "required but missing") }
            let stripped = PythonText.strip(raw)
            keywords.append((stripped, PythonText.lower(PyStr.scalars(stripped)), times))
        }
        let wanted = keywords
        return IFBenchRule { response in
            let text = response.lowercasedScalars
            var wrong: [String] = []
            var good = 0
            for (word, folded, times) in wanted {
                let count = PyStr.count(folded, in: text)
                if count == times { good += 1 } else { wrong.append("\(quoted(word)) \(count)x, need \(times)x") }
            }
            return Check(
                pass: wrong.isEmpty, score: Double(good) / 5,
                detail: wrong.isEmpty
                    ? "every keyword appears the required number of times" : wrong.joined(separator: "; "))
        }
    }

    static let wordsJapanese = IFBenchSchema.verifier(
        "count:words_japanese", .language,
        "Every `N`th whitespace-separated word (unless it is empty or all digits once ASCII punctuation is stripped) contains kana or a CJK ideograph.",
        parameters: [IFBenchSchema.integer("N", "the period (every Nth word)")]
    ) { (p: Parameters) throws(VerifierError) -> any Rule in
        let n = try p.ifbenchCount("N", minimum: 1)
        return IFBenchRule { response in
            let words = PyStr.split(response.scalars)
            var checked = 0
            for (i, word) in words.enumerated() where (i + 1) % n == 0 {
                let w = PyStr.stripPunctuation(word[...])
                guard !w.isEmpty, !PyStr.isDigits(w) else { continue }
                checked += 1
                let japanese = w.contains {
                    (0x3040...0x30FF).contains($0.value) || (0x4E00...0x9FFF).contains($0.value)
                }
                if !japanese {
                    return Check(
                        pass: false,
                        detail: "word \(i + 1) \(quoted(PythonText.string(word[...]))) is not Japanese")
                }
            }
            return Check(pass: true, detail: "all \(checked) checked words (every \(n)th) are Japanese")
        }
    }

    static let overlap = IFBenchSchema.verifier(
        "ratio:overlap", .content,
        "The share of the response's distinct character trigrams found in `reference_text` is within ±2 points of `percentage`.",
        parameters: [
            IFBenchSchema.string("reference_text", "the reference text"),
            ParameterSpec("percentage", .number, summary: "the target overlap in percent"),
        ]
    ) { (p: Parameters) throws(VerifierError) -> any Rule in
        guard let reference = p.string("reference_text") else {
            throw p.invalid("reference_text", "required but missing")
        }
        guard let percentage = p.number("percentage"), percentage >= 0 else {
            throw p.invalid("percentage", "required and must be >= 0 (the reference draws a random value otherwise)")
        }
        let referenceTrigrams = Trigrams.of(PyStr.scalars(reference))
        return IFBenchRule { response in
            let mine = Trigrams.of(response.scalars)
            guard !mine.isEmpty else {
                return Check(pass: false, detail: "the response has no character trigrams (the reference fails it)")
            }
            let shared = mine.intersection(referenceTrigrams).count
            let value = Double(shared) / Double(mine.count) * 100
            let pass = percentage - 2 <= value && value <= percentage + 2
            return Check(
                pass: pass,
                detail: "trigram overlap \((value * 100).rounded() / 100)%, need \(percentage)% ± 2")
        }
    }

    /// Sets of character trigrams (`set(nltk.ngrams(text, 3))`).
    enum Trigrams {
        struct Key: Hashable { let a: UInt32, b: UInt32, c: UInt32 }

        static func of(_ s: [Unicode.Scalar]) -> Set<Key> {
            var out = Set<Key>()
            guard s.count >= 3 else { return out }
            for i in 0...(s.count - 3) { out.insert(Key(a: s[i].value, b: s[i + 1].value, c: s[i + 2].value)) }
            return out
        }
    }
}

/// `\w+` runs as nltk's `RegexpTokenizer` finds them: nltk compiles its patterns with the
/// third-party `regex` engine, whose `\w` is Unicode's word class (Alphabetic, marks, decimal
/// digits, connector punctuation, join controls), so `ಹಿಸ್ಟೋರಿ` is one word, not four as with
/// the standard `re` module's `\w` (which leaves out combining marks).
enum UnicodeWords {
    @inline(__always)
    static func isWord(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 {
            return (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x5F
        }
        let p = s.properties
        if p.isAlphabetic || p.isJoinControl { return true }
        switch p.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation: return true
        default: return false
        }
    }

    /// The number of maximal runs of word characters.
    static func count(_ s: [Unicode.Scalar]) -> Int {
        var count = 0
        var inWord = false
        for c in s {
            let word = isWord(c)
            if word && !inWord { count += 1 }
            inWord = word
        }
        return count
    }
}

extension IFBenchCountVerifiers {
    static let stopWords = IFBenchSchema.verifier(
        "ratio:stop_words", .content,
        "Stop words (nltk's English list) are at most `percentage`% of the `\\w+` words.",
        parameters: [ParameterSpec("percentage", .number, summary: "the maximum share of stop words, in percent")]
    ) { (p: Parameters) throws(VerifierError) -> any Rule in
        guard let percentage = p.number("percentage"), percentage >= 0 else {
            throw p.invalid("percentage", "required and must be >= 0 (the reference draws a random value otherwise)")
        }
        return IFBenchRule { response in
            let s = response.scalars
            var words = 0
            var stop = 0
            var i = 0
            while i < s.count {
                guard UnicodeWords.isWord(s[i]) else {
                    i += 1
                    continue
                }
                let start = i
                while i < s.count, UnicodeWords.isWord(s[i]) { i += 1 }
                words += 1
                if i - start <= 10,
                    StopWords.english.contains(PythonText.string(PythonText.lower(Array(s[start..<i]))[...]))
                {
                    stop += 1
                }
            }
            guard words > 0 else { return Check(pass: false, detail: "no words (the reference divides by zero)") }
            let share = Double(stop) / Double(words) * 100
            return Check(
                pass: share <= percentage,
                detail:
                    "\(stop) of \(words) words are stop words (\((share * 100).rounded() / 100)%), at most \(percentage)% allowed"
            )
        }
    }

    /// nltk's English stop words without apostrophes: the tokens are `\w+` runs, so the list's
    /// contractions ("don't", "you're", …) can never match and are left out; this part of the
    /// list is the same in the 179- and 198-word versions of nltk_data.
    enum StopWords {
        static let english: Set<String> = [
            "i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you", "your", "yours", "yourself",
            "yourselves", "he", "him", "his", "himself", "she", "her", "hers", "herself", "it", "its", "itself",
            "they", "them", "their", "theirs", "themselves", "what", "which", "who", "whom", "this", "that",
            "these", "those", "am", "is", "are", "was", "were", "be", "been", "being", "have", "has", "had",
            "having", "do", "does", "did", "doing", "a", "an", "the", "and", "but", "if", "or", "because", "as",
            "until", "while", "of", "at", "by", "for", "with", "about", "against", "between", "into", "through",
            "during", "before", "after", "above", "below", "to", "from", "up", "down", "in", "out", "on", "off",
            "over", "under", "again", "further", "then", "once", "here", "there", "when", "where", "why", "how",
            "all", "any", "both", "each", "few", "more", "most", "other", "some", "such", "no", "nor", "not",
            "only", "own", "same", "so", "than", "too", "very", "s", "t", "can", "will", "just", "don", "should",
            "now", "d", "ll", "m", "o", "re", "ve", "y", "ain", "aren", "couldn", "didn", "doesn", "hadn", "hasn",
            "haven", "isn", "ma", "mightn", "mustn", "needn", "shan", "shouldn", "wasn", "weren", "won", "wouldn",
        ]
    }
}
