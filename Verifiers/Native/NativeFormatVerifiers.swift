/// `format:*`: JSON, XML, markdown headings, tables, code blocks, numbered and bulleted lists.
enum NativeFormatVerifiers {
    static let all: [any Verifier] = [json, xml, headings, table, codeBlock, numberedList, bulletList]

    private static let fenceParameter = ParameterSpec(
        "allow_code_fence", .boolean, required: false, defaultValue: .bool(true),
        summary: "accept the document wrapped in one ``` fence")

    static let json = NativeVerifier(
        "format:json", family: .format, summary: "the response is one valid JSON document (RFC 8259)",
        parameters: [
            ParameterSpec(
                "required_keys", .stringList, required: false, summary: "keys the top-level object must have"),
            ParameterSpec(
                "top_level", .string, required: false, defaultValue: .string("any"),
                allowedValues: [.string("any"), .string("object"), .string("array")],
                summary: "the kind of the top-level value"),
            fenceParameter,
        ]
    ) { parameters throws(VerifierError) in
        let required = parameters.stringList("required_keys") ?? []
        let requested = parameters.string("top_level") ?? "any"
        if !required.isEmpty && requested == "array" {
            throw parameters.invalid("required_keys", "needs top_level \"object\"")
        }
        let topLevel = required.isEmpty ? requested : "object"
        let allowFence = parameters.bool("allow_code_fence") ?? true
        return ClosureRule { response in
            let text = allowFence ? unfenced(response.text) : response.text
            switch JSONValidator.validate(text) {
            case .failure(let failure):
                return Check(pass: false, detail: "not valid JSON: \(failure.message)")
            case .success(let document):
                if topLevel != "any" && document.kind != topLevel {
                    return Check(
                        pass: false, detail: "valid JSON, but the top level is \(document.kind), need \(topLevel)")
                }
                let keys = Set(document.keys)
                let missing = required.filter { !keys.contains($0) }
                if missing.isEmpty {
                    return Check(
                        pass: true,
                        detail: "valid JSON \(document.kind)" + (required.isEmpty ? "" : " with every required key"))
                }
                return Check(
                    pass: false, score: Double(required.count - missing.count) / Double(required.count),
                    detail: "valid JSON object, missing key(s) \(missing.map(quoted).joined(separator: ", "))")
            }
        }
    }

    static let xml = NativeVerifier(
        "format:xml", family: .format, summary: "the response is one well-formed XML document",
        parameters: [
            ParameterSpec("root", .string, required: false, summary: "the required root element name"),
            fenceParameter,
        ]
    ) { parameters throws(VerifierError) in
        let root = parameters.string("root")
        let allowFence = parameters.bool("allow_code_fence") ?? true
        return ClosureRule { response in
            let text = allowFence ? unfenced(response.text) : response.text
            switch XMLChecker.check(text) {
            case .failure(let failure):
                return Check(pass: false, detail: "not well-formed XML: \(failure.message)")
            case .success(let name):
                if let root, root != name {
                    return Check(pass: false, detail: "well-formed XML, but the root is <\(name)>, need <\(root)>")
                }
                return Check(pass: true, detail: "well-formed XML with root <\(name)>")
            }
        }
    }

    static let headings = NativeVerifier(
        "format:markdown_headings", family: .format, summary: "number of markdown headings (# … ######)",
        parameters: CountBounds.schema("headings") + [
            ParameterSpec("level", .integer, required: false, summary: "count only headings of this level (1–6)")
        ]
    ) { parameters throws(VerifierError) in
        let bounds = try CountBounds.read(parameters, defaultMin: 1)
        let level = parameters.integer("level")
        if let level, !(1...6).contains(level) { throw parameters.invalid("level", "must be 1 to 6, got \(level)") }
        return ClosureRule { response in
            let scalars = response.scalars
            let count = MarkdownLines.outsideCode(scalars).filter { line in
                guard let found = TextSegmentation.markdownHeadingLevel(scalars, line) else { return false }
                return level == nil || found == level
            }.count
            return bounds.check(count, level.map { "level-\($0) headings" } ?? "headings")
        }
    }

