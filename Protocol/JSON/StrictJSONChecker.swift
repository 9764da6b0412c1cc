/// The lexical checks json-c leaves out, run after json-c accepted a document.
///
/// Even with `JSON_TOKENER_STRICT`, json-c 0.16 accepts things RFC 8259 forbids and silently
/// changes others. This pass walks the bytes once (structure is already known to be sound) and
/// rejects:
/// - single-quoted strings, `NaN`, `Infinity` and any other bare word but `true`/`false`/`null`;
/// - numbers outside the JSON grammar (`1.`, `1.e5`) and integer literals outside `Int64`
///   (json-c clamps them silently);
/// - raw control characters (U+0000–U+001F) inside strings;
/// - ill-formed UTF-8 that json-c's check lets through (overlong forms, encoded surrogates,
///   code points above U+10FFFF) and `\u` escapes naming an unpaired surrogate (json-c turns
///   them into U+FFFD);
/// - object keys containing `\u0000` (json-c truncates keys at NUL).
struct StrictJSONChecker {
    private let bytes: UnsafeBufferPointer<UInt8>
    private let maxDepth: Int
    private var i = 0
    private var depth = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    /// Checks `bytes`, which json-c already parsed successfully, including the exact container
    /// depth (json-c counts scalars as a level, so its own limit is only a coarse guard).
    static func check(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) throws(WireError) {
        var checker = StrictJSONChecker(bytes, maxDepth: maxDepth)
        try checker.run()
    }

