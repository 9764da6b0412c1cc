internal import CTextKernels

/// Python `str` semantics the reference checkers rely on, on Unicode scalars (Python indexes
/// strings by code point, so scalars are the faithful unit).
enum PythonText {
    /// Python's `str.isspace()` for one code point (`_PyUnicode_IsWhitespace`).
    @inline(__always)
    static func isSpace(_ v: UInt32) -> Bool {
        if v < 0x80 { return (v >= 0x09 && v <= 0x0D) || (v >= 0x1C && v <= 0x20) }
        switch v {
        case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// Python's `\w` in a `str` pattern: `str.isalnum()` or `_`.
    @inline(__always)
    static func isWord(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 {
            return (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x5F
        }
        return isAlnum(s)
    }

    /// Python's `str.isalnum()` for one code point: a letter (L*) or anything with a numeric value.
    static func isAlnum(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return s.properties.numericType != nil
        }
    }

    /// Python's `str.isdigit()`-ish test used by `\d` in a `str` pattern (decimal digits, category Nd).
    @inline(__always)
    static func isDecimal(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 { return v >= 0x30 && v <= 0x39 }
        return s.properties.generalCategory == .decimalNumber
    }

    /// Whether a code point is cased lowercase / uppercase / titlecase as `str.islower()` sees it.
    @inline(__always)
    static func caseKind(_ s: Unicode.Scalar) -> CaseKind {
        let v = s.value
        if v < 0x80 {
            if v >= 0x61 && v <= 0x7A { return .lower }
            if v >= 0x41 && v <= 0x5A { return .upper }
            return .uncased
        }
        let p = s.properties
        if p.generalCategory == .titlecaseLetter { return .title }
        if p.isLowercase { return .lower }
        if p.isUppercase { return .upper }
        return .uncased
    }

    enum CaseKind { case lower, upper, title, uncased }

    /// Python's `str.isupper()`: at least one cased code point and no lowercase or titlecase one.
    static func isUpper<S: Sequence>(_ scalars: S) -> Bool where S.Element == Unicode.Scalar {
        hasOnlyCase(scalars, ScalarClassTable.upper, excluding: ScalarClassTable.lower | ScalarClassTable.title)
    }

    /// Python's `str.islower()`: at least one cased code point and no uppercase or titlecase one.
    static func isLower<S: Sequence>(_ scalars: S) -> Bool where S.Element == Unicode.Scalar {
        hasOnlyCase(scalars, ScalarClassTable.lower, excluding: ScalarClassTable.upper | ScalarClassTable.title)
    }

    /// Whether some scalar has the class `wanted` and none has a class in `excluded`.
    @inline(__always)
    private static func hasOnlyCase<S: Sequence>(_ scalars: S, _ wanted: UInt8, excluding excluded: UInt8) -> Bool
    where S.Element == Unicode.Scalar {
        ScalarClassTable.withTable { table in
            func check(_ buffer: UnsafeBufferPointer<Unicode.Scalar>) -> Bool {
                buffer.withMemoryRebound(to: UInt32.self) { hasOnlyCase($0, table, wanted, excluded) }
            }
            return scalars.withContiguousStorageIfAvailable(check) ?? Array(scalars).withUnsafeBufferPointer(check)
        }
    }

    private static func hasOnlyCase(
        _ s: UnsafeBufferPointer<UInt32>, _ table: UnsafePointer<UInt8>, _ wanted: UInt8, _ excluded: UInt8
    ) -> Bool {
        var seen: UInt8 = 0
        for i in 0..<s.count {
            let classes = ScalarClassTable.classes(s[i], table)
            if classes & excluded != 0 { return false }
            seen |= classes
        }
        return seen & wanted != 0
    }

    /// Appends Python's `lower()` of one code point: one scalar, or several where the full case
    /// mapping has more (U+0130 "İ" becomes "i" and U+0307).
    @inline(__always)
    static func appendLower(_ s: Unicode.Scalar, to out: inout [Unicode.Scalar]) {
        let v = s.value
        if v < 0x80 {
            out.append(Unicode.Scalar(UInt8(v >= 0x41 && v <= 0x5A ? v + 32 : v)))
            return
        }
        let p = s.properties
        if p.changesWhenLowercased {
            out.append(contentsOf: p.lowercaseMapping.unicodeScalars)
        } else {
            out.append(s)
        }
    }

    /// Python's `str.lower()` on scalars (full case mapping, as CPython does).
    static func lower(_ scalars: [Unicode.Scalar], scalarKernel: Bool = false) -> [Unicode.Scalar] {
        if let lowered = asciiLower(scalars, scalarKernel: scalarKernel) { return lowered }
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(scalars.count)
        for s in scalars { appendLower(s, to: &out) }
        return out
    }

    /// `lower` of all-ASCII text (`raif_ascii_lower_u32`: one to one), or nil when the text holds
    /// anything else.
    static func asciiLower(_ scalars: [Unicode.Scalar], scalarKernel: Bool = false) -> [Unicode.Scalar]? {
        var ascii = false
        let lowered = [Unicode.Scalar](unsafeUninitializedCapacity: scalars.count) { buffer, count in
            scalars.withUnsafeBufferPointer { source in
                source.withMemoryRebound(to: UInt32.self) { source in
                    buffer.withMemoryRebound(to: UInt32.self) { out in
                        let kernel = scalarKernel ? raif_ascii_lower_u32_ref : raif_ascii_lower_u32
                        ascii = kernel(source.baseAddress, source.count, out.baseAddress) != 0
                    }
                }
            }
            count = ascii ? scalars.count : 0
        }
        return ascii ? lowered : nil
    }

    /// The first offset at or after `from` where `needle` (non-empty) occurs in `haystack`
    /// (`raif_find_u32`).
    static func find(_ needle: [Unicode.Scalar], in haystack: [Unicode.Scalar], from: Int) -> Int? {
        guard from <= haystack.count else { return nil }
        let at = haystack.withUnsafeBufferPointer { haystack in
            needle.withUnsafeBufferPointer { needle in
                haystack.withMemoryRebound(to: UInt32.self) { haystack in
                    needle.withMemoryRebound(to: UInt32.self) { needle in
                        raif_find_u32(haystack.baseAddress, haystack.count, from, needle.baseAddress, needle.count)
                    }
                }
            }
        }
        return at >= 0 ? at : nil  // SIZE_MAX comes back as -1
    }

    /// The first offset at or after `from` holding `a` or `b`, else `text.count`
    /// (`raif_find_either_u32`).
    static func find(_ a: Unicode.Scalar, or b: Unicode.Scalar, in text: [Unicode.Scalar], from: Int) -> Int {
        text.withUnsafeBufferPointer { text in
            text.withMemoryRebound(to: UInt32.self) {
                raif_find_either_u32($0.baseAddress, $0.count, from, a.value, b.value)
            }
        }
    }

    /// Python's `str.lower()` on a string.
    static func lower(_ text: String) -> String {
        var isASCII = true
        for b in text.utf8 where b >= 0x80 {
            isASCII = false
            break
        }
        if isASCII { return text.lowercased() }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: lower(Array(text.unicodeScalars)))
        return String(out)
    }

    /// Bounds of `scalars[range]` after Python's `str.strip()`.
    static func stripRange(_ scalars: [Unicode.Scalar], _ range: Range<Int>) -> Range<Int> {
        var lo = range.lowerBound
        var hi = range.upperBound
        while lo < hi, isSpace(scalars[lo].value) { lo += 1 }
        while hi > lo, isSpace(scalars[hi - 1].value) { hi -= 1 }
        return lo..<hi
    }

    /// Python's `str.strip()`.
    static func strip(_ text: String) -> String {
        let scalars = text.unicodeScalars
        var lo = scalars.startIndex
        var hi = scalars.endIndex
        while lo < hi, isSpace(scalars[lo].value) { lo = scalars.index(after: lo) }
        while hi > lo {
            let before = scalars.index(before: hi)
            if !isSpace(scalars[before].value) { break }
            hi = before
        }
        return String(scalars[lo..<hi])
    }

    /// Whether the text is empty after Python's `str.strip()`.
    static func isBlank(_ text: String) -> Bool {
        for s in text.unicodeScalars where !isSpace(s.value) { return false }
        return true
    }

    /// Makes a string from a slice of scalars.
    static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(scalars.count)
        for s in scalars {
            let v = s.value
            if v < 0x80 {
                bytes.append(UInt8(v))
            } else if v < 0x800 {
                bytes.append(UInt8(0xC0 | (v >> 6)))
                bytes.append(UInt8(0x80 | (v & 0x3F)))
            } else if v < 0x10000 {
                bytes.append(UInt8(0xE0 | (v >> 12)))
                bytes.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
                bytes.append(UInt8(0x80 | (v & 0x3F)))
            } else {
                bytes.append(UInt8(0xF0 | (v >> 18)))
                bytes.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
                bytes.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
                bytes.append(UInt8(0x80 | (v & 0x3F)))
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// How many times an ASCII byte occurs in a string's UTF-8 (a contiguous scan, not the
    /// element-by-element `utf8` iterator).
    static func countByte(_ byte: UInt8, in text: String) -> Int {
        var copy = text
        return copy.withUTF8 { raif_count_byte($0.baseAddress, $0.count, byte) }
    }

    /// The scalars of a string, decoded straight from its UTF-8 (`raif_utf8_decode`; faster than
    /// `Array(unicodeScalars)`).
    static func scalars(of text: String) -> [Unicode.Scalar] {
        var copy = text
        return copy.withUTF8 { utf8 -> [Unicode.Scalar] in
            [Unicode.Scalar](unsafeUninitializedCapacity: utf8.count) { buffer, count in
                guard let source = utf8.baseAddress else {
                    count = 0
                    return
                }
                // Swift strings hold valid UTF-8, so every decoded value is a scalar.
                count = buffer.withMemoryRebound(to: UInt32.self) {
                    raif_utf8_decode(source, utf8.count, $0.baseAddress)
                }
            }
        }
    }
}
