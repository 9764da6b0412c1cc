import Engine
import Foundation
import Testing

/// The sampler chain: greedy, seeded determinism, filters and penalties on hand-computed vectors.
@Suite("Sampler chain")
struct SamplerTests {
    static func sampler(_ p: SamplingParameters) throws -> Sampler { try Sampler(parameters: p) }

    @Test(
        "temperature 0 picks the argmax (lowest id on ties)",
        arguments: [
            ([0.1, 2.5, -1, 2.4], 1),
            ([-3, -2, -5], 1),
            ([1, 1, 1], 0),
            ([0, 7, 7, 3], 1),
            ([5], 0),
            ([-Float.infinity, -1, -Float.infinity], 1),
        ] as [([Float], Int32)])
    func greedyIsArgmax(logits: [Float], expected: Int32) throws {
        var s = try Self.sampler(.greedy)
        #expect(s.sample(logits).id == expected)
        // Filters do not change the argmax.
        var filtered = try Self.sampler(SamplingParameters(temperature: 0, topK: 1, topP: 0.1, minP: 0.9))
        #expect(filtered.sample(logits).id == expected)
    }

    @Test("the same seed gives the same tokens; another seed gives others")
    func seededDeterminism() throws {
        let logits: [Float] = (0..<200).map { Float(($0 * 37) % 23) / 4 }
        func run(seed: UInt64) throws -> [Int32] {
            var s = try Self.sampler(SamplingParameters(temperature: 1.5, topK: 0, topP: 1, minP: 0, seed: seed))
            return (0..<64).map { _ in s.sample(logits).id }
        }
        let a = try run(seed: 42)
        #expect(a == (try run(seed: 42)))
        #expect(a != (try run(seed: 43)))
        #expect(Set(a).count > 5)
        // A copy continues identically (value semantics).
        var s1 = try Self.sampler(SamplingParameters(temperature: 1, topK: 0, topP: 1, minP: 0, seed: 7))
        _ = s1.sample(logits)
        var s2 = s1
        #expect((0..<10).map { _ in s1.sample(logits).id } == (0..<10).map { _ in s2.sample(logits).id })
    }

    @Test("the generator's first outputs are fixed for a seed")
    func generatorIsStable() {
        var g = SeededGenerator(seed: 0)
        let first = (0..<3).map { _ in g.next() }
        var h = SeededGenerator(seed: 0)
        #expect(first == (0..<3).map { _ in h.next() })
        var u = SeededGenerator(seed: 1)
        for _ in 0..<1000 {
            let x = u.nextUnit()
            #expect(x >= 0 && x < 1)
        }
    }

    /// Draws many tokens and returns the set that ever appeared.
    static func support(_ p: SamplingParameters, _ logits: [Float], draws: Int = 400) throws -> Set<Int32> {
        var s = try sampler(p)
        return Set((0..<draws).map { _ in s.sample(logits).id })
    }

