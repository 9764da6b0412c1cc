import Testing
import WireProtocol

/// A small deterministic generator (SplitMix64), so every run checks the same cases.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("JSON properties")
struct JSONPropertyTests {
    /// Scalars that stress the writer: every escape class, astral planes, NUL, combining marks.
    static let interestingScalars: [Unicode.Scalar] = [
        "\u{0}", "\u{1}", "\u{8}", "\u{9}", "\u{A}", "\u{C}", "\u{D}", "\u{1F}", "\u{20}", "\"", "\\", "/", "\u{7F}",
        "\u{80}", "é", "\u{301}", "\u{7FF}", "\u{800}", "中", "\u{2028}", "\u{FEFF}", "\u{FFFD}", "\u{FFFF}",
        "\u{10000}", "😀", "\u{1F1EB}", "\u{10FFFF}", "a", "Z", "0",
    ]

    static func randomString(_ rng: inout SplitMix64) -> String {
        let length = Int.random(in: 0...12, using: &rng)
        var s = String.UnicodeScalarView()
        for _ in 0..<length {
            if Bool.random(using: &rng) {
                s.append(interestingScalars.randomElement(using: &rng)!)
            } else {
                // Any scalar value (surrogates excluded by the initializer).
                while true {
                    if let scalar = Unicode.Scalar(UInt32.random(in: 0...0x10FFFF, using: &rng)) {
                        s.append(scalar)
                        break
                    }
                }
            }
        }
        return String(s)
    }

    static func randomDouble(_ rng: inout SplitMix64) -> Double {
        while true {
            let d = Double(bitPattern: rng.next())
            if d.isFinite { return d }
        }
    }

    static func randomValue(_ rng: inout SplitMix64, depth: Int) -> JSONValue {
        let pick = Int.random(in: 0..<(depth > 4 ? 6 : 8), using: &rng)
        switch pick {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2:
            let extremes: [Int64] = [.min, .max, 0, -1, 1, Int64(Int32.max) + 1]
            return .integer(
                Bool.random(using: &rng)
                    ? extremes.randomElement(using: &rng)! : Int64(bitPattern: rng.next()))
        case 3: return .double(randomDouble(&rng))
        case 4, 5: return .string(randomString(&rng))
        case 6:
            return .array((0..<Int.random(in: 0...5, using: &rng)).map { _ in randomValue(&rng, depth: depth + 1) })
        default:
            var object = JSONObject()
            for _ in 0..<Int.random(in: 0...12, using: &rng) {
                var key = randomString(&rng)
                key.unicodeScalars.removeAll { $0 == "\u{0}" }  // keys cannot hold NUL (documented)
                object[key] = randomValue(&rng, depth: depth + 1)
            }
            return .object(object)
        }
    }

    @Test("random documents round-trip exactly (compact and pretty)", arguments: 0..<8)
    func randomRoundTrip(seed: UInt64) throws {
        var rng = SplitMix64(state: seed)
        for _ in 0..<200 {
            let value = Self.randomValue(&rng, depth: 0)
            let compact = value.serialized()
            let back = try JSONValue.parse(compact)
            #expect(back == value)
            // Order is kept too, and writing again gives the same bytes.
            #expect(back.serialized() == compact)
            #expect(try JSONValue.parse(value.serialized(prettyPrinted: true)) == value)
        }
    }

    @Test("random doubles round-trip bit for bit")
    func randomDoubles() throws {
        var rng = SplitMix64(state: 42)
        for _ in 0..<5000 {
            let d = Self.randomDouble(&rng)
            guard case .double(let back) = try JSONValue.parse(JSONValue.double(d).serialized()) else {
                Issue.record("\(d) did not come back as a double")
                continue
            }
            #expect(back.bitPattern == d.bitPattern, "\(d)")
        }
    }

    @Test("mutated documents either parse to a stable value or fail with WireError")
    func mutations() throws {
        var rng = SplitMix64(state: 7)
        let seedDocs = (0..<40).map { _ in Self.randomValue(&rng, depth: 0).serialized() }
        let alphabet =
            Array(#"{}[],:"\ 0123456789eE+-.tfnlrsuaxN'/"#.utf8) + [0x00, 0x1F, 0x80, 0xC0, 0xED, 0xF4, 0xFF]
        var accepted = 0
        var rejected = 0
        for doc in seedDocs where !doc.isEmpty {
            for _ in 0..<50 {
                var bytes = doc
                for _ in 0..<Int.random(in: 1...3, using: &rng) {
                    let at = Int.random(in: 0..<bytes.count, using: &rng)
                    switch Int.random(in: 0..<3, using: &rng) {
                    case 0: bytes[at] = alphabet.randomElement(using: &rng)!
                    case 1: bytes.insert(alphabet.randomElement(using: &rng)!, at: at)
                    default: if bytes.count > 1 { bytes.remove(at: at) }
                    }
                }
                do {
                    let value = try JSONValue.parse(bytes)
                    accepted += 1
                    #expect(try JSONValue.parse(value.serialized()) == value)
                } catch {
                    rejected += 1
                    #expect(!error.description.isEmpty)
                }
            }
        }
        #expect(accepted > 0)
        #expect(rejected > 0)
    }

    @Test("keys containing NUL are written with U+FFFD")
    func nulKeyWriting() throws {
        let value: JSONValue = ["a\u{0}b": 1]
        #expect(value.serializedString() == "{\"a\u{FFFD}b\":1}")
    }
}

@Suite("JSON across threads")
struct JSONConcurrencyTests {
    @Test("parsing and writing on many threads at once gives the same results")
    func concurrent() async throws {
        var rng = SplitMix64(state: 99)
        let documents = (0..<50).map { _ in JSONPropertyTests.randomValue(&rng, depth: 0) }
        let texts = documents.map { $0.serialized() }
        let allMatch = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    for _ in 0..<20 {
                        for (document, text) in zip(documents, texts) {
                            guard try JSONValue.parse(text) == document, document.serialized() == text else {
                                return false
                            }
                        }
                    }
                    return true
                }
            }
            var all = true
            for try await ok in group { all = all && ok }
            return all
        }
        #expect(allMatch)
    }
}
