/// `keyword:*`: keyword presence, absence, frequency and order; starts-with / ends-with.
///
/// Matching is case-insensitive by default (`case_sensitive: true` to change) and whole-word by
/// default: an occurrence must not touch a letter or digit on either side, so `cat` does not match
/// `concatenate` (`whole_word: false` to change). Phrases are matched literally.
enum NativeKeywordVerifiers {
    static let all: [any Verifier] = [allOf, anyOf, noneOf, frequency, order, startsWith, endsWith]

    private static let matchingSchema = [
        ParameterSpec(
            "case_sensitive", .boolean, required: false, defaultValue: .bool(false), summary: "match case exactly"),
        ParameterSpec(
            "whole_word", .boolean, required: false, defaultValue: .bool(true),
            summary: "a match must not touch a letter or digit"),
    ]

    private static let keywordsSchema =
        [
            ParameterSpec("keywords", .stringList, summary: "the keywords or phrases")
        ] + matchingSchema

    /// Validated keyword search settings.
    struct Matcher: Sendable {
        var keywords: [String]
        var needles: [[Unicode.Scalar]]
        var caseSensitive: Bool
        var wholeWord: Bool

        init(_ parameters: Parameters, keywordsField: String = "keywords") throws(VerifierError) {
            caseSensitive = parameters.bool("case_sensitive") ?? false
            wholeWord = parameters.bool("whole_word") ?? true
            if keywordsField == "keywords" {
                keywords = parameters.stringList("keywords") ?? []
                if keywords.isEmpty { throw parameters.invalid("keywords", "give at least one keyword") }
            } else {
                guard let keyword = parameters.string(keywordsField), !keyword.isEmpty else {
                    throw parameters.invalid(keywordsField, "required and must not be empty")
                }
                keywords = [keyword]
            }
            for keyword in keywords where keyword.unicodeScalars.allSatisfy(TextSegmentation.isSpace) {
                throw parameters.invalid(keywordsField, "keywords must not be blank")
            }
            let sensitive = caseSensitive
            needles = keywords.map { LiteralSearch.prepare(Array($0.unicodeScalars), caseSensitive: sensitive) }
        }

        func haystack(_ response: ResponseText) -> [Unicode.Scalar] {
            LiteralSearch.prepare(response.scalars, caseSensitive: caseSensitive)
        }

        func occurrences(_ k: Int, in haystack: [Unicode.Scalar], limit: Int = .max) -> [Int] {
            LiteralSearch.occurrences(of: needles[k], in: haystack, wholeWord: wholeWord, limit: limit)
        }
    }

    static let allOf = NativeVerifier(
        "keyword:all", family: .keyword, summary: "every keyword appears", parameters: keywordsSchema
    ) { parameters throws(VerifierError) in
        let matcher = try Matcher(parameters)
        return ClosureRule { response in
            let haystack = matcher.haystack(response)
            let missing = matcher.keywords.indices.filter { matcher.occurrences($0, in: haystack, limit: 1).isEmpty }
            let found = matcher.keywords.count - missing.count
            if missing.isEmpty { return Check(pass: true, detail: "found all \(found) keywords") }
            return Check(
                pass: false, score: Double(found) / Double(matcher.keywords.count),
                detail:
                    "found \(found) of \(matcher.keywords.count) keywords; missing \(missing.map { quoted(matcher.keywords[$0]) }.joined(separator: ", "))"
            )
        }
    }

    static let anyOf = NativeVerifier(
        "keyword:any", family: .keyword, summary: "at least one keyword appears", parameters: keywordsSchema
    ) { parameters throws(VerifierError) in
        let matcher = try Matcher(parameters)
        return ClosureRule { response in
            let haystack = matcher.haystack(response)
            if let hit = matcher.keywords.indices.first(where: {
                !matcher.occurrences($0, in: haystack, limit: 1).isEmpty
            }) {
                return Check(pass: true, detail: "found \(quoted(matcher.keywords[hit]))")
            }
            return Check(pass: false, detail: "found none of \(matcher.keywords.map(quoted).joined(separator: ", "))")
        }
    }

