/// Python `str` operations the IFBench checkers are written in, on Unicode scalars (Python indexes
/// strings by code point).
enum PyStr {
    /// `string.punctuation`: the 32 ASCII punctuation characters.
    @inline(__always)
    static func isPunctuation(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return (v >= 0x21 && v <= 0x2F) || (v >= 0x3A && v <= 0x40) || (v >= 0x5B && v <= 0x60)
            || (v >= 0x7B && v <= 0x7E)
    }

    /// `string.punctuation + ' '`, the set most checkers strip words with.
    @inline(__always)
    static func isPunctuationOrSpace(_ s: Unicode.Scalar) -> Bool { s == " " || isPunctuation(s) }

    /// `s.translate(str.maketrans('', '', string.punctuation))`.
    static func removePunctuation<C: Collection>(_ s: C) -> [Unicode.Scalar] where C.Element == Unicode.Scalar {
        s.filter { !isPunctuation($0) }
    }

    /// `s.split()`: runs of non-whitespace.
    static func split<C: Collection>(_ s: C) -> [[Unicode.Scalar]] where C.Element == Unicode.Scalar {
        var out: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        for c in s {
            if PythonText.isSpace(c.value) {
                if !current.isEmpty {
                    out.append(current)
                    current.removeAll(keepingCapacity: true)
                }
            } else {
                current.append(c)
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// `s.split(sep)` with a non-empty separator.
    static func split(_ s: [Unicode.Scalar], separator: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
        precondition(!separator.isEmpty, "Python rejects an empty separator")
        var out: [[Unicode.Scalar]] = []
        var start = 0
        var i = 0
        let m = separator.count
        while i + m <= s.count {
            if s[i] == separator[0], Array(s[i..<(i + m)]) == separator {
                out.append(Array(s[start..<i]))
                i += m
                start = i
            } else {
                i += 1
            }
        }
        out.append(Array(s[start...]))
        return out
    }

    /// `s.split('\n')`.
    static func lines(_ s: [Unicode.Scalar]) -> [[Unicode.Scalar]] { split(s, separator: ["\n"]) }

    /// `s.strip(chars)` for a character predicate.
    static func strip(_ s: ArraySlice<Unicode.Scalar>, _ drop: (Unicode.Scalar) -> Bool) -> ArraySlice<Unicode.Scalar> {
        var lo = s.startIndex
        var hi = s.endIndex
        while lo < hi, drop(s[lo]) { lo += 1 }
        while hi > lo, drop(s[hi - 1]) { hi -= 1 }
        return s[lo..<hi]
    }

    /// `s.strip()` (whitespace).
    static func stripSpace(_ s: ArraySlice<Unicode.Scalar>) -> ArraySlice<Unicode.Scalar> {
        strip(s) { PythonText.isSpace($0.value) }
    }

    /// `s.strip(string.punctuation + ' ')`.
    static func stripPunctuation(_ s: ArraySlice<Unicode.Scalar>) -> ArraySlice<Unicode.Scalar> {
        strip(s, isPunctuationOrSpace)
    }

    /// `haystack.count(needle)`: non-overlapping occurrences (`len + 1` for an empty needle).
    static func count(_ needle: [Unicode.Scalar], in haystack: [Unicode.Scalar]) -> Int {
        if needle.isEmpty { return haystack.count + 1 }
        var n = 0
        var i = 0
        let m = needle.count
        while i + m <= haystack.count {
            if haystack[i] == needle[0], haystack[i..<(i + m)].elementsEqual(needle) {
                n += 1
                i += m
            } else {
                i += 1
            }
        }
        return n
    }

    /// `needle in haystack`.
    static func contains(_ haystack: [Unicode.Scalar], _ needle: [Unicode.Scalar]) -> Bool {
        firstIndex(of: needle, in: haystack) != nil
    }

    /// `haystack.find(needle)` as an optional index.
    static func firstIndex(of needle: [Unicode.Scalar], in haystack: [Unicode.Scalar], from: Int = 0) -> Int? {
        let m = needle.count
        if m == 0 { return from <= haystack.count ? from : nil }
        var i = from
        while i + m <= haystack.count {
            if haystack[i] == needle[0], haystack[i..<(i + m)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    /// `str.isdigit()`: non-empty and every code point has Numeric_Type Digit or Decimal.
    static func isDigits<C: Collection>(_ s: C) -> Bool where C.Element == Unicode.Scalar {
        !s.isEmpty
            && s.allSatisfy {
                let t = $0.properties.numericType
                return t == .decimal || t == .digit
            }
    }

    /// Scalars of a Swift string.
    static func scalars(_ s: String) -> [Unicode.Scalar] { Array(s.unicodeScalars) }
}

/// Shorthands for IFBench descriptors and parameters.
enum IFBenchSchema {
    /// A verifier in the IFBench style: blank responses fail (the reference's outer guard).
    static func verifier(
        _ id: String, _ family: VerifierFamily, _ summary: String, parameters: [ParameterSpec] = [],
        makeRule: @escaping @Sendable (Parameters) throws(VerifierError) -> any Rule
    ) -> IFEvalVerifier {
        IFEvalVerifier(
            descriptor: VerifierDescriptor(id: id, family: family, parameters: parameters, summary: summary),
            makeRule: makeRule)
    }

    static func integer(_ name: String, _ summary: String) -> ParameterSpec {
        ParameterSpec(name, .integer, summary: summary)
    }

    static func string(_ name: String, _ summary: String) -> ParameterSpec {
        ParameterSpec(name, .string, summary: summary)
    }
}

extension Parameters {
    /// A required integer that must be >= `minimum`; below it the reference draws a random value.
    func ifbenchCount(_ name: String, minimum: Int = 0) throws(VerifierError) -> Int {
        try count(name, minimum: minimum)
    }
}

/// A rule defined by a closure over the response; the blank guard comes from ``IFEvalRule``.
struct IFBenchRule: IFEvalRule {
    let body: @Sendable (ResponseText) -> Check

    func evaluate(_ response: ResponseText) -> Check { body(response) }
}
