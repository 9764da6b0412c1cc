/// `detectable_format:*` — bullets, constrained answers, highlights, sections, JSON, titles, XML.
enum FormatVerifiers {
    static let numberBulletLists = IFEvalVerifier(
        descriptor: VerifierDescriptor(
            id: "detectable_format:number_bullet_lists", family: .format,
            parameters: [Schema.count("num_bullets", "the exact number of bullet points")],
            summary: "Exactly `num_bullets` markdown bullet points (`* ` or `- ` lines)."),
        makeRule: { (p: Parameters) throws(VerifierError) -> any Rule in
            BulletsRule(expected: try p.count("num_bullets"))
        })

    struct BulletsRule: IFEvalRule {
        let expected: Int

        /// `len(re.findall(pattern, text, re.MULTILINE))` for `^\s*\*[^\*].*$` (star) or
        /// `^\s*-.*$` (dash). `\s*` may cross line ends, and `[^\*]` may be a newline.
        static func count(_ s: [Unicode.Scalar], star: Bool) -> Int {
            let n = s.count
            var count = 0
            var p = 0
            /// The first line end at or after `from`, else n.
            func lineEnd(_ from: Int) -> Int { PythonText.find("\n", or: "\n", in: s, from: from) }
            while p < n {
                if p == 0 || s[p - 1] == "\n" {
                    var q = p
                    while q < n, PythonText.isSpace(s[q].value) { q += 1 }
                    var bodyStart = -1
                    if star {
                        if q + 1 < n, s[q] == "*", s[q + 1] != "*" { bodyStart = q + 2 }
                    } else if q < n, s[q] == "-" {
                        bodyStart = q + 1
                    }
                    if bodyStart >= 0 {
                        count += 1
                        p = lineEnd(bodyStart)
                        continue
                    }
                }
                p = lineEnd(p) + 1  // the next line's start
            }
            return count
        }

        func evaluate(_ response: ResponseText) -> Check {
            let count = Self.count(response.scalars, star: true) + Self.count(response.scalars, star: false)
            return Check(pass: count == expected, detail: "found \(count) bullet points, need exactly \(expected)")
        }
    }

    static let constrainedResponse = IFEvalVerifier(
        descriptor: VerifierDescriptor(
            id: "detectable_format:constrained_response", family: .format,
            summary: "The response contains \"My answer is yes.\", \"My answer is no.\" or \"My answer is maybe.\"."),
        makeRule: { (_: Parameters) throws(VerifierError) -> any Rule in ConstrainedRule() })

    struct ConstrainedRule: IFEvalRule {
        static let options = ["My answer is yes.", "My answer is no.", "My answer is maybe."]

        func evaluate(_ response: ResponseText) -> Check {
            var text = response.text
            let found = text.withUTF8 { bytes in
                Self.options.first { option in ByteSearch.contains(bytes, Array(option.utf8)) }
            }
            if let option = found { return Check(pass: true, detail: "contains \(quoted(option))") }
            return Check(pass: false, detail: "contains none of the allowed answers")
        }
    }

    static let numberHighlightedSections = IFEvalVerifier(
        descriptor: VerifierDescriptor(
            id: "detectable_format:number_highlighted_sections", family: .format,
            parameters: [Schema.count("num_highlights", "the minimum number of highlighted sections")],
            summary: "At least `num_highlights` markdown highlights such as *highlighted section*."),
        makeRule: { (p: Parameters) throws(VerifierError) -> any Rule in
            HighlightsRule(minimum: try p.count("num_highlights"))
        })

    struct HighlightsRule: IFEvalRule {
        let minimum: Int

