internal import CTextKernels

/// The reference's language identifier: a port of the `langdetect` package as IFEval runs it
/// (`DetectorFactory.seed = 0`), so `language:response_language` and `change_case:english_*`
/// reach the reference's verdicts, quirks included (all-capital words give it almost nothing to go
/// on; very short text is close to a coin toss). The native verifiers use CLD2 instead.
///
/// Steps, as langdetect: drop URLs and e-mail addresses, compose Vietnamese marks, keep 10,000
/// characters, drop Latin letters from mostly non-Latin text, collect the known 1–3-grams of the
/// normalised characters, then 7 trials of random n-gram draws (Python's Mersenne Twister seeded
/// with 0, trial smoothing from `random.gauss`) updating naive-Bayes language probabilities.
final class LangDetect: Sendable {
    /// The model, loaded on first use.
    static let shared = LangDetect()

    let languages: [String]
    /// Per BMP code point: what ``normalize(_:)`` makes of it, as a ``CharacterInfo`` (the
    /// normalised character's id among the profile's characters, its case and whether it is a space).
    private let characterInfo: [UInt16]
    /// The feature code of each character's 1-gram, by character id (-1: none).
    private let unigramFeature: [Int32]
    /// Open-addressing hash table of the 2- and 3-grams: `key << 20 | (feature code + 1)`, 0 for an
    /// empty slot (keys from ``bigramKey(_:_:)`` and ``trigramKey(_:_:_:)``).
    private let gramSlots: [UInt64]
    /// Feature codes of the 2-grams of character ids below ``directBigramIDs`` (`a * 128 + b`, -1:
    /// none) and of the 3-grams of ids below ``directTrigramIDs``; these are not in ``gramSlots``.
    /// The space and a-z have the first ids, so most lookups of Latin text read these small tables
    /// (80 KB, cache-resident) instead of probing the 1-2 MB hash table.
    private let directBigram: [Int32]
    private let directTrigram: [Int32]
    private static let directBigramIDs = 128
    private static let directTrigramIDs = 32
    private let gramShift: UInt64
    /// A feature code is a row `r` of the sparse table, or ``denseFlag`` | `d` for a dense row.
    ///
    /// Sparse row `r` holds `(language, P(gram | language))` pairs in
    /// `entryLanguage/entryProbability[rowStart[r]..<rowStart[r+1]]`; dense row `d` holds
    /// `P(gram | language)` for every language (0 where the profile has none) in
    /// `denseProbability[d * denseStride ..< d * denseStride + languages.count]`. N-grams known to
    /// many languages (the common ones, drawn most often) are dense: one vectorisable pass updates
    /// all languages. Both give bit-identical products: `p * (weight + 0.0) == p * weight`.
    private let rowStart: [Int32]
    private let entryLanguage: [UInt8]
    private let entryProbability: [Double]
    private let denseProbability: [Double]
    private static let denseFlag = 0x8_0000
    private static let denseStride = 56
    /// Rows with at least this many languages are stored dense.
    private static let denseMinimum = 8
    /// Python's generator right after `random.seed(0)` (every detection starts there).
    private let seededRandom: raif_mt19937
    /// The first outputs of ``seededRandom``, which every detection draws (a few hundred words on
    /// typical text), and the generator after them.
    private let randomWords: [UInt32]
    private let randomAfter: [raif_mt19937]
    private static let precomputedWords = 16 * 624
    private let vietnameseLetters: [UInt32]
    private let vietnameseMarks: [UInt32]
    private let vietnameseComposed: [[UInt32]]

    /// Bits of a ``characterInfo`` value.
    private enum CharacterInfo {
        /// The character id (12 bits; ``unknown`` for a character no n-gram of the profiles holds).
        static let idMask: UInt16 = 0x0FFF
        static let unknown: UInt16 = 0x0FFF
        /// The normalised character is upper case (`Character.isUpperCase` in langdetect).
        static let upper: UInt16 = 1 << 12
        /// The normalised character is a space.
        static let space: UInt16 = 1 << 13
    }

