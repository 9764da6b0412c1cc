/// A strict JSON (RFC 8259) validator that reports the top-level value's kind and object keys.
enum JSONValidator {
    /// The result of validating a document.
    struct Document: Hashable {
        /// "object", "array", "string", "number", "boolean" or "null".
        var kind: String
        /// The keys of a top-level object, in order of appearance.
        var keys: [String]
    }

    /// Nesting deeper than this is rejected (no recursion bomb).
    static let maxDepth = 256

    /// Validates `text`; returns the document or an error message with its byte offset.
    static func validate(_ text: String) -> Result<Document, ValidationFailure> {
        var parser = Parser(bytes: Array(text.utf8))
        return parser.document()
    }

    struct ValidationFailure: Error, Hashable {
        var message: String
    }

    private struct Parser {
        let bytes: [UInt8]
        var i = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        mutating func document() -> Result<Document, ValidationFailure> {
            skipSpace()
            var keys: [String] = []
            let kind: String
            do throws(ValidationFailure) {
                kind = try value(depth: 0, topKeys: &keys)
                skipSpace()
                if i < bytes.count { throw failure("unexpected text after the JSON value") }
            } catch {
                return .failure(error)
            }
            return .success(Document(kind: kind, keys: keys))
        }

        func failure(_ message: String) -> ValidationFailure {
            ValidationFailure(message: "\(message) at byte \(i)")
        }

        mutating func skipSpace() {
            while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
        }

        mutating func expect(_ literal: String) throws(ValidationFailure) {
            for b in literal.utf8 {
                guard i < bytes.count, bytes[i] == b else { throw failure("invalid literal") }
                i += 1
            }
        }

        mutating func value(depth: Int, topKeys: inout [String]) throws(ValidationFailure) -> String {
            guard depth < JSONValidator.maxDepth else { throw failure("nested too deeply") }
            guard i < bytes.count else { throw failure("unexpected end") }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                i += 1
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
                    i += 1
                    return "object"
                }
                var ignored: [String] = []
                while true {
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else {
                        throw failure("expected a key string")
                    }
                    let key = try string()
                    if depth == 0 { topKeys.append(key) }
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw failure("expected ':'") }
                    i += 1
                    skipSpace()
                    _ = try value(depth: depth + 1, topKeys: &ignored)
                    skipSpace()
                    guard i < bytes.count else { throw failure("unterminated object") }
                    if bytes[i] == UInt8(ascii: ",") {
                        i += 1
                        continue
                    }
                    guard bytes[i] == UInt8(ascii: "}") else { throw failure("expected ',' or '}'") }
                    i += 1
                    return "object"
                }
            case UInt8(ascii: "["):
                i += 1
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
                    i += 1
                    return "array"
                }
                var ignored: [String] = []
                while true {
                    skipSpace()
                    _ = try value(depth: depth + 1, topKeys: &ignored)
                    skipSpace()
                    guard i < bytes.count else { throw failure("unterminated array") }
                    if bytes[i] == UInt8(ascii: ",") {
                        i += 1
                        continue
                    }
                    guard bytes[i] == UInt8(ascii: "]") else { throw failure("expected ',' or ']'") }
                    i += 1
                    return "array"
                }
            case UInt8(ascii: "\""):
                _ = try string()
                return "string"
            case UInt8(ascii: "t"):
                try expect("true")
                return "boolean"
            case UInt8(ascii: "f"):
                try expect("false")
                return "boolean"
            case UInt8(ascii: "n"):
                try expect("null")
                return "null"
            default:
                try number()
                return "number"
            }
        }

        mutating func string() throws(ValidationFailure) -> String {
            i += 1  // opening quote
            var out: [UInt8] = []
            while i < bytes.count {
                let b = bytes[i]
                switch b {
                case UInt8(ascii: "\""):
                    i += 1
                    return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    i += 1
                    guard i < bytes.count else { throw failure("unterminated escape") }
                    let e = bytes[i]
                    switch e {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                    case UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        out.append(0x20)
                    case UInt8(ascii: "u"):
                        for _ in 0..<4 {
                            i += 1
                            guard i < bytes.count,
                                (bytes[i] >= 0x30 && bytes[i] <= 0x39)
                                    || (bytes[i] | 0x20 >= 0x61 && bytes[i] | 0x20 <= 0x66)
                            else { throw failure("bad \\u escape") }
                        }
                        out.append(UInt8(ascii: "?"))
                    default:
                        throw failure("bad escape")
                    }
                    i += 1
                case 0x00...0x1F:
                    throw failure("control character in a string")
                default:
                    out.append(b)
                    i += 1
                }
            }
            throw failure("unterminated string")
        }

        mutating func number() throws(ValidationFailure) {
            let start = i
            if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
            func digits(_ i: inout Int) -> Int {
                var n = 0
                while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
                    i += 1
                    n += 1
                }
                return n
            }
            guard i < bytes.count else { throw failure("invalid value") }
            if bytes[i] == UInt8(ascii: "0") {
                i += 1
            } else if digits(&i) == 0 {
                i = start
                throw failure("invalid value")
            }
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
                i += 1
                guard digits(&i) > 0 else { throw failure("digits expected after '.'") }
            }
            if i < bytes.count, bytes[i] | 0x20 == UInt8(ascii: "e") {
                i += 1
                if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
                guard digits(&i) > 0 else { throw failure("digits expected in the exponent") }
            }
        }
    }
}

