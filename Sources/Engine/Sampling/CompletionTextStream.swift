/// Generated token ids in, user-visible text out: UTF-8-safe detokenization, then stop strings.
///
/// Feed every sampled token that is not an end-of-generation token (check
/// ``Tokenizer/isEndOfGeneration(_:)`` first; llama.cpp does not print those). Each call returns
/// the text that can be shown now; once a stop string completes, `stopped` is true and the text
/// ends before the stop string. ``finish()`` returns what is still held back when generation ends
/// for another reason (max tokens, end-of-generation token).
public struct CompletionTextStream: Sendable {
    private var decoder: StreamingDecoder
    private var matcher: StopMatcher
    /// All text returned so far.
    public private(set) var text = ""

    public init(tokenizer: Tokenizer, stops: [String], renderSpecial: Bool = true) {
        decoder = StreamingDecoder(tokenizer: tokenizer, renderSpecial: renderSpecial)
        matcher = StopMatcher(stops: stops)
    }

    /// True once a stop string was found.
    public var stopped: Bool { matcher.stopped }

    /// The stop string that ended the text, if any.
    public var matchedStop: String? { matcher.matchedStop }

    /// Adds one generated token; returns the newly visible text and whether a stop string ended it.
    public mutating func append(_ id: Int32) throws(EngineError) -> (text: String, stopped: Bool) {
        let piece = try decoder.append(id)
        let result = matcher.append(piece)
        text += result.text
        return result
    }

    /// Ends the stream (no stop string found): returns the text still held back.
    public mutating func finish() -> String {
        guard !matcher.stopped else { return "" }
        let rest = matcher.append(decoder.finish())
        var tail = rest.text
        if !rest.stopped { tail += matcher.finish() }
        text += tail
        return tail
    }
}
