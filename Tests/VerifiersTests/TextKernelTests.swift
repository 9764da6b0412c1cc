import CTextKernels
import Testing

/// The C port of CPython's `random.Random` that langdetect's trials draw from, against values
/// CPython 3.11 printed (`random.seed(n)` then the call).
@Suite("CPython's Mersenne Twister in C")
struct PythonRandomKernelTests {
    static func seeded(_ seed: UInt32) -> raif_mt19937 {
        var random = raif_mt19937()
        raif_mt_seed(&random, seed)
        return random
    }

    @Test("getrandbits(32) after seed(0)")
    func bits() {
        var random = Self.seeded(0)
        #expect((0..<3).map { _ in raif_mt_next32(&random) } == [3_626_764_237, 1_654_615_998, 3_255_389_356])
    }

    @Test("random() and gauss() after seed(0), the gauss pair from one draw")
    func doubles() {
        var random = Self.seeded(0)
        #expect(raif_mt_random(&random) == 0.8444218515250481)
        random = Self.seeded(0)
        #expect(raif_mt_gauss(&random) == 0.9417154046806644)
        #expect(raif_mt_gauss(&random) == -1.3965781047011498)
    }

    @Test("randrange(1000) after seed(7) (rejection sampling on 10 bits)")
    func below() {
        var random = Self.seeded(7)
        #expect((0..<5).map { _ in raif_mt_below(&random, 1000) } == [331, 970, 154, 404, 666])
    }
}

/// The AVX2 byte count against its scalar reference, at every length around the 32-byte blocks.
@Suite("Byte counting in C")
struct ByteCountKernelTests {
    @Test("raif_count_byte equals raif_count_byte_ref", arguments: [0, 1, 31, 32, 33, 63, 64, 65, 100, 1000])
    func counts(length: Int) {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<length).map { _ in UInt8.random(in: 0x2A...0x2D, using: &generator) }
        for byte: UInt8 in [0x2A, 0x2C, 0x00] {
            let reference = raif_count_byte_ref(bytes, bytes.count, byte)
            #expect(raif_count_byte(bytes, bytes.count, byte) == reference)
            #expect(reference == bytes.filter { $0 == byte }.count)
        }
    }
}

/// The AVX2 UTF-8 decoder against its scalar reference and Swift's own decoding.
@Suite("UTF-8 decoding in C")
struct UTF8DecodeKernelTests {
    /// Texts mixing long ASCII runs (the 32-byte path) with 2-, 3- and 4-byte sequences at every
    /// offset around the block boundaries.
    static let texts: [String] = {
        var texts = ["", "a", String(repeating: "x", count: 31), String(repeating: "y", count: 32)]
        for offset in 28...36 {
            for piece in ["é", "€", "😀", "\u{10FFFF}", "\u{0080}"] {
                texts.append(String(repeating: "a", count: offset) + piece + String(repeating: "b", count: 40))
            }
        }
        texts.append(String(repeating: "Ünïcödé and ASCII mixed 日本語 😀 text. ", count: 40))
        return texts
    }()

    @Test("raif_utf8_decode equals raif_utf8_decode_ref and String.unicodeScalars", arguments: texts)
    func decode(text: String) {
        let bytes = Array(text.utf8)
        var fast = [UInt32](repeating: 0, count: bytes.count)
        var reference = [UInt32](repeating: 0, count: bytes.count)
        let n = raif_utf8_decode(bytes, bytes.count, &fast)
        let m = raif_utf8_decode_ref(bytes, bytes.count, &reference)
        #expect(n == m)
        #expect(fast[..<n] == reference[..<m])
        #expect(Array(fast[..<n]) == text.unicodeScalars.map(\.value))
    }
}
