/// A non-validating XML 1.0 well-formedness check, as a strict parser such as expat applies it:
/// optional XML declaration, comments, processing instructions and DOCTYPE, then exactly one root
/// element with properly nested, matching tags, quoted and unique attributes, valid references and
/// no stray `<` or `&`.
enum XMLWellFormedness {
    /// Nesting deeper than this is reported rather than followed.
    static let maximumDepth = 10_000

    /// Returns nil when `s` is a well-formed document, else a short reason.
    static func check(_ s: [Unicode.Scalar]) -> String? {
        var parser = Parser(s: s)
        return parser.document()
    }

    private struct Parser {
        let s: [Unicode.Scalar]
        var i = 0
        var hasDoctype = false

        init(s: [Unicode.Scalar]) { self.s = s }

        func at(_ text: String) -> Bool {
            var k = i
            for c in text.unicodeScalars {
                guard k < s.count, s[k] == c else { return false }
                k += 1
            }
            return true
        }

        static func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\n" || c == "\r" }

        static func isChar(_ c: Unicode.Scalar) -> Bool {
            let v = c.value
            return v == 0x9 || v == 0xA || v == 0xD || (v >= 0x20 && v <= 0xD7FF) || (v >= 0xE000 && v <= 0xFFFD)
                || v >= 0x10000
        }

