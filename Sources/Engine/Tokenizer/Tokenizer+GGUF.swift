public import GGUF

extension Tokenizer {
    /// Builds the tokenizer a GGUF model describes in its `tokenizer.ggml.*` metadata.
    ///
    /// Reads `model` (`gpt2`: byte-level BPE, or `llama`: SentencePiece), `pre`, `tokens`, `merges`
    /// (BPE), `scores` (SentencePiece), `token_type`, the special token ids and `add_bos_token` /
    /// `add_eos_token` / `add_space_prefix`, with llama.cpp's defaults (BOS and EOS default to id 11
    /// for `gpt2` vocabularies and to 1 and 2, with unknown 0, for `llama` ones).
    ///
    /// - Throws: ``EngineError/missingMetadata(key:)`` when tokens or merges are absent,
    ///   ``EngineError/unsupportedTokenizer(_:)`` for another tokenizer model or pre-tokenizer.
    public convenience init(gguf: GGUFFile) throws(EngineError) {
        let model = gguf.string("tokenizer.ggml.model")
        guard let model else { throw .missingMetadata(key: "tokenizer.ggml.model") }
        guard model == "gpt2" || model == "llama" else {
            throw .unsupportedTokenizer(
                "tokenizer model '\(model)' (supported: 'gpt2' byte-level BPE, 'llama' SentencePiece)")
        }
        guard let tokens = gguf.stringArray("tokenizer.ggml.tokens") else {
            throw .missingMetadata(key: "tokenizer.ggml.tokens")
        }
        let types: [Int32]?
        if gguf["tokenizer.ggml.token_type"] != nil {
            guard let values = gguf.int32Array("tokenizer.ggml.token_type") else {
                throw .missingMetadata(key: "tokenizer.ggml.token_type")
            }
            types = values
        } else {
            types = nil
        }
        func id(_ key: String) -> Int32? {
            gguf.uint32("tokenizer.ggml.\(key)").flatMap { Int32(exactly: $0) }
        }
        if model == "llama" {
            var scores: [Float]?
            if gguf["tokenizer.ggml.scores"] != nil {
                guard let values = gguf.float32Array("tokenizer.ggml.scores") else {
                    throw .missingMetadata(key: "tokenizer.ggml.scores")
                }
                scores = values
            }
            let ids = SpecialTokenIDs(
                bos: id("bos_token_id") ?? 1, eos: id("eos_token_id") ?? 2, eot: id("eot_token_id"),
                eom: id("eom_token_id"), unknown: id("unknown_token_id") ?? 0, padding: id("padding_token_id"))
            try self.init(
                sentencePieceVocabulary: tokens, scores: scores, tokenTypes: types, specialIDs: ids,
                addBOS: gguf.bool("tokenizer.ggml.add_bos_token"), addEOS: gguf.bool("tokenizer.ggml.add_eos_token"),
                addSpacePrefix: gguf.bool("tokenizer.ggml.add_space_prefix"))
            return
        }
        guard let merges = gguf.stringArray("tokenizer.ggml.merges") else {
            throw .missingMetadata(key: "tokenizer.ggml.merges")
        }
        guard let pre = gguf.string("tokenizer.ggml.pre") else {
            throw .unsupportedTokenizer(
                "no 'tokenizer.ggml.pre' (llama.cpp's 'default' pre-tokenizer is not supported)")
        }
        let ids = SpecialTokenIDs(
            bos: id("bos_token_id") ?? 11, eos: id("eos_token_id") ?? 11, eot: id("eot_token_id"),
            eom: id("eom_token_id"), unknown: id("unknown_token_id"), padding: id("padding_token_id"))
        try self.init(
            vocabulary: tokens, merges: merges, tokenTypes: types, specialIDs: ids, preTokenizer: pre,
            addBOS: gguf.bool("tokenizer.ggml.add_bos_token"), addEOS: gguf.bool("tokenizer.ggml.add_eos_token"))
    }
}