    private init() {
        languages = LangDetectModel.languages
        let totals = LangDetectModel.gramTotals
        var cjkMap: [UInt32: UInt32] = [:]
        let pairs = Array(LangDetectModel.cjkPairs.unicodeScalars)
        var i = 0
        while i + 1 < pairs.count {
            cjkMap[pairs[i].value] = pairs[i + 1].value
            i += 2
        }
        let latin1Excluded = Set(LangDetectModel.latin1Excluded.unicodeScalars.map(\.value))
        vietnameseLetters = LangDetectModel.vietnameseLetters.unicodeScalars.map(\.value)
        vietnameseMarks = LangDetectModel.vietnameseMarks.unicodeScalars.map(\.value)
        vietnameseComposed = LangDetectModel.vietnameseComposed.map { $0.unicodeScalars.map(\.value) }

        // Profiles: character ids in order of first appearance, rows in table order; the space
        // and a-z first, so the common n-grams fall in the direct tables (see `directTrigram`).
        var ids: [UInt32: UInt16] = [:]
        for (id, c) in ([0x20] + Array(UInt32(0x61)...0x7A)).enumerated() { ids[c] = UInt16(id) }
        var grams: [[UInt16]] = []
        var starts: [Int32] = [0]
        var entryLanguage: [UInt8] = []
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
                entryLanguage.append(UInt8(language))
                entryProbability.append(Double(count) / Double(totals[language][gram.count - 1]))
            }
            grams.append(
                gram.map { scalar in
                    if let id = ids[scalar.value] { return id }
                    let id = UInt16(ids.count)
                    ids[scalar.value] = id
                    return id
                })
            starts.append(Int32(entryLanguage.count))
        }
        precondition(ids.count < Int(CharacterInfo.unknown), "langdetect profiles: too many characters")
        rowStart = starts
        self.entryLanguage = entryLanguage
        self.entryProbability = entryProbability
        precondition(
            grams.count < Self.denseFlag && languages.count <= Self.denseStride && Self.denseStride % 4 == 0)

        var dense: [Double] = []
        var codes: [Int32] = []
        for row in grams.indices {
            let entries = Int(starts[row])..<Int(starts[row + 1])
            if entries.count >= Self.denseMinimum {
                codes.append(Int32(Self.denseFlag | dense.count / Self.denseStride))
                var probabilities = [Double](repeating: 0, count: Self.denseStride)
                for e in entries { probabilities[Int(entryLanguage[e])] = entryProbability[e] }
                dense.append(contentsOf: probabilities)
            } else {
                codes.append(Int32(row))
            }
        }
        denseProbability = dense

        var unigramFeature = [Int32](repeating: -1, count: Int(CharacterInfo.unknown) + 1)
        var bigrams = [Int32](repeating: -1, count: Self.directBigramIDs * Self.directBigramIDs)
        var trigrams = [Int32](
            repeating: -1, count: Self.directTrigramIDs * Self.directTrigramIDs * Self.directTrigramIDs)
        var keyed: [(UInt64, Int32)] = []
        for (row, gram) in grams.enumerated() {
            let g = gram.map(Int.init)
            switch gram.count {
            case 1:
                unigramFeature[g[0]] = codes[row]
            case 2 where g.allSatisfy({ $0 < Self.directBigramIDs }):
                bigrams[g[0] * Self.directBigramIDs + g[1]] = codes[row]
            case 2:
                keyed.append((Self.bigramKey(gram[0], gram[1]), codes[row]))
            default:
                if g.allSatisfy({ $0 < Self.directTrigramIDs }) {
                    trigrams[(g[0] * Self.directTrigramIDs + g[1]) * Self.directTrigramIDs + g[2]] = codes[row]
                } else {
                    keyed.append((Self.trigramKey(gram[0], gram[1], gram[2]), codes[row]))
                }
            }
        }
        self.unigramFeature = unigramFeature
        directBigram = bigrams
        directTrigram = trigrams
        var bits: UInt64 = 1
        while (1 << bits) < keyed.count * 3 { bits += 1 }
        gramShift = 64 - bits
        var slots = [UInt64](repeating: 0, count: 1 << bits)
        let mask = (1 << Int(bits)) - 1
        for (key, code) in keyed {
            var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> gramShift)
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = key << 20 | UInt64(code + 1)
        }
        gramSlots = slots

        // What normalisation makes of every BMP code point (the rest normalise to themselves and
        // are in no profile).
        var info = [UInt16](repeating: CharacterInfo.unknown, count: 0x10000)
        for c in UInt32(0)..<0x10000 {
            guard Unicode.Scalar(c) != nil else { continue }
            let normalized = Self.normalize(c, cjk: cjkMap, latin1Excluded: latin1Excluded)
            var value = ids[normalized] ?? CharacterInfo.unknown
            if Self.isUpper(normalized) { value |= CharacterInfo.upper }
            if normalized == 0x20 { value |= CharacterInfo.space }
            info[Int(c)] = value
        }
        characterInfo = info

        var random = raif_mt19937()
        raif_mt_seed(&random, 0)
        seededRandom = random
        var after = raif_mt19937()
        randomWords = [UInt32](unsafeUninitializedCapacity: Self.precomputedWords) { words, count in
            raif_mt_stream_fill(&random, words.baseAddress, Self.precomputedWords, &after)
            count = Self.precomputedWords
        }
        randomAfter = [after]
    }

    /// The hash key of a 2-gram of character ids (bit 36 set; 3-gram keys stay below it).
    @inline(__always) private static func bigramKey(_ a: UInt16, _ b: UInt16) -> UInt64 {
        (1 << 36) | UInt64(a) << 12 | UInt64(b)
    }

    /// The hash key of a 3-gram of character ids.
    @inline(__always) private static func trigramKey(_ a: UInt16, _ b: UInt16, _ c: UInt16) -> UInt64 {
        UInt64(a) << 24 | UInt64(b) << 12 | UInt64(c)
    }

    /// The detected language code (langdetect's: "en", "zh-cn", …, or "unknown"), or nil where
    /// langdetect raises ("No features in text").
    ///
    /// Stops once the leading language can no longer be overtaken (usually after 4 of the 7
    /// trials on clear text): the answer is the full run's, as tests check.
    func detect(_ scalars: [Unicode.Scalar], scalarKernels: Bool = false) -> String? {
        guard let total = probabilities(scalars, scalarKernels: scalarKernels, stopWhenDecided: true) else {
            return nil
        }
        var best = -1
        for j in 0..<total.count where total[j] > 0.1 && (best < 0 || total[j] > total[best]) { best = j }
        return best >= 0 ? languages[best] : "unknown"
    }

    /// The language probabilities langdetect averages over its 7 trials (in ``languages`` order),
    /// or nil where it finds no n-gram.
    ///
    /// - Parameters:
    ///   - scalarKernels: run the kernels' `_ref` versions (langdetect's preparation step by step,
    ///     the generator itself, no vector code), for tests of the fast ones.
    ///   - stopWhenDecided: stop the trials once the leader is decided (the totals are then partial;
    ///     only their argmax is meaningful).
    ///   - precomputedWords: how many of the generator's precomputed outputs the fast trials read
    ///     before generating their own (tests check that switching over changes nothing).
    func probabilities(
        _ scalars: [Unicode.Scalar], scalarKernels: Bool = false, stopWhenDecided: Bool = false,
        precomputedWords: Int? = nil
    ) -> [Double]? {
        let features = features(scalars, scalarKernels: scalarKernels)
        guard !features.isEmpty else { return nil }
        var total = [Double](repeating: 0, count: languages.count)
        let stop: Int32 = stopWhenDecided ? 1 : 0
        if scalarKernels {
            var scratch = [Double](repeating: 0, count: 2 * Self.denseStride)
            var random = seededRandom
            withTable { table in
                _ = raif_langdetect_probabilities_ref(
                    &table, features, features.count, &random, &total, &scratch, stop)
            }
        } else if let precomputedWords {
            var words = [UInt32](repeating: 0, count: max(1, precomputedWords))
            var after = [raif_mt19937()]
            withUnsafePointer(to: seededRandom) { raif_mt_stream_fill($0, &words, precomputedWords, &after[0]) }
            words.withUnsafeBufferPointer { words in
                trials(features, UnsafeBufferPointer(rebasing: words.prefix(precomputedWords)), after, &total, stop)
            }
        } else {
            randomWords.withUnsafeBufferPointer { trials(features, $0, randomAfter, &total, stop) }
        }
        return total
    }

    /// The fast trials, drawing `words` and then the generator `after[0]` (see ``raif_mt_stream``).
    private func trials(
        _ features: [Int32], _ words: UnsafeBufferPointer<UInt32>, _ after: [raif_mt19937], _ total: inout [Double],
        _ stop: Int32
    ) {
        var scratch = [Double](repeating: 0, count: 2 * Self.denseStride)
        after.withUnsafeBufferPointer { after in
            var stream = raif_mt_stream(words: words.baseAddress, count: words.count, after: after.baseAddress)
            withTable { table in
                _ = raif_langdetect_probabilities(&table, features, features.count, &stream, &total, &scratch, stop)
            }
        }
    }

    /// langdetect's features of `scalars` (`Detector.append`'s preparation, then
    /// `_extract_ngrams`), after one scan that decides the path.
    ///
    /// Plain text whose Latin letters stay (most) is read straight from its code points: the scan
    /// has counted its letters, and the extraction needs no collapsed spaces. The rest is prepared
    /// step by step as langdetect does: URLs and mail addresses dropped and Vietnamese marks
    /// composed (``prepareNonPlain(_:)``), the first 10,000 code points kept with runs of spaces
    /// collapsed (``keep(_:)``), Latin letters dropped where non-Latin ones dominate. The `_ref`
    /// kernels always take the step-by-step path.
    private func features(_ scalars: [Unicode.Scalar], scalarKernels: Bool) -> [Int32] {
        var latin = 0
        var nonLatin = 0
        let plain = scalars.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: UInt32.self) { text in
                let scan = scalarKernels ? raif_langdetect_scan_ref : raif_langdetect_scan
                return scan(text.baseAddress, text.count, &latin, &nonLatin) != 0
            }
        }
        if plain, !scalarKernels, latin * 2 >= nonLatin {
            return scalars.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: UInt32.self) {
                    extractGrams(UnsafeBufferPointer(rebasing: $0.prefix(10_000)))
                }
            }
        }
        var (kept, keptLatin, keptNonLatin) =
            plain
            ? scalars.withUnsafeBufferPointer { $0.withMemoryRebound(to: UInt32.self, Self.keep) }
            : prepareNonPlain(scalars).withUnsafeBufferPointer(Self.keep)
        if keptLatin * 2 < keptNonLatin { kept.removeAll { $0 >= 0x41 && $0 <= 0x7A } }
        return kept.withUnsafeBufferPointer(extractGrams)
    }

    /// langdetect's preparation of text that is not plain: URLs and mail addresses dropped,
    /// Vietnamese marks composed, code points above the BMP reduced to their case.
    private func prepareNonPlain(_ scalars: [Unicode.Scalar]) -> [UInt32] {
        let mayHaveURLOrMail = scalars.contains { $0 == "@" || $0 == ":" }
        let mayHaveMarks = scalars.contains { $0.value >= 0x300 && $0.value <= 0x323 }
        var text = mayHaveURLOrMail ? Self.removeURLsAndMail(scalars) : scalars.map(\.value)
        if mayHaveMarks { text = composeVietnamese(text) }
        // Above the BMP only the case matters (no profile holds such a character).
        for k in text.indices where text[k] >= 0x1_0000 { text[k] = Self.isUpper(text[k]) ? 0x1_0000 : 0x1_0001 }
        return text
    }

    /// Calls `body` with the probability table as the C kernels read it.
    private func withTable<R>(_ body: (inout raif_langdetect_table) -> R) -> R {
        rowStart.withUnsafeBufferPointer { rowStart in
            entryLanguage.withUnsafeBufferPointer { entryLanguage in
                entryProbability.withUnsafeBufferPointer { entryProbability in
                    denseProbability.withUnsafeBufferPointer { dense in
                        var table = raif_langdetect_table(
                            row_start: rowStart.baseAddress, entry_language: entryLanguage.baseAddress,
                            entry_probability: entryProbability.baseAddress, dense: dense.baseAddress,
                            dense_flag: Int32(Self.denseFlag), dense_stride: Int32(Self.denseStride),
                            languages: Int32(languages.count))
                        return body(&table)
                    }
                }
            }
        }
    }

    /// The first 10,000 characters with runs of spaces collapsed, and how many of them are Latin
    /// letters (`A`–`z`) and non-Latin characters (`raif_langdetect_keep`; code points above the
    /// BMP already mapped as it expects).
    private static func keep(_ text: UnsafeBufferPointer<UInt32>) -> ([UInt32], Int, Int) {
        var latin = 0
        var nonLatin = 0
        let kept = [UInt32](unsafeUninitializedCapacity: min(text.count, 10_000)) { out, count in
            count = raif_langdetect_keep(text.baseAddress, text.count, out.baseAddress, &latin, &nonLatin)
        }
        return (kept, latin, nonLatin)
    }

    // MARK: Text preparation

    @inline(__always) private static func isURLChar(_ c: UInt32) -> Bool {
        switch c {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        default:
            return c == 0x2D || c == 0x5F || c == 0x2E || c == 0x3F || c == 0x26 || c == 0x7E || c == 0x3B
                || c == 0x2B || c == 0x3D || c == 0x2F || c == 0x23
        }
    }

    @inline(__always) private static func isMailChar(_ c: UInt32, dot: Bool) -> Bool {
        switch c {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2D, 0x5F: return true
        case 0x2E: return dot
        default: return false
        }
    }

    /// `re.sub(URL_RE, " ", text)` then `re.sub(MAIL_RE, " ", text)`.
    static func removeURLsAndMail(_ scalars: [Unicode.Scalar]) -> [UInt32] {
        let s = scalars.map(\.value)
        // URLs: https?://[-_.?&~;+=/#0-9A-Za-z]{1,2076}
        var afterURL: [UInt32] = []
        afterURL.reserveCapacity(s.count)
        var i = 0
        let http: [UInt32] = [0x68, 0x74, 0x74, 0x70]
        while i < s.count {
            if s[i] == 0x68, i + 4 <= s.count, Array(s[i..<(i + 4)]) == http {
                var q = i + 4
                if q < s.count, s[q] == 0x73 { q += 1 }
                if q + 3 <= s.count, s[q] == 0x3A, s[q + 1] == 0x2F, s[q + 2] == 0x2F {
                    var e = q + 3
                    while e < s.count, e - (q + 3) < 2076, isURLChar(s[e]) { e += 1 }
                    if e > q + 3 {
                        afterURL.append(0x20)
                        i = e
                        continue
                    }
                }
            }
            afterURL.append(s[i])
            i += 1
        }
        // Mail: [-_.0-9A-Za-z]{1,64}@[-_0-9A-Za-z]{1,255}[-_.0-9A-Za-z]{1,255}
        let t = afterURL
        var out: [UInt32] = []
        out.reserveCapacity(t.count)
        i = 0
        while i < t.count {
            if isMailChar(t[i], dot: true) {
                // The leftmost start whose run of local-part characters reaches an '@'.
                var runEnd = i
                while runEnd < t.count, isMailChar(t[runEnd], dot: true) { runEnd += 1 }
                if runEnd < t.count, t[runEnd] == 0x40 {
                    let start = max(i, runEnd - 64)
                    let d = runEnd + 1
                    if d + 1 < t.count, isMailChar(t[d], dot: false), isMailChar(t[d + 1], dot: true) {
                        // First part greedy (no dots), then the second part (dots allowed), 255 each.
                        var e1 = d
                        while e1 < t.count, e1 - d < 255, isMailChar(t[e1], dot: false) { e1 += 1 }
                        var e2 = e1
                        if e2 == t.count || !isMailChar(t[e2], dot: true) || e1 - d == 0 {
                            e1 -= 1  // give one character back to the second part
                            e2 = e1
                        }
                        while e2 < t.count, e2 - e1 < 255, isMailChar(t[e2], dot: true) { e2 += 1 }
                        out.append(contentsOf: t[i..<start])
                        out.append(0x20)
                        i = e2
                        continue
                    }
                }
                out.append(contentsOf: t[i..<runEnd])
                i = runEnd
                continue
            }
            out.append(t[i])
            i += 1
        }
        return out
    }

    /// `NGram.normalize_vi`: a Vietnamese base letter followed by a combining mark becomes the
    /// precomposed letter.
    func composeVietnamese(_ s: [UInt32]) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(s.count)
        var i = 0
        while i < s.count {
            if i + 1 < s.count, let mark = vietnameseMarks.firstIndex(of: s[i + 1]),
                let letter = vietnameseLetters.firstIndex(of: s[i])
            {
                out.append(vietnameseComposed[mark][letter])
                i += 2
                continue
            }
            out.append(s[i])
            i += 1
        }
        return out
    }

    /// `NGram.normalize` for one character.
    private static func normalize(_ c: UInt32, cjk: [UInt32: UInt32], latin1Excluded: Set<UInt32>) -> UInt32 {
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

    /// `Detector._extract_ngrams`: the feature codes of the known 1–3-grams, skipping words in
    /// capitals (`raif_langdetect_features`).
    private func extractGrams(_ text: UnsafeBufferPointer<UInt32>) -> [Int32] {
        characterInfo.withUnsafeBufferPointer { info in
            unigramFeature.withUnsafeBufferPointer { unigram in
                directBigram.withUnsafeBufferPointer { bigram in
                    directTrigram.withUnsafeBufferPointer { trigram in
                        gramSlots.withUnsafeBufferPointer { slots in
                            var grams = raif_langdetect_grams(
                                char_info: info.baseAddress, unigram: unigram.baseAddress,
                                direct_bigram: bigram.baseAddress, direct_trigram: trigram.baseAddress,
                                slots: slots.baseAddress, slot_count: slots.count, shift: UInt32(gramShift))
                            // At most three n-grams per character.
                            return [Int32](unsafeUninitializedCapacity: max(1, text.count * 3)) { out, found in
                                found = raif_langdetect_features(&grams, text.baseAddress, text.count, out.baseAddress)
                            }
                        }
                    }
                }
            }
        }
    }
}
