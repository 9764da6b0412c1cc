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
