internal import Synchronization

#if canImport(Glibc)
    internal import Glibc
#endif

/// Recent langdetect guesses by response text, shared by all items and threads.
///
/// The reference detector is the costliest analysis (tens of microseconds per response), and one
/// response is often checked by several items (an IFEval record split into one item per
/// instruction, loose-mode variants that coincide, a best-of-n group with repeated answers). The
/// guess is a pure function of the text's code points, so reusing it changes no verdict.
///
/// Texts are keyed by their exact UTF-8 bytes and a digest of them, not by `String`: String
/// hashing and `==` normalise non-ASCII text to NFC (a cost that dominated the cache), and two
/// canonically equivalent texts with different code points can get different guesses.
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

    /// A text with a digest of its UTF-8 bytes; equal only when the bytes are.
    struct Key: Hashable {
        let digest: UInt64
        let text: String

        init(_ text: String) {
            self.text = text
            digest = Self.digest(text)
        }

        static func == (a: Key, b: Key) -> Bool {
            guard a.digest == b.digest else { return false }
            var (x, y) = (a.text, b.text)
            return x.withUTF8 { xb in
                y.withUTF8 { yb in
                    xb.count == yb.count && (xb.isEmpty || memcmp(xb.baseAddress!, yb.baseAddress!, xb.count) == 0)
                }
            }
        }

        func hash(into hasher: inout Hasher) { hasher.combine(digest) }

        /// A 64-bit multiply-xorshift digest of the bytes: four independent lanes over 32-byte
        /// blocks (one dependent multiply chain per lane, so they overlap), then eight at a time.
        static func digest(_ text: String) -> UInt64 {
            var text = text
            return text.withUTF8 { bytes in
                let raw = UnsafeRawBufferPointer(bytes)
                var h = 0x9E37_79B9_7F4A_7C15 ^ UInt64(raw.count)
                var i = 0
                if raw.count >= 32 {
                    let k: UInt64 = 0xFF51_AFD7_ED55_8CCD
                    var (a, b, c, d) = (h, h ^ 0x1, h ^ 0x2, h ^ 0x3)
                    while i + 32 <= raw.count {
                        a = (a ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* k
                        b = (b ^ raw.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)) &* k
                        c = (c ^ raw.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self)) &* k
                        d = (d ^ raw.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self)) &* k
                        (a, b, c, d) = (a ^ (a >> 32), b ^ (b >> 32), c ^ (c >> 32), d ^ (d >> 32))
                        i += 32
                    }
                    h = ((((h ^ a) &* k ^ b) &* k ^ c) &* k ^ d) &* k
                    h ^= h >> 32
                }
                while i + 8 <= raw.count {
                    h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
                    h ^= h >> 32
                    i += 8
                }
                var tail: UInt64 = 0
                var shift: UInt64 = 0
                while i < raw.count {
                    tail |= UInt64(raw[i]) << shift
                    shift += 8
                    i += 1
                }
                h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
                return h ^ (h >> 29)
            }
        }
    }

    private struct State {
        var guesses: [Key: String?] = [:]
        /// Cached texts, oldest first from `next` (a ring of `capacity` slots).
        var order: [Key] = []
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
        let key = Key(text)
        if let hit = state.withLock({ $0.guesses[key] }) { return hit }
        let guess = detect()
        state.withLock { state in
            guard state.guesses[key] == nil else { return }
            if state.order.count < capacity {
                state.order.append(key)
            } else {
                state.guesses[state.order[state.next]] = nil
                state.order[state.next] = key
                state.next = (state.next + 1) % capacity
            }
            state.guesses[key] = guess
        }
        return guess
    }

    /// How many texts are cached.
    var count: Int { state.withLock { $0.guesses.count } }
}