/// An XML 1.0 well-formedness checker (elements, attributes, entities, comments, CDATA,
/// processing instructions, a DOCTYPE skipped as a unit); no DTD validation.
enum XMLChecker {
    /// The root element's name, or an error message.
    static func check(_ text: String) -> Result<String, JSONValidator.ValidationFailure> {
        var checker = Checker(s: Array(text.unicodeScalars))
        do throws(JSONValidator.ValidationFailure) {
            return .success(try checker.document())
        } catch {
            return .failure(error)
        }
    }

    private struct Checker {
        let s: [Unicode.Scalar]
        var i = 0

        init(s: [Unicode.Scalar]) { self.s = s }

        func failure(_ message: String) -> JSONValidator.ValidationFailure {
            // Report a line number, friendlier than an offset for XML.
            let line = s[..<min(i, s.count)].filter { $0 == "\n" }.count + 1
            return JSONValidator.ValidationFailure(message: "\(message) (line \(line))")
        }

        func starts(_ literal: String) -> Bool {
            var k = i
            for c in literal.unicodeScalars {
                guard k < s.count, s[k] == c else { return false }
                k += 1
            }
            return true
        }

        mutating func skipSpace() {
            while i < s.count, s[i] == " " || s[i] == "\t" || s[i] == "\n" || s[i] == "\r" { i += 1 }
        }

        mutating func skip(past terminator: String, what: String) throws(JSONValidator.ValidationFailure) {
            while i < s.count {
                if starts(terminator) {
                    i += terminator.unicodeScalars.count
                    return
                }
                i += 1
            }
            throw failure("unterminated \(what)")
        }

        static func isNameStart(_ c: Unicode.Scalar) -> Bool {
            c == "_" || c == ":" || c.properties.isAlphabetic
        }

        static func isName(_ c: Unicode.Scalar) -> Bool {
            isNameStart(c) || c == "-" || c == "." || c.properties.numericType != nil
                || c.properties.generalCategory == .nonspacingMark
        }

        mutating func name() throws(JSONValidator.ValidationFailure) -> String {
            guard i < s.count, Self.isNameStart(s[i]) else { throw failure("expected a name") }
            var out = String.UnicodeScalarView()
            while i < s.count, Self.isName(s[i]) {
                out.append(s[i])
                i += 1
            }
            return String(out)
        }

        /// Comments, processing instructions and white space between top-level items.
        mutating func misc() throws(JSONValidator.ValidationFailure) {
            while true {
                skipSpace()
                if starts("<!--") {
                    i += 4
                    try skip(past: "-->", what: "comment")
                } else if starts("<?") {
                    i += 2
                    try skip(past: "?>", what: "processing instruction")
                } else {
                    return
                }
            }
        }

