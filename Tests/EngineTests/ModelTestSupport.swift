import Foundation
import GGUF

@testable import Engine

/// Where the model tests find the default model and their llama.cpp fixtures.
enum ModelFixtures {
    /// `RAIF_MODEL` if set, else the default model in raif's cache; nil when the file is absent.
    static var defaultModelPath: String? {
        let env = ProcessInfo.processInfo.environment
        let path =
            env["RAIF_MODEL"]
            ?? (env["HOME"] ?? NSHomeDirectory()) + "/.cache/raif/models/SmolLM2-135M-Instruct.Q4_1.gguf"
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// The URL of fixture `name` (with extension) in the test bundle.
    static func url(_ name: String) throws -> URL {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures") else {
            throw Missing(name: name)
        }
        return url
    }

    static func decode<T: Decodable>(_ type: T.Type, from name: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(contentsOf: url(name)))
    }

    struct Missing: Error, CustomStringConvertible {
        let name: String
        var description: String { "fixture \(name) is missing from the test bundle" }
    }

    /// `model_greedy_smollm2.json` (scripts/fixtures/model_greedy_fixtures.py).
    struct Greedy: Decodable {
        struct Step: Decodable {
            let top_ids: [Int32]
            let top_logits: [Float]
            let probe_ids: [Int32]
            let probe_logits: [Float]
        }
        struct Case: Decodable {
            let kind: String
            let text: String
            let prompt_ids: [Int32]
            let greedy_ids: [Int32]
            let logits: [Step]
        }
        let model: String
        let cases: [Case]
    }
}

/// A model loaded for tests: config, weights and a forward pass with its own pool.
final class TestModel {
    let file: GGUFFile
    let config: ModelConfig
    let weights: ModelWeights
    let transformer: Transformer

    init(path: String, threads: Int = 1, tokenCapacity: Int = 512, logitCapacity: Int = 4) throws {
        file = try GGUFFile(path: path)
        config = try ModelConfig(file: file)
        weights = try ModelWeights(file: file, config: config)
        transformer = Transformer(
            config: config, weights: weights, pool: WorkerPool(threadCount: threads), tokenCapacity: tokenCapacity,
            logitCapacity: logitCapacity)
    }

    /// Logits after feeding `tokens` into `cache` (prefill in one batch), [vocabularySize].
    func prefill(_ tokens: [Int32], cache: KVCache) -> [Float] {
        let start = cache.count
        let entries = tokens.enumerated().map { i, t in
            BatchEntry(token: t, position: start + i, cache: cache, logitRow: i == tokens.count - 1 ? 0 : nil)
        }
        transformer.forward(entries)
        return Array(UnsafeBufferPointer(start: transformer.state.logits, count: config.vocabularySize))
    }

    func newCache(capacity: Int = 64) -> KVCache {
        KVCache(layerCount: config.layerCount, kvDimension: config.kvDimension, capacity: capacity)
    }

    /// Greedy continuation of `prompt` for `steps` tokens (argmax, first index on ties as llama.cpp's loop).
    func greedy(_ prompt: [Int32], steps: Int) -> (ids: [Int32], logits: [[Float]]) {
        let cache = newCache(capacity: prompt.count + steps)
        var logits = prefill(prompt, cache: cache)
        var out: [Int32] = []
        var all: [[Float]] = []
        for _ in 0..<steps {
            all.append(logits)
            var best = 0
            for i in 1..<logits.count where logits[i] > logits[best] { best = i }
            out.append(Int32(best))
            logits = prefill([Int32(best)], cache: cache)
        }
        return (out, all)
    }
}
