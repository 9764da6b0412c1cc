@testable import Verifiers

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The straightforward port of langdetect that `LangDetect` replaced (kept verbatim as the test
/// reference: the fast detector must give bit-identical probabilities). URL, mail and Vietnamese
/// handling, unchanged in the port, is called rather than copied.
///
/// The reference's language identifier: a port of the `langdetect` package as IFEval runs it
/// (`DetectorFactory.seed = 0`), so `language:response_language` and `change_case:english_*`
/// reach the reference's verdicts, quirks included (all-capital words give it almost nothing to go
/// on; very short text is close to a coin toss). The native verifiers use CLD2 instead.
///
/// Steps, as langdetect: drop URLs and e-mail addresses, compose Vietnamese marks, keep 10,000
/// characters, drop Latin letters from mostly non-Latin text, collect the known 1–3-grams of the
/// normalised characters, then 7 trials of random n-gram draws (Python's Mersenne Twister seeded
/// with 0, trial smoothing from `random.gauss`) updating naive-Bayes language probabilities.
final class ReferenceLangDetect: Sendable {
    /// The model, loaded on first use.
    static let shared = ReferenceLangDetect()

    let languages: [String]
    /// Sparse probabilities by n-gram: ``ReferenceGramTable`` maps a packed n-gram to its row; row `r`
    /// holds `(language, P(gram | language))` pairs in `entryLanguage/entryProbability[rowStart[r]..<rowStart[r+1]]`.
    private let table: ReferenceGramTable
    private let rowStart: [Int]
    private let entryLanguage: [Int]
    private let entryProbability: [Double]
    private let cjk: [UInt32: UInt32]
    private let latin1Excluded: Set<UInt32>

    private init() {
        languages = LangDetectModel.languages
        let totals = LangDetectModel.gramTotals
        var keys: [UInt64] = []
        var starts: [Int] = [0]
        var entryLanguage: [Int] = []
        var entryProbability: [Double] = []
        for line in LangDetectModel.profileTable.utf8.split(separator: 0x0A) {
            guard let tab = line.firstIndex(of: 0x09) else { continue }
            let gram = Array(String(Substring(line[line.startIndex..<tab])).unicodeScalars)
            guard (1...3).contains(gram.count) else { continue }
            for entry in line[line.index(after: tab)...].split(separator: UInt8(ascii: ",")) {
                let parts = entry.split(separator: UInt8(ascii: ":"))
                guard parts.count == 2, let language = Int(String(Substring(parts[0]))),
                    let count = Int(String(Substring(parts[1])))
                else { continue }
                entryLanguage.append(language)
                entryProbability.append(Double(count) / Double(totals[language][gram.count - 1]))
            }
            keys.append(Self.pack(gram[...]))
            starts.append(entryLanguage.count)
        }
        table = ReferenceGramTable(keys: keys)
        rowStart = starts
        self.entryLanguage = entryLanguage
        self.entryProbability = entryProbability
        var cjkMap: [UInt32: UInt32] = [:]
        let pairs = Array(LangDetectModel.cjkPairs.unicodeScalars)
        var i = 0
        while i + 1 < pairs.count {
            cjkMap[pairs[i].value] = pairs[i + 1].value
            i += 2
        }
        cjk = cjkMap
        latin1Excluded = Set(LangDetectModel.latin1Excluded.unicodeScalars.map(\.value))
    }

    @inline(__always) private static func pack(_ gram: ArraySlice<Unicode.Scalar>) -> UInt64 {
        var key: UInt64 = UInt64(gram.count)
        for s in gram { key = (key << 21) | UInt64(s.value) }
        return key
    }

    /// The detected language code (langdetect's: "en", "zh-cn", …, or "unknown"), or nil where
    /// langdetect raises ("No features in text").
    func detect(_ scalars: [Unicode.Scalar]) -> String? {
        guard let total = probabilities(scalars) else { return nil }
        var best = -1
        for j in 0..<total.count where total[j] > 0.1 && (best < 0 || total[j] > total[best]) { best = j }
        return best >= 0 ? languages[best] : "unknown"
    }

    /// The language probabilities averaged over the 7 trials, or nil where no n-gram is known.
    func probabilities(_ scalars: [Unicode.Scalar]) -> [Double]? {
        // URL, mail and Vietnamese-mark handling is shared with the port under test (unchanged there).
        var text = LangDetect.removeURLsAndMail(scalars)
        text = LangDetect.shared.composeVietnamese(text)
        // Keep the first 10,000 characters, collapsing runs of spaces.
        var kept: [UInt32] = []
        kept.reserveCapacity(min(text.count, 10_000))
        var previous: UInt32 = 0
        for c in text.prefix(10_000) {
            if c != 0x20 || previous != 0x20 { kept.append(c) }
            previous = c
        }
        // Drop Latin letters when non-Latin letters dominate.
        var latin = 0
        var nonLatin = 0
        for c in kept {
            if c >= 0x41 && c <= 0x7A {
                latin += 1
            } else if c >= 0x300 && !LangDetectModel.latinExtendedAdditional.contains(c) {
                nonLatin += 1
            }
        }
        if latin * 2 < nonLatin { kept.removeAll { $0 >= 0x41 && $0 <= 0x7A } }

        let features = extractGrams(kept)
        guard !features.isEmpty else { return nil }

        var random = ReferencePythonRandom(seed: 0)
        let n = languages.count
        var total = [Double](repeating: 0, count: n)
        var prob = [Double](repeating: 0, count: n)
        var saved = [Double](repeating: 0, count: n)
        rowStart.withUnsafeBufferPointer { rowStart in
            entryLanguage.withUnsafeBufferPointer { entryLanguage in
                entryProbability.withUnsafeBufferPointer { entryProbability in
                    prob.withUnsafeMutableBufferPointer { prob in
                        saved.withUnsafeMutableBufferPointer { saved in
                            for _ in 0..<7 {
                                Self.trial(
                                    prob: prob, saved: saved, features: features, rowStart: rowStart,
                                    entryLanguage: entryLanguage, entryProbability: entryProbability, random: &random)
                                for j in 0..<n { total[j] += prob[j] / 7 }
                            }
                        }
                    }
                }
            }
        }
        return total
    }

    /// One trial: start uniform, smooth with a random alpha, multiply in randomly drawn n-grams
    /// until one language holds more than 0.99999 (checked every 5 draws) or 1,000 draws.
    private static func trial(
        prob: UnsafeMutableBufferPointer<Double>, saved: UnsafeMutableBufferPointer<Double>, features: [Int],
        rowStart: UnsafeBufferPointer<Int>, entryLanguage: UnsafeBufferPointer<Int>,
        entryProbability: UnsafeBufferPointer<Double>, random: inout ReferencePythonRandom
    ) {
        let n = prob.count
        for j in 0..<n { prob[j] = 1.0 / Double(n) }
        let alpha = 0.5 + random.gauss() * 0.05
        let weight = alpha / 10_000
        var i = 0
        while true {
            // prob[j] *= weight + P(gram | j), with P = 0 for most languages.
            let row = features[random.below(features.count)]
            let entries = rowStart[row]..<rowStart[row + 1]
            for e in entries { saved[entryLanguage[e]] = prob[entryLanguage[e]] }
            for j in 0..<n { prob[j] *= weight }
            for e in entries {
                let language = entryLanguage[e]
                prob[language] = saved[language] * (weight + entryProbability[e])
            }
            if i % 5 == 0 {
                var sum = 0.0
                for j in 0..<n { sum += prob[j] }
                var maximum = 0.0
                for j in 0..<n {
                    let p = prob[j] / sum
                    if maximum < p { maximum = p }
                    prob[j] = p
                }
                if maximum > 0.99999 || i >= 1000 { return }
            }
            i += 1
        }
    }

    // MARK: Text preparation

    /// `NGram.normalize` for one character.
    @inline(__always) private func normalize(_ c: UInt32) -> UInt32 {
        if c <= 0x7F {
            return (c < 0x41 || (c > 0x5A && c < 0x61) || c > 0x7A) ? 0x20 : c
        }
        if LangDetectModel.latin1.contains(c) { return latin1Excluded.contains(c) ? 0x20 : c }
        if LangDetectModel.latinExtendedB.contains(c) {
            if c == 0x219 { return 0x15F }
            if c == 0x21B { return 0x163 }
            return c
        }
        if LangDetectModel.generalPunctuation.contains(c) { return 0x20 }
        if LangDetectModel.arabic.contains(c) { return c == 0x6CC ? 0x64A : c }
        if LangDetectModel.latinExtendedAdditional.contains(c) { return c >= 0x1EA0 ? 0x1EC3 : c }
        if LangDetectModel.hiragana.contains(c) { return 0x3042 }
        if LangDetectModel.katakana.contains(c) { return 0x30A2 }
        if LangDetectModel.bopomofo.contains(c) || LangDetectModel.bopomofoExtended.contains(c) { return 0x3105 }
        if LangDetectModel.cjkUnifiedIdeographs.contains(c) { return cjk[c] ?? c }
        if LangDetectModel.hangulSyllables.contains(c) { return 0xAC00 }
        return c
    }

    @inline(__always) private static func isUpper(_ c: UInt32) -> Bool {
        if c < 0x80 { return c >= 0x41 && c <= 0x5A }
        guard let s = Unicode.Scalar(c) else { return false }
        return PythonText.caseKind(s) == .upper
    }

    /// `Detector._extract_ngrams`: the known 1–3-grams, skipping words in capitals.
    private func extractGrams(_ text: [UInt32]) -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(text.count * 2)
        // The n-gram buffer: up to 3 characters, oldest first (a, b, c), `count` of them in use.
        var a: UInt32 = 0x20
        var b: UInt32 = 0
        var c: UInt32 = 0
        var count = 1
        var capitalWord = false
        for raw in text {
            let ch = normalize(raw)
            let last = count == 1 ? a : (count == 2 ? b : c)
            if last == 0x20 {
                a = 0x20
                count = 1
                capitalWord = false
                if ch == 0x20 { continue }
            } else if count >= 3 {
                a = b
                b = c
                count = 2
            }
            if count == 1 { b = ch } else { c = ch }
            count += 1
            if Self.isUpper(ch) {
                if Self.isUpper(last) { capitalWord = true }
            } else {
                capitalWord = false
            }
            if capitalWord { continue }
            let newest = count == 2 ? b : c
            // 1-gram (never a lone space), 2-gram, 3-gram.
            if newest != 0x20, let row = table.row(for: (1 << 21) | UInt64(newest)) { result.append(row) }
            if count >= 2 {
                let previous = count == 2 ? a : b
                if let row = table.row(for: (((2 << 21) | UInt64(previous)) << 21) | UInt64(newest)) {
                    result.append(row)
                }
            }
            if count >= 3, let row = table.row(for: (((((3 << 21) | UInt64(a)) << 21) | UInt64(b)) << 21) | UInt64(c)) {
                result.append(row)
            }
        }
        return result
    }
}

