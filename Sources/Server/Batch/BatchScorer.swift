internal import Synchronization
internal import Verifiers
internal import WireProtocol

/// Scores a JSONL stream of responses with the verifier module's ``Scorer``: what `raif score` runs.
///
/// Lines are read in chunks; the lines of a chunk are parsed, scored and serialized in parallel
/// by `workers` tasks, then written in input order before the next chunk is read, so memory holds
/// one chunk whatever the file's length.
///
/// Every non-blank input line gives one output line, `index` counting non-blank lines from 0:
///
/// ```
/// {"index", "reward", "passed", "follow_all_instructions", "follow_instruction_list", "tree", "format"?, "error"?}
/// {"index", "error": {"code", "message", "data"?}}        the line is not JSON, or its spec is invalid
/// ```
///
/// The first shape is the socket `score` result of the item (``VerifierJSON``), so a rule that
/// could not run (time budget) leaves an `error` there and error nodes in the tree.
public struct BatchScorer: Sendable {
    /// Accepted `mode` values.
    public static let modes = ScoringMode.allCases.map(\.rawValue)
    /// Accepted `reasoning` values.
    public static let reasoningModes = ReasoningMode.allCases.map(\.rawValue)
    /// Accepted `policy` values.
    public static let policies = RewardPolicy.allCases.map(\.rawValue)
    /// The number of online processors (the default worker count).
    public static var coreCount: Int { Scorer.coreCount }

    let scorer: Scorer
    let options: ScoringOptions
    /// Tasks scoring lines at once.
    public let workers: Int
    /// Lines read, scored and written per round.
    public let chunkSize: Int

    /// Makes a batch scorer over the built-in registry; `workers` defaults to the number of cores and
    /// the time budget per line to 1 s (as the socket `score`).
    ///
    /// - Throws: ``ServerError/invalidArguments(_:)`` for an unknown mode, reasoning or policy, or
    ///   a worker count below 1.
    public init(
        mode: String = "strict", reasoning: String = "strip", policy: String = "all", workers: Int? = nil,
        timeBudgetMilliseconds: Int = 1000, chunkSize: Int? = nil
    ) throws(ServerError) {
        guard let mode = ScoringMode(rawValue: mode) else {
            throw .invalidArguments("mode must be one of \(Self.modes.joined(separator: ", ")), got '\(mode)'")
        }
        guard let reasoningMode = ReasoningMode(rawValue: reasoning) else {
            throw .invalidArguments(
                "reasoning must be one of \(Self.reasoningModes.joined(separator: ", ")), got '\(reasoning)'")
        }
        guard let rewardPolicy = RewardPolicy(rawValue: policy) else {
            throw .invalidArguments("policy must be one of \(Self.policies.joined(separator: ", ")), got '\(policy)'")
        }
        guard (1...600_000).contains(timeBudgetMilliseconds) else {
            throw .invalidArguments("time budget must be 1...600000 ms, got \(timeBudgetMilliseconds)")
        }
        let workers = workers ?? Scorer.coreCount
        guard workers >= 1 else { throw .invalidArguments("threads must be at least 1, got \(workers)") }
        self.scorer = Scorer(registry: .builtin)
        self.options = ScoringOptions(
            mode: mode, reasoning: reasoningMode, policy: rewardPolicy,
            timeBudget: .milliseconds(timeBudgetMilliseconds))
        self.workers = workers
        self.chunkSize = max(1, chunkSize ?? 128 * workers)
    }

    /// One scored line: its output text and what it adds to the summary.
    struct Outcome: Sendable {
        var json: [UInt8]
        var tally: BatchSummary.Line
    }

