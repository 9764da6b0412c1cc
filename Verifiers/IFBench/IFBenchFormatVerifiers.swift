/// IFBench `format:*`: indentation, bullets, brackets, quotes, tags and templates.
enum IFBenchFormatVerifiers {
    static let lineIndent = IFBenchSchema.verifier(
        "format:line_indent", .format,
        "Each line is indented by more leading spaces than the line before (blank lines dropped as the reference drops them)."
    ) { (_: Parameters) throws(VerifierError) -> any Rule in
        IFBenchRule { response in
            var lines = PyStr.lines(response.scalars)
            // `for line in lines: if not line.strip(): lines.remove(line)`: removing while
            // iterating skips the element after each removal, and `remove` drops the first equal one.
            var i = 0
            while i < lines.count {
                let line = lines[i]
                if PyStr.stripSpace(line[...]).isEmpty, let first = lines.firstIndex(of: line) {
                    lines.remove(at: first)
                }
                i += 1
            }
            func indent(_ l: [Unicode.Scalar]) -> Int { l.prefix { $0 == " " }.count }
            if lines.count >= 2 {
                for k in 0..<(lines.count - 1) where indent(lines[k + 1]) <= indent(lines[k]) {
                    return Check(
                        pass: false,
                        detail:
                            "line \(k + 2) is indented by \(indent(lines[k + 1])) spaces, not more than the \(indent(lines[k])) of the line before"
                    )
                }
            }
            return Check(pass: true, detail: "each of \(lines.count) lines is indented more than the one before")
        }
    }

    static let noWhitespace = IFBenchSchema.verifier(
        "format:no_whitespace", .format, "No whitespace character at all."
    ) { (_: Parameters) throws(VerifierError) -> any Rule in
        IFBenchRule { response in
            let count = response.scalars.filter { PythonText.isSpace($0.value) }.count
            return Check(
                pass: count == 0, detail: count == 0 ? "no whitespace" : "found \(count) whitespace characters")
        }
    }

    static let subBullets = IFBenchSchema.verifier(
        "format:sub-bullets", .format,
        "Every `*` is followed by a `-` before the next `*` (the reference's test for sub-bullets)."
    ) { (_: Parameters) throws(VerifierError) -> any Rule in
        IFBenchRule { response in
            let pieces = PyStr.split(response.scalars, separator: ["*"])
            for (index, piece) in pieces.enumerated().dropFirst() where !piece.contains("-") {
                return Check(pass: false, detail: "no \"-\" after `*` number \(index) before the next `*`")
            }
            return Check(pass: true, detail: "every `*` is followed by a \"-\" (\(pieces.count - 1) `*`)")
        }
    }

    static let titleCase = IFBenchSchema.verifier(
        "format:title_case", .format,
        "No nltk word token is all lowercase or lowercase-then-uppercase (Capitalized, UPPER and uncased tokens pass)."
    ) { (_: Parameters) throws(VerifierError) -> any Rule in
        IFBenchRule { response in
            let s = response.scalars
            for range in response.treebankTokenRanges where range.count >= 2 {
                let head = PythonText.caseKind(s[range.lowerBound])
                let tail = s[(range.lowerBound + 1)..<range.upperBound]
                if head == .lower, PythonText.isUpper(tail) || PythonText.isLower(tail) {
                    return Check(
                        pass: false, detail: "\(quoted(PythonText.string(s[range]))) is not in title case")
                }
            }
            return Check(pass: true, detail: "every word is in title case")
        }
    }

    static let list = IFBenchSchema.verifier(
        "format:list", .format, "The bullet marker `sep` occurs at least twice.",
        parameters: [IFBenchSchema.string("sep", "the bullet marker, e.g. \"...\" or \"-\"")]
    ) { (p: Parameters) throws(VerifierError) -> any Rule in
        guard let sep = p.string("sep") else { throw p.invalid("sep", "required but missing") }
        let needle = PyStr.scalars(sep)
        return IFBenchRule { response in
            let count = PyStr.count(needle, in: response.scalars)
            return Check(pass: count >= 2, detail: "found \(quoted(sep)) \(count) times, need at least 2")
        }
    }