    static let table = NativeVerifier(
        "format:table", family: .format, summary: "a markdown table (header, separator row, data rows)",
        parameters: [
            ParameterSpec(
                "min_rows", .integer, required: false, defaultValue: .integer(1), summary: "data rows at least"),
            ParameterSpec("columns", .integer, required: false, summary: "exactly this many columns"),
        ]
    ) { parameters throws(VerifierError) in
        let minRows = parameters.integer("min_rows") ?? 1
        let columns = parameters.integer("columns")
        if minRows < 0 { throw parameters.invalid("min_rows", "must be at least 0, got \(minRows)") }
        if let columns, columns < 1 { throw parameters.invalid("columns", "must be at least 1, got \(columns)") }
        return ClosureRule { response in
            let tables = MarkdownLines.tables(response.scalars)
            guard !tables.isEmpty else { return Check(pass: false, detail: "no markdown table found") }
            if tables.contains(where: { $0.rows >= minRows && (columns == nil || $0.columns == columns) }) {
                return Check(
                    pass: true,
                    detail:
                        "found \(tables.count) table(s); one has \(columns.map { "\($0) columns and " } ?? "")at least \(minRows) rows"
                )
            }
            let shapes = tables.map { "\($0.columns)×\($0.rows)" }.joined(separator: ", ")
            return Check(
                pass: false,
                detail:
                    "found table(s) of columns×rows \(shapes); need \(columns.map { "\($0) columns and " } ?? "")at least \(minRows) rows"
            )
        }
    }

    static let codeBlock = NativeVerifier(
        "format:code_block", family: .format, summary: "number of fenced code blocks (``` or ~~~)",
        parameters: CountBounds.schema("code blocks") + [
            ParameterSpec("language", .string, required: false, summary: "count only blocks with this info string")
        ]
    ) { parameters throws(VerifierError) in
        let bounds = try CountBounds.read(parameters, defaultMin: 1)
        let language = parameters.string("language")?.lowercased()
        return ClosureRule { response in
            let blocks = MarkdownLines.codeBlocks(response.scalars)
            let count = blocks.filter { block in language == nil || block.language == language }.count
            return bounds.check(count, language.map { "\($0) code blocks" } ?? "code blocks")
        }
    }

    static let numberedList = NativeVerifier(
        "format:numbered_list", family: .format, summary: "number of numbered list items (1. or 1))",
        parameters: CountBounds.schema("numbered items") + [
            ParameterSpec(
                "sequential", .boolean, required: false, defaultValue: .bool(false),
                summary: "each list must count 1, 2, 3, …")
        ]
    ) { parameters throws(VerifierError) in
        let bounds = try CountBounds.read(parameters, defaultMin: 1)
        let sequential = parameters.bool("sequential") ?? false
        return ClosureRule { response in
            let scalars = response.scalars
            var numbers: [Int] = []
            for line in MarkdownLines.outsideCode(scalars)
            where TextSegmentation.listItemContent(scalars, line) != nil
                && TextSegmentation.isNumberedItem(scalars, line)
            {
                let trimmed = TextSegmentation.trim(scalars, line)
                var value = 0
                var k = trimmed.lowerBound
                while k < trimmed.upperBound, (0x30...0x39).contains(scalars[k].value) {
                    value = value * 10 + Int(scalars[k].value - 0x30)
                    k += 1
                }
                numbers.append(value)
            }
            var check = bounds.check(numbers.count, "numbered items")
            if sequential, check.pass {
                var expected = 1
                for number in numbers {
                    if number == 1 { expected = 1 }
                    if number != expected {
                        return Check(pass: false, detail: "numbering goes \(expected - 1) → \(number); need 1, 2, 3, …")
                    }
                    expected += 1
                }
                check.detail += ", numbered in sequence"
            }
            return check
        }
    }

    static let bulletList = NativeVerifier(
        "format:bullet_list", family: .format, summary: "number of bullet items (*, -, +, •)",
        parameters: CountBounds.schema("bullet items")
    ) { parameters throws(VerifierError) in
        let bounds = try CountBounds.read(parameters, defaultMin: 1)
        return ClosureRule { response in
            let scalars = response.scalars
            let count = MarkdownLines.outsideCode(scalars).filter {
                TextSegmentation.listItemContent(scalars, $0) != nil && !TextSegmentation.isNumberedItem(scalars, $0)
            }.count
            return bounds.check(count, "bullet items")
        }
    }
}

