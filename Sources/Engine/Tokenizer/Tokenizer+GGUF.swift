public import GGUF

extension Tokenizer {
    /// Builds the tokenizer a GGUF model describes in its `tokenizer.ggml.*` metadata.
    ///
    /// Reads `model` (must be `gpt2`, byte-level BPE), `pre`, `tokens`, `merges`, `token_type`, the
    /// special token ids and `add_bos_token` / `add_eos_token`, with llama.cpp's defaults (BOS and
    /// EOS default to id 11 for `gpt2` vocabularies when the metadata does not name them).
    ///
    /// - Throws: ``EngineError/missingMetadata(key:)`` when tokens or merges are absent,
    ///   ``EngineError/unsupportedTokenizer(_:)`` for another tokenizer model or pre-tokenizer.
    public convenience init(gguf: GGUFFile) throws(EngineError) {
        let model = gguf.string("tokenizer.ggml.model")
        guard let model else { throw .missingMetadata(key: "tokenizer.ggml.model") }
        guard model == "gpt2" else {
            throw .unsupportedTokenizer("tokenizer model '\(model)' (only byte-level BPE 'gpt2' is supported)")
        }
        guard let tokens = gguf.stringArray("tokenizer.ggml.tokens") else {
            throw .missingMetadata(key: "tokenizer.ggml.tokens")
        }
        guard let merges = gguf.stringArray("tokenizer.ggml.merges") else {
            throw .missingMetadata(key: "tokenizer.ggml.merges")
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
        guard let pre = gguf.string("tokenizer.ggml.pre") else {
            throw .unsupportedTokenizer("no 'tokenizer.ggml.pre' (llama.cpp's 'default' pre-tokenizer is not supported)")
        }
        func id(_ key: String) -> Int32? {
            gguf.uint32("tokenizer.ggml.\(key)").flatMap { Int32(exactly: $0) }
        }
        let ids = SpecialTokenIDs(
            bos: id("bos_token_id") ?? 11, eos: id("eos_token_id") ?? 11, eot: id("eot_token_id"),
            eom: id("eom_token_id"), unknown: id("unknown_token_id"), padding: id("padding_token_id"))
        try self.init(
            vocabulary: tokens, merges: merges, tokenTypes: types, specialIDs: ids, preTokenizer: pre,
            addBOS: gguf.bool("tokenizer.ggml.add_bos_token"), addEOS: gguf.bool("tokenizer.ggml.add_eos_token"))
    }
}
