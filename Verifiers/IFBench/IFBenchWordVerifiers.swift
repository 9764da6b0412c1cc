/// IFBench `words:*`: letters, lengths and repetitions of whitespace-separated words.
enum IFBenchWordVerifiers {
    static let consonants = IFBenchSchema.verifier(
        "words:consonants", .content,
        "Every whitespace-separated word has two adjacent ASCII consonants (b c d f … z), after lowercasing."
    ) { (_: Parameters) throws(VerifierError) -> any Rule in
        IFBenchRule { response in
            let consonants = Set("bcdfghjklmnpqrstvwxyz".unicodeScalars)
            let words = PyStr.split(response.lowercasedScalars)
            for word in words {
                var cluster = false
                if word.count >= 2 {
                    for i in 0..<(word.count - 1) where consonants.contains(word[i]) && consonants.contains(word[i + 1])
                    {
                        cluster = true
                        break
                    }
                }
                if !cluster {
                    return Check(
                        pass: false, detail: "\(quoted(PythonText.string(word[...]))) has no consonant cluster")
                }
            }
            return Check(pass: true, detail: "all \(words.count) words have a consonant cluster")
        }
    }

    static let paragraphLastFirst = IFBenchSchema.verifier(
        "words:paragraph_last_first", .structure,
        "Every non-blank line starts and ends with the same word (case-insensitive, ASCII punctuation stripped at the ends)."
    ) { (_: Parameters) throws(VerifierError) -> any Rule in
        IFBenchRule { response in
            for (index, line) in PyStr.lines(response.scalars).enumerated() {
                let paragraph = PythonText.lower(Array(PyStr.stripSpace(line[...])))
                if paragraph.isEmpty { continue }
                let words = PyStr.split(PyStr.stripPunctuation(paragraph[...]))
                guard let first = words.first, let last = words.last else {
                    return Check(pass: false, detail: "line \(index + 1) has no words once punctuation is stripped")
                }
                if first != last {
                    return Check(
                        pass: false,
                        detail:
                            "line \(index + 1) starts with \(quoted(PythonText.string(first[...]))) but ends with \(quoted(PythonText.string(last[...])))"
                    )
                }
            }
            return Check(pass: true, detail: "every paragraph starts and ends with the same word")
        }
    }

    static let noConsecutive = IFBenchSchema.verifier(
        "words:no_consecutive", .content,
        "No two consecutive words start with the same letter (lowercased, ASCII punctuation removed)."
    ) { (_: Parameters) throws(VerifierError) -> any Rule in
        IFBenchRule { response in
            let words = PyStr.split(PyStr.removePunctuation(response.lowercasedScalars))
            if words.count >= 2 {
                for i in 0..<(words.count - 1) where words[i][0] == words[i + 1][0] {
                    return Check(
                        pass: false,
                        detail:
                            "\(quoted(PythonText.string(words[i][...]))) and \(quoted(PythonText.string(words[i + 1][...]))) start with the same letter"
                    )
                }
            }
            return Check(pass: true, detail: "no two consecutive words share their first letter")
        }
    }

    static let palindrome = IFBenchSchema.verifier(
        "words:palindrome", .content,
        "At least 10 palindromic words of 5 or more letters (lowercased, ASCII punctuation removed; repeats count)."
    ) { (_: Parameters) throws(VerifierError) -> any Rule in
        IFBenchRule { response in
            let words = PyStr.split(PythonText.lower(PyStr.removePunctuation(response.scalars)))
            let count = words.filter { $0.count >= 5 && $0 == $0.reversed() }.count
            return Check(
                pass: count >= 10, score: min(1, Double(count) / 10),
                detail: "found \(count) palindromes of length >= 5, need at least 10")
        }
    }

