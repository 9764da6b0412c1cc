/// IFBench `custom:*`: instructions tied to one fixed task (the prompt is part of the id).
enum IFBenchCustomVerifiers {
    static let multiples = IFBenchSchema.verifier(
        "custom:multiples", .content,
        "The numbers in the response are exactly 14, 21, 28, 35, 42, 49 (the multiples of 7 from 14 to 50), in order."
    ) { (_: Parameters) throws(VerifierError) -> any Rule in
        let expected = stride(from: 14, to: 51, by: 7).map { Array(String($0).unicodeScalars) }
        return IFBenchRule { response in
            // value.replace(',', ', ') only separates digit runs; re.findall(r'\d+', …)
            var numbers: [[Unicode.Scalar]] = []
            var current: [Unicode.Scalar] = []
            for c in response.scalars {
                if PythonText.isDecimal(c) {
                    current.append(c)
                } else if !current.isEmpty {
                    numbers.append(current)
                    current = []
                }
            }
            if !current.isEmpty { numbers.append(current) }
            let found = numbers.map { PythonText.string($0[...]) }
            let pass = numbers == expected
            return Check(
                pass: pass,
                detail: pass ? "exactly the multiples of 7 from 14 to 49" : "found the numbers \(found.prefix(12))")
        }
    }

    static let characterReverse = IFBenchSchema.verifier(
        "custom:character_reverse", .content,
        "Contains \"elgae dlab\" (\"bald eagle\" reversed letter by letter), case-insensitive."
    ) { (_: Parameters) throws(VerifierError) -> any Rule in
        let needle = PyStr.scalars("elgae dlab")
        return IFBenchRule { response in
            let pass = PyStr.contains(response.lowercasedScalars, needle)
            return Check(pass: pass, detail: pass ? "contains \"elgae dlab\"" : "does not contain \"elgae dlab\"")
        }
    }

    static let wordReverse = IFBenchSchema.verifier(
        "custom:word_reverse", .content,
        "Read backwards word by word (lowercased, ASCII punctuation removed), the response contains \"bald eagle\" and is one sentence."
    ) { (_: Parameters) throws(VerifierError) -> any Rule in
        IFBenchRule { response in
            let cleaned = PyStr.removePunctuation(PyStr.stripSpace(response.lowercasedScalars[...]))
            let reversed = Array(PyStr.split(cleaned).reversed().joined(separator: [" "]))
            guard PyStr.contains(reversed, PyStr.scalars("bald eagle")) else {
                return Check(pass: false, detail: "read backwards, the response does not contain \"bald eagle\"")
            }
            let pass = IFBenchSentences.split(reversed).contains(reversed)
            return Check(
                pass: pass,
                detail: pass
                    ? "read backwards it is one sentence naming the bald eagle"
                    : "read backwards it is not a single sentence")
        }
    }

    static let sentenceAlphabet = IFBenchSchema.verifier(
        "custom:sentence_alphabet", .structure,
        "Exactly 26 sentences whose first words start with a, b, c, … z in order (case-insensitive)."
    ) { (_: Parameters) throws(VerifierError) -> any Rule in
        IFBenchRule { response in
            let sentences = IFBenchSentences.split(response.scalars)
            guard sentences.count == 26 else {
                return Check(pass: false, detail: "found \(sentences.count) sentences, need exactly 26")
            }
            for (i, sentence) in sentences.enumerated() {
                let letter = Unicode.Scalar(UInt8(97 + i))
                guard let word = PyStr.split(sentence).first else {
                    return Check(pass: false, detail: "sentence \(i + 1) is empty")
                }
                if PythonText.lower(word).first != letter {
                    return Check(
                        pass: false, score: Double(i) / 26,
                        detail:
                            "sentence \(i + 1) starts with \(quoted(PythonText.string(word[...]))), need a word starting with \"\(letter)\""
                    )
                }
            }
            return Check(pass: true, detail: "26 sentences from a to z")
        }
    }

    static let multipleChoiceQuestions = IFBenchSchema.verifier(
        "custom:mcq_count_length", .structure,
        "Starts with \"Question\"; exactly 4 questions (\"Question N\" labels), each with 5 options A–E, question texts strictly growing in length."
    ) { (_: Parameters) throws(VerifierError) -> any Rule in
        IFBenchRule { response in
            let s = response.scalars
            // value[value.find('Question'):] must be the whole response.
            guard s.starts(with: PyStr.scalars("Question")) else {
                return Check(
                    pass: false, detail: "the response does not start with \"Question\" (no explanation allowed)")
            }
            var questions = QuestionLabels.split(s).map { Array(PyStr.stripSpace($0[...])) }.filter { !$0.isEmpty }
            guard questions.count == 4 else {
                return Check(pass: false, detail: "found \(questions.count) questions, need 4")
            }
            var lengths: [Int] = []
            for (index, question) in questions.enumerated() {
                var text: [Unicode.Scalar] = []
                var options = 0
                var inOptions = false
                for line in PyStr.lines(question) {
                    let l = PyStr.stripSpace(line[...])
                    if QuestionLabels.isOption(Array(l)) {
                        options += 1
                        inOptions = true
                    } else if !inOptions {
                        text += [" "] + l
                    }
                }
                guard options == 5 else {
                    return Check(pass: false, detail: "question \(index + 1) has \(options) options, need 5")
                }
                lengths.append(PyStr.stripSpace(text[...]).count)
            }
            let growing = zip(lengths, lengths.dropFirst()).allSatisfy { $0 < $1 }
            return Check(
                pass: growing,
                detail: growing
                    ? "4 questions of 5 options, each longer than the last"
                    : "question lengths \(lengths) do not strictly grow")
        }
    }

    /// The reference's question and option patterns.
    enum QuestionLabels {
        /// `re.split(r'\n*(?:Question \d+[\.|\):;]?\s*)', value)`, with the reference's drop of a
        /// leading empty piece.
        static func split(_ s: [Unicode.Scalar]) -> [ArraySlice<Unicode.Scalar>] {
            let label = PyStr.scalars("Question ")
            var pieces: [ArraySlice<Unicode.Scalar>] = []
            var start = 0
            var i = 0
            while i < s.count {
                var j = i
                while j < s.count, s[j] == "\n" { j += 1 }
                var end: Int? = nil
                if s[j...].starts(with: label) {
                    var k = j + label.count
                    let digits = k
                    while k < s.count, PythonText.isDecimal(s[k]) { k += 1 }
                    if k > digits {
                        if k < s.count, ".|):;".unicodeScalars.contains(s[k]) { k += 1 }
                        while k < s.count, PythonText.isSpace(s[k].value) { k += 1 }
                        end = k
                    }
                }
                if let end {
                    pieces.append(s[start..<i])
                    start = end
                    i = end
                } else {
                    i += 1
                }
            }
            pieces.append(s[start...])
            if let first = pieces.first, first.isEmpty { pieces.removeFirst() }
            return pieces
        }

        /// `re.match(r'^[A-Ea-e][\.|\)]\s*\w+', line)`.
        static func isOption(_ l: [Unicode.Scalar]) -> Bool {
            guard l.count >= 3, "ABCDEabcde".unicodeScalars.contains(l[0]), ".|)".unicodeScalars.contains(l[1]) else {
                return false
            }
            var k = 2
            while k < l.count, PythonText.isSpace(l[k].value) { k += 1 }
            return k < l.count && PythonText.isWord(l[k])
        }
    }
}