/// Open-addressing hash table from packed n-grams to row numbers (built once, read-only).
private struct ReferenceGramTable: Sendable {
    private let slots: [UInt64]
    private let rows: [Int32]
    private let shift: UInt64

    init(keys: [UInt64]) {
        var bits: UInt64 = 1
        while (1 << bits) < keys.count * 3 { bits += 1 }
        shift = 64 - bits
        var slots = [UInt64](repeating: 0, count: 1 << bits)
        var rows = [Int32](repeating: -1, count: 1 << bits)
        let mask = (1 << bits) - 1
        for (row, key) in keys.enumerated() {
            var i = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
            while rows[i] >= 0 { i = (i + 1) & mask }
            slots[i] = key
            rows[i] = Int32(row)
        }
        self.slots = slots
        self.rows = rows
    }

    @inline(__always) func row(for key: UInt64) -> Int? {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
        while true {
            let r = rows[i]
            if r < 0 { return nil }
            if slots[i] == key { return Int(r) }
            i = (i + 1) & mask
        }
    }
}

/// CPython's `random.Random` (MT19937) for the calls langdetect makes: `seed(0)`, `choice`,
/// `gauss`.
private struct ReferencePythonRandom {
    private var mt = [UInt32](repeating: 0, count: 624)
    private var index = 624
    private var gaussNext: Double?

