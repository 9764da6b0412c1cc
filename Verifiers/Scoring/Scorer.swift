internal import Synchronization

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// Strict or loose checking, as IFEval defines them.
public enum ScoringMode: String, Sendable, Hashable, CaseIterable {
    /// The response as it is.
    case strict
    /// A top-level constraint passes if it passes on any of IFEval's 8 response variants
    /// (``ResponseVariants/loose(_:)``), tried in the reference's order.
    case loose
}

/// How one item (or a batch) is scored.
public struct ScoringOptions: Sendable, Hashable {
    /// Strict or loose.
    public var mode: ScoringMode
    /// What to do with a `<think>` block.
    public var reasoning: ReasoningMode
    /// How verdicts become a reward.
    public var policy: RewardPolicy
    /// The cooperative time budget per item (default 1 s); see ``EvaluationBudget``.
    public var timeBudget: Duration

    /// Makes options; defaults: strict, strip, all, 1 s.
    public init(
        mode: ScoringMode = .strict, reasoning: ReasoningMode = .strip, policy: RewardPolicy = .all,
        timeBudget: Duration = .seconds(1)
    ) {
        self.mode = mode
        self.reasoning = reasoning
        self.policy = policy
        self.timeBudget = timeBudget
    }
}

/// One response to score against its constraints.
public struct ScoringItem: Sendable, Hashable {
    /// The model's response (reasoning included, if any).
    public var response: String
    /// The prompt, for constraints that need it (`combination:repeat_prompt`).
    public var prompt: String?
    /// The constraint spec, in any format ``ConstraintTree/parse(_:registry:root:)`` accepts.
    public var constraints: ConstraintValue

    /// Makes an item.
    public init(response: String, prompt: String? = nil, constraints: ConstraintValue) {
        self.response = response
        self.prompt = prompt
        self.constraints = constraints
    }
}

/// The score of one item.
///
/// ## Errors
///
/// - A spec that cannot be parsed (unknown id, bad parameter, malformed node): `error` is set,
///   `tree` is an empty root, `reward` 0 and `passed` false. The caller must report the error, not
///   the reward.
/// - A rule that cannot run (time budget exceeded, internal failure): the verdict tree holds error
///   nodes (see ``TreeEvaluator``), `error` is the first of them, and the reward is computed with
///   every errored top-level constraint counted as **failed** (score 0), so it is a lower bound.
///   `passed` is false. Callers that must not train on an uncertain reward (the trainer adapters)
///   check `error` first.
public struct ItemScore: Sendable, Hashable {
    /// The reward under the requested policy.
    public var reward: Double
    /// Whether every top-level constraint passed (and the format held, under `require`), with no error.
    public var passed: Bool
    /// Per top-level constraint: passed (errored ones are false). IFEval's `follow_instruction_list`.
    public var followInstructionList: [Bool]
    /// The verdict tree: a `constraints` root whose children are the top-level verdicts.
    public var tree: VerdictNode
    /// RAIF's format check, when applied (reasoning `require` or policy `raif`).
    public var format: FormatCheck?
    /// The spec error, or the first rule error in the tree.
    public var error: VerifierError?

    /// Makes an item score.
    public init(
        reward: Double, passed: Bool, followInstructionList: [Bool], tree: VerdictNode, format: FormatCheck? = nil,
        error: VerifierError? = nil
    ) {
        self.reward = reward
        self.passed = passed
        self.followInstructionList = followInstructionList
        self.tree = tree
        self.format = format
        self.error = error
    }

    /// IFEval's `follow_all_instructions`.
    public var followAllInstructions: Bool { followInstructionList.allSatisfy { $0 } }

    /// The score of an item whose spec could not be parsed.
    public static func failure(_ error: VerifierError) -> ItemScore {
        ItemScore(
            reward: 0, passed: false, followInstructionList: [],
            tree: VerdictNode(
                kind: "constraints", path: "constraints", pass: false, score: 0, detail: "error: \(error.message)",
                error: error),
            error: error)
    }
}

/// Scores responses against constraint specs: the entry point for the server and the CLI.
///
/// ```swift
/// let scorer = Scorer(registry: .builtin)
/// let result = scorer.score(ScoringItem(response: text, constraints: spec), options: ScoringOptions(policy: .fraction))
/// let results = await scorer.score(items, options: options)   // parallel, input order
/// ```
public struct Scorer: Sendable {
    /// Resolves verifier ids.
    public let registry: VerifierRegistry
    private let evaluator = TreeEvaluator()

    /// Makes a scorer over a registry.
    public init(registry: VerifierRegistry) {
        self.registry = registry
    }

    /// Parses a spec once (to score several responses against it).
    ///
    /// - Throws: see ``ConstraintTree/parse(_:registry:root:)``.
    public func parse(_ constraints: ConstraintValue) throws(VerifierError) -> ConstraintTree {
        try ConstraintTree.parse(constraints, registry: registry)
    }

    /// Scores one item; never throws (errors are reported in the result, see ``ItemScore``).
    public func score(_ item: ScoringItem, options: ScoringOptions) -> ItemScore {
        let tree: ConstraintTree
        do {
            tree = try parse(item.constraints)
        } catch {
            return .failure(error)
        }
        return score(response: item.response, prompt: item.prompt, tree: tree, options: options)
    }

    /// Scores one response against an already parsed tree, within `options.timeBudget`.
    public func score(response: String, prompt: String?, tree: ConstraintTree, options: ScoringOptions) -> ItemScore {
        let deadline = ContinuousClock.now.advanced(by: options.timeBudget)
        return EvaluationBudget.$deadline.withValue(deadline) {
            scoreWithinBudget(response: response, prompt: prompt, tree: tree, options: options)
        }
    }

