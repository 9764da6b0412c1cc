internal import GGUF

/// Prefill and decode throughput of the engine, measured like llama.cpp's `llama-bench`.
///
/// `pp`: one batch of `promptTokens` tokens into an empty cache (tokens/s of the whole batch).
/// `tg`: `decodeTokens` tokens generated one at a time from an empty cache (tokens/s).
/// Each is repeated `repetitions` times after one warm-up; the median is reported with every run.
/// This is the core of `raif bench engine`; `bench/engine-vs-llamacpp.sh` runs it next to llama-bench.
public struct EngineBenchmark: Sendable {
    /// Measured throughput at one thread count.
    public struct Figures: Sendable, Equatable {
        public let threads: Int
        /// Median prefill tokens/s.
        public let prefillTokensPerSecond: Double
        /// Median decode tokens/s.
        public let decodeTokensPerSecond: Double
        /// Every prefill repetition, tokens/s.
        public let prefillRuns: [Double]
        /// Every decode repetition, tokens/s.
        public let decodeRuns: [Double]
    }

    public let modelPath: String
    public let promptTokens: Int
    public let decodeTokens: Int
    public let repetitions: Int

    public init(modelPath: String, promptTokens: Int = 512, decodeTokens: Int = 128, repetitions: Int = 3) {
        self.modelPath = modelPath
        self.promptTokens = max(1, promptTokens)
        self.decodeTokens = max(1, decodeTokens)
        self.repetitions = max(1, repetitions)
    }

    /// Loads the model and measures prefill and decode with `threads` worker threads.
    ///
    /// - Throws: `EngineError` when the model cannot be loaded.
    public func run(threads: Int) throws(EngineError) -> Figures {
        let file: GGUFFile
        do {
            file = try GGUFFile(path: modelPath)
        } catch {
            throw .unreadableModel("\(modelPath): \(error)")
        }
        let config = try ModelConfig(file: file)
        let weights = try ModelWeights(file: file, config: config)
        let transformer = Transformer(
            config: config, weights: weights, pool: WorkerPool(threadCount: threads), tokenCapacity: promptTokens,
            logitCapacity: 1)
        // Deterministic pseudo-random prompt (llama-bench also uses random tokens).
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let vocabulary = UInt64(config.vocabularySize)
        let tokens: [Int32] = (0..<promptTokens).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int32((state >> 33) % vocabulary)
        }
        func cache() -> KVCache {
            KVCache(
                layerCount: config.layerCount, kvDimension: config.kvDimension,
                capacity: max(promptTokens, decodeTokens + 1))
        }
        func prefill() -> Double {
            let c = cache()
            let entries = tokens.enumerated().map { i, t in
                BatchEntry(token: t, position: i, cache: c, logitRow: i == tokens.count - 1 ? 0 : nil)
            }
            let start = ProcessInfoShim.now()
            transformer.forward(entries)
            return Double(tokens.count) / (ProcessInfoShim.now() - start)
        }
        func decode() -> Double {
            let c = cache()
            var token = tokens[0]
            let start = ProcessInfoShim.now()
            for position in 0..<decodeTokens {
                transformer.forward([BatchEntry(token: token, position: position, cache: c, logitRow: 0)])
                token = tokens[(position + 1) % tokens.count]
            }
            return Double(decodeTokens) / (ProcessInfoShim.now() - start)
        }
        _ = prefill()
        let prefillRuns = (0..<repetitions).map { _ in prefill() }
        _ = decode()
        let decodeRuns = (0..<repetitions).map { _ in decode() }
        return Figures(
            threads: threads, prefillTokensPerSecond: Self.median(prefillRuns),
            decodeTokensPerSecond: Self.median(decodeRuns), prefillRuns: prefillRuns, decodeRuns: decodeRuns)
    }

    /// Median of a non-empty list.
    static func median(_ values: [Double]) -> Double {
        let s = values.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}
