/// A verifier defined by its descriptor and a rule factory; every IFEval id is one of these.
struct IFEvalVerifier: Verifier {
    let descriptor: VerifierDescriptor
    let makeRule: @Sendable (Parameters) throws(VerifierError) -> any Rule

    func prepare(_ parameters: Parameters) throws(VerifierError) -> any Rule {
        try makeRule(parameters)
    }
}

/// A rule with the reference's outer guard: a response that is blank after `strip()` fails
/// every IFEval instruction (`response.strip() and instruction.check_following(response)`).
protocol IFEvalRule: Rule {
    /// Checks a response that is not blank.
    func evaluate(_ response: ResponseText) -> Check
}

extension IFEvalRule {
    func check(_ response: ResponseText) throws(VerifierError) -> Check {
        if response.isBlank { return Check(pass: false, detail: "the response is empty") }
        return evaluate(response)
    }
}

/// IFEval's comparison: `less than` (<) or `at least` (>=).
enum Relation: String, Sendable {
    case lessThan = "less than"
    case atLeast = "at least"

    static let allowed: [ConstraintValue] = [.string("less than"), .string("at least")]

    func holds(_ count: Int, _ threshold: Int) -> Bool {
        switch self {
        case .lessThan: return count < threshold
        case .atLeast: return count >= threshold
        }
    }

    /// "found 87 words, need at least 100" / "… need fewer than 100".
    func check(_ count: Int, _ threshold: Int, _ noun: String) -> Check {
        let pass = holds(count, threshold)
        let need = self == .atLeast ? "at least \(threshold)" : "fewer than \(threshold)"
        var score: Double? = nil
        if !pass, self == .atLeast, threshold > 0 { score = Double(count) / Double(threshold) }
        return Check(pass: pass, score: score, detail: "found \(count) \(noun), need \(need)")
    }
}

extension Parameters {
    /// A required relation parameter (`less than` / `at least`); the schema has checked its value.
    func relation(_ name: String) throws(VerifierError) -> Relation {
        guard let raw = string(name), let relation = Relation(rawValue: raw) else {
            throw invalid(name, "must be \"less than\" or \"at least\"")
        }
        return relation
    }

    /// A required integer that must be >= `minimum` (the reference draws a random value below it).
    func count(_ name: String, minimum: Int = 1) throws(VerifierError) -> Int {
        guard let value = integer(name) else { throw invalid(name, "required but missing") }
        guard value >= minimum else {
            throw invalid(
                name,
                "must be at least \(minimum), got \(value) (the reference treats it as missing and draws a random value)"
            )
        }
        return value
    }

    /// A required string that is non-empty (the reference treats an empty one as missing and
    /// draws a random value).
    func nonEmptyString(_ name: String) throws(VerifierError) -> String {
        guard let value = string(name), !value.isEmpty else {
            throw invalid(name, "required and must not be empty")
        }
        return value
    }
}

/// Descriptor shorthands.
enum Schema {
    static func relation(_ name: String) -> ParameterSpec {
        ParameterSpec(name, .string, allowedValues: Relation.allowed, summary: "\"less than\" or \"at least\"")
    }

    static func count(_ name: String, _ summary: String) -> ParameterSpec {
        ParameterSpec(name, .integer, summary: summary)
    }
}

/// Case-insensitive literal search with Python's `re.IGNORECASE` (per-code-point simple lowercase).
enum CaselessSearch {
    /// Simple (one-to-one) lowercase of a scalar, as `sre` folds for IGNORECASE.
    @inline(__always)
    static func fold(_ s: Unicode.Scalar) -> Unicode.Scalar {
        let v = s.value
        if v < 0x80 { return v >= 0x41 && v <= 0x5A ? Unicode.Scalar(v + 32)! : s }
        if v < 0x1_0000 {
            let folded = bmpFold[Int(v)]
            if folded != 0xFFFF { return Unicode.Scalar(folded).unsafelyUnwrapped }
        }
        return foldByProperties(s)
    }

    /// ``fold(_:)`` from the Unicode properties (the definition).
    static func foldByProperties(_ s: Unicode.Scalar) -> Unicode.Scalar {
        let p = s.properties
        guard p.changesWhenLowercased else { return s }
        return p.lowercaseMapping.unicodeScalars.first ?? s
    }

    /// ``foldByProperties(_:)`` of every BMP code point, built on first use (a property lookup per
    /// non-ASCII character cost more than the search). 0xFFFF: ask the properties (U+FFFF itself,
    /// surrogates, and any fold that would leave the BMP).
    static let bmpFold: [UInt16] = (0..<0x1_0000).map { v in
        guard let scalar = Unicode.Scalar(UInt32(v)) else { return 0xFFFF }
        let folded = foldByProperties(scalar).value
        return folded < 0xFFFF ? UInt16(folded) : 0xFFFF
    }

    static func fold(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        // All-ASCII text (most responses): simple and full lowercase agree there.
        if let lowered = PythonText.asciiLower(scalars) { return lowered }
        return [Unicode.Scalar](unsafeUninitializedCapacity: scalars.count) { buffer, count in
            scalars.withUnsafeBufferPointer { source in
                for k in 0..<source.count {
                    let s = source[k]
                    let v = s.value
                    // ASCII inline (most text); the rest through `fold(_:)`.
                    let folded = v < 0x80 ? Unicode.Scalar(UInt8(v &+ (v &- 0x41 < 26 ? 32 : 0))) : fold(s)
                    buffer.initializeElement(at: k, to: folded)
                }
            }
            count = scalars.count
        }
    }

    /// Start offsets of non-overlapping occurrences of `needle` in `haystack` (both folded).
    static func occurrences(of needle: [Unicode.Scalar], in haystack: [Unicode.Scalar], limit: Int = .max) -> [Int] {
        var out: [Int] = []
        let m = needle.count
        let n = haystack.count
        guard m > 0, m <= n else { return m == 0 ? Array((0...n).prefix(limit)) : [] }
        var from = 0
        while out.count < limit, let i = PythonText.find(needle, in: haystack, from: from) {
            out.append(i)
            from = i + m
        }
        return out
    }
}

/// Renders a string for a detail message, shortened.
func quoted(_ s: String, max: Int = 40) -> String {
    let scalars = Array(s.unicodeScalars)
    if scalars.count <= max { return "\"\(s)\"" }
    return "\"" + PythonText.string(scalars[..<max]) + "…\""
}
