/// IFBench's CSV and date-list `custom:*` ids, with Python's `csv.reader` (excel dialect) ported.
enum IFBenchCSVVerifiers {
    /// Python's `csv.reader(io.StringIO(text), delimiter=…)` with the excel dialect (quote `"`,
    /// doubled quotes, not strict), as its C state machine runs: records end at line ends outside
    /// quotes, an empty line is an empty record, text after a closing quote joins the field.
    enum PythonCSV {
        private enum State { case startRecord, startField, inField, inQuoted, quoteInQuoted, eatCRNL }

        /// The records, or nil where the reference raises `csv.Error` ("new-line character seen in
        /// unquoted field").
        static func read(_ text: [Unicode.Scalar], delimiter: Unicode.Scalar) -> [[[Unicode.Scalar]]]? {
            var records: [[[Unicode.Scalar]]] = []
            var fields: [[Unicode.Scalar]] = []
            var field: [Unicode.Scalar] = []
            var state = State.startRecord
            // io.StringIO yields lines ending after each "\n".
            var lines: [ArraySlice<Unicode.Scalar>] = []
            var start = 0
            for (i, c) in text.enumerated() where c == "\n" {
                lines.append(text[start...i])
                start = i + 1
            }
            if start < text.count { lines.append(text[start...]) }

            func save() {
                fields.append(field)
                field = []
            }
            /// One character, or the end of a line when `c` is nil. Returns false on csv.Error.
            func process(_ c: Unicode.Scalar?) -> Bool {
                let newline = c == "\n" || c == "\r"
                if state == .startRecord {
                    if c == nil { return true }
                    if newline {
                        state = .eatCRNL
                        return true
                    }
                    state = .startField
                }
                switch state {
                case .startRecord: return true
                case .startField:
                    if c == nil || newline {
                        save()
                        state = c == nil ? .startRecord : .eatCRNL
                    } else if c == "\"" {
                        state = .inQuoted
                    } else if c == delimiter {
                        save()
                    } else {
                        field.append(c!)
                        state = .inField
                    }
                case .inField:
                    if c == nil || newline {
                        save()
                        state = c == nil ? .startRecord : .eatCRNL
                    } else if c == delimiter {
                        save()
                        state = .startField
                    } else {
                        field.append(c!)
                    }
                case .inQuoted:
                    if c == nil {
                    } else if c == "\"" {
                        state = .quoteInQuoted
                    } else {
                        field.append(c!)
                    }
                case .quoteInQuoted:
                    if c == "\"" {
                        field.append("\"")
                        state = .inQuoted
                    } else if c == delimiter {
                        save()
                        state = .startField
                    } else if c == nil || newline {
                        save()
                        state = c == nil ? .startRecord : .eatCRNL
                    } else {
                        field.append(c!)
                        state = .inField
                    }
                case .eatCRNL:
                    if newline {
                    } else if c == nil {
                        state = .startRecord
                    } else {
                        return false
                    }
                }
                return true
            }

            var index = 0
            while index < lines.count {
                fields = []
                repeat {
                    guard index < lines.count else {
                        // End of input inside a record: the partial field is saved.
                        if !field.isEmpty || state == .inQuoted {
                            save()
                            records.append(fields)
                        }
                        return records
                    }
                    // A NUL raises csv.Error ("line contains NUL").
                    for c in lines[index] where c == "\0" || !process(c) { return nil }
                    if !process(nil) { return nil }
                    index += 1
                } while state != .startRecord
                records.append(fields)
            }
            return records
        }
    }

    /// Matches `^(A|"A")<sep>(B|"B")…$` on the stripped first line; `sep` is the delimiter
    /// followed by any run of `padding` characters.
    static func headerMatches(
        _ line: ArraySlice<Unicode.Scalar>, names: [String], delimiter: Unicode.Scalar, padding: Set<Unicode.Scalar>
    ) -> Bool {
        var rest = line
        for (i, name) in names.enumerated() {
            if i > 0 {
                guard rest.first == delimiter else { return false }
                rest = rest.dropFirst().drop { padding.contains($0) }
            }
            let plain = Array(name.unicodeScalars)
            let quotedName: [Unicode.Scalar] = ["\""] + plain + ["\""]
            if rest.starts(with: plain) {
                rest = rest.dropFirst(plain.count)
            } else if rest.starts(with: quotedName) {
                rest = rest.dropFirst(quotedName.count)
            } else {
                return false
            }
        }
        return rest.isEmpty
    }

    static let cityCSV = IFBenchSchema.verifier(
        "custom:csv_city", .structure,
        "CSV (comma) with the header ID,Country,City,Year,Count and 7 data rows of 5 fields."
    ) { (_: Parameters) throws(VerifierError) -> any Rule in
        IFBenchRule { response in
            guard let data = PythonCSV.read(response.scalars, delimiter: ",") else {
                return Check(pass: false, detail: "not valid CSV (new-line character in an unquoted field)")
            }
            guard data.count == 8 else {
                return Check(pass: false, detail: "found \(data.count) CSV rows, need 8 (header + 7)")
            }
            let header = data[0].map { PythonText.string($0[...]) }
            guard header == ["ID", "Country", "City", "Year", "Count"] else {
                return Check(pass: false, detail: "the header is \(header), need [ID, Country, City, Year, Count]")
            }
            if let bad = data.dropFirst().firstIndex(where: { $0.count != 5 }) {
                return Check(pass: false, detail: "row \(bad) has \(data[bad].count) fields, need 5")
            }
            return Check(pass: true, detail: "header and 7 rows of 5 fields")
        }
    }

