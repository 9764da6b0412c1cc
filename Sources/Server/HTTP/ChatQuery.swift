/// The response inside an OpenRLHF-style `query` (prompt + response, chat template still in).
///
/// Behaves exactly like the Python adapters' `response_from_query`
/// (Examples/python/raif_adapters/core.py); strings are compared scalar by scalar, as Python does:
///
/// 1. the query starts with the prompt: what follows it;
/// 2. the query starts with the prompt once leading padding tokens are removed from both;
/// 3. otherwise what follows the last assistant-turn marker (ChatML, Llama 3, DeepSeek-R1, Gemma,
///    Phi, Mistral; at the same position the longest marker).
///
/// End-of-turn and padding tokens (with the white space between them) are then stripped from the end.
enum ChatQuery {
    /// Where the assistant's turn begins, per chat format.
    static let assistantMarkers: [[Unicode.Scalar]] = [
        "<|im_start|>assistant\n", "<|im_start|>assistant",
        "<|start_header_id|>assistant<|end_header_id|>\n\n", "<|start_header_id|>assistant<|end_header_id|>",
        "<\u{FF5C}Assistant\u{FF5C}>",
        "<start_of_turn>model\n",
        "<|assistant|>\n", "<|assistant|>",
        "[/INST]",
    ].map { Array($0.unicodeScalars) }

    /// Tokens that close a turn or pad a sequence, stripped (repeatedly) from the end.
    static let endOfTurnTokens: [[Unicode.Scalar]] = [
        "<|im_end|>", "<|eot_id|>", "<|end_of_text|>", "<\u{FF5C}end\u{2581}of\u{2581}sentence\u{FF5C}>",
        "<|endoftext|>", "<end_of_turn>", "<eos>", "<|end|>", "</s>",
    ].map { Array($0.unicodeScalars) }

    /// Tokens that may pad a sequence on the left.
    static let padTokens: [[Unicode.Scalar]] =
        endOfTurnTokens + ["<pad>", "<|pad|>", "<|finetune_right_pad_id|>", "[PAD]"].map { Array($0.unicodeScalars) }

    /// The response in `query`, nil when neither the prompt nor any assistant marker is found.
    static func response(query: String, prompt: String?) -> String? {
        let q = Array(query.unicodeScalars)
        if let prompt, !prompt.isEmpty {
            let p = Array(prompt.unicodeScalars)
            if hasPrefix(q[...], p[...]) { return stripEndOfTurn(q[p.count...]) }
            let unpaddedQuery = stripLeadingPads(q[...])
            let unpaddedPrompt = stripLeadingPads(p[...])
            if !unpaddedPrompt.isEmpty, hasPrefix(unpaddedQuery, unpaddedPrompt) {
                return stripEndOfTurn(unpaddedQuery.dropFirst(unpaddedPrompt.count))
            }
        }
        var best: (start: Int, end: Int)? = nil
        for marker in assistantMarkers {
            guard let at = lastIndex(of: marker, in: q) else { continue }
            if best == nil || at > best!.start || (at == best!.start && at + marker.count > best!.end) {
                best = (at, at + marker.count)
            }
        }
        guard let best else { return nil }
        return stripEndOfTurn(q[best.end...])
    }

    private static func hasPrefix(_ text: ArraySlice<Unicode.Scalar>, _ prefix: ArraySlice<Unicode.Scalar>) -> Bool {
        text.count >= prefix.count && text.prefix(prefix.count).elementsEqual(prefix)
    }

    private static func hasSuffix(_ text: ArraySlice<Unicode.Scalar>, _ suffix: [Unicode.Scalar]) -> Bool {
        text.count >= suffix.count && text.suffix(suffix.count).elementsEqual(suffix)
    }

    private static func lastIndex(of needle: [Unicode.Scalar], in text: [Unicode.Scalar]) -> Int? {
        guard needle.count <= text.count else { return nil }
        var at = text.count - needle.count
        while at >= 0 {
            if text[at] == needle[0] && text[at..<(at + needle.count)].elementsEqual(needle) { return at }
            at -= 1
        }
        return nil
    }

    private static func stripLeadingPads(_ text: ArraySlice<Unicode.Scalar>) -> ArraySlice<Unicode.Scalar> {
        var text = text
        outer: while true {
            for token in padTokens where hasPrefix(text, token[...]) {
                text = text.dropFirst(token.count)
                continue outer
            }
            return text
        }
    }

    /// Python's `str.isspace` for one scalar (White_Space plus the separators U+001C...U+001F).
    static func isPythonSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || (0x1C...0x1F).contains(scalar.value)
    }

    /// Removes trailing end-of-turn tokens with the white space between them; white space at the end
    /// of the response itself is kept when no token follows it.
    static func stripEndOfTurn(_ text: ArraySlice<Unicode.Scalar>) -> String {
        var text = text
        outer: while true {
            var trimmed = text
            while let last = trimmed.last, isPythonSpace(last) { trimmed = trimmed.dropLast() }
            for token in endOfTurnTokens where hasSuffix(trimmed, token) {
                text = trimmed.dropLast(token.count)
                continue outer
            }
            var out = String.UnicodeScalarView()
            out.append(contentsOf: text)
            return String(out)
        }
    }
}