    /// Scores `lines` (blank ones skipped) and hands each output line, without its newline, to
    /// `write` in input order; `progress` gets the number of lines done after each chunk.
    ///
    /// - Returns: the summary of the run.
    /// - Throws: whatever `write` or reading `lines` throws; nothing about the lines' contents.
    public func score<Lines: Sequence<[UInt8]>>(
        lines: Lines, write: ([UInt8]) throws(ServerError) -> Void,
        progress: ((Int) -> Void)? = nil
    ) async throws(ServerError) -> BatchSummary {
        var summary = BatchSummary()
        var iterator = lines.makeIterator()
        var lineNumber = 0
        var index = 0
        var exhausted = false
        while !exhausted {
            var chunk: [(index: Int, line: Int, bytes: [UInt8])] = []
            chunk.reserveCapacity(chunkSize)
            while chunk.count < chunkSize {
                guard let bytes = iterator.next() else {
                    exhausted = true
                    break
                }
                lineNumber += 1
                if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) { continue }
                chunk.append((index, lineNumber, bytes))
                index += 1
            }
            if chunk.isEmpty { break }
            let outcomes = await scoreChunk(chunk)
            for outcome in outcomes {
                try write(outcome.json)
                summary.add(outcome.tally)
            }
            progress?(index)
        }
        return summary
    }

    /// Parses, scores and serializes one chunk on `workers` tasks; outcomes in chunk order.
    func scoreChunk(_ chunk: [(index: Int, line: Int, bytes: [UInt8])]) async -> [Outcome] {
        let workers = max(1, min(self.workers, chunk.count))
        if workers == 1 { return chunk.map { outcome(index: $0.index, line: $0.line, bytes: $0.bytes) } }
        let next = ChunkCounter()
        return await withTaskGroup(of: [(Int, Outcome)].self) { group in
            for _ in 0..<workers {
                group.addTask {
                    var done: [(Int, Outcome)] = []
                    while true {
                        let position = next.value.wrappingAdd(1, ordering: .relaxed).oldValue
                        if position >= chunk.count { break }
                        let entry = chunk[position]
                        done.append((position, outcome(index: entry.index, line: entry.line, bytes: entry.bytes)))
                    }
                    return done
                }
            }
            var results = [Outcome?](repeating: nil, count: chunk.count)
            for await done in group {
                for (position, outcome) in done { results[position] = outcome }
            }
            return results.map { $0! }
        }
    }

    /// The output line and tally of one input line.
    func outcome(index: Int, line: Int, bytes: [UInt8]) -> Outcome {
        let item: ScoringItem
        do {
            item = try ScoreInputLine.item(bytes, number: line)
        } catch {
            return errorOutcome(index: index, error)
        }
        let score = scorer.score(item, options: options)
        if let error = score.error, VerifierMethods.isSpecError(error) {
            let rpc = ErrorMapping.verifier(error)
            return errorOutcome(
                index: index, RPCError(code: rpc.code, message: "line \(line): constraints: \(rpc.message)"))
        }
        var object: JSONObject = ["index": JSONValue(index)]
        if case .object(let result) = VerifierJSON.json(score) {
            for (key, value) in result { object.set(key, value) }
        }
        let ids = score.tree.children.map { $0.verifier ?? $0.label ?? $0.kind }
        let tally = BatchSummary.Line(
            error: false, ruleError: score.error != nil, ids: ids, follow: score.followInstructionList,
            reward: score.reward)
        return Outcome(json: JSONValue.object(object).serialized(), tally: tally)
    }

    private func errorOutcome(index: Int, _ error: RPCError) -> Outcome {
        let object: JSONObject = ["index": JSONValue(index), "error": error.json]
        return Outcome(
            json: JSONValue.object(object).serialized(),
            tally: BatchSummary.Line(error: true, ruleError: false, ids: [], follow: [], reward: 0))
    }
}

/// A shared position that chunk workers pull lines from.
private final class ChunkCounter: Sendable {
    let value = Atomic<Int>(0)
}

/// What a `raif score` run found: prompt- and instruction-level accuracy and a per-id table.
///
/// Lines with an `error` (not JSON, invalid spec) are counted apart and left out of the
/// accuracies; lines whose rules could not all run count, with those rules as not followed.
public struct BatchSummary: Sendable, Hashable {
    /// What one scored line adds.
    struct Line: Sendable, Hashable {
        var error: Bool
        var ruleError: Bool
        var ids: [String]
        var follow: [Bool]
        var reward: Double
    }