        static func isNameStart(_ c: Unicode.Scalar) -> Bool {
            let v = c.value
            if v < 0x80 {
                return (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || c == "_" || c == ":"
            }
            return (v >= 0xC0 && v <= 0xD6) || (v >= 0xD8 && v <= 0xF6) || (v >= 0xF8 && v <= 0x2FF)
                || (v >= 0x370 && v <= 0x37D) || (v >= 0x37F && v <= 0x1FFF) || (v >= 0x200C && v <= 0x200D)
                || (v >= 0x2070 && v <= 0x218F) || (v >= 0x2C00 && v <= 0x2FEF) || (v >= 0x3001 && v <= 0xD7FF)
                || (v >= 0xF900 && v <= 0xFDCF) || (v >= 0xFDF0 && v <= 0xFFFD) || (v >= 0x10000 && v <= 0xEFFFF)
        }

        static func isNameChar(_ c: Unicode.Scalar) -> Bool {
            let v = c.value
            if isNameStart(c) || c == "-" || c == "." || (v >= 0x30 && v <= 0x39) { return true }
            return v == 0xB7 || (v >= 0x300 && v <= 0x36F) || (v >= 0x203F && v <= 0x2040)
        }

        mutating func skipSpace() {
            while i < s.count, Self.isSpace(s[i]) { i += 1 }
        }

        mutating func name() -> String? {
            guard i < s.count, Self.isNameStart(s[i]) else { return nil }
            let start = i
            i += 1
            while i < s.count, Self.isNameChar(s[i]) { i += 1 }
            return PythonText.string(s[start..<i])
        }

        mutating func document() -> String? {
            if at("<?xml"), i + 5 < s.count, Self.isSpace(s[i + 5]) || s[i + 5] == "?" {
                if let problem = processingInstruction(declaration: true) { return problem }
            }
            if let problem = misc(allowDoctype: true) { return problem }
            guard i < s.count, s[i] == "<" else {
                return i < s.count ? "text before the root element at offset \(i)" : "no root element"
            }
            if let problem = element() { return problem }
            if let problem = misc(allowDoctype: false) { return problem }
            if i < s.count { return "content after the root element at offset \(i)" }
            return nil
        }

        /// Comments, processing instructions, whitespace (and one DOCTYPE before the root).
        mutating func misc(allowDoctype: Bool) -> String? {
            while true {
                skipSpace()
                if at("<!--") {
                    if let problem = comment() { return problem }
                } else if at("<?") {
                    if let problem = processingInstruction(declaration: false) { return problem }
                } else if allowDoctype, !hasDoctype, at("<!DOCTYPE") {
                    if let problem = doctype() { return problem }
                } else {
                    return nil
                }
            }
        }

        mutating func comment() -> String? {
            let start = i
            i += 4
            while i < s.count {
                if at("--") {
                    guard i + 2 < s.count, s[i + 2] == ">" else { return "'--' inside a comment at offset \(i)" }
                    i += 3
                    return nil
                }
                guard Self.isChar(s[i]) else { return "invalid character at offset \(i)" }
                i += 1
            }
            return "unterminated comment starting at offset \(start)"
        }

        mutating func processingInstruction(declaration: Bool) -> String? {
            let start = i
            i += 2
            guard let target = name() else { return "bad processing instruction at offset \(start)" }
            if !declaration, target.lowercased() == "xml" { return "misplaced XML declaration at offset \(start)" }
            while i < s.count {
                if at("?>") {
                    i += 2
                    return nil
                }
                guard Self.isChar(s[i]) else { return "invalid character at offset \(i)" }
                i += 1
            }
            return "unterminated processing instruction starting at offset \(start)"
        }

        mutating func doctype() -> String? {
            let start = i
            hasDoctype = true
            i += 9
            var bracket = 0
            var quote: Unicode.Scalar?
            while i < s.count {
                let c = s[i]
                i += 1
                if let q = quote {
                    if c == q { quote = nil }
                    continue
                }
                switch c {
                case "\"", "'": quote = c
                case "[": bracket += 1
                case "]": bracket -= 1
                case ">" where bracket == 0: return nil
                default: break
                }
            }
            return "unterminated DOCTYPE starting at offset \(start)"
        }

        mutating func reference() -> String? {
            let start = i
            i += 1
            if i < s.count, s[i] == "#" {
                i += 1
                var hex = false
                if i < s.count, s[i] == "x" {
                    hex = true
                    i += 1
                }
                var value: UInt32 = 0
                var digits = 0
                while i < s.count, s[i] != ";" {
                    let c = s[i].value
                    let d: UInt32
                    if c >= 0x30 && c <= 0x39 {
                        d = c - 0x30
                    } else if hex, c >= 0x61 && c <= 0x66 {
                        d = c - 0x61 + 10
                    } else if hex, c >= 0x41 && c <= 0x46 {
                        d = c - 0x41 + 10
                    } else {
                        return "bad character reference at offset \(start)"
                    }
                    value = min(value &* (hex ? 16 : 10) &+ d, 0x110000)
                    digits += 1
                    i += 1
                }
                guard i < s.count, digits > 0, let scalar = Unicode.Scalar(value), Self.isChar(scalar) else {
                    return "bad character reference at offset \(start)"
                }
                i += 1
                return nil
            }
            guard let entity = name(), i < s.count, s[i] == ";" else {
                return "bad entity reference at offset \(start)"
            }
            i += 1
            switch entity {
            case "lt", "gt", "amp", "apos", "quot": return nil
            default: return hasDoctype ? nil : "undefined entity &\(entity); at offset \(start)"
            }
        }

        mutating func element() -> String? {
            var stack: [String] = []
            while true {
                // At a '<' that opens an element.
                let start = i
                i += 1
                guard let tag = name() else { return "bad tag name at offset \(start)" }
                var attributes = Set<String>()
                var selfClosing = false
                while true {
                    let hadSpace = i < s.count && Self.isSpace(s[i])
                    skipSpace()
                    guard i < s.count else { return "unterminated tag <\(tag)> at offset \(start)" }
                    if s[i] == ">" {
                        i += 1
                        break
                    }
                    if at("/>") {
                        i += 2
                        selfClosing = true
                        break
                    }
                    guard hadSpace, let attribute = name() else { return "bad attribute in <\(tag)> at offset \(i)" }
                    guard attributes.insert(attribute).inserted else {
                        return "duplicate attribute '\(attribute)' in <\(tag)>"
                    }
                    skipSpace()
                    guard i < s.count, s[i] == "=" else { return "attribute '\(attribute)' has no value" }
                    i += 1
                    skipSpace()
                    guard i < s.count, s[i] == "\"" || s[i] == "'" else { return "unquoted attribute '\(attribute)'" }
                    let quote = s[i]
                    i += 1
                    while i < s.count, s[i] != quote {
                        if s[i] == "<" { return "'<' in attribute '\(attribute)'" }
                        if s[i] == "&" {
                            if let problem = reference() { return problem }
                            continue
                        }
                        guard Self.isChar(s[i]) else { return "invalid character at offset \(i)" }
                        i += 1
                    }
                    guard i < s.count else { return "unterminated attribute '\(attribute)'" }
                    i += 1
                }
                if !selfClosing {
                    guard stack.count < maximumDepth else { return "nesting too deep" }
                    stack.append(tag)
                }
                // Content until the next child element or the matching end tag.
                while !stack.isEmpty {
                    guard i < s.count else { return "unclosed <\(stack.last!)>" }
                    let c = s[i]
                    if c == "<" {
                        if at("</") {
                            let endStart = i
                            i += 2
                            guard let closing = name() else { return "bad end tag at offset \(endStart)" }
                            skipSpace()
                            guard i < s.count, s[i] == ">" else { return "bad end tag </\(closing)>" }
                            i += 1
                            let open = stack.removeLast()
                            guard open == closing else { return "</\(closing)> closes <\(open)>" }
                        } else if at("<!--") {
                            if let problem = comment() { return problem }
                        } else if at("<![CDATA[") {
                            let cdataStart = i
                            i += 9
                            while i < s.count, !at("]]>") { i += 1 }
                            guard i < s.count else { return "unterminated CDATA at offset \(cdataStart)" }
                            i += 3
                        } else if at("<?") {
                            if let problem = processingInstruction(declaration: false) { return problem }
                        } else {
                            break  // a child element
                        }
                    } else if c == "&" {
                        if let problem = reference() { return problem }
                    } else {
                        if at("]]>") { return "']]>' in content at offset \(i)" }
                        guard Self.isChar(c) else { return "invalid character at offset \(i)" }
                        i += 1
                    }
                }
                if stack.isEmpty { return nil }
            }
        }
    }
}