    static let thesis = IFBenchSchema.verifier(
        "format:thesis", .format,
        "A non-empty thesis in `<i>…</i>` (or `<em>…</em>`) followed by more text (offsets as the reference takes them)."
    ) { (_: Parameters) throws(VerifierError) -> any Rule in
        IFBenchRule { response in
            let s = response.scalars
            guard
                let start = PyStr.firstIndex(of: PyStr.scalars("<i>"), in: s)
                    ?? PyStr.firstIndex(of: PyStr.scalars("<em>"), in: s)
            else { return Check(pass: false, detail: "no <i> or <em> tag") }
            let rest = Array(s[start...])
            guard
                let end = PyStr.firstIndex(of: PyStr.scalars("</i>"), in: rest)
                    ?? PyStr.firstIndex(of: PyStr.scalars("</em>"), in: rest)
            else { return Check(pass: false, detail: "the italic thesis is never closed") }
            // value[3:end_thesis] and value[end_thesis + 4:], whichever tag was found.
            let thesis = end > 3 ? rest[3..<end] : []
            if PyStr.stripSpace(thesis).isEmpty { return Check(pass: false, detail: "the italic thesis is empty") }
            let after = end + 4 < rest.count ? rest[(end + 4)...] : []
            if PyStr.stripSpace(after).isEmpty {
                return Check(pass: false, detail: "no text follows the italic thesis")
            }
            return Check(pass: true, detail: "an italic thesis followed by text")
        }
    }

    static let parentheses = IFBenchSchema.verifier(
        "format:parentheses", .format,
        "Brackets ((), [], {}) nested at least 5 deep and closed (a mismatched closer resets the count)."
    ) { (_: Parameters) throws(VerifierError) -> any Rule in
        IFBenchRule { response in
            var levels: [Unicode.Scalar] = []
            var maxDepth = 0
            for c in response.scalars {
                switch c {
                case "(", "[", "{":
                    levels.append(c)
                    maxDepth = max(maxDepth, levels.count)
                case ")", "]", "}":
                    let open: Unicode.Scalar = c == ")" ? "(" : c == "]" ? "[" : "{"
                    if levels.last == open {
                        levels.removeLast()
                        if maxDepth >= 5, levels.count < maxDepth {
                            return Check(pass: true, detail: "brackets nested \(maxDepth) deep and closed")
                        }
                    } else {
                        levels = []
                        maxDepth = 0
                    }
                default: break
                }
            }
            return Check(
                pass: false, score: min(Double(maxDepth), 4) / 5,
                detail: "no closed group of brackets nested 5 deep (deepest open run: \(maxDepth))")
        }
    }

    static let quotes = IFBenchSchema.verifier(
        "format:quotes", .format,
        "Quotation marks (\" and ') nested at least 3 deep, each level closed by the same mark."
    ) { (_: Parameters) throws(VerifierError) -> any Rule in
        IFBenchRule { response in
            var levels: [Unicode.Scalar] = []
            var reached = 0
            for c in response.scalars {
                if let top = levels.last, c == top {
                    levels.removeLast()
                    if reached - levels.count >= 3 {
                        return Check(pass: true, detail: "quotes nested \(reached) deep")
                    }
                } else if c == "\"" || c == "'" {
                    levels.append(c)
                    reached = max(reached, levels.count)
                }
            }
            return Check(pass: false, detail: "no quotes nested 3 deep and closed (deepest: \(reached))")
        }
    }

    static let newline = IFBenchSchema.verifier(
        "format:newline", .format,
        "Every word on its own line: as many non-empty lines as words (ASCII punctuation removed)."
    ) { (_: Parameters) throws(VerifierError) -> any Rule in
        IFBenchRule { response in
            let text = Array(PyStr.stripSpace(PyStr.removePunctuation(response.scalars)[...]))
            let lines = PyStr.lines(text).filter { !$0.isEmpty }.count
            let words = PyStr.split(text).count
            return Check(pass: lines == words, detail: "\(words) words on \(lines) lines")
        }
    }

