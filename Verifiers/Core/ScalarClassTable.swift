/// Python character classes of every BMP code point in one byte each, for the sentence and word
/// tokenizers' inner loops (a table read instead of several `Unicode.Scalar.Properties` lookups).
///
/// Each bit answers one of ``PythonText``'s predicates for the code point; code points above the
/// BMP (and surrogates, which are never scalars) go through ``PythonText`` itself.
///
/// ```
/// bit  0 space     PythonText.isSpace
/// bit  1 word      PythonText.isWord (\w: isalnum or "_")
/// bit  2 decimal   PythonText.isDecimal (\d)
/// bit  3 lower     PythonText.caseKind == .lower
/// bit  4 upper     PythonText.caseKind == .upper
/// bit  5 title     PythonText.caseKind == .title
/// ```
enum ScalarClassTable {
    static let space: UInt8 = 1 << 0
    static let word: UInt8 = 1 << 1
    static let decimal: UInt8 = 1 << 2
    static let lower: UInt8 = 1 << 3
    static let upper: UInt8 = 1 << 4
    static let title: UInt8 = 1 << 5
    static let cased: UInt8 = lower | upper | title

    /// The classes of `U+0000 ... U+FFFF`, built on first use.
    static let bmp: [UInt8] = (0..<0x1_0000).map { v in
        guard let scalar = Unicode.Scalar(UInt32(v)) else { return 0 }
        return computedClasses(scalar)
    }

    /// The classes of one scalar from ``PythonText``'s predicates (the table's definition).
    static func computedClasses(_ scalar: Unicode.Scalar) -> UInt8 {
        var bits: UInt8 = 0
        if PythonText.isSpace(scalar.value) { bits |= space }
        if PythonText.isWord(scalar) { bits |= word }
        if PythonText.isDecimal(scalar) { bits |= decimal }
        switch PythonText.caseKind(scalar) {
        case .lower: bits |= lower
        case .upper: bits |= upper
        case .title: bits |= title
        case .uncased: break
        }
        return bits
    }

    /// The classes of a non-ASCII scalar: a read of `table` (``bmp``'s storage) in the BMP, the
    /// predicates above it.
    @inline(__always)
    static func classes(_ v: UInt32, _ table: UnsafePointer<UInt8>) -> UInt8 {
        if v < 0x1_0000 { return table[Int(v)] }
        return computedClasses(Unicode.Scalar(v).unsafelyUnwrapped)
    }

    /// Calls `body` with a pointer to ``bmp``'s 65,536 entries.
    @inline(__always)
    static func withTable<R>(_ body: (UnsafePointer<UInt8>) throws -> R) rethrows -> R {
        try bmp.withUnsafeBufferPointer { try body($0.baseAddress.unsafelyUnwrapped) }
    }
}