    private func scoreWithinBudget(
        response: String, prompt: String?, tree: ConstraintTree, options: ScoringOptions
    ) -> ItemScore {
        let answer = ReasoningFormat.answer(of: response, mode: options.reasoning)
        let format = options.reasoning == .require || options.policy == .raif ? ReasoningFormat.check(response) : nil
        let verdicts: [VerdictNode]
        switch options.mode {
        case .strict:
            let text = ResponseText(answer, prompt: prompt)
            verdicts = tree.constraints.map { evaluateTop($0, on: text) }
        case .loose:
            var variants = LooseVariants(answer: answer, prompt: prompt)
            verdicts = tree.constraints.map { evaluateLoose($0, variants: &variants) }
        }
        let formatRequired = options.reasoning == .require
        let formatOK = !formatRequired || (format?.pass ?? true)
        let follow = verdicts.map { $0.error == nil && $0.pass }
        let error = verdicts.lazy.compactMap({ $0.firstError }).first
        let reward = options.policy.reward(verdicts: verdicts, format: format, formatRequired: formatRequired)
        let passed = error == nil && formatOK && follow.allSatisfy { $0 }
        let passedCount = follow.reduce(0) { $0 + ($1 ? 1 : 0) }
        var detail = "\(passedCount) of \(verdicts.count) constraints passed"
        if let format, !format.pass { detail += "; format: \(format.detail)" }
        let root = VerdictNode(
            kind: "constraints", path: "constraints", pass: passed,
            score: verdicts.isEmpty ? 0 : Double(passedCount) / Double(verdicts.count), detail: detail,
            error: nil, children: verdicts)
        return ItemScore(
            reward: reward, passed: passed, followInstructionList: follow, tree: root, format: format, error: error)
    }

    /// A top-level constraint on one text: blank text fails every constraint (as the reference's
    /// `response.strip() and …`), whatever the node.
    private func evaluateTop(_ node: ConstraintNode, on text: ResponseText) -> VerdictNode {
        if text.isBlank {
            return VerdictNode(
                kind: node.operatorName, label: node.label, verifier: leafID(node), path: node.path,
                weight: node.weight,
                pass: false, score: 0, detail: "the response is empty")
        }
        return evaluator.evaluate(node, on: text)
    }

    /// Loose mode: the first variant on which the constraint passes; if none passes, the
    /// best-scoring variant's verdict (the first on ties). If no variant passes and some variant
    /// errored, the result is that error.
    private func evaluateLoose(_ node: ConstraintNode, variants: inout LooseVariants) -> VerdictNode {
        var best: VerdictNode? = nil
        var firstError: VerdictNode? = nil
        for index in 0..<LooseVariants.names.count {
            let text = variants.text(index)
            if index > 0 && text.isBlank { continue }
            var verdict = evaluateTop(node, on: text)
            if verdict.error != nil {
                if firstError == nil { firstError = verdict }
                continue
            }
            if verdict.pass {
                if index > 0 { verdict.detail += " (loose: \(LooseVariants.names[index]))" }
                return verdict
            }
            if best == nil || verdict.score > best!.score { best = verdict }
        }
        return firstError ?? best!
    }

    private func leafID(_ node: ConstraintNode) -> String? {
        if case .leaf(let id, _) = node.kind { return id }
        return nil
    }

    // MARK: Batches

    /// Scores items in parallel on all cores; results are in input order.
    public func score(_ items: [ScoringItem], options: ScoringOptions) async -> [ItemScore] {
        await score(items, options: options, workers: Self.coreCount)
    }

    /// Scores items in parallel on `workers` tasks pulling items from a shared counter.
    public func score(_ items: [ScoringItem], options: ScoringOptions, workers: Int) async -> [ItemScore] {
        let workers = max(1, min(workers, items.count))
        if workers == 1 { return items.map { score($0, options: options) } }
        let next = WorkCounter()
        return await withTaskGroup(of: [(Int, ItemScore)].self) { group in
            for _ in 0..<workers {
                group.addTask {
                    var done: [(Int, ItemScore)] = []
                    while true {
                        let index = next.value.wrappingAdd(1, ordering: .relaxed).oldValue
                        if index >= items.count { break }
                        done.append((index, score(items[index], options: options)))
                    }
                    return done
                }
            }
            var results = [ItemScore?](repeating: nil, count: items.count)
            for await chunk in group {
                for (index, result) in chunk { results[index] = result }
            }
            return results.map { $0! }
        }
    }

    /// The number of online processors.
    public static var coreCount: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }
}

/// IFEval's 8 loose variants of an answer, as response texts built on first use (their analyses
/// are then shared by all constraints of the item).
private struct LooseVariants {
    static let names = [
        "as is", "without '*'", "without its first line", "without its last line",
        "without its first and last lines", "without its first line and '*'", "without its last line and '*'",
        "without its first and last lines and '*'",
    ]
    let answer: String
    let prompt: String?
    var strings: [String]? = nil
    var texts: [ResponseText?] = Array(repeating: nil, count: 8)

    init(answer: String, prompt: String?) {
        self.answer = answer
        self.prompt = prompt
    }

    mutating func text(_ index: Int) -> ResponseText {
        if let text = texts[index] { return text }
        if index > 0 && strings == nil { strings = ResponseVariants.loose(answer) }
        let text = ResponseText(index == 0 ? answer : strings![index], prompt: prompt)
        texts[index] = text
        return text
    }
}

/// A shared index that batch workers pull items from.
private final class WorkCounter: Sendable {
    let value = Atomic<Int>(0)
}
