/// A validator that accepts exactly what Python's `json.loads` accepts: RFC 8259 JSON plus `NaN`,
/// `Infinity` and `-Infinity`, any top-level value, lone surrogate escapes, duplicate keys; no
/// control characters inside strings (`strict=True`), only space/tab/CR/LF between tokens.
enum PythonJSON {
    /// Nesting deeper than this fails (Python raises `RecursionError` near here).
    static let maximumDepth = 900

    /// Returns nil when `bytes` (UTF-8) is valid, else a short reason.
    static func validate(_ bytes: [UInt8]) -> String? {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return "unexpected UTF-8 BOM" }
        var parser = Parser(bytes: bytes)
        parser.skipWhitespace()
        if let problem = parser.value(depth: 0) { return problem }
        parser.skipWhitespace()
        if parser.position != bytes.count { return "extra data at byte \(parser.position)" }
        return nil
    }

    private struct Parser {
        let bytes: [UInt8]
        var position = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        mutating func skipWhitespace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x09, 0x0A, 0x0D: position += 1
                default: return
                }
            }
        }

        func peek(_ offset: Int = 0) -> UInt8? {
            position + offset < bytes.count ? bytes[position + offset] : nil
        }

        mutating func literal(_ word: String) -> Bool {
            let w = Array(word.utf8)
            guard position + w.count <= bytes.count, Array(bytes[position..<(position + w.count)]) == w else {
                return false
            }
            position += w.count
            return true
        }

        mutating func value(depth: Int) -> String? {
            guard let c = peek() else { return "expecting value at byte \(position)" }
            switch c {
            case UInt8(ascii: "{"):
                guard depth < maximumDepth else { return "nesting too deep" }
                return object(depth: depth + 1)
            case UInt8(ascii: "["):
                guard depth < maximumDepth else { return "nesting too deep" }
                return array(depth: depth + 1)
            case UInt8(ascii: "\""):
                return string()
            case UInt8(ascii: "n"): return literal("null") ? nil : "expecting value at byte \(position)"
            case UInt8(ascii: "t"): return literal("true") ? nil : "expecting value at byte \(position)"
            case UInt8(ascii: "f"): return literal("false") ? nil : "expecting value at byte \(position)"
            case UInt8(ascii: "N"): return literal("NaN") ? nil : "expecting value at byte \(position)"
            case UInt8(ascii: "I"): return literal("Infinity") ? nil : "expecting value at byte \(position)"
            case UInt8(ascii: "-"):
                if peek(1) == UInt8(ascii: "I") {
                    return literal("-Infinity") ? nil : "expecting value at byte \(position)"
                }
                return number()
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                return number()
            default:
                return "expecting value at byte \(position)"
            }
        }

        /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`, each optional part all or nothing.
        mutating func number() -> String? {
            let start = position
            if peek() == UInt8(ascii: "-") { position += 1 }
            guard let first = peek(), isDigit(first) else {
                position = start
                return "expecting value at byte \(start)"
            }
            position += 1
            if first != UInt8(ascii: "0") {
                while let d = peek(), isDigit(d) { position += 1 }
            }
            if peek() == UInt8(ascii: "."), let d = peek(1), isDigit(d) {
                position += 2
                while let d = peek(), isDigit(d) { position += 1 }
            }
            if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
                var q = position + 1
                if q < bytes.count, bytes[q] == UInt8(ascii: "+") || bytes[q] == UInt8(ascii: "-") { q += 1 }
                if q < bytes.count, isDigit(bytes[q]) {
                    position = q + 1
                    while let d = peek(), isDigit(d) { position += 1 }
                }
            }
            return nil
        }

        func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

        func isHex(_ b: UInt8) -> Bool {
            isDigit(b) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66)
        }

        mutating func string() -> String? {
            let start = position
            position += 1
            while position < bytes.count {
                let b = bytes[position]
                if b == UInt8(ascii: "\"") {
                    position += 1
                    return nil
                }
                if b < 0x20 { return "invalid control character in string at byte \(position)" }
                if b == UInt8(ascii: "\\") {
                    guard let e = peek(1) else { break }
                    switch e {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                        UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        position += 2
                    case UInt8(ascii: "u"):
                        guard position + 6 <= bytes.count, bytes[(position + 2)..<(position + 6)].allSatisfy(isHex)
                        else {
                            return "invalid \\uXXXX escape at byte \(position)"
                        }
                        position += 6
                    default:
                        return "invalid escape at byte \(position)"
                    }
                    continue
                }
                position += 1
            }
            return "unterminated string starting at byte \(start)"
        }

        mutating func array(depth: Int) -> String? {
            position += 1
            skipWhitespace()
            if peek() == UInt8(ascii: "]") {
                position += 1
                return nil
            }
            while true {
                skipWhitespace()
                if let problem = value(depth: depth) { return problem }
                skipWhitespace()
                guard let c = peek() else { return "unterminated array" }
                position += 1
                if c == UInt8(ascii: "]") { return nil }
                guard c == UInt8(ascii: ",") else { return "expecting ',' delimiter at byte \(position - 1)" }
            }
        }

        mutating func object(depth: Int) -> String? {
            position += 1
            skipWhitespace()
            if peek() == UInt8(ascii: "}") {
                position += 1
                return nil
            }
            while true {
                skipWhitespace()
                guard peek() == UInt8(ascii: "\"") else {
                    return "expecting property name enclosed in double quotes at byte \(position)"
                }
                if let problem = string() { return problem }
                skipWhitespace()
                guard peek() == UInt8(ascii: ":") else { return "expecting ':' delimiter at byte \(position)" }
                position += 1
                skipWhitespace()
                if let problem = value(depth: depth) { return problem }
                skipWhitespace()
                guard let c = peek() else { return "unterminated object" }
                position += 1
                if c == UInt8(ascii: "}") { return nil }
                guard c == UInt8(ascii: ",") else { return "expecting ',' delimiter at byte \(position - 1)" }
            }
        }
    }
}
