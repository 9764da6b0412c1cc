/// Finds stop strings in streamed text, across token boundaries, and says what may be shown.
///
/// Generated text arrives in pieces; a stop string may begin in one piece and end in a later one.
/// ``append(_:)`` returns the text that is certainly not part of a stop string and holds back the
/// longest tail that could still begin one. When a stop string is complete, the text before it is
/// returned with `stopped == true` and the stop string itself (and anything after it) is dropped,
/// as OpenAI-style `stop` does. Matching is by Unicode scalars, never inside a scalar.
public struct StopMatcher: Sendable, Equatable {
    /// The stop strings (empty ones are ignored).
    public let stops: [String]
    private let patterns: [[Unicode.Scalar]]
    private var pending: [Unicode.Scalar] = []
    /// True once a stop string was found; later input is ignored.
    public private(set) var stopped = false
    /// The stop string that ended the text, once ``stopped``.
    public private(set) var matchedStop: String?

    public init(stops: [String]) {
        self.stops = stops.filter { !$0.isEmpty }
        self.patterns = self.stops.map { Array($0.unicodeScalars) }
    }

    /// Adds generated text; returns the text that can be emitted now and whether a stop string ended it.
    public mutating func append(_ text: String) -> (text: String, stopped: Bool) {
        guard !stopped else { return ("", true) }
        pending.append(contentsOf: text.unicodeScalars)
        guard !patterns.isEmpty else {
            return (flushPending(count: pending.count), false)
        }
        // The earliest complete match wins (on equal starts, the first stop listed).
        var best: (start: Int, index: Int)?
        for (index, pattern) in patterns.enumerated() {
            if let start = Self.firstMatch(pattern, in: pending), best == nil || start < best!.start {
                best = (start, index)
            }
        }
        if let best {
            stopped = true
            matchedStop = stops[best.index]
            let emitted = flushPending(count: best.start)
            pending.removeAll()
            return (emitted, true)
        }
        let hold = patterns.map { Self.longestPrefixSuffix($0, of: pending) }.max() ?? 0
        return (flushPending(count: pending.count - hold), false)
    }

    /// Ends the text without a stop: returns whatever was held back.
    public mutating func finish() -> String {
        guard !stopped else { return "" }
        return flushPending(count: pending.count)
    }

    /// The number of scalars currently held back.
    public var heldBackCount: Int { pending.count }

    private mutating func flushPending(count: Int) -> String {
        guard count > 0 else { return "" }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: pending[..<count])
        pending.removeFirst(count)
        return String(view)
    }

    private static func firstMatch(_ pattern: [Unicode.Scalar], in text: [Unicode.Scalar]) -> Int? {
        guard text.count >= pattern.count else { return nil }
        for i in 0...(text.count - pattern.count) where text[i] == pattern[0] {
            if text[i..<(i + pattern.count)].elementsEqual(pattern) { return i }
        }
        return nil
    }

    /// Length of the longest proper prefix of `pattern` that ends `text`.
    private static func longestPrefixSuffix(_ pattern: [Unicode.Scalar], of text: [Unicode.Scalar]) -> Int {
        var length = min(pattern.count - 1, text.count)
        while length > 0 {
            if text[(text.count - length)...].elementsEqual(pattern[..<length]) { return length }
            length -= 1
        }
        return 0
    }
}