        /// `*…*` (no newline or `*` inside) with non-blank content, plus `**…**` likewise.
        static func count(_ s: [Unicode.Scalar]) -> Int {
            let n = s.count
            /// The first `*` (or, with `orNewline`, newline) at or after `from`, else n.
            func next(_ from: Int, orNewline: Bool = false) -> Int {
                PythonText.find("*", or: orNewline ? "\n" : "*", in: s, from: from)
            }
            var count = 0
            var i = next(0)
            while i < n {
                let j = next(i + 1, orNewline: true)
                if j < n, s[j] == "*" {
                    if !PythonText.stripRange(s, (i + 1)..<j).isEmpty { count += 1 }
                    i = next(j + 1)
                } else {
                    i = next(i + 1)
                }
            }
            i = next(0)
            while i + 1 < n {
                guard s[i + 1] == "*" else {
                    i = next(i + 1)
                    continue
                }
                let j = next(i + 2, orNewline: true)
                if j + 1 < n, s[j] == "*", s[j + 1] == "*" {
                    if !PythonText.stripRange(s, (i + 2)..<j).isEmpty { count += 1 }
                    i = next(j + 2)
                } else {
                    i = next(i + 1)
                }
            }
            return count
        }

        func evaluate(_ response: ResponseText) -> Check {
            let count = Self.count(response.scalars)
            return Check(
                pass: count >= minimum, score: count >= minimum ? 1 : Double(count) / Double(minimum),
                detail: "found \(count) highlighted sections, need at least \(minimum)")
        }
    }

    static let multipleSections = IFEvalVerifier(
        descriptor: VerifierDescriptor(
            id: "detectable_format:multiple_sections", family: .format,
            parameters: [
                ParameterSpec(
                    "section_spliter", .string, summary: "the section keyword, e.g. \"Section\" or \"SECTION\""),
                Schema.count("num_sections", "the minimum number of sections"),
            ],
            summary: "At least `num_sections` sections, each starting with `<section_spliter> <number>`."),
        makeRule: { (p: Parameters) throws(VerifierError) -> any Rule in
            let splitter = PythonText.strip(try p.nonEmptyString("section_spliter"))
            guard !splitter.isEmpty else { throw p.invalid("section_spliter", "must not be blank") }
            return SectionsRule(splitter: Array(splitter.unicodeScalars), minimum: try p.count("num_sections"))
        })

    struct SectionsRule: IFEvalRule {
        let splitter: [Unicode.Scalar]
        let minimum: Int

        /// Matches of `\s?<splitter>\s?\d+\s?` (what `re.split` splits on).
        static func count(_ s: [Unicode.Scalar], _ splitter: [Unicode.Scalar]) -> Int {
            let n = s.count
            let m = splitter.count
            guard m > 0 else { return 0 }
            var count = 0
            var i = 0
            while let at = PythonText.find(splitter, in: s, from: i) {
                var q = at + m
                if q + 1 < n, PythonText.isSpace(s[q].value), PythonText.isDecimal(s[q + 1]) { q += 1 }
                if q < n, PythonText.isDecimal(s[q]) {
                    while q < n, PythonText.isDecimal(s[q]) { q += 1 }
                    if q < n, PythonText.isSpace(s[q].value) { q += 1 }
                    count += 1
                    i = q
                } else {
                    i = at + 1
                }
            }
            return count
        }

        func evaluate(_ response: ResponseText) -> Check {
            let count = Self.count(response.scalars, splitter)
            return Check(
                pass: count >= minimum, score: count >= minimum ? 1 : Double(count) / Double(minimum),
                detail:
                    "found \(count) sections marked \(quoted(PythonText.string(splitter[...]))) N, need at least \(minimum)"
            )
        }
    }

    static let jsonFormat = IFEvalVerifier(
        descriptor: VerifierDescriptor(
            id: "detectable_format:json_format", family: .format,
            summary: "The whole response is JSON (Python `json.loads` rules), optionally in a ``` fence."),
        makeRule: { (_: Parameters) throws(VerifierError) -> any Rule in JSONRule() })

    struct JSONRule: IFEvalRule {
        func evaluate(_ response: ResponseText) -> Check {
            let body = Fences.unwrap(response.scalars, languages: ["```json", "```Json", "```JSON"])
            if let problem = PythonJSON.validate(Array(body.utf8)) {
                return Check(pass: false, detail: "not valid JSON: \(problem)")
            }
            return Check(pass: true, detail: "valid JSON")
        }
    }

