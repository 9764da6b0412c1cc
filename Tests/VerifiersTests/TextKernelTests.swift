import CTextKernels
import Testing

@testable import Verifiers

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

/// The AVX2 plain-text scan of langdetect's preparation against its scalar reference and the
/// counts of raif_langdetect_keep, with every kind of non-plain code point at every offset around
/// the 8-code-point blocks and around the 10,000th code point (where counting stops).
@Suite("langdetect's plain-text scan in C")
struct LangDetectScanKernelTests {
    struct Scan: Equatable {
        var plain: Bool
        var latin: Int
        var nonLatin: Int
    }

    static func scan(_ text: [UInt32], reference: Bool) -> Scan {
        var latin = 0
        var nonLatin = 0
        let plain = (reference ? raif_langdetect_scan_ref : raif_langdetect_scan)(text, text.count, &latin, &nonLatin)
        return Scan(plain: plain != 0, latin: plain != 0 ? latin : -1, nonLatin: plain != 0 ? nonLatin : -1)
    }

    static let texts: [[UInt32]] = {
        let base = Array("Ab z[`] é ÿ Ā Ω Ж ا 日 ḁ ỹ Ỵ Z  ".unicodeScalars.map(\.value))
        var texts: [[UInt32]] = [[], base, Array(repeating: 0x20, count: 17)]
        for offset in 0...17 {
            let prefix =
                Array(base[0..<min(offset, base.count)]) + Array(repeating: 0x61, count: max(0, offset - base.count))
            for piece: [UInt32] in [
                [0x40], [0x3A, 0x2F, 0x2F], [0x3A, 0x2F], [0x3A], [0x300], [0x323], [0x324], [0x2FF],
                [0x1_F600], [0xFFFF],
            ] {
                texts.append(prefix + piece + base)
            }
        }
        // Long texts: counting stops at 10,000 code points; plainness is checked to the end.
        let long = (0..<10_020).map { k -> UInt32 in [0x61, 0x20, 0x416, 0x1E01, 0x3A, 0x5B][k % 6] }
        texts.append(long)
        for position in [9_990, 9_999, 10_000, 10_010] {
            var text = long
            text[position] = 0x40
            texts.append(text)
        }
        return texts
    }()

    @Test("raif_langdetect_scan equals raif_langdetect_scan_ref and raif_langdetect_keep's counts", arguments: texts)
    func scan(text: [UInt32]) {
        let fast = Self.scan(text, reference: false)
        let reference = Self.scan(text, reference: true)
        #expect(fast == reference)
        guard reference.plain else { return }
        var latin = 0
        var nonLatin = 0
        var kept = [UInt32](repeating: 0, count: max(1, min(text.count, 10_000)))
        _ = raif_langdetect_keep(text, text.count, &kept, &latin, &nonLatin)
        #expect(reference.latin == latin && reference.nonLatin == nonLatin)
    }
}

/// The AVX2 `\w+` word count against its scalar reference and the Swift word ranges, around the
/// 8-code-point blocks, across every ASCII character and beyond the BMP.
@Suite("Word counting in C")
struct WordCountKernelTests {
    static let texts: [String] = {
        var texts = [
            "", "a", "_", " ", "a b", "ab_9 x", String((0..<128).map { Character(Unicode.Scalar(UInt8($0))) }),
        ]
        for offset in 5...10 {
            for piece in ["é", "日本", "٣", "\u{2028}", "😀", "x😀y", "ǅ", "_", "-"] {
                texts.append(
                    String(repeating: "w ", count: offset / 2) + String(repeating: "z", count: offset % 2) + piece
                        + " tail words_1")
            }
        }
        texts.append(String(repeating: "Mixed ünïcödé, ASCII_words and 123 numbers; ", count: 30))
        return texts
    }()

    @Test("raif_count_word_starts equals raif_count_word_starts_ref and the word ranges", arguments: texts)
    func count(text: String) {
        let scalars = Array(text.unicodeScalars)
        let expected = ResponseText(text).wordRanges.count
        #expect(ResponseText.countWords(scalars) == expected)
        #expect(ResponseText.countWords(scalars, scalarKernel: true) == expected)
    }
}

/// The AVX2 code-point searches against their scalar references, at every start offset, on
/// haystacks over a small alphabet (so partial matches abound) of lengths around the 8-wide blocks.
@Suite("Code-point search in C")
struct FindKernelTests {
    static func haystack(_ length: Int, seed: UInt64) -> [UInt32] {
        var state = seed
        return (0..<length).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return [0x61, 0x62, 0x2A, 0x0A, 0x1F600][Int(state >> 61) % 5]
        }
    }

    @Test("raif_find_u32 equals raif_find_u32_ref", arguments: [0, 1, 7, 8, 9, 16, 33, 100])
    func find(length: Int) {
        let text = Self.haystack(length, seed: UInt64(length) + 1)
        let needles: [[UInt32]] = [
            [], [0x61], [0x2A], [0x61, 0x62], [0x2A, 0x2A], [0x61, 0x62, 0x61], [0x62, 0x1F600, 0x0A, 0x61],
        ]
        for needle in needles {
            for from in 0...(length + 1) {
                let fast = raif_find_u32(text, text.count, from, needle, needle.count)
                let reference = raif_find_u32_ref(text, text.count, from, needle, needle.count)
                #expect(fast == reference, "needle \(needle) from \(from)")
                if reference != -1 {
                    #expect(Array(text[reference..<(reference + needle.count)]) == needle)
                }
            }
        }
    }

    @Test("raif_find_either_u32 equals raif_find_either_u32_ref", arguments: [0, 1, 7, 8, 9, 16, 33, 100])
    func findEither(length: Int) {
        let text = Self.haystack(length, seed: UInt64(length) + 7)
        for (a, b): (UInt32, UInt32) in [(0x2A, 0x2A), (0x2A, 0x0A), (0x1F600, 0x62), (0x30, 0x31)] {
            for from in 0...length {
                #expect(
                    raif_find_either_u32(text, text.count, from, a, b)
                        == raif_find_either_u32_ref(text, text.count, from, a, b))
            }
        }
    }
}

/// The AVX2 ASCII lowercasing against its scalar reference and Swift's own, around the 8-wide
/// blocks; text beyond ASCII goes to the general mapping, which must still apply.
@Suite("ASCII lowercasing in C")
struct ASCIILowerKernelTests {
    @Test(
        "PythonText.lower: the kernel, its reference and String.lowercased agree", arguments: [0, 1, 7, 8, 9, 31, 100])
    func lower(length: Int) {
        let ascii = String((0..<length).map { Character(Unicode.Scalar(UInt8(0x20 + ($0 * 37) % 95))) })
        let scalars = Array(ascii.unicodeScalars)
        let expected = Array(ascii.lowercased().unicodeScalars)
        #expect(PythonText.lower(scalars) == expected)
        #expect(PythonText.lower(scalars, scalarKernel: true) == expected)
        // One non-ASCII code point anywhere sends the whole text to the general mapping.
        for position in [0, length / 2, length] {
            var mixed = scalars
            mixed.insert("İ", at: position)
            let general = Array(String(String.UnicodeScalarView(mixed)).lowercased().unicodeScalars)
            #expect(PythonText.lower(mixed) == general)
            #expect(PythonText.lower(mixed, scalarKernel: true) == general)
        }
    }
}