        mutating func document() throws(JSONValidator.ValidationFailure) -> String {
            if i < s.count, s[i] == "\u{FEFF}" { i += 1 }
            try misc()
            if starts("<!DOCTYPE") {
                var depth = 0
                while i < s.count {
                    if s[i] == "[" { depth += 1 }
                    if s[i] == "]" { depth -= 1 }
                    if s[i] == ">" && depth <= 0 { break }
                    i += 1
                }
                guard i < s.count else { throw failure("unterminated DOCTYPE") }
                i += 1
                try misc()
            }
            guard i < s.count, s[i] == "<" else { throw failure("no root element") }
            let root = try element()
            try misc()
            guard i == s.count else { throw failure("content after the root element") }
            return root
        }

        /// One element and its content, iteratively (a stack of open names).
        mutating func element() throws(JSONValidator.ValidationFailure) -> String {
            var stack: [String] = []
            var root = ""
            repeat {
                // At a '<' that starts a tag, comment, CDATA or PI inside content (or the root).
                if starts("<!--") {
                    i += 4
                    try skip(past: "-->", what: "comment")
                } else if starts("<![CDATA[") {
                    i += 9
                    try skip(past: "]]>", what: "CDATA section")
                } else if starts("<?") {
                    i += 2
                    try skip(past: "?>", what: "processing instruction")
                } else if starts("</") {
                    i += 2
                    let closing = try name()
                    skipSpace()
                    guard i < s.count, s[i] == ">" else { throw failure("expected '>' after </\(closing)") }
                    i += 1
                    guard let open = stack.popLast() else { throw failure("unexpected </\(closing)>") }
                    guard open == closing else { throw failure("</\(closing)> closes <\(open)>") }
                } else {
                    i += 1  // '<'
                    let tag = try name()
                    if stack.isEmpty && root.isEmpty { root = tag }
                    var seen = Set<String>()
                    var selfClosing = false
                    while true {
                        let hadSpace = i < s.count && (s[i] == " " || s[i] == "\t" || s[i] == "\n" || s[i] == "\r")
                        skipSpace()
                        guard i < s.count else { throw failure("unterminated <\(tag)>") }
                        if s[i] == ">" {
                            i += 1
                            break
                        }
                        if starts("/>") {
                            i += 2
                            selfClosing = true
                            break
                        }
                        guard hadSpace else { throw failure("expected white space before an attribute in <\(tag)>") }
                        let attribute = try name()
                        guard seen.insert(attribute).inserted else { throw failure("duplicate attribute \(attribute)") }
                        skipSpace()
                        guard i < s.count, s[i] == "=" else { throw failure("expected '=' after \(attribute)") }
                        i += 1
                        skipSpace()
                        guard i < s.count, s[i] == "\"" || s[i] == "'" else {
                            throw failure("attribute \(attribute) needs a quoted value")
                        }
                        let quote = s[i]
                        i += 1
                        while i < s.count, s[i] != quote {
                            if s[i] == "<" { throw failure("'<' in attribute \(attribute)") }
                            if s[i] == "&" { try entity() } else { i += 1 }
                        }
                        guard i < s.count else { throw failure("unterminated attribute \(attribute)") }
                        i += 1
                    }
                    if !selfClosing { stack.append(tag) }
                }
                if stack.isEmpty { break }
                // Character data up to the next '<'.
                while i < s.count, s[i] != "<" {
                    if s[i] == "&" { try entity() } else { i += 1 }
                }
                guard i < s.count else { throw failure("<\(stack.last!)> is never closed") }
            } while true
            return root
        }

        mutating func entity() throws(JSONValidator.ValidationFailure) {
            let start = i
            i += 1
            if i < s.count, s[i] == "#" {
                i += 1
                var digits = 0
                let hex = i < s.count && s[i] == "x"
                if hex { i += 1 }
                while i < s.count, s[i].isASCII,
                    hex ? s[i].properties.isASCIIHexDigit : (0x30...0x39).contains(s[i].value)
                {
                    i += 1
                    digits += 1
                }
                guard digits > 0 else {
                    i = start
                    throw failure("bad character reference")
                }
            } else {
                _ = try name()
            }
            guard i < s.count, s[i] == ";" else {
                i = start
                throw failure("'&' must start an entity such as &amp;")
            }
            i += 1
        }
    }
}
