/// How a byte-level BPE tokenizer splits text into words before merging, as llama.cpp does it.
///
/// Each case is one of llama.cpp's split-rule families (`tokenizer.ggml.pre` names map onto them with
/// ``init(ggufName:)``). The rules are hand-written scanners over Unicode scalars that follow
/// llama.cpp's own (`unicode.cpp`), including its quirks, with llama.cpp's category table:
///
/// | case     | regex (HF tokenizer.json)                                                                |
/// |----------|-------------------------------------------------------------------------------------------|
/// | `gpt2`   | `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)`                    |
/// | `smollm` | `\p{N}` isolated first, then `gpt2` on each piece                                           |
/// | `qwen2`  | `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+` |
/// | `llama3` | as `qwen2` with `\p{N}{1,3}` instead of `\p{N}`                                              |
public enum PreTokenizer: String, Sendable, CaseIterable {
    case gpt2
    case smollm
    case qwen2
    case llama3

    /// The family llama.cpp uses for a `tokenizer.ggml.pre` value, with the two flags that come with it.
    ///
    /// - Returns: the family, whether whole words found in the vocabulary skip merging
    ///   (llama.cpp's `ignore_merges`, set for the Llama 3 names), and whether the name forces
    ///   `add_bos` on (before `tokenizer.ggml.add_bos_token` is read).
    /// - Throws: ``EngineError/unsupportedTokenizer(_:)`` for names outside these families.
    public static func resolve(ggufName name: String) throws(EngineError) -> (
        preTokenizer: PreTokenizer, ignoreMerges: Bool, forcesBOS: Bool
    ) {
        switch name {
        case "llama3", "llama-v3", "llama-bpe", "falcon3", "pixtral":
            return (.llama3, true, true)
        case "dbrx", "smaug-bpe":
            return (.llama3, false, false)
        case "qwen2", "deepseek-r1-qwen", "megrez", "stablelm2":
            return (.qwen2, false, false)
        case "smollm", "starcoder", "refact", "command-r", "codeshell", "exaone", "minerva-7b":
            return (.smollm, false, false)
        case "gpt-2", "phi-2", "jina-es", "jina-de", "mpt", "olmo", "jais", "exaone4":
            return (.gpt2, false, false)
        default:
            throw .unsupportedTokenizer(
                "pre-tokenizer '\(name)' (supported: llama-bpe/llama3, qwen2, deepseek-r1-qwen, smollm, gpt-2 and aliases)"
            )
        }
    }

    /// Splits code points into words; returns the word boundaries as index ranges into `cpts`.
    func split(_ cpts: [UInt32]) -> [Range<Int>] {
        let flags = cpts.map { CodepointFlags(codepoint: $0) }
        var words: [Range<Int>] = []
        words.reserveCapacity(cpts.count / 3 + 1)
        switch self {
        case .gpt2:
            Self.splitGPT2(cpts, flags, 0..<cpts.count, into: &words)
        case .smollm:
            // First rule `\p{N}`: every number code point becomes its own piece; then gpt2 on each piece.
            var start = 0
            for i in 0..<cpts.count where flags[i].isNumber && !flags[i].isWhitespace {
                if start < i {
                    Self.splitGPT2(cpts, flags, start..<i, into: &words)
                }
                words.append(i..<(i + 1))
                start = i + 1
            }
            if start < cpts.count {
                Self.splitGPT2(cpts, flags, start..<cpts.count, into: &words)
            }
        case .qwen2:
            Self.splitLlama3(cpts, flags, 0..<cpts.count, maxDigits: 1, into: &words)
        case .llama3:
            Self.splitLlama3(cpts, flags, 0..<cpts.count, maxDigits: 3, into: &words)
        }
        return words
    }

    private static let outside: UInt32 = 0xFFFF_FFFF

    private static func isContractionTail1(_ c: UInt32) -> Bool {
        c == 0x73 || c == 0x74 || c == 0x6D || c == 0x64  // s t m d
    }

    private static func isContractionTail2(_ c1: UInt32, _ c2: UInt32) -> Bool {
        (c1 == 0x72 && c2 == 0x65) || (c1 == 0x76 && c2 == 0x65) || (c1 == 0x6C && c2 == 0x6C)  // re ve ll
    }

    /// ASCII lower-casing; exact for the contraction letters (checked by the table generator).
    private static func lower(_ c: UInt32) -> UInt32 {
        (0x41...0x5A).contains(c) ? c + 0x20 : c
    }

