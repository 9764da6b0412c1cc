import Foundation
import Testing

@testable import Engine

/// Greedy continuations and logits of the default model against llama.cpp's (fixture made by
/// scripts/fixtures/model_greedy_fixtures.py: same prompt ids, one thread, argmax at every step).
@Suite("Model: greedy continuations match llama.cpp", .serialized)
struct ModelGreedyTests {
    static let fixture = try? ModelFixtures.decode(ModelFixtures.Greedy.self, from: "model_greedy_smollm2.json")

    @Test("greedy ids identical to llama.cpp", arguments: 0..<9)
    func greedyMatchesLlamaCpp(caseIndex: Int) throws {
        guard let path = ModelFixtures.defaultModelPath else {
            print("skipping: default model not found (set RAIF_MODEL)")
            return
        }
        let fixture = try #require(Self.fixture)
        let c = try #require(fixture.cases.indices.contains(caseIndex) ? fixture.cases[caseIndex] : nil)
        let model = try TestModel(path: path)
        let steps = c.greedy_ids.count
        let (ids, logits) = model.greedy(c.prompt_ids, steps: steps)
        let firstDifference = zip(ids, c.greedy_ids).enumerated().first { $1.0 != $1.1 }?.offset
        #expect(
            ids == c.greedy_ids,
            "\(c.kind) prompt \(c.text.debugDescription): first difference at \(firstDifference ?? -1)")
        #expect(steps >= 32)
        // Logits of the first steps within tolerance of llama.cpp's.
        for (step, expected) in c.logits.enumerated() where step < logits.count {
            var worst: Float = 0
            for (id, value) in zip(expected.top_ids + expected.probe_ids, expected.top_logits + expected.probe_logits) {
                worst = max(worst, abs(logits[step][Int(id)] - value))
            }
            #expect(worst < 2e-3, "step \(step): max |logit - llama.cpp| = \(worst)")
        }
    }
}
