internal import Synchronization

/// Recent langdetect guesses by response text, shared by all items and threads.
///
/// The reference detector is the costliest analysis (tens of microseconds per response), and one
/// response is often checked by several items (an IFEval record split into one item per
/// instruction, loose-mode variants that coincide, a best-of-n group with repeated answers). The
/// guess is a pure function of the text, so reusing it changes no verdict.
///
/// Bounded: at most ``capacity`` texts of at most ``maxTextBytes`` UTF-8 bytes each are kept
/// (oldest evicted first), so the cache never holds more than a few megabytes. Safe under
/// concurrent scoring (one lock around the table; detection runs outside it).
final class LanguageGuessCache: Sendable {
    /// The cache the verifiers use.
    static let shared = LanguageGuessCache(capacity: 512, maxTextBytes: 8192)

    /// The most texts kept.
    let capacity: Int
    /// Longer texts are never cached.
    let maxTextBytes: Int

    private struct State {
        var guesses: [String: String?] = [:]
        /// Cached texts, oldest first from `next` (a ring of `capacity` slots).
        var order: [String] = []
        var next = 0
    }

    private let state = Mutex(State())

    /// Makes an empty cache.
    init(capacity: Int, maxTextBytes: Int) {
        precondition(capacity > 0, "a cache holds at least one text")
        self.capacity = capacity
        self.maxTextBytes = maxTextBytes
    }

    /// The cached guess for `text`, or `detect()`'s (then cached).
    func language(of text: String, detect: () -> String?) -> String? {
        guard text.utf8.count <= maxTextBytes else { return detect() }
        if let hit = state.withLock({ $0.guesses[text] }) { return hit }
        let guess = detect()
        state.withLock { state in
            guard state.guesses[text] == nil else { return }
            if state.order.count < capacity {
                state.order.append(text)
            } else {
                state.guesses[state.order[state.next]] = nil
                state.order[state.next] = text
                state.next = (state.next + 1) % capacity
            }
            state.guesses[text] = guess
        }
        return guess
    }

    /// How many texts are cached.
    var count: Int { state.withLock { $0.guesses.count } }
}
