import ArgumentParser
import Server

extension Raif {
    /// `raif bench`: throughput figures (run them on a quiet machine).
    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure verifier, kernel and engine throughput (medians of interleaved runs).",
            subcommands: [Verifiers.self, Kernels.self, Engine.self])

        /// `raif bench verifiers`.
        struct Verifiers: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Verdicts per second on a JSONL file: one core and all cores, medians and their ratio.")

            @Option(help: ArgumentHelp("JSONL file in any shape `raif score` reads.", valueName: "file"))
            var input: String

            @Option(help: ArgumentHelp("strict or loose.", valueName: "mode"))
            var mode: String = "strict"

            @Option(help: ArgumentHelp("strip, keep or require.", valueName: "mode"))
            var reasoning: String = "keep"

            @Option(help: ArgumentHelp("Rough time budget; sets the number of repetitions.", valueName: "seconds"))
            var seconds: Double = 20

            @Option(help: ArgumentHelp("Workers of the all-cores run (default: the number of cores).", valueName: "n"))
            var threads: Int?

            func validate() throws {
                guard BatchScorer.modes.contains(mode) else { throw ValidationError("--mode must be strict or loose") }
                guard BatchScorer.reasoningModes.contains(reasoning) else {
                    throw ValidationError("--reasoning must be strip, keep or require")
                }
                guard seconds > 0, seconds.isFinite else { throw ValidationError("--seconds must be positive") }
                if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
            }

            func run() async throws {
                do {
                    print(
                        try await Benchmarks.verifiers(
                            input: input, mode: mode, reasoning: reasoning, seconds: seconds, workers: threads))
                } catch {
                    StandardError.writeLine("raif bench verifiers: \(error)")
                    throw ExitCode.failure
                }
            }
        }

        /// `raif bench kernels`.
        struct Kernels: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "GB/s of the scalar reference and fast matmul kernels per weight type (one thread).")

            @Option(help: ArgumentHelp("Comma-separated ggml types, e.g. q4_1,q8_0 (default: all).", valueName: "list"))
            var types: String?

            @Option(help: ArgumentHelp("Timed rounds per type (the median is reported).", valueName: "n"))
            var rounds: Int = 7

            func validate() throws {
                guard rounds >= 1 else { throw ValidationError("--rounds must be at least 1") }
            }

            func run() {
                let list = types.map { $0.split(separator: ",").map { String($0) } }
                print(Benchmarks.kernels(types: list, rounds: rounds))
            }
        }

        /// `raif bench engine`.
        struct Engine: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Prefill and decode tokens/s of the engine at several thread counts, interleaved.")

            @Option(help: ArgumentHelp("GGUF model (default: $RAIF_MODEL, else the default model).", valueName: "path"))
            var model: String?

            @Option(help: ArgumentHelp("Comma-separated thread counts.", valueName: "list"))
            var threads: String = "1,2"

            @Option(help: ArgumentHelp("Interleaved rounds (the median is reported).", valueName: "n"))
            var rounds: Int = 3

            @Option(help: ArgumentHelp("Prompt tokens of the prefill test.", valueName: "n"))
            var promptTokens: Int = 512

            @Option(help: ArgumentHelp("Tokens of the decode test.", valueName: "n"))
            var decodeTokens: Int = 128

            @Option(help: ArgumentHelp("Sequences of the batched decode test (0 or 1: skip it).", valueName: "n"))
            var batch: Int = 4

            @Flag(help: "Print one JSON object per thread count instead of a table.")
            var json = false

            var threadCounts: [Int] { threads.split(separator: ",").compactMap { Int($0) } }

            func validate() throws {
                let counts = threads.split(separator: ",")
                guard !counts.isEmpty, counts.allSatisfy({ (Int($0) ?? 0) >= 1 }) else {
                    throw ValidationError("--threads must be a comma-separated list of positive counts, e.g. 1,2")
                }
                guard rounds >= 1, promptTokens >= 1, decodeTokens >= 1 else {
                    throw ValidationError("--rounds, --prompt-tokens and --decode-tokens must be at least 1")
                }
                guard (0...256).contains(batch) else {
                    throw ValidationError("--batch must be between 0 and 256")
                }
                if let model, !ModelFile.isReadableFile(model) {
                    throw ValidationError("--model \(model): no readable file there")
                }
            }

            func run() throws {
                let path = model ?? Benchmarks.defaultModelPath
                do {
                    let figures = try Benchmarks.engine(
                        model: path, threads: threadCounts, rounds: rounds, promptTokens: promptTokens,
                        decodeTokens: decodeTokens, batch: batch)
                    if json {
                        for row in figures { print(row.json) }
                    } else {
                        print(
                            Benchmarks.engineReport(
                                model: path, figures, promptTokens: promptTokens, decodeTokens: decodeTokens))
                    }
                } catch {
                    StandardError.writeLine("raif bench engine: \(error)")
                    throw ExitCode.failure
                }
            }
        }
    }
}
