import ArgumentParser
import Server

extension Raif {
    /// `raif score`: scores a JSONL file of responses, no server needed.
    struct Score: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Score a JSONL file of responses against their constraints (no server needed).",
            discussion: """
                Input lines: IFEval-style records {"prompt", "response", "instruction_id_list", "kwargs"}, \
                {"response", "constraints", "prompt"?}, or {"response", "ground_truth", "prompt"?} \
                (open-instruct; a JSON string or object). Blank lines are skipped.

                Output: one JSON line per input line, in input order, with "index" (counting non-blank \
                lines from 0), "reward", "passed", "follow_all_instructions", "follow_instruction_list" \
                (aligned with the top-level constraints) and "tree"; a line that is not JSON or whose \
                constraints are invalid gives {"index", "error": {"code", "message"}} and the run goes on.

                A summary (prompt- and instruction-level accuracy, a per-id table) goes to standard error. \
                Exit status: 0 when every line was answered (error lines included), 1 when a file cannot be \
                read or written, 64 for bad arguments.
                """)

        @Option(help: ArgumentHelp("JSONL file to score.", valueName: "file"))
        var input: String

        @Option(help: ArgumentHelp("Where to write the scored lines (default: standard output).", valueName: "file"))
        var output: String?

        @Option(help: ArgumentHelp("strict, or loose (IFEval's 8 response variants).", valueName: "mode"))
        var mode: String = "strict"

        @Option(
            help: ArgumentHelp(
                "strip (check the text after </think>), keep (the raw text, as IFEval does) or require "
                    + "(RAIF's format rule).", valueName: "mode"))
        var reasoning: String = "strip"

        @Option(help: ArgumentHelp("all, fraction or raif: how verdicts become a reward.", valueName: "policy"))
        var policy: String = "all"

        @Option(help: ArgumentHelp("Lines scored at once (default: the number of cores).", valueName: "n"))
        var threads: Int?

        @Option(
            help: ArgumentHelp(
                "Time budget per line; a rule still running then is reported as an error (-32001).",
                valueName: "ms"))
        var timeBudgetMs: Int = 1000

        @Flag(
            inversion: .prefixedNo,
            help: "Draw a progress bar on standard error (default: only when it is a terminal).")
        var progress: Bool?

        @Flag(help: "Do not print the summary.")
        var quiet = false

        func validate() throws {
            try check(mode, BatchScorer.modes, "--mode")
            try check(reasoning, BatchScorer.reasoningModes, "--reasoning")
            try check(policy, BatchScorer.policies, "--policy")
            if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
            guard (1...600_000).contains(timeBudgetMs) else {
                throw ValidationError("--time-budget-ms must be between 1 and 600000")
            }
        }

        private func check(_ value: String, _ allowed: [String], _ name: String) throws {
            guard allowed.contains(value) else {
                throw ValidationError("\(name) must be one of \(allowed.joined(separator: ", ")), got '\(value)'")
            }
        }

        func run() async throws {
            do {
                let scorer = try BatchScorer(
                    mode: mode, reasoning: reasoning, policy: policy, workers: threads,
                    timeBudgetMilliseconds: timeBudgetMs)
                let summary = try await ScoreFile.run(
                    input: input, output: output, scorer: scorer, progress: progress)
                if !quiet { StandardError.writeLine(summary.description) }
            } catch {
                StandardError.writeLine("raif score: \(error)")
                throw ExitCode.failure
            }
        }
    }
}
