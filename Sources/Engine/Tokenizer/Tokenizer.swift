/// The kind of a vocabulary entry, as `tokenizer.ggml.token_type` stores it.
public enum TokenType: Int32, Sendable {
    case undefined = 0
    case normal = 1
    case unknown = 2
    case control = 3
    case userDefined = 4
    case unused = 5
    case byte = 6
}

/// Token attributes as llama.cpp keeps them (token type plus adjustments made while loading).
struct TokenAttributes: OptionSet, Sendable {
    let rawValue: UInt16
    static let unknown = TokenAttributes(rawValue: 1 << 0)
    static let unused = TokenAttributes(rawValue: 1 << 1)
    static let normal = TokenAttributes(rawValue: 1 << 2)
    static let control = TokenAttributes(rawValue: 1 << 3)
    static let userDefined = TokenAttributes(rawValue: 1 << 4)
    static let byte = TokenAttributes(rawValue: 1 << 5)

    init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    init(_ type: TokenType) {
        switch type {
        case .undefined: self = []
        case .normal: self = .normal
        case .unknown: self = .unknown
        case .control: self = .control
        case .userDefined: self = .userDefined
        case .unused: self = .unused
        case .byte: self = .byte
        }
    }
}

/// The special token ids a model's metadata names (`tokenizer.ggml.*_token_id`); nil when absent.
public struct SpecialTokenIDs: Sendable, Equatable {
    public var bos: Int32?
    public var eos: Int32?
    public var eot: Int32?
    public var eom: Int32?
    public var unknown: Int32?
    public var padding: Int32?

    public init(
        bos: Int32? = nil, eos: Int32? = nil, eot: Int32? = nil, eom: Int32? = nil, unknown: Int32? = nil,
        padding: Int32? = nil
    ) {
        self.bos = bos
        self.eos = eos
        self.eot = eot
        self.eom = eom
        self.unknown = unknown
        self.padding = padding
    }
}

/// The tokenizer algorithm (`tokenizer.ggml.model`).
public enum TokenizerModel: String, Sendable {
    /// Byte-level BPE with a pre-tokenizer (`gpt2`): SmolLM2, Qwen2.5, Llama 3, DeepSeek-R1 distills.
    case bytePair = "gpt2"
    /// SentencePiece with byte fallback (`llama`): TinyLlama, Llama 2.
    case sentencePiece = "llama"
}

/// A tokenizer that produces llama.cpp's token ids: byte-level BPE (`gpt2`) or SentencePiece (`llama`).
///
/// Encoding follows `llama_tokenize`: special tokens are cut out of the text first (control tokens
/// only when `parseSpecial` is on; user-defined tokens always); for BPE every remaining fragment is
/// split into words by the ``PreTokenizer`` and each word's UTF-8 bytes are merged by rank; for
/// SentencePiece spaces become `▁` (with a leading one at the start and after special tokens) and
/// characters merge by score. BOS/EOS are added when asked for and the metadata wants them.
/// Decoding follows `llama_token_to_piece`. Immutable after construction, so one instance serves
/// any number of threads.
public final class Tokenizer: Sendable {
    /// Number of vocabulary entries.
    public let vocabularySize: Int
    /// The algorithm.
    public let model: TokenizerModel
    /// The pre-tokenizer family the text is split with (BPE only).
    public let preTokenizer: PreTokenizer?
    /// The `tokenizer.ggml.pre` name this tokenizer was built for (BPE only).
    public let preTokenizerName: String?
    /// Special token ids (after llama.cpp's range checks).
    public let specialIDs: SpecialTokenIDs
    /// Whether ``encode(_:addBOS:parseSpecial:)`` with `addBOS: true` starts with BOS.
    public let addsBOS: Bool
    /// Whether ``encode(_:addBOS:parseSpecial:)`` with `addBOS: true` ends with EOS.
    public let addsEOS: Bool
    /// The tokens that end generation (llama.cpp's EOG set: eos, eot, eom and the end-of-turn
    /// tokens it recognises by text, such as `<|im_end|>`, `<|eot_id|>`, `<|endoftext|>`).
    public let endOfGenerationIDs: Set<Int32>

