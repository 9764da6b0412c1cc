internal import GGUF

/// Prefill and decode throughput of the engine, measured like llama.cpp's `llama-bench`.
///
/// `pp`: one batch of `promptTokens` tokens into an empty cache (tokens/s of the whole batch).
/// `tg`: `decodeTokens` tokens generated one at a time from an empty cache (tokens/s).
/// `tg × batch`: `batch` sequences decoded together, one token of each per forward pass, as
/// `generate` with `n` samples does (tokens/s summed over the sequences; llama.cpp's
/// `llama-batched-bench` S_TG figure).
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
        /// Median batched decode tokens/s (all sequences together), or nil when `batch` is below 2.
        public let batchedDecodeTokensPerSecond: Double?
        /// Every prefill repetition, tokens/s.
        public let prefillRuns: [Double]
        /// Every decode repetition, tokens/s.
        public let decodeRuns: [Double]
        /// Every batched decode repetition, tokens/s (empty when `batch` is below 2).
        public let batchedDecodeRuns: [Double]
    }

    public let modelPath: String
    public let promptTokens: Int
    public let decodeTokens: Int
    public let repetitions: Int
    /// Sequences of the batched decode test (below 2: no batched test).
    public let batch: Int

    public init(
        modelPath: String, promptTokens: Int = 512, decodeTokens: Int = 128, repetitions: Int = 3, batch: Int = 4
    ) {
        self.modelPath = modelPath
        self.promptTokens = max(1, promptTokens)
        self.decodeTokens = max(1, decodeTokens)
        self.repetitions = max(1, repetitions)
        self.batch = max(0, batch)
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
            config: config, weights: weights, pool: WorkerPool(threadCount: threads),
            tokenCapacity: max(promptTokens, batch), logitCapacity: max(1, batch))
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
        func decodeBatched() -> Double {
            let caches = (0..<batch).map { _ in cache() }
            let start = ProcessInfoShim.now()
            for position in 0..<decodeTokens {
                transformer.forward(
                    caches.enumerated().map { i, c in
                        BatchEntry(
                            token: tokens[(position + 17 * i) % tokens.count], position: position, cache: c,
                            logitRow: i)
                    })
            }
            return Double(batch * decodeTokens) / (ProcessInfoShim.now() - start)
        }
        _ = prefill()
        let prefillRuns = (0..<repetitions).map { _ in prefill() }
        _ = decode()
        let decodeRuns = (0..<repetitions).map { _ in decode() }
        var batchedRuns: [Double] = []
        if batch >= 2 {
            _ = decodeBatched()
            batchedRuns = (0..<repetitions).map { _ in decodeBatched() }
        }
        return Figures(
            threads: threads, prefillTokensPerSecond: Self.median(prefillRuns),
            decodeTokensPerSecond: Self.median(decodeRuns),
            batchedDecodeTokensPerSecond: batchedRuns.isEmpty ? nil : Self.median(batchedRuns),
            prefillRuns: prefillRuns, decodeRuns: decodeRuns, batchedDecodeRuns: batchedRuns)
    }

    /// Median of a non-empty list.
    static func median(_ values: [Double]) -> Double {
        let s = values.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}