    /// `random.seed(n)` for a small non-negative integer (CPython's `init_by_array([n])`).
    init(seed: UInt32) {
        mt[0] = 19_650_218
        for i in 1..<624 { mt[i] = 1_812_433_253 &* (mt[i - 1] ^ (mt[i - 1] >> 30)) &+ UInt32(i) }
        let key = [seed]
        var i = 1
        var j = 0
        for _ in 0..<max(624, key.count) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) &* 1_664_525)) &+ key[j] &+ UInt32(j)
            i += 1
            j += 1
            if i >= 624 {
                mt[0] = mt[623]
                i = 1
            }
            if j >= key.count { j = 0 }
        }
        for _ in 0..<623 {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) &* 1_566_083_941)) &- UInt32(i)
            i += 1
            if i >= 624 {
                mt[0] = mt[623]
                i = 1
            }
        }
        mt[0] = 0x8000_0000
        index = 624
    }

    private mutating func twist() {
        for k in 0..<624 {
            let y = (mt[k] & 0x8000_0000) | (mt[(k + 1) % 624] & 0x7FFF_FFFF)
            var v = mt[(k + 397) % 624] ^ (y >> 1)
            if y & 1 != 0 { v ^= 0x9908_B0DF }
            mt[k] = v
        }
        index = 0
    }

    mutating func next32() -> UInt32 {
        if index >= 624 { twist() }
        var y = mt[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    /// `random.random()`: 53 random bits.
    mutating func random() -> Double {
        let a = Double(next32() >> 5)
        let b = Double(next32() >> 6)
        return (a * 67_108_864.0 + b) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// `random._randbelow(n)` through `getrandbits` (n < 2^32).
    mutating func below(_ n: Int) -> Int {
        let k = Int.bitWidth - n.leadingZeroBitCount
        while true {
            let r = Int(next32() >> UInt32(32 - k))
            if r < n { return r }
        }
    }

    /// `random.gauss(0, 1)`.
    mutating func gauss() -> Double {
        if let z = gaussNext {
            gaussNext = nil
            return z
        }
        let x2pi = random() * 2 * Double.pi
        let g2rad = sqrt(-2.0 * log(1.0 - random()))
        gaussNext = sin(x2pi) * g2rad
        return cos(x2pi) * g2rad
    }
}
