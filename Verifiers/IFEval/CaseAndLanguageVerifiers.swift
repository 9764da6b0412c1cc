/// `language:response_language` and `change_case:*`.
enum CaseAndLanguageVerifiers {
    /// The ISO 639-1 codes IFEval's `language` kwarg takes.
    static let languageCodes = [
        "en", "es", "pt", "ar", "hi", "fr", "ru", "de", "ja", "it", "bn", "uk", "th", "ur", "ta", "te", "bg",
        "ko", "pl", "he", "fa", "vi", "ne", "sw", "kn", "mr", "gu", "pa", "ml", "fi",
    ]

    /// The language check shared by three ids: the reference's detector (langdetect with seed 0,
    /// ported in ``LangDetect``) must name `expected`. Like the reference, text in which it finds no
    /// features at all passes.
    static func languageCheck(_ response: ResponseText, expected: String) -> Check {
        guard let code = response.referenceLanguage else {
            return Check(pass: true, detail: "no letters to detect a language from")
        }
        return Check(pass: code == expected, detail: "detected language \(code), need \(expected)")
    }

    static let responseLanguage = IFEvalVerifier(
        descriptor: VerifierDescriptor(
            id: "language:response_language", family: .language,
            parameters: [
                ParameterSpec(
                    "language", .string, allowedValues: languageCodes.map(ConstraintValue.string),
                    summary: "ISO 639-1 code of the required language")
            ],
            summary: "The whole response is in the given language (langdetect, as the reference)."),
        makeRule: { (p: Parameters) throws(VerifierError) -> any Rule in
            LanguageRule(language: try p.nonEmptyString("language"))
        })

    struct LanguageRule: IFEvalRule {
        let language: String

        func evaluate(_ response: ResponseText) -> Check {
            CaseAndLanguageVerifiers.languageCheck(response, expected: language)
        }
    }

    static let englishCapital = IFEvalVerifier(
        descriptor: VerifierDescriptor(
            id: "change_case:english_capital", family: .language,
            summary: "The whole response is English and in capital letters (Python `str.isupper`)."),
        makeRule: { (_: Parameters) throws(VerifierError) -> any Rule in CaseRule(upper: true) })

    static let englishLowercase = IFEvalVerifier(
        descriptor: VerifierDescriptor(
            id: "change_case:english_lowercase", family: .language,
            summary: "The whole response is English and in lowercase letters (Python `str.islower`)."),
        makeRule: { (_: Parameters) throws(VerifierError) -> any Rule in CaseRule(upper: false) })

    struct CaseRule: IFEvalRule {
        let upper: Bool

        func evaluate(_ response: ResponseText) -> Check {
            let cased = upper ? PythonText.isUpper(response.scalars) : PythonText.isLower(response.scalars)
            guard cased else {
                return Check(
                    pass: false, detail: upper ? "not all letters are capitals" : "not all letters are lowercase")
            }
            let language = CaseAndLanguageVerifiers.languageCheck(response, expected: "en")
            return Check(
                pass: language.pass, score: language.pass ? 1 : 0.5,
                detail: (upper ? "all capitals; " : "all lowercase; ") + language.detail)
        }
    }

    static let capitalWordFrequency = IFEvalVerifier(
        descriptor: VerifierDescriptor(
            id: "change_case:capital_word_frequency", family: .language,
            parameters: [Schema.count("capital_frequency", "the threshold"), Schema.relation("capital_relation")],
            summary:
                "Words in all capitals (nltk `word_tokenize` tokens) appear less than / at least `capital_frequency` times."
        ),
        makeRule: { (p: Parameters) throws(VerifierError) -> any Rule in
            CapitalWordsRule(threshold: try p.count("capital_frequency"), relation: try p.relation("capital_relation"))
        })

    struct CapitalWordsRule: IFEvalRule {
        let threshold: Int
        let relation: Relation

        func evaluate(_ response: ResponseText) -> Check {
            let count = TreebankWordTokenizer.uppercaseTokenCount(response.scalars, sentences: response.sentenceRanges)
            return relation.check(count, threshold, "words in all capitals")
        }
    }
}

/// `combination:*`, `startend:*` and `punctuation:no_comma`.
enum StructureVerifiers {
    static let twoResponses = IFEvalVerifier(
        descriptor: VerifierDescriptor(
            id: "combination:two_responses", family: .structure,
            summary: "Two different responses separated by six asterisks: ******."),
        makeRule: { (_: Parameters) throws(VerifierError) -> any Rule in TwoResponsesRule() })

    struct TwoResponsesRule: IFEvalRule {
        /// Python's `text.split("******")`.
        static func split(_ s: [Unicode.Scalar]) -> [String] {
            let separator: [Unicode.Scalar] = ["*", "*", "*", "*", "*", "*"]
            var parts: [String] = []
            var start = 0
            while let at = PythonText.find(separator, in: s, from: start) {
                parts.append(PythonText.string(s[start..<at]))
                start = at + 6
            }
            parts.append(PythonText.string(s[start...]))
            return parts
        }

