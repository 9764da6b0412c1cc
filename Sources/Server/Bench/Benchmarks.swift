internal import Engine
internal import Verifiers
internal import WireProtocol

/// The `raif bench` entry points: thin wrappers over the verifier and engine benchmark cores, so
/// the CLI needs only this module.
///
/// Speed is measured here, never in unit tests; run these only on a quiet machine.
public enum Benchmarks {
    // MARK: Verifiers

    /// Verdicts per second on the lines of a `raif score` input file: single core (end to end and
    /// evaluation only) and all cores, interleaved repetitions, medians and ratios
    /// (``VerifierBenchmark``).
    ///
    /// - Parameters:
    ///   - input: a JSONL file in any shape `raif score` reads; lines it cannot read are skipped
    ///     (and counted in the report).
    ///   - mode, reasoning: scoring options (see `raif score`).
    ///   - seconds: the rough time budget; the repetition count (odd, 3...101) is chosen from one
    ///     timed single-core pass.
    ///   - workers: workers of the parallel configuration (default: one per core).
    /// - Returns: the report, for humans.
    /// - Throws: ``ServerError`` when the file cannot be read, holds no usable line, or an option is unknown.
    public static func verifiers(
        input: String, mode: String = "strict", reasoning: String = "keep", seconds: Double = 20,
        workers: Int? = nil
    ) async throws(ServerError) -> String {
        let batch = try BatchScorer(mode: mode, reasoning: reasoning, policy: "all", workers: workers)
        let reader = try LineReader(path: input)
        defer { reader.close() }
        var items: [ScoringItem] = []
        var skipped = 0
        var number = 0
        while let line = reader.next() {
            number += 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            do {
                let item = try ScoreInputLine.item(line, number: number)
                if (try? batch.scorer.parse(item.constraints)) == nil {
                    skipped += 1
                } else {
                    items.append(item)
                }
            } catch {
                skipped += 1
            }
        }
        if let error = reader.error { throw error }
        guard !items.isEmpty else { throw .invalidArguments("\(input): no line can be scored") }
        let clock = ContinuousClock()
        let onePass = clock.measure { for item in items { _ = batch.scorer.score(item, options: batch.options) } }
        let passSeconds = max(1e-6, onePass.inSeconds)
        // One repetition runs a single-core pass twice (end to end, evaluation only) and a parallel pass.
        let perRepetition = passSeconds * (2 + 1 / Double(batch.workers))
        var repetitions = min(101, max(3, Int(seconds / perRepetition)))
        if repetitions % 2 == 0 { repetitions += 1 }
        let benchmark = VerifierBenchmark(scorer: batch.scorer, items: items, options: batch.options)
        let report = await benchmark.run(repetitions: repetitions, workers: batch.workers)
        var lines = [
            "\(input): mode \(mode), reasoning \(reasoning)"
                + (skipped > 0 ? ", \(skipped) unusable lines skipped" : "")
        ]
        lines.append(report.description)
        return lines.joined(separator: "\n")
    }

    // MARK: Kernels

    /// GB/s of the scalar reference and fast matmul kernels per weight type (``KernelBenchmark``),
    /// as a table.
    ///
    /// - Parameter types: ggml type names to run (all when nil).
    public static func kernels(types: [String]? = nil, rounds: Int = 7) -> String {
        let benchmark = KernelBenchmark(rounds: rounds)
        return KernelBenchmark.report(benchmark.run(types: types))
    }

    // MARK: Engine

    /// Prefill and decode throughput at one thread count.
    public struct EngineFigures: Sendable {
        /// Worker threads.
        public var threads: Int
        /// Prefill tokens/s, one entry per round.
        public var prefillRuns: [Double]
        /// Decode tokens/s, one entry per round.
        public var decodeRuns: [Double]
        /// Sequences decoded together in the batched decode test (below 2: not run).
        public var batch: Int = 0
        /// Batched decode tokens/s (all sequences), one entry per round.
        public var batchedDecodeRuns: [Double] = []

        /// Median prefill tokens/s.
        public var prefill: Double { VerifierBenchmark.Report.median(prefillRuns) }
        /// Median decode tokens/s.
        public var decode: Double { VerifierBenchmark.Report.median(decodeRuns) }
        /// Median batched decode tokens/s (NaN when not run).
        public var batchedDecode: Double { VerifierBenchmark.Report.median(batchedDecodeRuns) }

