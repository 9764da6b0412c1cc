/// `detectable_content:*` — placeholders and postscripts.
enum ContentVerifiers {
    static let numberPlaceholders = IFEvalVerifier(
        descriptor: VerifierDescriptor(
            id: "detectable_content:number_placeholders", family: .content,
            parameters: [Schema.count("num_placeholders", "the minimum number of [placeholders]")],
            summary: "At least `num_placeholders` placeholders in square brackets, such as [address]."),
        makeRule: { (p: Parameters) throws(VerifierError) -> any Rule in
            PlaceholdersRule(minimum: try p.count("num_placeholders"))
        })

    struct PlaceholdersRule: IFEvalRule {
        let minimum: Int

        /// `len(re.findall(r"\[.*?\]", text))`: `[` then the nearest `]` on the same line.
        static func count(_ s: [Unicode.Scalar]) -> Int {
            var count = 0
            var i = 0
            let n = s.count
            while i < n {
                if s[i] == "[" {
                    var j = i + 1
                    while j < n, s[j] != "]", s[j] != "\n" { j += 1 }
                    if j < n, s[j] == "]" {
                        count += 1
                        i = j + 1
                        continue
                    }
                }
                i += 1
            }
            return count
        }

        func evaluate(_ response: ResponseText) -> Check {
            let count = Self.count(response.scalars)
            return Check(
                pass: count >= minimum, score: count >= minimum ? 1 : Double(count) / Double(minimum),
                detail: "found \(count) [placeholders], need at least \(minimum)")
        }
    }

    static let postscript = IFEvalVerifier(
        descriptor: VerifierDescriptor(
            id: "detectable_content:postscript", family: .content,
            parameters: [ParameterSpec("postscript_marker", .string, summary: "e.g. \"P.S.\" or \"P.P.S\"")],
            summary: "The response contains a postscript starting with the marker."),
        makeRule: { (p: Parameters) throws(VerifierError) -> any Rule in
            let marker = PythonText.strip(try p.nonEmptyString("postscript_marker"))
            guard !marker.isEmpty else { throw p.invalid("postscript_marker", "must not be blank") }
            return PostscriptRule(marker: marker)
        })

    struct PostscriptRule: IFEvalRule {
        let marker: String

        func evaluate(_ response: ResponseText) -> Check {
            let s = response.lowercasedScalars
            let found: Bool
            switch marker {
            case "P.P.S": found = Self.containsDotted(s, ["p", "p", "s"], finalDot: false)
            case "P.S.": found = Self.containsDotted(s, ["p", "s"], finalDot: true)
            default:
                let needle = PythonText.lower(Array(marker.unicodeScalars))
                found = !CaselessSearch.occurrences(of: needle, in: s, limit: 1).isEmpty
            }
            return Check(
                pass: found,
                detail: found
                    ? "has a postscript starting with \(quoted(marker))"
                    : "no postscript starting with \(quoted(marker))")
        }

        /// `p\.\s?p\.\s?s` (P.P.S) or `p\.\s?s\.` (P.S.) anywhere in the lowercased text.
        static func containsDotted(_ s: [Unicode.Scalar], _ letters: [Unicode.Scalar], finalDot: Bool) -> Bool {
            let n = s.count
            func match(_ q: Int, _ index: Int) -> Bool {
                guard q < n, s[q] == letters[index] else { return false }
                if index == letters.count - 1 { return !finalDot || (q + 1 < n && s[q + 1] == ".") }
                guard q + 1 < n, s[q + 1] == "." else { return false }
                let next = q + 2
                if next < n, PythonText.isSpace(s[next].value), match(next + 1, index + 1) { return true }
                return match(next, index + 1)
            }
            for i in 0..<n where s[i] == letters[0] && match(i, 0) { return true }
            return false
        }
    }
}
