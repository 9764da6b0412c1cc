/// `content:*`: placeholders, postscripts, quotation, letter case, punctuation and user regular
/// expressions (matched by the linear-time ``LinearRegex``, never by a backtracking engine).
enum NativeContentVerifiers {
    static let all: [any Verifier] = [placeholders, postscript, quotation, letterCase, punctuation, regex]

    static let placeholders = NativeVerifier(
        "content:placeholders", family: .content,
        summary: "number of [placeholders] in square brackets (markdown links excluded)",
        parameters: CountBounds.schema("placeholders")
    ) { parameters throws(VerifierError) in
        let bounds = try CountBounds.read(parameters, defaultMin: 1)
        return ClosureRule { response in
            let s = response.scalars
            var count = 0
            var i = 0
            while i < s.count {
                guard s[i] == "[" else {
                    i += 1
                    continue
                }
                var j = i + 1
                while j < s.count, s[j] != "]", s[j] != "[", s[j] != "\n" { j += 1 }
                if j < s.count, s[j] == "]", j > i + 1,
                    !TextSegmentation.trim(s, (i + 1)..<j).isEmpty, !(j + 1 < s.count && s[j + 1] == "(")
                {
                    count += 1
                    i = j + 1
                } else {
                    i = j
                }
            }
            return bounds.check(count, "placeholders")
        }
    }

    static let postscript = NativeVerifier(
        "content:postscript", family: .content,
        summary: "a postscript line (starting with the marker, after the main text)",
        parameters: [
            ParameterSpec(
                "marker", .string, required: false, defaultValue: .string("P.S."), summary: "e.g. \"P.S.\" or \"P.P.S\""
            )
        ]
    ) { parameters throws(VerifierError) in
        guard let marker = parameters.string("marker"), !marker.unicodeScalars.allSatisfy(TextSegmentation.isSpace)
        else { throw parameters.invalid("marker", "must not be empty") }
        let needle = LiteralSearch.prepare(Array(marker.unicodeScalars), caseSensitive: false)
        return ClosureRule { response in
            let s = LiteralSearch.prepare(response.scalars, caseSensitive: false)
            let lines = TextSegmentation.lines(s)
            for (index, line) in lines.enumerated() {
                var start = line.lowerBound
                while start < line.upperBound, s[start] == "*" || s[start] == "_" { start += 1 }  // **P.S.**
                guard line.upperBound - start >= needle.count, Array(s[start..<(start + needle.count)]) == needle
                else { continue }
                let rest = TextSegmentation.trim(s, (start + needle.count)..<line.upperBound)
                let hasContent =
                    rest.contains { TextSegmentation.isWordScalar(s[$0]) }
                    || lines[(index + 1)...].contains { !$0.isEmpty }
                if index == 0 {
                    return Check(
                        pass: false, detail: "\(quoted(marker)) opens the response; a postscript follows the main text")
                }
                return hasContent
                    ? Check(pass: true, detail: "postscript found on line \(index + 1)")
                    : Check(pass: false, detail: "\(quoted(marker)) on line \(index + 1) has no text after it")
            }
            return Check(pass: false, detail: "no line starts with \(quoted(marker))")
        }
    }

    /// Opening and closing quotation marks accepted around the whole response.
    static let quotePairs: [(Unicode.Scalar, Unicode.Scalar)] = [
        ("\"", "\""), ("\u{201C}", "\u{201D}"), ("\u{201E}", "\u{201C}"), ("\u{00AB}", "\u{00BB}"),
        ("\u{2018}", "\u{2019}"), ("\u{300C}", "\u{300D}"), ("\u{300E}", "\u{300F}"), ("'", "'"),
    ]

    static let quotation = NativeVerifier(
        "content:quotation", family: .content,
        summary: "the whole response is wrapped in quotation marks (\" \", “ ”, « », 「 」, …)", parameters: []
    ) { _ throws(VerifierError) in
        ClosureRule { response in
            let s = response.scalars
            let range = TextSegmentation.trim(s, 0..<s.count)
            guard range.count >= 2 else { return Check(pass: false, detail: "too short to be quoted") }
            let first = s[range.lowerBound]
            let last = s[range.upperBound - 1]
            if quotePairs.contains(where: { $0.0 == first && $0.1 == last }) {
                return Check(pass: true, detail: "wrapped in \(first)…\(last)")
            }
            return Check(
                pass: false, detail: "starts with '\(first)' and ends with '\(last)', not a pair of quotation marks")
        }
    }

