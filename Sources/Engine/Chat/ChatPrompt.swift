extension Tokenizer {
    /// Renders a conversation and tokenizes it the way llama.cpp's chat path does.
    ///
    /// llama.cpp (`common_chat_templates_apply`) removes the BOS text a template writes at the start
    /// when the vocabulary adds BOS itself (and the EOS text at the end when it adds EOS), then
    /// tokenizes with special tokens added and parsed — so the prompt has exactly one BOS.
    ///
    /// - Throws: ``EngineError/invalidChatMessages(_:)`` from rendering.
    public func encodeChat(
        _ messages: [ChatMessage], template: ChatTemplate, addGenerationPrompt: Bool = true,
        options: ChatTemplateOptions = ChatTemplateOptions()
    ) throws(EngineError) -> [Int32] {
        var bytes = Array(
            try template.render(messages, addGenerationPrompt: addGenerationPrompt, options: options).utf8)
        let bos = Array(template.bosToken.utf8)
        if addsBOS && !bos.isEmpty && bytes.starts(with: bos) {
            bytes.removeFirst(bos.count)
        }
        if addsEOS, let eos = specialIDs.eos, let eosText = try? tokenText(eos) {
            let eosBytes = Array(eosText.utf8)
            if !eosBytes.isEmpty && bytes.count >= eosBytes.count
                && bytes.suffix(eosBytes.count).elementsEqual(eosBytes)
            {
                bytes.removeLast(eosBytes.count)
            }
        }
        return encode(String(decoding: bytes, as: UTF8.self), addBOS: true, parseSpecial: true)
    }
}