        func evaluate(_ response: ResponseText) -> Check {
            let parts = Self.split(response.scalars)
            var valid: [String] = []
            for (index, part) in parts.enumerated() {
                if PythonText.isBlank(part) {
                    if index != 0 && index != parts.count - 1 {
                        return Check(pass: false, detail: "an empty response between ****** separators")
                    }
                } else {
                    valid.append(part)
                }
            }
            guard valid.count == 2 else {
                return Check(pass: false, detail: "found \(valid.count) responses separated by ******, need 2")
            }
            guard PythonText.strip(valid[0]) != PythonText.strip(valid[1]) else {
                return Check(pass: false, detail: "the two responses are identical")
            }
            return Check(pass: true, detail: "two different responses")
        }
    }

    static let repeatPrompt = IFEvalVerifier(
        descriptor: VerifierDescriptor(
            id: "combination:repeat_prompt", family: .structure,
            parameters: [ParameterSpec("prompt_to_repeat", .string, summary: "the request to repeat first")],
            summary: "The response starts by repeating the request word for word (case-insensitive)."),
        makeRule: { (p: Parameters) throws(VerifierError) -> any Rule in
            RepeatRule(prompt: PythonText.lower(PythonText.strip(try p.nonEmptyString("prompt_to_repeat"))))
        })

    struct RepeatRule: IFEvalRule {
        let prompt: String
        /// The prompt's scalars.
        let want: [Unicode.Scalar]

        init(prompt: String) {
            self.prompt = prompt
            want = Array(prompt.unicodeScalars)
        }

        func evaluate(_ response: ResponseText) -> Check {
            let s = response.scalars
            let range = PythonText.stripRange(s, 0..<s.count)
            // Lowercase only as much of the response as the comparison needs.
            var lowered: [Unicode.Scalar] = []
            lowered.reserveCapacity(want.count + 2)
            var i = range.lowerBound
            while lowered.count < want.count, i < range.upperBound {
                PythonText.appendLower(s[i], to: &lowered)
                i += 1
            }
            let pass = lowered.count >= want.count && lowered[..<want.count].elementsEqual(want)
            return Check(
                pass: pass,
                detail: pass ? "starts with the request" : "does not start with the request \(quoted(prompt))")
        }
    }

    static let endChecker = IFEvalVerifier(
        descriptor: VerifierDescriptor(
            id: "startend:end_checker", family: .structure,
            parameters: [ParameterSpec("end_phrase", .string, summary: "the exact closing phrase")],
            summary: "The response ends with the phrase (case-insensitive, ignoring surrounding quotes)."),
        makeRule: { (p: Parameters) throws(VerifierError) -> any Rule in
            let phrase = PythonText.strip(try p.nonEmptyString("end_phrase"))
            guard !phrase.isEmpty else { throw p.invalid("end_phrase", "must not be blank") }
            return EndRule(phrase: PythonText.lower(phrase))
        })

    struct EndRule: IFEvalRule {
        let phrase: String
        /// The phrase's scalars, last first.
        let reversed: [Unicode.Scalar]

        init(phrase: String) {
            self.phrase = phrase
            reversed = Array(phrase.unicodeScalars.reversed())
        }

        func evaluate(_ response: ResponseText) -> Check {
            let s = response.scalars
            var range = PythonText.stripRange(s, 0..<s.count)
            while !range.isEmpty, s[range.lowerBound] == "\"" { range = (range.lowerBound + 1)..<range.upperBound }
            while !range.isEmpty, s[range.upperBound - 1] == "\"" { range = range.lowerBound..<(range.upperBound - 1) }
            // Lowercase only as much of the end as the comparison needs, collected last first.
            var lowered: [Unicode.Scalar] = []
            lowered.reserveCapacity(reversed.count + 2)
            var piece: [Unicode.Scalar] = []
            var i = range.upperBound
            while lowered.count < reversed.count, i > range.lowerBound {
                i -= 1
                piece.removeAll(keepingCapacity: true)
                PythonText.appendLower(s[i], to: &piece)
                lowered.append(contentsOf: piece.reversed())
            }
            let pass = lowered.count >= reversed.count && lowered[..<reversed.count].elementsEqual(reversed)
            return Check(
                pass: pass, detail: pass ? "ends with \(quoted(phrase))" : "does not end with \(quoted(phrase))")
        }
    }

    static let quotation = IFEvalVerifier(
        descriptor: VerifierDescriptor(
            id: "startend:quotation", family: .structure,
            summary: "The whole response is wrapped in double quotation marks."),
        makeRule: { (_: Parameters) throws(VerifierError) -> any Rule in QuotationRule() })

    struct QuotationRule: IFEvalRule {
        func evaluate(_ response: ResponseText) -> Check {
            let s = response.scalars
            let range = PythonText.stripRange(s, 0..<s.count)
            let pass = range.count > 1 && s[range.lowerBound] == "\"" && s[range.upperBound - 1] == "\""
            return Check(pass: pass, detail: pass ? "wrapped in double quotes" : "not wrapped in double quotes")
        }
    }

    static let noComma = IFEvalVerifier(
        descriptor: VerifierDescriptor(
            id: "punctuation:no_comma", family: .format, summary: "The response contains no comma."),
        makeRule: { (_: Parameters) throws(VerifierError) -> any Rule in NoCommaRule() })

    struct NoCommaRule: IFEvalRule {
        func evaluate(_ response: ResponseText) -> Check {
            let count = PythonText.countByte(UInt8(ascii: ","), in: response.text)
            return Check(pass: count == 0, detail: count == 0 ? "no commas" : "found \(count) commas")
        }
    }
}
