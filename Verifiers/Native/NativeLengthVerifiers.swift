/// `length:*`: counts of words, sentences, paragraphs, lines and characters with min/max/exact,
/// using the unicode-aware segmentation of ``TextSegmentation`` (not IFEval's quirks).
enum NativeLengthVerifiers {
    static let all: [any Verifier] = [
        counting("length:words", unit: "words", summary: "word count (unicode-aware; CJK characters count as words)") {
            TextSegmentation.words($0.scalars).count
        },
        counting("length:sentences", unit: "sentences", summary: "sentence count (unicode-aware, abbreviation-aware)") {
            TextSegmentation.sentences($0.scalars).count
        },
        counting(
            "length:paragraphs", unit: "paragraphs",
            summary: "paragraph count (blank lines or horizontal rules separate)"
        ) {
            TextSegmentation.paragraphs($0.scalars).count
        },
        counting("length:lines", unit: "lines", summary: "non-blank line count") {
            TextSegmentation.lines($0.scalars).count
        },
        NativeVerifier(
            "length:characters", family: .length, summary: "character count (grapheme clusters)",
            parameters: CountBounds.schema("characters") + [
                ParameterSpec(
                    "ignore_whitespace", .boolean, required: false, defaultValue: .bool(false),
                    summary: "do not count white space")
            ]
        ) { parameters throws(VerifierError) in
            let bounds = try CountBounds.read(parameters)
            let ignoreWhitespace = parameters.bool("ignore_whitespace") ?? false
            return ClosureRule { response in
                let count =
                    ignoreWhitespace
                    ? response.text.reduce(0) { $0 + ($1.isWhitespace ? 0 : 1) } : response.text.count
                return bounds.check(count, ignoreWhitespace ? "non-space characters" : "characters")
            }
        },
    ]

    private static func counting(
        _ id: String, unit: String, summary: String, count: @escaping @Sendable (ResponseText) -> Int
    ) -> NativeVerifier {
        NativeVerifier(id, family: .length, summary: summary, parameters: CountBounds.schema(unit)) {
            parameters throws(VerifierError) in
            let bounds = try CountBounds.read(parameters)
            return ClosureRule { response in bounds.check(count(response), unit) }
        }
    }
}