    static let letterCase = NativeVerifier(
        "content:case", family: .content, summary: "letter case: lower, upper, title (each word) or sentence",
        parameters: [
            ParameterSpec(
                "case", .string,
                allowedValues: [.string("lower"), .string("upper"), .string("title"), .string("sentence")],
                summary: "the required case")
        ]
    ) { parameters throws(VerifierError) in
        let wanted = parameters.string("case") ?? "lower"
        return ClosureRule { response in
            let s = response.scalars
            // (conforms, range) per word or sentence that has a cased letter.
            var judged: [(ok: Bool, range: Range<Int>)] = []
            switch wanted {
            case "lower", "upper":
                for word in TextSegmentation.words(s) {
                    let cased = word.filter { s[$0].properties.isCased }
                    guard !cased.isEmpty else { continue }
                    let ok = cased.allSatisfy {
                        wanted == "lower" ? !s[$0].properties.isUppercase : !s[$0].properties.isLowercase
                    }
                    judged.append((ok, word))
                }
            case "title":
                for word in TextSegmentation.words(s) {
                    guard let first = word.first(where: { s[$0].properties.isCased }) else { continue }
                    judged.append((s[first].properties.isUppercase, word))
                }
            default:  // sentence
                for sentence in TextSegmentation.sentences(s) {
                    guard let first = sentence.first(where: { s[$0].properties.isCased }) else { continue }
                    judged.append((s[first].properties.isUppercase, sentence))
                }
            }
            let checked = judged.count
            let failures = judged.filter { !$0.ok }
            let wrong = failures.count
            let example = failures.first.map { TextSegmentation.string(s, $0.range) }
            let unit = wanted == "sentence" ? "sentences" : "words"
            guard checked > 0 else { return Check(pass: true, detail: "no cased letters to check") }
            if wrong == 0 { return Check(pass: true, detail: "all \(checked) \(unit) are in \(wanted) case") }
            return Check(
                pass: false, score: Double(checked - wrong) / Double(checked),
                detail: "\(wrong) of \(checked) \(unit) are not in \(wanted) case, e.g. \(quoted(example ?? ""))")
        }
    }

    static let punctuation = NativeVerifier(
        "content:punctuation", family: .content, summary: "limits on given punctuation characters",
        parameters: [
            ParameterSpec(
                "forbidden", .string, required: false, defaultValue: .string(","),
                summary: "the characters counted (each one), e.g. \",;!\""),
            ParameterSpec(
                "max", .integer, required: false, defaultValue: .integer(0), summary: "at most this many in total"),
        ]
    ) { parameters throws(VerifierError) in
        guard let forbidden = parameters.string("forbidden"), !forbidden.isEmpty else {
            throw parameters.invalid("forbidden", "give at least one character")
        }
        let limit = parameters.integer("max") ?? 0
        if limit < 0 { throw parameters.invalid("max", "must be at least 0, got \(limit)") }
        let set = Set(forbidden.unicodeScalars)
        return ClosureRule { response in
            var counts: [Unicode.Scalar: Int] = [:]
            for s in response.scalars where set.contains(s) { counts[s, default: 0] += 1 }
            let total = counts.values.reduce(0, +)
            let found = counts.keys.sorted { $0.value < $1.value }.map { "\(counts[$0]!)× '\($0)'" }.joined(
                separator: ", ")
            if total <= limit {
                return Check(
                    pass: true,
                    detail: total == 0 ? "none of \(quoted(forbidden)) found" : "found \(found), allowed \(limit)")
            }
            return Check(
                pass: false, score: Double(limit) / Double(total), detail: "found \(found), allowed at most \(limit)")
        }
    }

    /// The work budget of one regex check, in Pike VM thread steps (the time budget applies too).
    static let regexStepBudget = 200_000_000

    static let regex = NativeVerifier(
        "content:regex", family: .content,
        summary: "a regular expression (linear-time subset, see docs) matches the response",
        parameters: [ParameterSpec("pattern", .string, summary: "the pattern")] + CountBounds.schema("matches") + [
            ParameterSpec(
                "full_match", .boolean, required: false, defaultValue: .bool(false),
                summary: "the pattern must match the whole (trimmed) response"),
            ParameterSpec(
                "case_insensitive", .boolean, required: false, defaultValue: .bool(false), summary: "ignore case"),
            ParameterSpec(
                "multiline", .boolean, required: false, defaultValue: .bool(true),
                summary: "^ and $ match at line breaks"),
            ParameterSpec("dot_all", .boolean, required: false, defaultValue: .bool(false), summary: ". matches \\n"),
        ]
    ) { parameters throws(VerifierError) in
        let pattern = parameters.string("pattern") ?? ""
        var options: LinearRegex.Options = []
        if parameters.bool("case_insensitive") ?? false { options.insert(.caseInsensitive) }
        if parameters.bool("multiline") ?? true { options.insert(.multiline) }
        if parameters.bool("dot_all") ?? false { options.insert(.dotAll) }
        let compiled: LinearRegex
        do throws(LinearRegex.SyntaxError) {
            compiled = try LinearRegex(pattern, options: options)
        } catch {
            throw parameters.invalid("pattern", "\(error.message) at offset \(error.offset)")
        }
        let fullMatch = parameters.bool("full_match") ?? false
        let bounds = fullMatch ? CountBounds(min: 1, max: nil) : try CountBounds.read(parameters, defaultMin: 1)
        let constraint = parameters.constraint
        return ClosureRule { response throws(VerifierError) in
            let scalars = response.scalars
            var budget = regexStepBudget
            do throws(LinearRegex.BudgetExhausted) {
                if fullMatch {
                    let range = TextSegmentation.trim(scalars, 0..<scalars.count)
                    let text = scalars[range].map(\.value)
                    let pass = try compiled.wholeMatch(text, budget: &budget)
                    return Check(
                        pass: pass, detail: pass ? "the whole response matches" : "the whole response does not match")
                }
                let text = scalars.map(\.value)
                let limit = bounds.max.map { $0 + 1 } ?? Swift.max(bounds.min ?? 1, 1)
                let count = try compiled.countMatches(in: text, limit: limit, budget: &budget)
                var check = bounds.check(count, "matches")
                if bounds.max == nil && count >= limit {
                    check.detail = "found at least \(count) matches, need \(bounds.requirement)"
                }
                if let high = bounds.max, count > high {
                    check.detail = "found more than \(high) matches, need \(bounds.requirement)"
                }
                return check
            } catch {
                throw .budgetExceeded(constraint: constraint)
            }
        }
    }
}
