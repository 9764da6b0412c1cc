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
