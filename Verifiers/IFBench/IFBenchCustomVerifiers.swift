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
                pass: pass, detail: pass ? "exactly the multiples of 7 from 14 to 49" : "found the numbers \(found.prefix(12))")
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
                pass: pass, detail: pass ? "read backwards it is one sentence naming the bald eagle" : "read backwards it is not a single sentence")
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
                        detail: "sentence \(i + 1) starts with \(quoted(PythonText.string(word[...]))), need a word starting with \"\(letter)\"")
                }
            }
            return Check(pass: true, detail: "26 sentences from a to z")
        }
    }
}
