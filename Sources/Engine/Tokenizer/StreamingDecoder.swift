/// Turns generated token ids into text incrementally without ever splitting a UTF-8 sequence.
///
/// Byte-level BPE tokens can end in the middle of a character (an emoji is often two or three
/// tokens). `append` returns the text that is complete so far and holds back the bytes of a
/// character still being written; `finish` flushes them (an unfinished sequence becomes U+FFFD).
/// Bytes that can never form a character are replaced by U+FFFD as soon as that is certain.
/// Concatenating every returned string gives exactly `String(decoding: allBytes, as: UTF8.self)`.
///
/// A value type: each sequence being generated owns its decoder.
public struct StreamingDecoder: Sendable {
    public let tokenizer: Tokenizer
    /// Render control tokens as their text (llama.cpp's `common_token_to_piece` default is true).
    public let renderSpecial: Bool
    private var pending: [UInt8] = []

    public init(tokenizer: Tokenizer, renderSpecial: Bool = true) {
        self.tokenizer = tokenizer
        self.renderSpecial = renderSpecial
    }

    /// Adds one token; returns the text completed by it (possibly empty).
    public mutating func append(_ id: Int32) throws(EngineError) -> String {
        appendBytes(try tokenizer.tokenPiece(id, renderSpecial: renderSpecial))
    }

    /// Adds raw piece bytes; returns the text completed by them (possibly empty).
    public mutating func appendBytes(_ bytes: [UInt8]) -> String {
        pending += bytes
        let cut = pending.count - Self.incompleteTailLength(pending)
        guard cut > 0 else { return "" }
        let text = String(decoding: pending[..<cut], as: UTF8.self)
        pending.removeFirst(cut)
        return text
    }

    /// The bytes held back (the start of a character not yet complete).
    public var heldBackBytes: [UInt8] { pending }

    /// Returns whatever is held back (an unfinished character becomes U+FFFD) and resets.
    public mutating func finish() -> String {
        defer { pending.removeAll() }
        return pending.isEmpty ? "" : String(decoding: pending, as: UTF8.self)
    }

    /// Length of a trailing sequence that is a valid but unfinished UTF-8 character, else 0.
    static func incompleteTailLength(_ bytes: [UInt8]) -> Int {
        let n = bytes.count
        // Walk back over at most 3 continuation bytes to the lead byte.
        var i = n - 1
        var continuation = 0
        while i >= 0 && continuation < 3 && bytes[i] & 0xC0 == 0x80 {
            i -= 1
            continuation += 1
        }
        guard i >= 0 else { return 0 }
        let lead = bytes[i]
        let need: Int
        switch lead {
        case 0xC2...0xDF: need = 2
        case 0xE0...0xEF: need = 3
        case 0xF0...0xF4: need = 4
        default: return 0
        }
        let have = n - i
        guard have < need else { return 0 }
        // The second byte's range depends on the lead (no overlongs, surrogates or > U+10FFFF).
        if have >= 2 {
            let second = bytes[i + 1]
            let valid: Bool
            switch lead {
            case 0xE0: valid = (0xA0...0xBF).contains(second)
            case 0xED: valid = (0x80...0x9F).contains(second)
            case 0xF0: valid = (0x90...0xBF).contains(second)
            case 0xF4: valid = (0x80...0x8F).contains(second)
            default: valid = true
            }
            if !valid { return 0 }
        }
        return have
    }
}