    /// The offset of the first `[`/`{` nested deeper than `maxDepth`, skipping strings; nil if none.
    ///
    /// Used to report json-c's depth errors at the exact bracket (json-c notices a little later).
    static func firstOffsetDeeper(than maxDepth: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var depth = 0
        var inString = false
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if inString {
                if b == UInt8(ascii: "\\") {
                    i += 1
                } else if b == UInt8(ascii: "\"") {
                    inString = false
                }
            } else if b == UInt8(ascii: "\"") {
                inString = true
            } else if b == UInt8(ascii: "[") || b == UInt8(ascii: "{") {
                depth += 1
                if depth > maxDepth { return i }
            } else if b == UInt8(ascii: "]") || b == UInt8(ascii: "}") {
                depth -= 1
            }
            i += 1
        }
        return nil
    }

    private mutating func run() throws(WireError) {
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                if depth > maxDepth { throw .depthExceeded(limit: maxDepth, offset: i) }
                i += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                i += 1
            case 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ","), UInt8(ascii: ":"):
                i += 1
            case UInt8(ascii: "\""):
                let start = i
                let containsNUL = try scanString()
                if containsNUL && nextNonWhitespace() == UInt8(ascii: ":") {
                    throw .nulInObjectKey(offset: start)
                }
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                try scanNumber()
            case UInt8(ascii: "t"):
                try expectWord("true")
            case UInt8(ascii: "f"):
                try expectWord("false")
            case UInt8(ascii: "n"):
                try expectWord("null")
            case UInt8(ascii: "'"):
                throw .invalidJSON(message: "single-quoted strings are not JSON", offset: i)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"):
                try expectWord("")  // NaN, Infinity, True...: always an error, naming the word
            default:
                throw .invalidJSON(message: "unexpected character \(Self.describe(b))", offset: i)
            }
        }
    }

    private func nextNonWhitespace() -> UInt8? {
        var j = i
        while j < bytes.count {
            switch bytes[j] {
            case 0x20, 0x09, 0x0A, 0x0D: j += 1
            default: return bytes[j]
            }
        }
        return nil
    }

    private mutating func expectWord(_ word: StaticString) throws(WireError) {
        let start = i
        var matched = true
        word.withUTF8Buffer { w in
            if bytes.count - i < w.count {
                matched = false
                return
            }
            for k in 0..<w.count where bytes[i + k] != w[k] {
                matched = false
                return
            }
            i += w.count
        }
        // The word must not run on into more letters (`nullx`, `NaN` starting with `n`...).
        if matched, i < bytes.count, Self.isWordByte(bytes[i]) { matched = false }
        guard matched else {
            var end = start
            while end < bytes.count, end - start < 16, Self.isWordByte(bytes[end]) { end += 1 }
            let text = String(
                decoding: UnsafeBufferPointer(rebasing: bytes[start..<max(end, start + 1)]), as: UTF8.self)
            throw .invalidJSON(message: "'\(text)' is not a JSON value", offset: start)
        }
    }

    private static func isWordByte(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
            || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
    }

    // MARK: Numbers

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`; integers must fit in `Int64`.
    private mutating func scanNumber() throws(WireError) {
        let start = i
        var negative = false
        if bytes[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        let intStart = i
        guard i < bytes.count, Self.isDigit(bytes[i]) else { throw numberError(start) }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
        } else {
            while i < bytes.count, Self.isDigit(bytes[i]) { i += 1 }
        }
        let intEnd = i
        var isInteger = true
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            isInteger = false
            i += 1
            guard i < bytes.count, Self.isDigit(bytes[i]) else { throw numberError(start) }
            while i < bytes.count, Self.isDigit(bytes[i]) { i += 1 }
        }
        var hasExponent = false
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            isInteger = false
            hasExponent = true
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard i < bytes.count, Self.isDigit(bytes[i]) else { throw numberError(start) }
            while i < bytes.count, Self.isDigit(bytes[i]) { i += 1 }
        }
        if i < bytes.count, Self.isWordByte(bytes[i]) || bytes[i] == UInt8(ascii: ".") {
            throw numberError(start)
        }
        if isInteger {
            if !Self.fitsInt64(digits: bytes[intStart..<intEnd], negative: negative) {
                throw .numberOutOfRange(literal: text(start..<i), offset: start)
            }
        } else if hasExponent || intEnd - intStart > 308 {
            // Only these can exceed Double's range (≈1.8e308); json-c would turn them into infinity.
            let literal = text(start..<i)
            if let d = Double(literal), !d.isFinite {
                throw .numberOutOfRange(literal: literal, offset: start)
            }
        }
    }

    private func numberError(_ start: Int) -> WireError {
        var end = i
        while end < bytes.count, end - start < 32,
            Self.isWordByte(bytes[end])
                || [UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "+")].contains(bytes[end])
        {
            end += 1
        }
        return .invalidJSON(message: "malformed number '\(text(start..<max(end, i)))'", offset: start)
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    /// Whether the decimal digits (no leading zeros) with the given sign fit in `Int64`.
    private static func fitsInt64(digits: Slice<UnsafeBufferPointer<UInt8>>, negative: Bool) -> Bool {
        let limit: StaticString = negative ? "9223372036854775808" : "9223372036854775807"
        if digits.count != 19 { return digits.count < 19 }
        return limit.withUTF8Buffer { l in
            for (k, d) in digits.enumerated() where d != l[k] {
                return d < l[k]
            }
            return true
        }
    }

    // MARK: Strings

    /// Scans a string starting at its opening quote; returns whether it contains an escaped NUL.
    private mutating func scanString() throws(WireError) -> Bool {
        i += 1
        var containsNUL = false
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                return containsNUL
            } else if b == UInt8(ascii: "\\") {
                if try scanEscape() { containsNUL = true }
            } else if b < 0x20 {
                throw .invalidJSON(
                    message: "unescaped control character \(Self.describe(b)) in string", offset: i)
            } else if b < 0x80 {
                i += 1
            } else {
                try scanUTF8Sequence()
            }
        }
        throw .invalidJSON(message: "unterminated string", offset: i)
    }

    /// Scans one escape at the backslash; returns whether it was `\u0000`.
    private mutating func scanEscape() throws(WireError) -> Bool {
        let start = i
        guard i + 1 < bytes.count else { throw .invalidJSON(message: "unterminated escape", offset: start) }
        switch bytes[i + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            i += 2
            return false
        case UInt8(ascii: "u"):
            let unit = try hexUnit(at: i + 2, escapeStart: start)
            i += 6
            if (0xD800...0xDBFF).contains(unit) {
                // A high surrogate must be followed at once by an escaped low surrogate.
                var pairs = false
                if i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
                    let low = try hexUnit(at: i + 2, escapeStart: i)
                    pairs = (0xDC00...0xDFFF).contains(low)
                }
                guard pairs else {
                    throw .invalidUTF8(
                        message: "unpaired high surrogate \\u\(Self.hex4(unit)) in string", offset: start)
                }
                i += 6
            } else if (0xDC00...0xDFFF).contains(unit) {
                throw .invalidUTF8(message: "unpaired low surrogate \\u\(Self.hex4(unit)) in string", offset: start)
            }
            return unit == 0
        default:
            throw .invalidJSON(message: "invalid escape '\\\(Self.describe(bytes[i + 1]))'", offset: start)
        }
    }

    private func hexUnit(at position: Int, escapeStart: Int) throws(WireError) -> UInt16 {
        guard position + 4 <= bytes.count else {
            throw .invalidJSON(message: "truncated \\u escape", offset: escapeStart)
        }
        var unit: UInt16 = 0
        for k in 0..<4 {
            let c = bytes[position + k]
            let v: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): v = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): v = c - UInt8(ascii: "A") + 10
            default: throw .invalidJSON(message: "invalid \\u escape", offset: escapeStart)
            }
            unit = unit << 4 | UInt16(v)
        }
        return unit
    }

    /// Validates one multi-byte UTF-8 sequence at `i` (Unicode Table 3-7) and steps over it.
    private mutating func scanUTF8Sequence() throws(WireError) {
        let b0 = bytes[i]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch b0 {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            secondRange = 0x80...0x9F
        case 0xF0:
            length = 4
            secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            secondRange = 0x80...0x8F
        default:
            throw .invalidUTF8(message: "byte 0x\(Self.hex2(b0)) cannot start a UTF-8 sequence", offset: i)
        }
        guard i + length <= bytes.count, secondRange.contains(bytes[i + 1]) else {
            throw .invalidUTF8(message: "ill-formed UTF-8 sequence starting with 0x\(Self.hex2(b0))", offset: i)
        }
        for k in 2..<length where !(0x80...0xBF).contains(bytes[i + k]) {
            throw .invalidUTF8(message: "ill-formed UTF-8 sequence starting with 0x\(Self.hex2(b0))", offset: i)
        }
        i += length
    }

    // MARK: Messages

    private func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range.clamped(to: 0..<bytes.count)]), as: UTF8.self)
    }

    static func describe(_ b: UInt8) -> String {
        if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        return "0x\(hex2(b))"
    }

    static func hex2(_ b: UInt8) -> String {
        let s = String(b, radix: 16, uppercase: true)
        return s.count == 1 ? "0" + s : s
    }

    static func hex4(_ u: UInt16) -> String {
        let s = String(u, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - s.count) + s
    }
}