    static let noneOf = NativeVerifier(
        "keyword:none", family: .keyword, summary: "no keyword appears (forbidden words)", parameters: keywordsSchema
    ) { parameters throws(VerifierError) in
        let matcher = try Matcher(parameters)
        return ClosureRule { response in
            let haystack = matcher.haystack(response)
            let present = matcher.keywords.indices.filter { !matcher.occurrences($0, in: haystack, limit: 1).isEmpty }
            if present.isEmpty {
                return Check(pass: true, detail: "none of the \(matcher.keywords.count) forbidden keywords found")
            }
            return Check(
                pass: false, score: 1 - Double(present.count) / Double(matcher.keywords.count),
                detail: "found forbidden \(present.map { quoted(matcher.keywords[$0]) }.joined(separator: ", "))")
        }
    }

    static let frequency = NativeVerifier(
        "keyword:frequency", family: .keyword, summary: "how often one keyword appears",
        parameters: [ParameterSpec("keyword", .string, summary: "the keyword or phrase")]
            + CountBounds.schema("occurrences")
            + matchingSchema
    ) { parameters throws(VerifierError) in
        let matcher = try Matcher(parameters, keywordsField: "keyword")
        let bounds = try CountBounds.read(parameters)
        return ClosureRule { response in
            let count = matcher.occurrences(0, in: matcher.haystack(response)).count
            return bounds.check(count, "occurrences of \(quoted(matcher.keywords[0]))")
        }
    }

    static let order = NativeVerifier(
        "keyword:order", family: .keyword,
        summary: "keywords appear in the given order (first occurrences)", parameters: keywordsSchema
    ) { parameters throws(VerifierError) in
        let matcher = try Matcher(parameters)
        if matcher.keywords.count < 2 { throw parameters.invalid("keywords", "give at least two keywords to order") }
        return ClosureRule { response in
            let haystack = matcher.haystack(response)
            // Each keyword must occur after the previous one's occurrence.
            var position = 0
            for k in matcher.keywords.indices {
                let hits = matcher.occurrences(k, in: Array(haystack[position...]))
                guard let first = hits.first else {
                    let score = Double(k) / Double(matcher.keywords.count)
                    let anywhere = !matcher.occurrences(k, in: haystack, limit: 1).isEmpty
                    return Check(
                        pass: false, score: score,
                        detail: k == 0 || !anywhere
                            ? "\(quoted(matcher.keywords[k])) not found"
                            : "\(quoted(matcher.keywords[k])) does not come after \(quoted(matcher.keywords[k - 1]))")
                }
                position += first + matcher.needles[k].count
            }
            return Check(pass: true, detail: "all \(matcher.keywords.count) keywords in order")
        }
    }

    private static let edgeSchema = [
        ParameterSpec("text", .string, summary: "the required opening or closing text"),
        ParameterSpec(
            "case_sensitive", .boolean, required: false, defaultValue: .bool(false), summary: "match case exactly"),
    ]

    static let startsWith = NativeVerifier(
        "keyword:starts_with", family: .keyword,
        summary: "the response starts with the text (leading white space ignored)", parameters: edgeSchema
    ) { parameters throws(VerifierError) in
        let matcher = try Matcher(parameters, keywordsField: "text")
        return ClosureRule { response in
            let scalars = matcher.haystack(response)
            let range = TextSegmentation.trim(scalars, 0..<scalars.count)
            let needle = matcher.needles[0]
            let pass =
                range.count >= needle.count
                && Array(scalars[range.lowerBound..<(range.lowerBound + needle.count)]) == needle
            return Check(
                pass: pass,
                detail: pass
                    ? "starts with \(quoted(matcher.keywords[0]))"
                    : "does not start with \(quoted(matcher.keywords[0]))")
        }
    }

    static let endsWith = NativeVerifier(
        "keyword:ends_with", family: .keyword,
        summary: "the response ends with the text (trailing white space ignored)", parameters: edgeSchema
    ) { parameters throws(VerifierError) in
        let matcher = try Matcher(parameters, keywordsField: "text")
        return ClosureRule { response in
            let scalars = matcher.haystack(response)
            let range = TextSegmentation.trim(scalars, 0..<scalars.count)
            let needle = matcher.needles[0]
            let pass =
                range.count >= needle.count
                && Array(scalars[(range.upperBound - needle.count)..<range.upperBound]) == needle
            return Check(
                pass: pass,
                detail: pass
                    ? "ends with \(quoted(matcher.keywords[0]))" : "does not end with \(quoted(matcher.keywords[0]))")
        }
    }
}