    static let options = IFBenchSchema.verifier(
        "format:options", .format,
        "The response is exactly one of `options` (split on \"/\", else \"or\", else \",\"); letter options (a, b, c) must match exactly, others ignoring case and ASCII punctuation at the ends.",
        parameters: [IFBenchSchema.string("options", "the permitted answers, e.g. \"yes/no/maybe\"")]
    ) { (p: Parameters) throws(VerifierError) -> any Rule in
        guard let text = p.string("options") else { throw p.invalid("options", "required but missing") }
        let s = PyStr.scalars(text)
        let separator: [Unicode.Scalar] =
            s.contains("/") ? ["/"] : PyStr.contains(s, ["o", "r"]) ? ["o", "r"] : [","]
        let choices = PyStr.split(s, separator: separator).map { Array(PyStr.stripSpace($0[...])) }
        let exact = OptionsLetters.matches(s)
        let folded = choices.map { PythonText.lower(Array(PyStr.stripPunctuation($0[...]))) }
        return IFBenchRule { response in
            let listed = choices.map { PythonText.string($0[...]) }
            if exact {
                let pass = choices.contains(response.scalars)
                return Check(
                    pass: pass,
                    detail: pass ? "the response is one of \(listed)" : "the response is not exactly one of \(listed)")
            }
            let answer = PythonText.lower(Array(PyStr.stripPunctuation(response.scalars[...])))
            let pass = folded.contains(answer)
            return Check(
                pass: pass, detail: pass ? "the response is one of \(listed)" : "the response is not one of \(listed)")
        }
    }

    /// `re.match(r"\W*[aA]\W*[bB]\W*[cC]\W*", options)`.
    enum OptionsLetters {
        static func matches(_ s: [Unicode.Scalar]) -> Bool {
            var i = 0
            for letter in ["a", "b", "c"] as [Unicode.Scalar] {
                while i < s.count, !PythonText.isWord(s[i]) { i += 1 }
                guard i < s.count, s[i] == letter || s[i].value == letter.value - 32 else { return false }
                i += 1
            }
            return true
        }
    }

    static let quoteUnquote = IFBenchSchema.verifier(
        "format:quote_unquote", .format,
        "No two quotation marks side by side (whitespace ignored) and the text does not end with a quotation mark."
    ) { (_: Parameters) throws(VerifierError) -> any Rule in
        IFBenchRule { response in
            var s = response.scalars.map { $0 == "“" || $0 == "”" ? "\"" : $0 }
            // value.replace("'\"'", '')
            var cleaned: [Unicode.Scalar] = []
            var i = 0
            while i < s.count {
                if i + 2 < s.count, s[i] == "'", s[i + 1] == "\"", s[i + 2] == "'" {
                    i += 3
                } else {
                    cleaned.append(s[i])
                    i += 1
                }
            }
            s = cleaned.filter { !PythonText.isSpace($0.value) }
            if PyStr.contains(s, ["\"", "\""]) {
                return Check(pass: false, detail: "two quotation marks side by side")
            }
            let tail = PyStr.strip(s[...]) {
                ($0.value >= 0x30 && $0.value <= 0x39) || ($0 != "\"" && PyStr.isPunctuation($0))
            }
            guard let last = tail.last else {
                return Check(pass: false, detail: "nothing but digits and punctuation (the reference fails it)")
            }
            if last == "\"" { return Check(pass: false, detail: "the text ends with a quotation mark") }
            return Check(pass: true, detail: "no adjacent quotation marks and no quotation mark at the end")
        }
    }

    static let outputTemplate = IFBenchSchema.verifier(
        "format:output_template", .format,
        "Contains the template headings \"My Answer:\", \"My Conclusion:\" and \"Future Outlook:\"."
    ) { (_: Parameters) throws(VerifierError) -> any Rule in
        IFBenchRule { response in
            let missing = ["My Answer:", "My Conclusion:", "Future Outlook:"].filter { !response.text.contains($0) }
            return Check(
                pass: missing.isEmpty, score: Double(3 - missing.count) / 3,
                detail: missing.isEmpty ? "all three template headings present" : "missing \(missing)")
        }
    }
}
