/// `language:*`: the response's language (CLD2) and writing script (Unicode blocks of its letters).
enum NativeLanguageVerifiers {
    static let all: [any Verifier] = [response, script]

    static let response = NativeVerifier(
        "language:response", family: .language,
        summary: "the response is in the given language (CLD2, with a confidence threshold)",
        parameters: [
            ParameterSpec("language", .string, summary: "ISO 639-1 code, e.g. \"en\", \"fr\", \"zh\""),
            ParameterSpec(
                "min_percent", .integer, required: false, defaultValue: .integer(60),
                summary: "share of the letters CLD2 attributes to that language, 0–100"),
            ParameterSpec(
                "require_reliable", .boolean, required: false, defaultValue: .bool(false),
                summary: "also require CLD2 to call its guess reliable"),
        ]
    ) { parameters throws(VerifierError) in
        guard let raw = parameters.string("language"), !raw.isEmpty else {
            throw parameters.invalid("language", "required and must not be empty")
        }
        // A primary subtag of 2–3 letters, optionally a script/region subtag ("zh-Hant").
        let subtags = raw.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(subtags.count), (2...3).contains(subtags[0].count),
            subtags.allSatisfy({
                !$0.isEmpty && $0.unicodeScalars.allSatisfy { $0.isASCII && $0.properties.isAlphabetic }
            })
        else {
            throw parameters.invalid(
                "language", "expected a language code such as \"en\" or \"zh-Hant\", got \"\(raw)\"")
        }
        let language =
            LanguageDetector.isoCode(cld2: raw.lowercased() == "zh-hant" ? "zh-Hant" : raw.lowercased()) ?? ""
        let minPercent = parameters.integer("min_percent") ?? 60
        guard (0...100).contains(minPercent) else {
            throw parameters.invalid("min_percent", "must be 0 to 100, got \(minPercent)")
        }
        let requireReliable = parameters.bool("require_reliable") ?? false
        return ClosureRule { response in
            let guess = response.language
            guard let code = guess.code else {
                return Check(
                    pass: false, detail: "CLD2 could not tell the language (\(guess.scoredBytes) bytes of letters)")
            }
            let reliability = guess.isReliable ? "reliable" : "unreliable"
            let found = "detected \(code) (\(guess.percent)% of letters, \(reliability))"
            if code != language { return Check(pass: false, detail: "\(found), need \(language)") }
            if guess.percent < minPercent {
                return Check(
                    pass: false, score: Double(guess.percent) / Double(max(minPercent, 1)),
                    detail: "\(found), need at least \(minPercent)%")
            }
            if requireReliable && !guess.isReliable {
                return Check(pass: false, detail: "\(found), need a reliable guess")
            }
            return Check(pass: true, detail: found)
        }
    }

    /// Writing scripts by their main Unicode blocks.
    static let scripts: [String: [ClosedRange<UInt32>]] = [
        "latin": [
            0x41...0x5A, 0x61...0x7A, 0xAA...0xAA, 0xBA...0xBA, 0xC0...0xD6, 0xD8...0xF6, 0xF8...0x24F, 0x250...0x2AF,
            0x1E00...0x1EFF, 0x2C60...0x2C7F, 0xA720...0xA7FF, 0xAB30...0xAB6F, 0xFF21...0xFF3A, 0xFF41...0xFF5A,
        ],
        "greek": [0x370...0x3FF, 0x1F00...0x1FFF],
        "cyrillic": [0x400...0x52F, 0x1C80...0x1C8F, 0x2DE0...0x2DFF, 0xA640...0xA69F],
        "armenian": [0x530...0x58F],
        "hebrew": [0x590...0x5FF, 0xFB1D...0xFB4F],
        "arabic": [0x600...0x6FF, 0x750...0x77F, 0x8A0...0x8FF, 0xFB50...0xFDFF, 0xFE70...0xFEFF],
        "devanagari": [0x900...0x97F, 0xA8E0...0xA8FF],
        "bengali": [0x980...0x9FF],
        "tamil": [0xB80...0xBFF],
        "telugu": [0xC00...0xC7F],
        "thai": [0xE00...0xE7F],
        "georgian": [0x10A0...0x10FF, 0x2D00...0x2D2F],
        "hangul": [0x1100...0x11FF, 0x3130...0x318F, 0xA960...0xA97F, 0xAC00...0xD7AF, 0xD7B0...0xD7FF],
        "ethiopic": [0x1200...0x137F],
        "hiragana": [0x3040...0x309F],
        "katakana": [0x30A0...0x30FF, 0x31F0...0x31FF, 0xFF66...0xFF9F],
        "han": [
            0x2E80...0x2FDF, 0x3005...0x3005, 0x3007...0x3007, 0x3021...0x3029, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xF900...0xFAFF, 0x20000...0x3134F,
        ],
    ]

    /// Script groups: Japanese is written in kana and Han together.
    static let groups: [String: [String]] = ["japanese": ["hiragana", "katakana", "han"]]

    static let script = NativeVerifier(
        "language:script", family: .language,
        summary: "the response's letters are (mostly) in the given writing script",
        parameters: [
            ParameterSpec(
                "script", .string,
                allowedValues: (scripts.keys.sorted() + groups.keys.sorted()).map { .string($0) },
                summary: "the writing script"),
            ParameterSpec(
                "min_fraction", .number, required: false, defaultValue: .number(0.9),
                summary: "share of the letters that must be in the script, 0–1"),
        ]
    ) { parameters throws(VerifierError) in
        let name = parameters.string("script") ?? ""
        let members = groups[name] ?? [name]
        let ranges = members.flatMap { scripts[$0] ?? [] }
        guard !ranges.isEmpty else { throw parameters.invalid("script", "unknown script \"\(name)\"") }
        let minFraction = parameters.number("min_fraction") ?? 0.9
        guard minFraction > 0, minFraction <= 1 else {
            throw parameters.invalid("min_fraction", "must be in (0, 1], got \(minFraction)")
        }
        return ClosureRule { response in
            var letters = 0
            var inScript = 0
            for s in response.scalars where s.properties.isAlphabetic {
                letters += 1
                if ranges.contains(where: { $0.contains(s.value) }) { inScript += 1 }
            }
            guard letters > 0 else { return Check(pass: false, detail: "no letters found") }
            let fraction = Double(inScript) / Double(letters)
            let percent = Int((fraction * 100).rounded(.down))
            let need = Int((minFraction * 100).rounded())
            let pass = fraction >= minFraction
            return Check(
                pass: pass, score: pass ? 1 : fraction / minFraction,
                detail: "\(percent)% of \(letters) letters are \(name), need \(need)%")
        }
    }
}