        /// `{"threads", "prefill_tokens_per_s", "decode_tokens_per_s", "prefill_runs", "decode_runs"}`,
        /// plus `"batch"`, `"batched_decode_tokens_per_s"` and `"batched_decode_runs"` when the batched
        /// test ran: the line `bench/engine-vs-llamacpp.sh` reads.
        public var json: String {
            var object: JSONObject = [
                "threads": JSONValue(threads),
                "prefill_tokens_per_s": JSONValue(prefill),
                "decode_tokens_per_s": JSONValue(decode),
                "prefill_runs": .array(prefillRuns.map { .double($0) }),
                "decode_runs": .array(decodeRuns.map { .double($0) }),
            ]
            if !batchedDecodeRuns.isEmpty {
                object["batch"] = JSONValue(batch)
                object["batched_decode_tokens_per_s"] = JSONValue(batchedDecode)
                object["batched_decode_runs"] = .array(batchedDecodeRuns.map { .double($0) })
            }
            return JSONValue.object(object).serializedString()
        }
    }

    /// Prefill (`promptTokens` tokens into an empty cache), decode (`decodeTokens` tokens one at
    /// a time) and batched decode (`batch` sequences together) tokens/s of the engine on `model`
    /// (``EngineBenchmark``), for every thread count, interleaved round by round.
    ///
    /// - Throws: ``ServerError/invalidArguments(_:)`` naming the model when it cannot be loaded.
    public static func engine(
        model: String, threads: [Int], rounds: Int = 3, promptTokens: Int = 512, decodeTokens: Int = 128,
        batch: Int = 4
    ) throws(ServerError) -> [EngineFigures] {
        guard !threads.isEmpty, threads.allSatisfy({ $0 >= 1 }) else {
            throw .invalidArguments("thread counts must be at least 1")
        }
        var figures = threads.map {
            EngineFigures(threads: $0, prefillRuns: [], decodeRuns: [], batch: batch >= 2 ? batch : 0)
        }
        let benchmark = EngineBenchmark(
            modelPath: model, promptTokens: promptTokens, decodeTokens: decodeTokens, repetitions: 1, batch: batch)
        for _ in 0..<max(1, rounds) {
            for index in figures.indices {
                do {
                    let run = try benchmark.run(threads: figures[index].threads)
                    figures[index].prefillRuns += run.prefillRuns
                    figures[index].decodeRuns += run.decodeRuns
                    figures[index].batchedDecodeRuns += run.batchedDecodeRuns
                } catch {
                    throw .invalidArguments("cannot benchmark \(model): \(error.description)")
                }
            }
        }
        return figures
    }

    /// A table of engine figures: medians per thread count and the speed-up over the first count.
    public static func engineReport(
        model: String, _ figures: [EngineFigures], promptTokens: Int = 512,
        decodeTokens: Int = 128
    ) -> String {
        let batch = figures.first?.batchedDecodeRuns.isEmpty == false ? figures.first?.batch : nil
        var header =
            "threads".leftPadded(7) + "pp\(promptTokens) t/s".leftPadded(14) + "tg\(decodeTokens) t/s".leftPadded(14)
        if let batch { header += "tg\(decodeTokens) x\(batch) t/s".leftPadded(17) }
        header += "pp ratio".leftPadded(10) + "tg ratio".leftPadded(10)
        var lines = [
            "model: \(model)",
            "medians of \(figures.first?.prefillRuns.count ?? 0) interleaved rounds"
                + (batch.map { "; tg x\($0): \($0) sequences decoded together, tokens/s summed" } ?? ""),
            header,
        ]
        let base = figures.first
        for row in figures {
            var line =
                String(row.threads).leftPadded(7) + fixed(row.prefill, 1).leftPadded(14)
                + fixed(row.decode, 1).leftPadded(14)
            if batch != nil { line += fixed(row.batchedDecode, 1).leftPadded(17) }
            line +=
                (fixed(row.prefill / (base?.prefill ?? .nan), 2) + "x").leftPadded(10)
                + (fixed(row.decode / (base?.decode ?? .nan), 2) + "x").leftPadded(10)
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// The default model: `$RAIF_MODEL`, else `${RAIF_CACHE:-~/.cache/raif}/models/SmolLM2-135M-Instruct.Q4_1.gguf`.
    public static var defaultModelPath: String {
        let environment = ProcessEnvironment.current
        if let path = environment["RAIF_MODEL"], !path.isEmpty { return path }
        let cache =
            environment["RAIF_CACHE"].flatMap { $0.isEmpty ? nil : $0 }
            ?? "\(environment["HOME"] ?? "/root")/.cache/raif"
        return "\(cache)/models/SmolLM2-135M-Instruct.Q4_1.gguf"
    }
}