    @Test("top-k keeps the k best (k = 1 is greedy; ties go to the lower id)")
    func topK() throws {
        let logits: [Float] = [1, 3, 2, 3, 0]
        #expect(try Self.support(SamplingParameters(temperature: 1, topK: 1, topP: 1, minP: 0), logits) == [1])
        #expect(try Self.support(SamplingParameters(temperature: 1, topK: 2, topP: 1, minP: 0), logits) == [1, 3])
        #expect(try Self.support(SamplingParameters(temperature: 1, topK: 3, topP: 1, minP: 0), logits) == [1, 2, 3])
        #expect(
            try Self.support(SamplingParameters(temperature: 1, topK: 0, topP: 1, minP: 0), logits) == [0, 1, 2, 3, 4])
        #expect(try Self.support(SamplingParameters(temperature: 1, topK: 99, topP: 1, minP: 0), logits).count == 5)
    }

    @Test("top-p keeps the smallest prefix reaching p (p = 1 keeps all)")
    func topP() throws {
        // probabilities 0.5, 0.25, 0.125, 0.125 (logits are log-probabilities)
        let logits: [Float] = [0.5, 0.25, 0.125, 0.125].map { Float(log($0)) }
        #expect(try Self.support(SamplingParameters(temperature: 1, topK: 0, topP: 0.5, minP: 0), logits) == [0])
        #expect(try Self.support(SamplingParameters(temperature: 1, topK: 0, topP: 0.6, minP: 0), logits) == [0, 1])
        #expect(try Self.support(SamplingParameters(temperature: 1, topK: 0, topP: 0.75, minP: 0), logits) == [0, 1])
        #expect(try Self.support(SamplingParameters(temperature: 1, topK: 0, topP: 0.8, minP: 0), logits) == [0, 1, 2])
        #expect(
            try Self.support(SamplingParameters(temperature: 1, topK: 0, topP: 1, minP: 0), logits) == [0, 1, 2, 3])
        #expect(try Self.support(SamplingParameters(temperature: 1, topK: 0, topP: 0, minP: 0), logits) == [0])
    }

    @Test("top-p over a large flat vocabulary (beyond the 256-candidate shortcut) keeps the right prefix")
    func topPLarge() throws {
        let logits = [Float](repeating: 0, count: 600)  // uniform: p = 0.5005 keeps ids 0..<301
        let seen = try Self.support(
            SamplingParameters(temperature: 1, topK: 0, topP: 0.5005, minP: 0), logits, draws: 600)
        #expect(seen.allSatisfy { $0 < 301 })
        #expect(seen.contains { $0 >= 256 })
        // A peaked vocabulary is decided within the best 256.
        var peaked = [Float](repeating: 0, count: 1000)
        peaked[700] = 20
        #expect(try Self.support(SamplingParameters(temperature: 1, topK: 0, topP: 0.9, minP: 0), peaked) == [700])
    }

    @Test("min-p drops tokens below p times the best")
    func minP() throws {
        let logits: [Float] = [0.5, 0.25, 0.125, 0.125].map { Float(log($0)) }
        #expect(try Self.support(SamplingParameters(temperature: 1, topK: 0, topP: 1, minP: 0.5), logits) == [0, 1])
        #expect(
            try Self.support(SamplingParameters(temperature: 1, topK: 0, topP: 1, minP: 0.2), logits) == [0, 1, 2, 3])
        #expect(try Self.support(SamplingParameters(temperature: 1, topK: 0, topP: 1, minP: 1), logits) == [0])
    }

    @Test("the draw follows the softmax of logits / temperature")
    func distribution() throws {
        let logits: [Float] = [0, Float(log(3.0))]  // probabilities 1/4, 3/4 at T = 1
        var s = try Self.sampler(SamplingParameters(temperature: 1, topK: 0, topP: 1, minP: 0, seed: 3))
        let n = 20000
        let ones = (0..<n).filter { _ in s.sample(logits).id == 1 }.count
        #expect(abs(Double(ones) / Double(n) - 0.75) < 0.02)
        // At T = 0.5 the odds square: 9 : 1.
        var t = try Self.sampler(SamplingParameters(temperature: 0.5, topK: 0, topP: 1, minP: 0, seed: 3))
        let hot = (0..<n).filter { _ in t.sample(logits).id == 1 }.count
        #expect(abs(Double(hot) / Double(n) - 0.9) < 0.02)
    }

    @Test("repetition penalty divides positive logits and multiplies negative ones")
    func repetitionPenalty() throws {
        // token 0: 2.0 / 2 = 1.0 < token 1 (1.5): greedy switches to 1.
        var s = try Self.sampler(SamplingParameters(temperature: 0, repeatPenalty: 2, penaltyLastN: 8))
        s.accept(0)
        #expect(s.sample([2.0, 1.5, -1]).id == 1)
        // negative: token 1 at -1 * 2 = -2 < token 2 (-1.5).
        var n = try Self.sampler(SamplingParameters(temperature: 0, repeatPenalty: 2, penaltyLastN: 8))
        n.accept(1)
        #expect(n.sample([-3, -1, -1.5]).id == 2)
    }

    @Test("frequency and presence penalties subtract count × f + p")
    func frequencyPresence() throws {
        // token 0 seen 3 times: 5 - 3 × 0.5 - 1 = 2.5 < token 1 (3).
        var s = try Self.sampler(
            SamplingParameters(temperature: 0, frequencyPenalty: 0.5, presencePenalty: 1, penaltyLastN: 16))
        s.accept(contentsOf: [0, 0, 0])
        #expect(s.sample([5, 3, 0]).id == 1)
        // with only 1 occurrence: 5 - 0.5 - 1 = 3.5 > 3.
        var t = try Self.sampler(
            SamplingParameters(temperature: 0, frequencyPenalty: 0.5, presencePenalty: 1, penaltyLastN: 16))
        t.accept(0)
        #expect(t.sample([5, 3, 0]).id == 0)
    }

    @Test("penalties look only at the last N tokens; sampled tokens join the window")
    func penaltyWindow() throws {
        var s = try Self.sampler(SamplingParameters(temperature: 0, repeatPenalty: 4, penaltyLastN: 2))
        s.accept(contentsOf: [0, 5, 6])
        #expect(Array(s.penaltyWindow) == [5, 6])
        #expect(s.sample([2, 1, 0, 0, 0, 0, 0]).id == 0)  // token 0 fell out of the window
        #expect(Array(s.penaltyWindow) == [6, 0])
        #expect(s.sample([2, 1, 0, 0, 0, 0, 0]).id == 1)  // now 0 is penalised: 2 / 4 < 1
        var off = try Self.sampler(SamplingParameters(temperature: 0, repeatPenalty: 4, penaltyLastN: 0))
        off.accept(0)
        #expect(off.sample([2, 1]).id == 0)
    }

    @Test("log-probabilities are the raw model log-softmax")
    func logprob() throws {
        var s = try Self.sampler(SamplingParameters(temperature: 0, repeatPenalty: 3, penaltyLastN: 4))
        let logits: [Float] = [0, Float(log(3.0)), -Float.infinity]
        let token = s.sample(logits, wantLogprob: true)
        #expect(token.id == 1)
        #expect(abs((token.logprob ?? 0) - Float(log(0.75))) < 1e-6)
        #expect(s.sample(logits).logprob == nil)
        // Token 1 is now penalised (ln 3 / 3 = 0.37 > 0 still wins) but its log-probability stays the raw one.
        let again = s.sample(logits, wantLogprob: true)
        #expect(abs((again.logprob ?? 0) - Float(log(again.id == 1 ? 0.75 : 0.25))) < 1e-6)
    }

    @Test(
        "out-of-range parameters are a clear error",
        arguments: [
            SamplingParameters(temperature: -1), SamplingParameters(temperature: .nan), SamplingParameters(topK: -1),
            SamplingParameters(topP: 1.5), SamplingParameters(topP: -0.1), SamplingParameters(minP: 2),
            SamplingParameters(repeatPenalty: 0), SamplingParameters(frequencyPenalty: .infinity),
            SamplingParameters(penaltyLastN: -2),
        ])
    func invalid(parameters: SamplingParameters) {
        #expect(throws: EngineError.self) { try Sampler(parameters: parameters) }
    }
}