    static let primeLengths = IFBenchSchema.verifier(
        "words:prime_lengths", .length,
        "Every word (ASCII punctuation removed) has a prime number of characters (below 100)."
    ) { (_: Parameters) throws(VerifierError) -> any Rule in
        IFBenchRule { response in
            let primes: Set<Int> = [
                2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97,
            ]
            let words = PyStr.split(PyStr.removePunctuation(response.scalars))
            let bad = words.filter { !primes.contains($0.count) }
            if let first = bad.first {
                return Check(
                    pass: false, score: Double(words.count - bad.count) / Double(words.count),
                    detail:
                        "\(bad.count) words have a non-prime length, e.g. \(quoted(PythonText.string(first[...]))) (\(first.count))"
                )
            }
            return Check(pass: true, detail: "all \(words.count) words have a prime length")
        }
    }

    static let repeats = IFBenchSchema.verifier(
        "words:repeats", .keyword,
        "No word (lowercased, ASCII punctuation removed) is used more than `small_n` times.",
        parameters: [IFBenchSchema.integer("small_n", "the maximum number of uses of any word")]
    ) { (p: Parameters) throws(VerifierError) -> any Rule in
        let limit = try p.ifbenchCount("small_n")
        return IFBenchRule { response in
            var counts: [[Unicode.Scalar]: Int] = [:]
            for word in PyStr.split(PyStr.removePunctuation(response.lowercasedScalars)) {
                counts[word, default: 0] += 1
            }
            let over = counts.filter { $0.value > limit }.sorted { $0.value > $1.value }
            if let worst = over.first {
                return Check(
                    pass: false,
                    detail:
                        "\(over.count) words are used more than \(limit) times, e.g. \(quoted(PythonText.string(worst.key[...]))) \(worst.value) times"
                )
            }
            return Check(pass: true, detail: "no word is used more than \(limit) times")
        }
    }

    static let vowel = IFBenchSchema.verifier(
        "words:vowel", .content,
        "One line (after stripping) using at most three of the vowels a e i o u (case-insensitive)."
    ) { (_: Parameters) throws(VerifierError) -> any Rule in
        IFBenchRule { response in
            let lines = PyStr.lines(Array(PyStr.stripSpace(response.scalars[...])))
            guard lines.count == 1 else {
                return Check(pass: false, detail: "found \(lines.count) lines, need a single paragraph")
            }
            let used = Set(PythonText.lower(lines[0]).filter { "aeiou".unicodeScalars.contains($0) })
            return Check(
                pass: used.count <= 3,
                detail:
                    "uses \(used.count) vowels (\(String(String.UnicodeScalarView(used.sorted { $0.value < $1.value })))), at most 3 allowed"
            )
        }
    }

    static let alphabet = IFBenchSchema.verifier(
        "words:alphabet", .content,
        "Each word starts with the letter after the previous word's, looping from z to a (ASCII punctuation removed)."
    ) { (_: Parameters) throws(VerifierError) -> any Rule in
        IFBenchRule { response in
            let words = PyStr.split(PyStr.stripPunctuation(PyStr.removePunctuation(response.scalars)[...]))
            guard let first = words.first else { return Check(pass: false, detail: "no words") }
            let initial = PythonText.lower([first[0]])
            guard initial.count == 1, let letter = initial.first, ("a"..."z").contains(letter) else {
                return Check(pass: false, detail: "the first word does not start with a letter a–z")
            }
            var expected = letter.value
            for (offset, raw) in words.dropFirst().enumerated() {
                let word = PythonText.lower(Array(PyStr.stripPunctuation(raw[...])))
                if word.isEmpty { continue }
                expected = expected == 0x7A ? 0x61 : expected + 1
                if word[0].value != expected {
                    return Check(
                        pass: false,
                        detail:
                            "word \(offset + 2) \(quoted(PythonText.string(raw[...]))) should start with \"\(Unicode.Scalar(expected)!)\""
                    )
                }
            }
            return Check(pass: true, detail: "all \(words.count) words follow the alphabet")
        }
    }
}