/// Line-level markdown structure: fenced code, tables.
enum MarkdownLines {
    /// A fenced code block.
    struct CodeBlock: Hashable {
        /// The info string's first word, lowercased ("" when none).
        var language: String
    }

    /// Whether a trimmed line opens or closes a fence; returns the fence marker and the info string.
    private static func fence(_ scalars: [Unicode.Scalar], _ line: Range<Int>) -> (
        marker: Unicode.Scalar, info: String
    )? {
        let trimmed = TextSegmentation.trim(scalars, line)
        guard trimmed.count >= 3 else { return nil }
        let first = scalars[trimmed.lowerBound]
        guard first == "`" || first == "~" else { return nil }
        var k = trimmed.lowerBound
        while k < trimmed.upperBound, scalars[k] == first { k += 1 }
        guard k - trimmed.lowerBound >= 3 else { return nil }
        let info = TextSegmentation.string(scalars, TextSegmentation.trim(scalars, k..<trimmed.upperBound))
        return (first, info)
    }

    /// Closed fenced code blocks.
    static func codeBlocks(_ scalars: [Unicode.Scalar]) -> [CodeBlock] {
        var out: [CodeBlock] = []
        var open: (marker: Unicode.Scalar, language: String)? = nil
        for line in TextSegmentation.rawLines(scalars) {
            guard let found = fence(scalars, line) else { continue }
            if let current = open {
                if found.marker == current.marker && found.info.isEmpty {
                    out.append(CodeBlock(language: current.language))
                    open = nil
                }
            } else {
                let language = found.info.split(separator: " ").first.map { $0.lowercased() } ?? ""
                open = (found.marker, language)
            }
        }
        return out
    }

    /// Raw lines that are not inside (or delimiting) a fenced code block.
    static func outsideCode(_ scalars: [Unicode.Scalar]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var open: Unicode.Scalar? = nil
        for line in TextSegmentation.rawLines(scalars) {
            if let found = fence(scalars, line) {
                if let marker = open {
                    if found.marker == marker && found.info.isEmpty { open = nil }
                } else {
                    open = found.marker
                }
                continue
            }
            if open == nil { out.append(line) }
        }
        return out
    }

    /// A markdown table's shape.
    struct Table: Hashable {
        var columns: Int
        var rows: Int
    }

    private static func cells(_ scalars: [Unicode.Scalar], _ line: Range<Int>) -> [String]? {
        let trimmed = TextSegmentation.trim(scalars, line)
        let text = TextSegmentation.string(scalars, trimmed)
        guard text.contains("|") else { return nil }
        var parts = text.split(separator: "|", omittingEmptySubsequences: false).map {
            $0.trimmingPrefix(while: \.isWhitespace)
        }
        if text.hasPrefix("|") { parts.removeFirst() }
        if text.hasSuffix("|"), !parts.isEmpty { parts.removeLast() }
        return parts.isEmpty ? nil : parts.map { String($0).trimmingSuffixWhitespace() }
    }

    private static func isSeparator(_ cells: [String]) -> Bool {
        cells.allSatisfy { cell in
            var body = Substring(cell)
            if body.hasPrefix(":") { body = body.dropFirst() }
            if body.hasSuffix(":") { body = body.dropLast() }
            return !body.isEmpty && body.allSatisfy { $0 == "-" }
        }
    }

    /// Tables: a header row, a separator row with as many cells, then data rows.
    static func tables(_ scalars: [Unicode.Scalar]) -> [Table] {
        let lines = MarkdownLines.outsideCode(scalars)
        var out: [Table] = []
        var k = 0
        while k + 1 < lines.count {
            guard let header = cells(scalars, lines[k]), let separator = cells(scalars, lines[k + 1]),
                header.count == separator.count, isSeparator(separator)
            else {
                k += 1
                continue
            }
            var rows = 0
            var j = k + 2
            while j < lines.count, let row = cells(scalars, lines[j]), !row.isEmpty {
                rows += 1
                j += 1
            }
            out.append(Table(columns: header.count, rows: rows))
            k = j
        }
        return out
    }
}

extension String {
    /// The string without trailing white space.
    fileprivate func trimmingSuffixWhitespace() -> String {
        var end = endIndex
        while end > startIndex, self[index(before: end)].isWhitespace { end = index(before: end) }
        return String(self[..<end])
    }
}
