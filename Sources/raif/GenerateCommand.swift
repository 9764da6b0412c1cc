import ArgumentParser
import Server

extension Raif {
    /// `raif generate PROMPT`: streams a completion from the model to stdout, no server needed.
    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate a completion with the model in this process and stream it to stdout.",
            discussion: """
                Without --raw, PROMPT is a user message rendered through the model's chat template \
                (with --system as the system message). With --raw it is tokenized as llama.cpp does: \
                special tokens parsed, BOS as the model's metadata asks. Same settings, same text as \
                the socket's generate.
                """)

        @OptionGroup var modelOptions: ModelOptions

        @Flag(help: "Tokenize PROMPT as is instead of sending it through the chat template.")
        var raw = false

        @Option(help: ArgumentHelp("Sampling temperature; 0 is greedy (default 0.8).", valueName: "t"))
        var temperature: Double?

        @Option(help: ArgumentHelp("Tokens to generate at most (default 16).", valueName: "n"))
        var maxTokens: Int?

        @Option(help: ArgumentHelp("Seed of the sampler (default: random).", valueName: "s"))
        var seed: UInt64?

        @Option(help: ArgumentHelp("System message (chat mode only).", valueName: "text"))
        var system: String?

        @Option(help: ArgumentHelp("Keep the k most likely tokens; 0 keeps all (default 40).", valueName: "k"))
        var topK: Int?

        @Option(help: ArgumentHelp("Nucleus sampling threshold in (0, 1] (default 0.95).", valueName: "p"))
        var topP: Double?

        @Flag(help: "Print token counts and speed on stderr afterwards.")
        var verbose = false

        @Argument(help: "The prompt (a user message, or raw text with --raw).")
        var prompt: String

        func validate() throws {
            if raw && system != nil { throw ValidationError("--system applies to chat prompts, not with --raw") }
        }

        func run() async throws {
            let request = LocalGeneration.Request(
                modelPath: modelOptions.model, raw: raw, prompt: prompt, system: system, temperature: temperature,
                maxTokens: maxTokens, seed: seed, topK: topK, topP: topP)
            do {
                let summary = try await LocalGeneration.generate(request) { text in
                    LocalGeneration.writeToStandardOutput(text)
                }
                LocalGeneration.writeToStandardOutput("\n")
                if verbose {
                    StandardError.writeLine(
                        "prompt_tokens=\(summary.promptTokens) completion_tokens=\(summary.completionTokens) "
                            + "finish_reason=\(summary.finishReason) prefill_ms=\(summary.prefillMilliseconds) "
                            + "decode_tokens_per_s=\(summary.decodeTokensPerSecond)")
                }
            } catch {
                StandardError.writeLine("raif generate: \(error)")
                throw ExitCode.failure
            }
        }
    }
}

/// The model option shared by the commands that run the engine in-process.
struct ModelOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "GGUF model to load.",
            discussion:
                "Default: $RAIF_MODEL, else ${RAIF_CACHE:-~/.cache/raif}/models/SmolLM2-135M-Instruct.Q4_1.gguf.",
            valueName: "path"))
    var model: String?
}