    /// Pass counts of one instruction id.
    public struct IDCount: Sendable, Hashable {
        /// Top-level constraints with this id.
        public var count = 0
        /// How many of them were followed.
        public var passed = 0
    }

    /// Non-blank input lines.
    public var lines = 0
    /// Lines answered with an error instead of a score.
    public var errorLines = 0
    /// Scored lines where some rule could not run (time budget, internal failure).
    public var ruleErrorLines = 0
    /// Scored lines that followed every instruction (IFEval's prompt level).
    public var promptsFollowed = 0
    /// Top-level constraints on scored lines.
    public var instructions = 0
    /// Top-level constraints followed (IFEval's instruction level).
    public var instructionsFollowed = 0
    /// The sum of rewards over scored lines.
    public var rewardSum = 0.0
    /// Per instruction id (a leaf's verifier id, else the node's label or kind).
    public var perID: [String: IDCount] = [:]

    /// An empty summary.
    public init() {}

    mutating func add(_ line: Line) {
        lines += 1
        if line.error {
            errorLines += 1
            return
        }
        if line.ruleError { ruleErrorLines += 1 }
        if line.follow.allSatisfy({ $0 }) { promptsFollowed += 1 }
        instructions += line.follow.count
        instructionsFollowed += line.follow.filter { $0 }.count
        rewardSum += line.reward
        for (id, followed) in zip(line.ids, line.follow) {
            perID[id, default: IDCount()].count += 1
            if followed { perID[id, default: IDCount()].passed += 1 }
        }
    }

    /// Lines that were scored.
    public var scoredLines: Int { lines - errorLines }
    /// Prompt-level accuracy over scored lines (NaN when none was scored).
    public var promptAccuracy: Double { Double(promptsFollowed) / Double(scoredLines) }
    /// Instruction-level accuracy over scored lines' top-level constraints (NaN when none).
    public var instructionAccuracy: Double { Double(instructionsFollowed) / Double(instructions) }

    /// The summary for humans: totals, accuracies and the per-id table, ids sorted.
    public var description: String {
        var out = [
            "lines \(lines): scored \(scoredLines), errors \(errorLines)"
                + (ruleErrorLines > 0 ? ", with rules that could not run \(ruleErrorLines)" : ""),
            "prompt-level accuracy      \(percent(promptsFollowed, scoredLines)) (\(promptsFollowed)/\(scoredLines))",
            "instruction-level accuracy \(percent(instructionsFollowed, instructions)) "
                + "(\(instructionsFollowed)/\(instructions))",
            "mean reward                \(scoredLines > 0 ? fixed(rewardSum / Double(scoredLines), 4) : "-")",
        ]
        if !perID.isEmpty {
            let width = max(14, perID.keys.map(\.count).max() ?? 0)
            out.append("instruction id".padded(width) + "  count  pass rate")
            for id in perID.keys.sorted() {
                let row = perID[id]!
                out.append(
                    id.padded(width) + "  " + String(row.count).leftPadded(5) + "  "
                        + percent(row.passed, row.count).leftPadded(9))
            }
        }
        return out.joined(separator: "\n")
    }
}

/// `a / b` as a percentage with two decimals, `-` when `b` is 0.
func percent(_ a: Int, _ b: Int) -> String {
    b == 0 ? "-" : fixed(100 * Double(a) / Double(b), 2) + "%"
}

/// Fixed-point formatting without Foundation.
func fixed(_ value: Double, _ decimals: Int) -> String {
    guard value.isFinite else { return String(value) }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (value * scale).rounded()
    let negative = scaled < 0
    let digits = String(Int64(abs(scaled)))
    guard decimals > 0 else { return (negative ? "-" : "") + digits }
    let padded = String(repeating: "0", count: max(0, decimals + 1 - digits.count)) + digits
    let split = padded.index(padded.endIndex, offsetBy: -decimals)
    return (negative ? "-" : "") + padded[..<split] + "." + padded[split...]
}

extension String {
    func padded(_ length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }

    func leftPadded(_ length: Int) -> String {
        count >= length ? self : String(repeating: " ", count: length - count) + self
    }
}