    private let texts: [String]
    /// Exact-byte lookup of token texts.
    private let idByText: [[UInt8]: Int32]
    private let attributes: [TokenAttributes]
    /// `pieces[id]`: the bytes `llama_token_to_piece(id, special: true)` writes.
    private let pieces: [[UInt8]]
    /// Control / user-defined / unknown tokens, longest text first (llama.cpp's special cache).
    private let specialTokens: [(id: Int32, bytes: [UInt8], attributes: TokenAttributes)]
    private let algorithm: Algorithm

    private enum Algorithm: Sendable {
        case bytePair(BPEMerger, ignoreMerges: Bool)
        case sentencePiece(SentencePieceMerger, addSpacePrefix: Bool)
    }

    private enum AlgorithmSpec {
        case bytePair(merges: [String], ignoreMerges: Bool)
        case sentencePiece(scores: [Float]?, addSpacePrefix: Bool)
    }

    /// Builds a tokenizer from vocabulary data (the same data the GGUF metadata holds).
    ///
    /// - Parameters:
    ///   - vocabulary: token texts in id order, in GPT-2 mapped characters (`Ġ` for space).
    ///   - merges: BPE merges `"left right"` in rank order.
    ///   - tokenTypes: `TokenType` raw values per token, or nil (all normal).
    ///   - specialIDs: special token ids from metadata; ids outside the vocabulary are dropped.
    ///   - preTokenizer: the `tokenizer.ggml.pre` name (`smollm`, `qwen2`, `llama-bpe`, …).
    ///   - addBOS: `tokenizer.ggml.add_bos_token`, or nil when absent (then the pre-tokenizer's default).
    ///   - addEOS: `tokenizer.ggml.add_eos_token`, or nil when absent (false).
    /// - Throws: ``EngineError/unsupportedTokenizer(_:)`` for an unknown pre-tokenizer,
    ///   ``EngineError/invalidVocabulary(_:)`` for an empty vocabulary, mismatched type count,
    ///   duplicate token texts, or BOS/EOS asked for but missing.
    public convenience init(
        vocabulary: [String], merges: [String], tokenTypes: [Int32]?, specialIDs: SpecialTokenIDs,
        preTokenizer: String, addBOS: Bool?, addEOS: Bool? = nil
    ) throws(EngineError) {
        let resolved = try PreTokenizer.resolve(ggufName: preTokenizer)
        try self.init(
            model: .bytePair, vocabulary: vocabulary, tokenTypes: tokenTypes, specialIDs: specialIDs,
            addBOS: addBOS ?? resolved.forcesBOS, addEOS: addEOS ?? false,
            preTokenizer: (resolved.preTokenizer, preTokenizer),
            spec: .bytePair(merges: merges, ignoreMerges: resolved.ignoreMerges))
    }

    /// Builds a SentencePiece tokenizer (`tokenizer.ggml.model = "llama"`) from vocabulary data.
    ///
    /// - Parameters:
    ///   - vocabulary: token texts in id order (`▁` for space, byte tokens as `<0xXX>`).
    ///   - scores: merge score per token (`tokenizer.ggml.scores`), or nil (all 0).
    ///   - tokenTypes: `TokenType` raw values per token, or nil (all normal).
    ///   - specialIDs: special token ids from metadata; ids outside the vocabulary are dropped.
    ///   - addBOS: `tokenizer.ggml.add_bos_token`, or nil when absent (then true).
    ///   - addEOS: `tokenizer.ggml.add_eos_token`, or nil when absent (false).
    ///   - addSpacePrefix: `tokenizer.ggml.add_space_prefix`, or nil when absent (then true).
    /// - Throws: ``EngineError/invalidVocabulary(_:)`` as for BPE, or when the score count differs.
    public convenience init(
        sentencePieceVocabulary vocabulary: [String], scores: [Float]?, tokenTypes: [Int32]?,
        specialIDs: SpecialTokenIDs, addBOS: Bool?, addEOS: Bool? = nil, addSpacePrefix: Bool? = nil
    ) throws(EngineError) {
        if let scores, scores.count != vocabulary.count {
            throw .invalidVocabulary("\(scores.count) scores for \(vocabulary.count) tokens")
        }
        try self.init(
            model: .sentencePiece, vocabulary: vocabulary, tokenTypes: tokenTypes, specialIDs: specialIDs,
            addBOS: addBOS ?? true, addEOS: addEOS ?? false, preTokenizer: nil,
            spec: .sentencePiece(scores: scores, addSpacePrefix: addSpacePrefix ?? true))
    }

