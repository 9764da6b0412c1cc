/// A native verifier: a descriptor and a rule factory.
struct NativeVerifier: Verifier {
    let descriptor: VerifierDescriptor
    let makeRule: @Sendable (Parameters) throws(VerifierError) -> any Rule

    init(
        _ id: String, family: VerifierFamily, summary: String, parameters: [ParameterSpec],
        makeRule: @escaping @Sendable (Parameters) throws(VerifierError) -> any Rule
    ) {
        self.descriptor = VerifierDescriptor(id: id, family: family, parameters: parameters, summary: summary)
        self.makeRule = makeRule
    }

    func prepare(_ parameters: Parameters) throws(VerifierError) -> any Rule {
        try makeRule(parameters)
    }
}

/// A rule from a closure over the response.
struct ClosureRule: Rule {
    let body: @Sendable (ResponseText) throws(VerifierError) -> Check

    func check(_ response: ResponseText) throws(VerifierError) -> Check {
        try body(response)
    }
}

/// Count bounds shared by the native counting verifiers: `min`, `max` and `exact`.
///
/// `exact` excludes `min`/`max`; `min <= max`; all are >= 0. Partial credit: below `min` scores
/// `count / min`, above `max` scores `max / count`, off `exact` scores `min(c, e) / max(c, e)`.
struct CountBounds: Sendable, Hashable {
    var min: Int?
    var max: Int?

    /// The schema entries for the bounds.
    static func schema(_ noun: String) -> [ParameterSpec] {
        [
            ParameterSpec("min", .integer, required: false, summary: "at least this many \(noun)"),
            ParameterSpec("max", .integer, required: false, summary: "at most this many \(noun)"),
            ParameterSpec("exact", .integer, required: false, summary: "exactly this many \(noun) (excludes min/max)"),
        ]
    }

    /// Reads the bounds; with none given, `defaultMin` applies (or an error when it is nil).
    static func read(_ parameters: Parameters, defaultMin: Int? = nil) throws(VerifierError) -> CountBounds {
        let low = parameters.integer("min")
        let high = parameters.integer("max")
        let exact = parameters.integer("exact")
        for (name, value) in [("min", low), ("max", high), ("exact", exact)] {
            if let value, value < 0 { throw parameters.invalid(name, "must be at least 0, got \(value)") }
        }
        if let exact {
            if low != nil || high != nil { throw parameters.invalid("exact", "cannot be combined with min or max") }
            return CountBounds(min: exact, max: exact)
        }
        if let low, let high, low > high {
            throw parameters.invalid("max", "must be at least min (\(low)), got \(high)")
        }
        if low == nil && high == nil {
            guard let defaultMin else { throw parameters.invalid("min", "give at least one of min, max, exact") }
            return CountBounds(min: defaultMin, max: nil)
        }
        return CountBounds(min: low, max: high)
    }

    /// "need at least 100" and friends.
    var requirement: String {
        switch (min, max) {
        case (let low?, let high?) where low == high: return "exactly \(low)"
        case (let low?, let high?): return "between \(low) and \(high)"
        case (let low?, nil): return "at least \(low)"
        case (nil, let high?): return "at most \(high)"
        case (nil, nil): return "any number"
        }
    }

    /// Whether a count is within bounds.
    func contains(_ count: Int) -> Bool {
        (min.map { count >= $0 } ?? true) && (max.map { count <= $0 } ?? true)
    }

    /// A check for `count` things named `noun`: "found 87 words, need at least 100".
    func check(_ count: Int, _ noun: String) -> Check {
        let pass = contains(count)
        var score = 1.0
        if let low = min, count < low { score = low > 0 ? Double(count) / Double(low) : 0 }
        if let high = max, count > high { score = count > 0 ? Double(high) / Double(count) : 0 }
        return Check(pass: pass, score: pass ? 1 : score, detail: "found \(count) \(noun), need \(requirement)")
    }
}

/// Case-insensitive and whole-word literal search over unicode scalars.
enum LiteralSearch {
    /// Simple one-to-one lowercase.
    static func fold(_ s: Unicode.Scalar) -> Unicode.Scalar {
        let v = s.value
        if v < 0x80 { return v >= 0x41 && v <= 0x5A ? Unicode.Scalar(v + 32)! : s }
        let p = s.properties
        guard p.changesWhenLowercased else { return s }
        let mapped = p.lowercaseMapping.unicodeScalars
        return mapped.count == 1 ? mapped.first! : s
    }

    /// The text prepared for searching.
    static func prepare(_ scalars: [Unicode.Scalar], caseSensitive: Bool) -> [Unicode.Scalar] {
        caseSensitive ? scalars : scalars.map(fold)
    }

    /// Start offsets of non-overlapping occurrences of `needle` in `haystack`; with `wholeWord`, an
    /// occurrence must not touch a letter or digit on either side (where the needle itself starts
    /// or ends with one).
    static func occurrences(
        of needle: [Unicode.Scalar], in haystack: [Unicode.Scalar], wholeWord: Bool, limit: Int = .max
    ) -> [Int] {
        let m = needle.count
        let n = haystack.count
        guard m > 0, m <= n else { return [] }
        let checkStart = wholeWord && TextSegmentation.isWordScalar(needle[0])
        let checkEnd = wholeWord && TextSegmentation.isWordScalar(needle[m - 1])
        var out: [Int] = []
        let first = needle[0]
        var i = 0
        while i <= n - m {
            if haystack[i] == first {
                var k = 1
                while k < m, haystack[i + k] == needle[k] { k += 1 }
                if k == m
                    && !(checkStart && i > 0 && TextSegmentation.isWordScalar(haystack[i - 1]))
                    && !(checkEnd && i + m < n && TextSegmentation.isWordScalar(haystack[i + m]))
                {
                    out.append(i)
                    if out.count >= limit { return out }
                    i += m
                    continue
                }
            }
            i += 1
        }
        return out
    }
}

/// Removes one surrounding markdown code fence (```lang … ```), if the whole text is fenced.
func unfenced(_ text: String) -> String {
    let scalars = Array(text.unicodeScalars)
    let range = TextSegmentation.trim(scalars, 0..<scalars.count)
    let body = TextSegmentation.string(scalars, range)
    guard body.hasPrefix("```"), body.hasSuffix("```"), body.count >= 6 else { return text }
    var lines = body.split(separator: "\n", omittingEmptySubsequences: false)
    guard lines.count >= 2 else { return text }
    lines.removeFirst()
    lines.removeLast()
    return lines.joined(separator: "\n")
}

/// Quotes a value for details.
func quoted(_ text: String) -> String {
    let shown = text.count > 40 ? String(text.prefix(37)) + "…" : text
    return "'\(shown)'"
}
