import Foundation
import Testing

@testable import Engine

/// Several sequences decoded in one forward pass (what `generate` with `n` samples does).
@Suite("Batched decode")
struct BatchedDecodeTests {
    static let types = ["q4_1", "q8_0", "q4_K", "f16"]

    /// Writes the synthetic llama model of `type` to a temporary file and loads it.
    static func model(_ type: String, threads: Int) throws -> (TestModel, String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "raif-batched-\(type)-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).gguf"
        ).path
        try SyntheticModel.write(architecture: "llama", type: type, to: path)
        return (try TestModel(path: path, threads: threads, tokenCapacity: 80, logitCapacity: 5), path)
    }

    @Test("each sequence gets the logits it gets when decoded alone, bit for bit", arguments: types)
    func batchedEqualsAlone(type: String) throws {
        let (model, path) = try Self.model(type, threads: 2)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let vocabulary = model.config.vocabularySize
        // Five sequences with prompts of different lengths (one long enough for tiled attention).
        let prompts: [[Int32]] = (0..<5).map { s in
            (0..<[3, 1, 70, 9, 4][s]).map { Int32(($0 * 7 + s * 5) % vocabulary) }
        }
        let steps = 6
        func nextToken(_ step: Int, _ sequence: Int) -> Int32 { Int32((step * 11 + sequence * 3 + 1) % vocabulary) }

        // Alone: one sequence at a time.
        var alone: [[[Float]]] = []
        for (s, prompt) in prompts.enumerated() {
            let cache = model.newCache(capacity: 80)
            _ = model.prefill(prompt, cache: cache)
            alone.append((0..<steps).map { model.prefill([nextToken($0, s)], cache: cache) })
        }

        // Together: every step decodes one token of each sequence in a single forward pass.
        let caches = prompts.map { prompt in
            let cache = model.newCache(capacity: 80)
            _ = model.prefill(prompt, cache: cache)
            return cache
        }
        for step in 0..<steps {
            model.transformer.forward(
                caches.enumerated().map { s, cache in
                    BatchEntry(token: nextToken(step, s), position: cache.count, cache: cache, logitRow: s)
                })
            for s in prompts.indices {
                let row = Array(
                    UnsafeBufferPointer(start: model.transformer.state.logits + s * vocabulary, count: vocabulary))
                #expect(
                    row.map(\.bitPattern) == alone[s][step].map(\.bitPattern), "\(type) sequence \(s) step \(step)")
            }
        }
    }

    @Test("the engine benchmark reports prefill, decode and batched decode runs")
    func benchmarkFigures() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "raif-bench-\(getpid()).gguf"
        ).path
        try SyntheticModel.write(architecture: "qwen2", type: "q4_1", to: path)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let batched = try EngineBenchmark(
            modelPath: path, promptTokens: 70, decodeTokens: 4, repetitions: 2, batch: 3
        ).run(threads: 2)
        #expect(batched.prefillRuns.count == 2 && batched.decodeRuns.count == 2 && batched.batchedDecodeRuns.count == 2)
        #expect(
            (batched.prefillRuns + batched.decodeRuns + batched.batchedDecodeRuns).allSatisfy { $0 > 0 && $0.isFinite })
        #expect(batched.batchedDecodeTokensPerSecond != nil)
        let single = try EngineBenchmark(modelPath: path, promptTokens: 8, decodeTokens: 2, repetitions: 1, batch: 1)
            .run(threads: 1)
        #expect(single.batchedDecodeRuns.isEmpty && single.batchedDecodeTokensPerSecond == nil)
    }
}