    private init(
        model: TokenizerModel, vocabulary: [String], tokenTypes: [Int32]?, specialIDs: SpecialTokenIDs, addBOS: Bool,
        addEOS: Bool, preTokenizer: (PreTokenizer, String)?, spec: AlgorithmSpec
    ) throws(EngineError) {
        guard !vocabulary.isEmpty else { throw .invalidVocabulary("the vocabulary is empty") }
        if let tokenTypes, tokenTypes.count != vocabulary.count {
            throw .invalidVocabulary("\(tokenTypes.count) token types for \(vocabulary.count) tokens")
        }
        self.model = model
        self.preTokenizer = preTokenizer?.0
        self.preTokenizerName = preTokenizer?.1
        let count = vocabulary.count
        self.vocabularySize = count

        // Texts (llama.cpp renames empty entries) and exact-byte lookup.
        var texts = vocabulary
        var idByBytes: [[UInt8]: Int32] = [:]
        idByBytes.reserveCapacity(count)
        for i in 0..<count {
            if texts[i].isEmpty { texts[i] = "[EMPTY_\(i)]" }
            let bytes = Array(texts[i].utf8)
            if let previous = idByBytes.updateValue(Int32(i), forKey: bytes) {
                throw .invalidVocabulary("tokens \(previous) and \(i) have the same text '\(texts[i])'")
            }
        }
        self.texts = texts
        self.idByText = idByBytes

        var attributes = [TokenAttributes](repeating: .normal, count: count)
        if let tokenTypes {
            for i in 0..<count {
                attributes[i] = TokenAttributes(TokenType(rawValue: tokenTypes[i]) ?? .undefined)
            }
        }

        func inRange(_ id: Int32?) -> Int32? {
            guard let id, id >= 0, Int(id) < count else { return nil }
            return id
        }
        var ids = SpecialTokenIDs(
            bos: inRange(specialIDs.bos), eos: inRange(specialIDs.eos), eot: inRange(specialIDs.eot),
            eom: inRange(specialIDs.eom), unknown: inRange(specialIDs.unknown), padding: inRange(specialIDs.padding))

        // llama.cpp recognises end-of-turn / end-of-generation tokens by text and forces them to control.
        func lookup(_ text: String) -> Int32? { idByBytes[Array(text.utf8)] }
        func markControl(_ id: Int32) { attributes[Int(id)].insert(.control) }
        if ids.eot == nil {
            for text in Self.eotTexts {
                if let id = lookup(text) {
                    ids.eot = id
                    markControl(id)
                    break
                }
            }
        }
        if ids.eom == nil, let id = lookup("<|eom_id|>") {
            ids.eom = id
            markControl(id)
        }
        var eog: Set<Int32> = []
        for group in Self.fimEndTexts {
            for text in group {
                if let id = lookup(text) {
                    markControl(id)
                    eog.insert(id)
                    break
                }
            }
        }
        for text in Self.eogTexts {
            if let id = lookup(text) {
                eog.insert(id)
                markControl(id)
            }
        }
        for id in [ids.eos, ids.eot, ids.eom] {
            if let id { eog.insert(id) }
        }
        // Control tokens whose text says "unused" are unused (never rendered, never EOG-worthy).
        for i in 0..<count where attributes[i].contains(.control) && texts[i].contains("unused") {
            attributes[i].insert(.unused)
        }
        self.attributes = attributes
        self.endOfGenerationIDs = eog
        self.specialIDs = ids

        self.addsBOS = addBOS
        self.addsEOS = addEOS
        if addsBOS && ids.bos == nil { throw .invalidVocabulary("add_bos_token is set but there is no BOS token") }
        if addsEOS && ids.eos == nil { throw .invalidVocabulary("add_eos_token is set but there is no EOS token") }

        // Special token cache: longest text first; equal lengths by id (llama.cpp's sort is unstable).
        var special: [(id: Int32, bytes: [UInt8], attributes: TokenAttributes)] = []
        for i in 0..<count where !attributes[i].isDisjoint(with: [.control, .userDefined, .unknown]) {
            special.append((Int32(i), Array(texts[i].utf8), attributes[i]))
        }
        special.sort { $0.bytes.count != $1.bytes.count ? $0.bytes.count > $1.bytes.count : $0.id < $1.id }
        self.specialTokens = special

        self.pieces = (0..<count).map {
            Self.piece(text: texts[$0], attributes: attributes[$0], sentencePiece: model == .sentencePiece)
        }
        switch spec {
        case .bytePair(let merges, let ignoreMerges):
            algorithm = .bytePair(Self.buildMerger(texts: texts, merges: merges), ignoreMerges: ignoreMerges)
        case .sentencePiece(let scores, let addSpacePrefix):
            let hex = Array("0123456789ABCDEF".utf8)
            let byteTokens: [Int32] = (0..<256).map { b in
                let name: [UInt8] = Array("<0x".utf8) + [hex[b >> 4], hex[b & 15], UInt8(ascii: ">")]
                return idByBytes[name] ?? idByBytes[[UInt8(b)]] ?? -1
            }
            let merger = SentencePieceMerger(
                idByText: idByBytes, scores: scores ?? [Float](repeating: 0, count: count), byteTokens: byteTokens)
            algorithm = .sentencePiece(merger, addSpacePrefix: addSpacePrefix)
        }
    }