    static let title = IFEvalVerifier(
        descriptor: VerifierDescriptor(
            id: "detectable_format:title", family: .format,
            summary: "The response contains a title in double angular brackets, such as <<poem of joy>>."),
        makeRule: { (_: Parameters) throws(VerifierError) -> any Rule in TitleRule() })

    struct TitleRule: IFEvalRule {
        /// The first `<<…>>` on one line (greedy, as `<<[^\n]+>>`) with non-blank content.
        static func firstTitle(_ s: [Unicode.Scalar]) -> String? {
            let n = s.count
            var i = 0
            while i + 1 < n {
                if s[i] == "<", s[i + 1] == "<" {
                    var lineEnd = i + 2
                    while lineEnd < n, s[lineEnd] != "\n" { lineEnd += 1 }
                    var j = lineEnd - 2
                    while j >= i + 3, !(s[j] == ">" && s[j + 1] == ">") { j -= 1 }
                    if j >= i + 3 {
                        var lo = i
                        while lo < j + 2, s[lo] == "<" { lo += 1 }
                        var hi = j + 2
                        while hi > lo, s[hi - 1] == ">" { hi -= 1 }
                        let content = PythonText.stripRange(s, lo..<hi)
                        if !content.isEmpty { return PythonText.string(s[content]) }
                        i = j + 2
                        continue
                    }
                }
                i += 1
            }
            return nil
        }

        func evaluate(_ response: ResponseText) -> Check {
            if let title = Self.firstTitle(response.scalars) {
                return Check(pass: true, detail: "title <<\(title)>>")
            }
            return Check(pass: false, detail: "no <<title>> found")
        }
    }

    static let xmlFormat = IFEvalVerifier(
        descriptor: VerifierDescriptor(
            id: "detectable_format:xml_format", family: .format,
            summary: "The whole response is one well-formed XML document, optionally in a ``` fence."),
        makeRule: { (_: Parameters) throws(VerifierError) -> any Rule in XMLRule() })

    struct XMLRule: IFEvalRule {
        func evaluate(_ response: ResponseText) -> Check {
            let body = Fences.unwrap(response.scalars, languages: ["```xml", "```Xml", "```XML"])
            if let problem = XMLWellFormedness.check(Array(body.unicodeScalars)) {
                return Check(pass: false, detail: "not well-formed XML: \(problem)")
            }
            return Check(pass: true, detail: "well-formed XML")
        }
    }
}

/// Substring search on UTF-8 bytes.
enum ByteSearch {
    static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        let m = needle.count
        let n = haystack.count
        guard m > 0 else { return true }
        guard m <= n else { return false }
        let first = needle[0]
        var i = 0
        while i <= n - m {
            if haystack[i] == first {
                var k = 1
                while k < m, haystack[i + k] == needle[k] { k += 1 }
                if k == m { return true }
            }
            i += 1
        }
        return false
    }
}

/// The reference's fence removal: strip, drop one language-tagged or bare opening fence, drop a
/// closing fence, strip again.
enum Fences {
    /// The reference's `strip()`, its chained `removeprefix` of each of `languages` and of ```,
    /// `removesuffix("```")` and `strip()` again, on the response's decoded scalars.
    static func unwrap(_ scalars: [Unicode.Scalar], languages: [String]) -> String {
        let stripped = PythonText.stripRange(scalars, 0..<scalars.count)
        var body = scalars[stripped]
        for prefix in languages + ["```"] {
            let p = Array(prefix.unicodeScalars)
            if body.count >= p.count, body.prefix(p.count).elementsEqual(p) { body = body.dropFirst(p.count) }
        }
        let fence: [Unicode.Scalar] = ["`", "`", "`"]
        if body.count >= 3, body.suffix(3).elementsEqual(fence) { body = body.dropLast(3) }
        return PythonText.string(scalars[PythonText.stripRange(scalars, body.startIndex..<body.endIndex)])
    }
}