    /// The gpt2 rule over one fragment `[ini, end)`.
    private static func splitGPT2(
        _ cpts: [UInt32], _ allFlags: [CodepointFlags], _ fragment: Range<Int>, into words: inout [Range<Int>]
    ) {
        let ini = fragment.lowerBound
        let end = fragment.upperBound
        func cpt(_ p: Int) -> UInt32 { p >= ini && p < end ? cpts[p] : outside }
        func flags(_ p: Int) -> CodepointFlags { p >= ini && p < end ? allFlags[p] : .outside }
        var prevEnd = ini
        func addToken(_ e: Int) -> Int {
            let length = e - prevEnd
            if length > 0 { words.append(prevEnd..<e) }
            prevEnd = e
            return length
        }

        var pos = ini
        while pos < end {
            let c = cpt(pos)
            let f = flags(pos)
            // 's|'t|'re|'ve|'m|'ll|'d
            if c == 0x27 && pos + 1 < end {
                let next = cpt(pos + 1)
                if isContractionTail1(next) {
                    pos += addToken(pos + 2)
                    continue
                }
                if pos + 2 < end && isContractionTail2(next, cpt(pos + 2)) {
                    pos += addToken(pos + 3)
                    continue
                }
            }
            var f2 = c == 0x20 ? flags(pos + 1) : f
            // <space>?\p{L}+
            if f2.isLetter {
                if c == 0x20 { pos += 1 }
                while f2.isLetter {
                    pos += 1
                    f2 = flags(pos)
                }
                _ = addToken(pos)
                continue
            }
            // <space>?\p{N}+
            if f2.isNumber {
                if c == 0x20 { pos += 1 }
                while f2.isNumber {
                    pos += 1
                    f2 = flags(pos)
                }
                _ = addToken(pos)
                continue
            }
            // <space>?[^\s\p{L}\p{N}]+
            if !(f2.isWhitespace || f2.isLetter || f2.isNumber) && f2.isInside {
                if c == 0x20 { pos += 1 }
                while !(f2.isWhitespace || f2.isLetter || f2.isNumber) && f2.isInside {
                    pos += 1
                    f2 = flags(pos)
                }
                _ = addToken(pos)
                continue
            }
            var whitespaceCount = 0
            while flags(pos + whitespaceCount).isWhitespace {
                whitespaceCount += 1
            }
            // \s+(?!\S)
            if whitespaceCount > 1 && cpt(pos + whitespaceCount) != outside {
                pos += whitespaceCount - 1
                _ = addToken(pos)
                continue
            }
            // \s+
            if whitespaceCount > 0 {
                pos += whitespaceCount
                _ = addToken(pos)
                continue
            }
            // no match
            pos += 1
            _ = addToken(pos)
        }
    }

    /// The llama3 (`maxDigits` 3) and qwen2 (`maxDigits` 1) rule over one fragment `[ini, end)`.
    private static func splitLlama3(
        _ cpts: [UInt32], _ allFlags: [CodepointFlags], _ fragment: Range<Int>, maxDigits: Int,
        into words: inout [Range<Int>]
    ) {
        let ini = fragment.lowerBound
        let end = fragment.upperBound
        func cpt(_ p: Int) -> UInt32 { p >= ini && p < end ? cpts[p] : outside }
        func flags(_ p: Int) -> CodepointFlags { p >= ini && p < end ? allFlags[p] : .outside }
        var prevEnd = ini
        func addToken(_ e: Int) -> Int {
            let length = e - prevEnd
            if length > 0 { words.append(prevEnd..<e) }
            prevEnd = e
            return length
        }

        var pos = ini
        while pos < end {
            let c = cpt(pos)
            let f = flags(pos)
            // (?i:'s|'t|'re|'ve|'m|'ll|'d)
            if c == 0x27 && pos + 1 < end {
                let next = lower(cpt(pos + 1))
                if isContractionTail1(next) {
                    pos += addToken(pos + 2)
                    continue
                }
                if pos + 2 < end && isContractionTail2(next, lower(cpt(pos + 2))) {
                    pos += addToken(pos + 3)
                    continue
                }
            }
            // [^\r\n\p{L}\p{N}]?\p{L}+
            if !(c == 0x0D || c == 0x0A || f.isNumber) {
                if f.isLetter || flags(pos + 1).isLetter {
                    pos += 1
                    while flags(pos).isLetter {
                        pos += 1
                    }
                    _ = addToken(pos)
                    continue
                }
            }
            // \p{N}{1,maxDigits}
            if f.isNumber {
                var groupStart = pos
                while flags(pos).isNumber {
                    pos += 1
                    if pos - groupStart >= maxDigits {
                        _ = addToken(pos)
                        groupStart = pos
                    }
                }
                _ = addToken(pos)
                continue
            }
            // <space>?[^\s\p{L}\p{N}]+[\r\n]*
            var f2 = c == 0x20 ? flags(pos + 1) : f
            if !(f2.isWhitespace || f2.isLetter || f2.isNumber) && f.isInside {
                if c == 0x20 { pos += 1 }
                while !(f2.isWhitespace || f2.isLetter || f2.isNumber) && f2.isInside {
                    pos += 1
                    f2 = flags(pos)
                }
                var c2 = cpt(pos)
                while c2 == 0x0D || c2 == 0x0A {
                    pos += 1
                    c2 = cpt(pos)
                }
                _ = addToken(pos)
                continue
            }
            var whitespaceCount = 0
            var lastEndOfLineBreak = 0
            while flags(pos + whitespaceCount).isWhitespace {
                let c2 = cpt(pos + whitespaceCount)
                if c2 == 0x0D || c2 == 0x0A {
                    lastEndOfLineBreak = pos + whitespaceCount + 1
                }
                whitespaceCount += 1
            }
            // \s*[\r\n]+
            if lastEndOfLineBreak > 0 {
                pos = lastEndOfLineBreak
                _ = addToken(pos)
                continue
            }
            // \s+(?!\S)
            if whitespaceCount > 1 && cpt(pos + whitespaceCount) != outside {
                pos += whitespaceCount - 1
                _ = addToken(pos)
                continue
            }
            // \s+
            if whitespaceCount > 0 {
                pos += whitespaceCount
                _ = addToken(pos)
                continue
            }
            // no match
            pos += 1
            _ = addToken(pos)
        }
    }
}