    private static let eotTexts = [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|end_of_text|>", "<EOT>", "_<EOT>",
        "[EOT]", "<｜end▁of▁sentence｜>", "<end_of_utterance>",
    ]
    /// FIM pad / repo / file-separator tokens (first match of each group), which llama.cpp treats as EOG.
    private static let fimEndTexts = [
        ["<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "[PAD]"],
        ["<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>"],
        ["<|file_sep|>"],
    ]
    private static let eogTexts = [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<|flush|>", "<|calls|>", "<end_of_turn>",
        "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>", "_<EOT>", "[EOT]", "[EOS]", "<|end_of_text|>",
        "<end_of_utterance>", "<eos>", "<turn|>", "<|tool_response>", "<｜end▁of▁sentence｜>", "[e~[",
    ]

    /// The bytes llama.cpp's `token_to_piece` writes for a token with `special: true`.
    private static func piece(text: String, attributes: TokenAttributes, sentencePiece: Bool) -> [UInt8] {
        if !attributes.isDisjoint(with: [.unknown, .control, .userDefined]) {
            return Array(text.utf8)
        }
        if attributes.contains(.normal) && sentencePiece {
            // "▁" (E2 96 81) stands for a space.
            var bytes: [UInt8] = []
            let utf8 = Array(text.utf8)
            var i = 0
            while i < utf8.count {
                if i + 2 < utf8.count && utf8[i] == 0xE2 && utf8[i + 1] == 0x96 && utf8[i + 2] == 0x81 {
                    bytes.append(0x20)
                    i += 3
                } else {
                    bytes.append(utf8[i])
                    i += 1
                }
            }
            return bytes
        }
        if attributes.contains(.normal) {
            var bytes: [UInt8] = []
            for scalar in text.unicodeScalars {
                if let byte = ByteLevel.byte(forScalar: scalar.value) {
                    bytes.append(byte)
                } else {
                    // llama_decode_text's marker for a character outside the byte map.
                    let hex = String(scalar).utf8.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
                    bytes += Array("[UNK_BYTE_0x\(hex)\(text)]".utf8)
                }
            }
            return bytes
        }
        if attributes.contains(.byte) {
            // "<0xXX>"
            let utf8 = Array(text.utf8)
            if utf8.count == 6, let value = UInt8(String(decoding: utf8[3..<5], as: UTF8.self), radix: 16) {
                return [value]
            }
        }
        return []
    }

    private static func buildMerger(texts: [String], merges: [String]) -> BPEMerger {
        var symbolIDs: [[UInt8]: Int32] = [:]
        symbolIDs.reserveCapacity(texts.count + 256)
        for (i, text) in texts.enumerated() {
            if let raw = ByteLevel.rawBytes(ofMapped: text) {
                symbolIDs[raw] = Int32(i)
            }
        }
        var extra: [[UInt8]] = []
        func intern(_ bytes: [UInt8]) -> Int32 {
            if let id = symbolIDs[bytes] { return id }
            let id = Int32(texts.count + extra.count)
            symbolIDs[bytes] = id
            extra.append(bytes)
            return id
        }
        let byteSymbol = (0..<256).map { intern([UInt8($0)]) }
        var table: [UInt64: (rank: Int32, merged: Int32)] = [:]
        table.reserveCapacity(merges.count)
        for (rank, merge) in merges.enumerated() {
            // llama.cpp splits at the first space after the first byte.
            let utf8 = Array(merge.utf8)
            guard utf8.count > 1, let space = utf8[1...].firstIndex(of: 0x20) else { continue }
            guard let left = ByteLevel.rawBytes(ofMappedUTF8: utf8[..<space]),
                let right = ByteLevel.rawBytes(ofMappedUTF8: utf8[(space + 1)...]),
                !left.isEmpty, !right.isEmpty
            else { continue }
            let leftID = intern(left)
            let rightID = intern(right)
            let key = UInt64(UInt32(bitPattern: leftID)) << 32 | UInt64(UInt32(bitPattern: rightID))
            if table[key] == nil {
                table[key] = (Int32(rank), intern(left + right))
            }
        }
        return BPEMerger(symbolIDs: symbolIDs, merges: table, byteSymbol: byteSymbol, extraSymbols: extra)
    }

    // MARK: Encoding

    /// Tokenizes text as `llama_tokenize(text, add_special: addBOS, parse_special: parseSpecial)`.
    ///
    /// - Parameters:
    ///   - addBOS: add the special tokens the metadata asks for (BOS when ``addsBOS``, EOS when
    ///     ``addsEOS``); llama.cpp's `add_special`.
    ///   - parseSpecial: recognise control tokens (`<|im_start|>`, …) written in the text; when false
    ///     they are tokenized as plain text. User-defined tokens are always recognised.
    public func encode(_ text: String, addBOS: Bool = true, parseSpecial: Bool = true) -> [Int32] {
        var output: [Int32] = []
        if addBOS && addsBOS, let bos = specialIDs.bos {
            output.append(bos)
        }
        let bytes = Array(text.utf8)
        var previousIsSpecial = true
        for fragment in partition(bytes, parseSpecial: parseSpecial) {
            switch fragment {
            case .token(let id):
                output.append(id)
                previousIsSpecial = true
            case .text(let range):
                switch algorithm {
                case .bytePair(let merger, let ignoreMerges):
                    tokenize(bytes[range], merger: merger, ignoreMerges: ignoreMerges, into: &output)
                case .sentencePiece(let merger, let addSpacePrefix):
                    // A leading space at the start and after special tokens; spaces become "▁".
                    var escaped: [UInt8] = addSpacePrefix && previousIsSpecial ? [0xE2, 0x96, 0x81] : []
                    for byte in bytes[range] {
                        if byte == 0x20 { escaped += [0xE2, 0x96, 0x81] } else { escaped.append(byte) }
                    }
                    merger.tokenize(escaped, into: &output)
                }
                previousIsSpecial = false
            }
        }
        if addBOS && addsEOS, let eos = specialIDs.eos {
            output.append(eos)
        }
        return output
    }

    private enum Fragment {
        case text(Range<Int>)
        case token(Int32)
    }

    /// Cuts special tokens out of the text, longest token first (llama.cpp's `tokenizer_st_partition`).
    private func partition(_ bytes: [UInt8], parseSpecial: Bool) -> [Fragment] {
        guard !bytes.isEmpty else { return [] }
        var fragments: [Fragment] = [.text(0..<bytes.count)]
        for special in specialTokens {
            if !parseSpecial && !special.attributes.isDisjoint(with: [.control, .unknown]) { continue }
            let needle = special.bytes
            var result: [Fragment] = []
            result.reserveCapacity(fragments.count)
            for fragment in fragments {
                guard case .text(let range) = fragment else {
                    result.append(fragment)
                    continue
                }
                var start = range.lowerBound
                while let match = Self.find(needle, in: bytes, from: start, to: range.upperBound) {
                    if match > start { result.append(.text(start..<match)) }
                    result.append(.token(special.id))
                    start = match + needle.count
                }
                if start < range.upperBound { result.append(.text(start..<range.upperBound)) }
            }
            fragments = result
        }
        return fragments
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int, to: Int) -> Int? {
        let n = needle.count
        guard n > 0, to - from >= n else { return nil }
        let first = needle[0]
        var i = from
        while i <= to - n {
            if haystack[i] == first {
                var j = 1
                while j < n && haystack[i + j] == needle[j] { j += 1 }
                if j == n { return i }
            }
            i += 1
        }
        return nil
    }

    /// Pre-tokenizes and BPE-merges one plain-text fragment.
    private func tokenize(
        _ bytes: ArraySlice<UInt8>, merger: BPEMerger, ignoreMerges: Bool, into output: inout [Int32]
    ) {
        let scalars = String(decoding: bytes, as: UTF8.self).unicodeScalars.map(\.value)
        let words = (preTokenizer ?? .gpt2).split(scalars)
        var wordBytes: [UInt8] = []
        for word in words {
            wordBytes.removeAll(keepingCapacity: true)
            for i in word {
                appendUTF8(scalars[i], to: &wordBytes)
            }
            if ignoreMerges, let id = merger.symbolIDs[wordBytes], Int(id) < vocabularySize {
                output.append(id)
                continue
            }
            for symbol in merger.merge(wordBytes[...]) {
                if Int(symbol) < vocabularySize {
                    output.append(symbol)
                } else {
                    // Not a vocabulary entry: llama.cpp falls back to single-character lookups of the
                    // mapped text, which only ASCII-mapped bytes can satisfy.
                    let bytes = merger.extraSymbols[Int(symbol) - vocabularySize]
                    for byte in bytes where ByteLevel.scalarForByte[Int(byte)] < 0x80 {
                        if let id = merger.symbolIDs[[byte]], Int(id) < vocabularySize {
                            output.append(id)
                        }
                    }
                }
            }
        }
    }

    private func appendUTF8(_ scalar: UInt32, to bytes: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            bytes.append(UInt8(scalar))
        case 0x80..<0x800:
            bytes.append(UInt8(0xC0 | (scalar >> 6)))
            bytes.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            bytes.append(UInt8(0xE0 | (scalar >> 12)))
            bytes.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            bytes.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            bytes.append(UInt8(0xF0 | (scalar >> 18)))
            bytes.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            bytes.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            bytes.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }

    // MARK: Decoding

    /// The vocabulary text of a token (mapped characters, as stored in the model).
    public func tokenText(_ id: Int32) throws(EngineError) -> String {
        try check(id)
        return texts[Int(id)]
    }

    /// The type of a token as llama.cpp sees it after loading (EOG tokens are control).
    public func tokenType(_ id: Int32) throws(EngineError) -> TokenType {
        try check(id)
        let a = attributes[Int(id)]
        if a.contains(.unused) { return .unused }
        if a.contains(.control) { return .control }
        if a.contains(.unknown) { return .unknown }
        if a.contains(.userDefined) { return .userDefined }
        if a.contains(.byte) { return .byte }
        if a.contains(.normal) { return .normal }
        return .undefined
    }

    /// The bytes a token stands for, as `llama_token_to_piece(id, lstrip: 0, special: renderSpecial)`.
    ///
    /// A piece may be part of a UTF-8 sequence, hence bytes. Control and unknown tokens give their
    /// text when `renderSpecial` (llama.cpp's generation examples use `special = true`), nothing otherwise.
    public func tokenPiece(_ id: Int32, renderSpecial: Bool = true) throws(EngineError) -> [UInt8] {
        try check(id)
        if !renderSpecial && !attributes[Int(id)].isDisjoint(with: [.unknown, .control]) {
            return []
        }
        return pieces[Int(id)]
    }

    /// Concatenates the pieces of `ids` into text; incomplete UTF-8 becomes U+FFFD.
    public func decode(_ ids: [Int32], renderSpecial: Bool = true) throws(EngineError) -> String {
        var bytes: [UInt8] = []
        for id in ids {
            bytes += try tokenPiece(id, renderSpecial: renderSpecial)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// True for tokens that end generation (``endOfGenerationIDs``).
    public func isEndOfGeneration(_ id: Int32) -> Bool {
        endOfGenerationIDs.contains(id)
    }

    /// The id of a token given its exact vocabulary text, if there is one.
    public func tokenID(forText text: String) -> Int32? {
        idByText[Array(text.utf8)]
    }

    private func check(_ id: Int32) throws(EngineError) {
        guard id >= 0, Int(id) < vocabularySize else { throw .tokenOutOfRange(id: id, vocabularySize: vocabularySize) }
    }
}