    static let specialCharacterCSV = IFBenchSchema.verifier(
        "custom:csv_special_character", .structure,
        "CSV (comma) with the header ProductID,Category,Brand,Price,Stock, 14 rows of 5 fields, one double-quoted field holding a special character."
    ) { (_: Parameters) throws(VerifierError) -> any Rule in
        IFBenchRule { response in
            let s = response.scalars
            let firstLine = s.prefix { $0 != "\n" }
            guard
                headerMatches(
                    PyStr.stripSpace(firstLine), names: ["ProductID", "Category", "Brand", "Price", "Stock"],
                    delimiter: ",", padding: [" ", "\t"])
            else {
                return Check(
                    pass: false, detail: "the first line is not the header ProductID,Category,Brand,Price,Stock")
            }
            // The reference triples every quote first (value.replace('"', '"""')), so quoted
            // fields keep a pair of literal quotes.
            guard let data = PythonCSV.read(tripleQuotes(s), delimiter: ",") else {
                return Check(pass: false, detail: "not valid CSV (new-line character in an unquoted field)")
            }
            guard data.count == 15 else {
                return Check(pass: false, detail: "found \(data.count) CSV rows, need 15 (header + 14)")
            }
            for (index, row) in data.enumerated().dropFirst() {
                guard row.count == 5 else {
                    return Check(pass: false, detail: "row \(index) has \(row.count) fields, need 5")
                }
                if row.contains(where: quotedSpecial) {
                    return Check(pass: true, detail: "header, 14 rows, and a quoted field with a special character")
                }
            }
            return Check(pass: false, detail: "no field holds a special character in double quotes")
        }
    }

    /// `value.replace('"', '"""')`.
    private static func tripleQuotes(_ s: [Unicode.Scalar]) -> [Unicode.Scalar] {
        s.flatMap { $0 == "\"" ? ["\"", "\"", "\""] : [$0] }
    }

    /// `re.match(r'".*[^\d\w\s].*"', field)`: a quote, later a character that is not a digit, word
    /// or space character, later another quote, all on the field's first line.
    private static func quotedSpecial(_ field: [Unicode.Scalar]) -> Bool {
        guard field.first == "\"" else { return false }
        let line = field.prefix { $0 != "\n" }
        guard line.count >= 3 else { return false }
        guard
            let special = line.indices.dropFirst().first(where: {
                let c = line[$0]
                return !PythonText.isWord(c) && !PythonText.isSpace(c.value)
            })
        else { return false }
        return line[(special + 1)...].contains("\"")
    }

    static let quotesCSV = IFBenchSchema.verifier(
        "custom:csv_quotes", .structure,
        "Tab-separated with the header StudentID, Subject, Grade, Semester, Score and 3 rows of 5 fields, every field (header included) in double quotes."
    ) { (_: Parameters) throws(VerifierError) -> any Rule in
        IFBenchRule { response in
            let s = response.scalars
            let firstLine = s.prefix { $0 != "\n" }
            guard
                headerMatches(
                    PyStr.stripSpace(firstLine), names: ["StudentID", "Subject", "Grade", "Semester", "Score"],
                    delimiter: "\t", padding: [" "])
            else { return Check(pass: false, detail: "the first line is not the tab-separated header") }
            guard let data = PythonCSV.read(tripleQuotes(s), delimiter: "\t") else {
                return Check(pass: false, detail: "not valid CSV (new-line character in an unquoted field)")
            }
            guard data.count == 4 else {
                return Check(pass: false, detail: "found \(data.count) rows, need 4 (header + 3)")
            }
            for (index, row) in data.enumerated() {
                guard row.count == 5 else {
                    return Check(pass: false, detail: "row \(index) has \(row.count) fields, need 5")
                }
                for field in row {
                    let f = PyStr.stripSpace(field[...])
                    guard let first = f.first, let last = f.last else {
                        return Check(pass: false, detail: "row \(index) has an empty field (the reference fails it)")
                    }
                    if first != "\"" || last != "\"" {
                        return Check(
                            pass: false, detail: "row \(index) has a field not enclosed in literal double quotes")
                    }
                }
            }
            return Check(pass: true, detail: "header and 3 rows, every field quoted")
        }
    }

    static let dateFormatList = IFBenchSchema.verifier(
        "custom:date_format_list", .format,
        "A comma-separated list of YYYY-MM-DD dates with years 1769–1821 and months/days in range."
    ) { (_: Parameters) throws(VerifierError) -> any Rule in
        IFBenchRule { response in
            let text = Array(PyStr.stripSpace(response.scalars[...]))
            for piece in PyStr.split(text, separator: [","]) {
                let d = Array(PyStr.stripSpace(piece[...]))
                let shape =
                    d.count == 10 && d[4] == "-" && d[7] == "-"
                    && [0, 1, 2, 3, 5, 6, 8, 9].allSatisfy { PythonText.isDecimal(d[$0]) }
                let label = quoted(PythonText.string(d[...]))
                guard shape else { return Check(pass: false, detail: "\(label) is not YYYY-MM-DD") }
                func number(_ r: Range<Int>) -> Int {
                    r.reduce(0) { $0 * 10 + Int(d[$1].properties.numericValue ?? 0) }
                }
                let (year, month, day) = (number(0..<4), number(5..<7), number(8..<10))
                if year < 1769 || year > 1821 {
                    return Check(pass: false, detail: "\(label): the year is not 1769–1821")
                }
                if month > 12 { return Check(pass: false, detail: "\(label): month \(month)") }
                let maxDay =
                    [1, 3, 5, 7, 8, 10, 12].contains(month)
                    ? 31 : [4, 6, 9, 11].contains(month) ? 30 : month == 2 ? 29 : Int.max
                if day > maxDay { return Check(pass: false, detail: "\(label): day \(day) of month \(month)") }
            }
            return Check(pass: true, detail: "every item is a date in range")
        }
    }
}
