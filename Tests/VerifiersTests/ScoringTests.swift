import Testing

@testable import Verifiers

/// Scorer: modes, reasoning modes, errors, time budget, batches, determinism.
@Suite struct ScoringTests {
    let scorer = Scorer(registry: TestVerifiers.registry)

    static func has(_ word: String) -> String { #"{"verifier": "test:contains", "word": "\#(word)"}"# }

    func score(_ response: String, _ json: String, _ options: ScoringOptions = ScoringOptions()) -> ItemScore {
        scorer.score(ScoringItem(response: response, constraints: spec(json)), options: options)
    }

    // MARK: Reasoning

    struct AnswerCase: CustomTestStringConvertible, Sendable {
        var response: String
        var mode: ReasoningMode
        var answer: String
        var testDescription: String { "\(mode): \(response.debugDescription)" }
    }

    static let answerCases: [AnswerCase] = [
        AnswerCase(response: "<think>plan</think>\n\nHello", mode: .strip, answer: "Hello"),
        AnswerCase(response: "  plain answer \n", mode: .strip, answer: "plain answer"),
        AnswerCase(response: "<think>cut off before the answer", mode: .strip, answer: ""),
        AnswerCase(response: "<think>a</think>b</think> c ", mode: .strip, answer: "c"),
        AnswerCase(response: "<think>a</think><answer> X </answer>", mode: .strip, answer: "X"),
        AnswerCase(response: "<answer>Y", mode: .strip, answer: "Y"),
        AnswerCase(response: "primed reasoning</think>Z", mode: .strip, answer: "Z"),
        AnswerCase(response: "<think>a</think>\n\nHello ", mode: .keep, answer: "<think>a</think>\n\nHello "),
        AnswerCase(response: "<think>a</think>\n\nHello", mode: .require, answer: "Hello"),
    ]

    @Test(arguments: answerCases)
    func answerExtraction(_ c: AnswerCase) {
        #expect(ReasoningFormat.answer(of: c.response, mode: c.mode) == c.answer)
    }

    struct FormatCase: CustomTestStringConvertible, Sendable {
        var response: String
        var pass: Bool
        var emptyReasoning: Bool
        var detail: String
        var testDescription: String { response.debugDescription }
    }

    static let formatCases: [FormatCase] = [
        FormatCase(
            response: "<think>plan</think>answer", pass: true, emptyReasoning: false,
            detail: "one non-empty <think> block, then an answer"),
        FormatCase(
            response: "\n<think>\nplan\n</think>\n<answer>ok</answer>", pass: true, emptyReasoning: false,
            detail: "one non-empty <think> block, then an answer"),
        FormatCase(
            response: "plan</think>answer", pass: true, emptyReasoning: false,
            detail: "one non-empty <think> block, then an answer"),
        FormatCase(
            response: "<think> \n </think>answer", pass: false, emptyReasoning: true,
            detail: "the <think> block is empty"),
        FormatCase(
            response: "<think>plan</think>  ", pass: false, emptyReasoning: false, detail: "no answer after </think>"),
        FormatCase(
            response: "<think>a</think><think>b</think>x", pass: false, emptyReasoning: true,
            detail: "2 </think> tags; exactly one allowed"),
        FormatCase(
            response: "<think>a<think>b</think>x", pass: false, emptyReasoning: true,
            detail: "2 <think> tags; exactly one allowed"),
        FormatCase(response: "hi <think>a</think>x", pass: false, emptyReasoning: true, detail: "text before <think>"),
        FormatCase(
            response: "answer only", pass: false, emptyReasoning: true, detail: "no </think> closes the reasoning"),
        FormatCase(
            response: "</think>x<think>", pass: false, emptyReasoning: true, detail: "</think> comes before <think>"),
        FormatCase(
            response: "<think>unterminated", pass: false, emptyReasoning: true,
            detail: "no </think> closes the reasoning"),
    ]

    @Test(arguments: formatCases)
    func formatRule(_ c: FormatCase) {
        let check = ReasoningFormat.check(c.response)
        #expect(check.pass == c.pass)
        #expect(check.reasoningIsEmpty == c.emptyReasoning)
        #expect(check.detail == c.detail)
    }

    @Test func reasoningModesChangeWhatIsChecked() {
        let response = "<think>I must not say banana</think>Fine."
        let notBanana = #"{"not": \#(Self.has("banana"))}"#
        #expect(score(response, notBanana, ScoringOptions(reasoning: .strip)).passed)
        #expect(!score(response, notBanana, ScoringOptions(reasoning: .keep)).passed)
        let required = score(response, notBanana, ScoringOptions(reasoning: .require))
        #expect(required.passed && required.format?.pass == true)
        let malformed = score("no reasoning at all", notBanana, ScoringOptions(reasoning: .require))
        #expect(!malformed.passed)
        #expect(malformed.followInstructionList == [true])  // the answer itself is fine
        #expect(malformed.reward == 0)
        #expect(malformed.tree.detail.contains("format: no </think> closes the reasoning"))
    }

    // MARK: Modes

    @Test func looseModeTriesIFEvalVariants() {
        let record = #"{"instruction_id_list": ["punctuation:no_comma"], "kwargs": [{}]}"#
        let response = "Sure, here it is:\nno commas in the body"
        let strict = score(response, record, ScoringOptions(mode: .strict))
        #expect(strict.followInstructionList == [false])
        let loose = score(response, record, ScoringOptions(mode: .loose))
        #expect(loose.followInstructionList == [true])
        #expect(loose.tree.children[0].detail.hasSuffix("(loose: without its first line)"))
    }

    @Test func looseModeRemovesAsterisks() {
        let startsWith = #"{"verifier": "keyword:starts_with", "text": "hello"}"#
        #expect(!score("**Hello** world", startsWith, ScoringOptions(mode: .strict)).passed)
        let loose = score("**Hello** world", startsWith, ScoringOptions(mode: .loose))
        #expect(loose.passed)
        #expect(loose.tree.children[0].detail.hasSuffix("(loose: without '*')"))
    }

    @Test func looseModeIsPerTopLevelConstraint() {
        // Each constraint may pass on a different variant.
        let json =
            #"[{"verifier": "keyword:starts_with", "text": "body"}, {"verifier": "keyword:ends_with", "text": "body"}]"#
        let response = "Header\nbody\nFooter"
        #expect(score(response, json, ScoringOptions(mode: .loose)).followInstructionList == [true, true])
        #expect(score(response, json, ScoringOptions(mode: .strict)).followInstructionList == [false, false])
    }

    @Test func blankResponsesFailEveryConstraint() {
        for mode in ScoringMode.allCases {
            let result = score(
                "  \n ", #"[{"not": \#(Self.has("a"))}, {"verifier": "length:words", "max": 10}]"#,
                ScoringOptions(mode: mode))
            #expect(result.followInstructionList == [false, false])
            #expect(result.tree.children[0].detail == "the response is empty")
        }
    }

    // MARK: Errors and budget

    @Test func ruleErrorsAreReportedNotHidden() {
        let result = score("a", #"[{"verifier": "test:throws"}, \#(Self.has("a"))]"#, ScoringOptions(policy: .fraction))
        #expect(result.error == .internalFailure(constraint: "test:throws", reason: "deliberate test failure"))
        #expect(result.followInstructionList == [false, true])
        #expect(result.reward == 0.5)  // the errored constraint counts as failed
        #expect(!result.passed)
        #expect(result.tree.children[0].error != nil)
    }

    @Test func specErrorsBecomeFailedItems() {
        let result = score("a", #"{"verifier": "nope"}"#)
        #expect(result.error == .invalidSpec(path: "constraints.verifier", reason: "unknown verifier 'nope'"))
        #expect(result.reward == 0 && !result.passed && result.followInstructionList.isEmpty)
    }

    @Test func timeBudgetIsEnforcedCooperatively() {
        let clock = ContinuousClock()
        let start = clock.now
        let result = score(
            "a", #"[{"verifier": "test:slow"}, \#(Self.has("a"))]"#, ScoringOptions(timeBudget: .milliseconds(30)))
        #expect(clock.now - start < .seconds(5))
        #expect(result.error == .budgetExceeded(constraint: "test:slow"))
        // The rule after the slow one finds the budget spent too: an error, not a silent pass.
        #expect(result.tree.children[1].error == .budgetExceeded(constraint: "test:contains"))
        #expect(result.followInstructionList == [false, false])
    }

    @Test func regexRespectsTheTimeBudget() {
        // A pattern with a quadratic match count loop on a long text: the budget stops it.
        let text = String(repeating: "a", count: 200_000)
        let clock = ContinuousClock()
        let start = clock.now
        let result = score(
            text, #"{"verifier": "content:regex", "pattern": "a(.*)X|a", "min": 300000}"#,
            ScoringOptions(timeBudget: .milliseconds(50)))
        #expect(clock.now - start < .seconds(10))
        #expect(result.error == .budgetExceeded(constraint: "content:regex"))
    }

    // MARK: Batches and determinism

    static func items() -> [ScoringItem] {
        var items: [ScoringItem] = []
        let specs = [
            #"{"instruction_id_list": ["punctuation:no_comma", "length_constraints:number_words"], "kwargs": [{}, {"relation": "at least", "num_words": 5}]}"#,
            #"[{"verifier": "length:words", "min": 3, "max": 8}, {"verifier": "keyword:all", "keywords": ["cat", "dog"]}]"#,
            #"{"chain": [{"verifier": "keyword:starts_with", "text": "the"}, {"each": {"verifier": "length:words", "max": 6}, "of": "sentences"}]}"#,
            #"{"verifier": "nope"}"#,
        ]
        for k in 0..<60 {
            let words = (0..<(k % 11)).map { ["the", "cat", "dog", "sat,", "on", "mat."][($0 + k) % 6] }
            items.append(ScoringItem(response: words.joined(separator: " "), constraints: spec(specs[k % specs.count])))
        }
        return items
    }

    @Test func batchMatchesSequentialInInputOrder() async {
        let items = Self.items()
        let options = ScoringOptions(policy: .fraction)
        let sequential = items.map { scorer.score($0, options: options) }
        let parallel = await scorer.score(items, options: options, workers: 4)
        #expect(parallel == sequential)
        let defaultWorkers = await scorer.score(items, options: options)
        #expect(defaultWorkers == sequential)
        #expect(sequential.filter { $0.error != nil }.count == 15)
    }

    @Test func scoringIsDeterministic() async {
        let items = Self.items()
        for options in [ScoringOptions(mode: .loose, policy: .raif), ScoringOptions(reasoning: .keep, policy: .all)] {
            let first = await scorer.score(items, options: options, workers: 3)
            let second = await scorer.score(items, options: options, workers: 2)
            #expect(first == second)
        }
    }

    @Test func hugeResponses() {
        let lines = (0..<20_000).map { "line \($0) has a cat." }.joined(separator: "\n")
        let each = #"{"each": {"verifier": "keyword:all", "keywords": ["cat"]}, "of": "lines"}"#
        let result = score(lines, each, ScoringOptions(timeBudget: .seconds(60)))
        #expect(result.passed)
        #expect(result.tree.children[0].children.count == 20_000)
        // The same work with a tiny budget stops early with an error instead of running on.
        let hurried = score(lines, each, ScoringOptions(timeBudget: .nanoseconds(1)))
        #expect(hurried.error == .budgetExceeded(constraint: "keyword:all"))
        #expect(!hurried.passed)
    }

    @Test func emptyBatch() async {
        #expect(await scorer.score([], options: ScoringOptions()).isEmpty)
    }

    @Test func sharedTreeScoresManyResponses() throws {
        let parsed = try scorer.parse(spec(#"{"verifier": "length:words", "min": 2}"#))
        let rewards = ["one", "one two", "one two three"].map {
            scorer.score(response: $0, prompt: nil, tree: parsed, options: ScoringOptions()).reward
        }
        #expect(rewards == [0, 1, 1])
    }

    // MARK: Benchmark

    @Test func benchmarkReportsEveryConfiguration() async {
        let items = Self.items()
        let report = await VerifierBenchmark(scorer: scorer, items: items, options: ScoringOptions()).run(
            repetitions: 2, workers: 2)
        #expect(report.items == 60)
        // 15 items of each spec: 2 + 2 + 1 top-level constraints, and 0 for the bad spec.
        #expect(report.verdicts == 15 * 5)
        #expect(
            report.singleEndToEnd.count == 2 && report.singleEvaluationOnly.count == 2
                && report.parallelEndToEnd.count == 2)
        #expect(report.description.contains("verdicts/s"))
        #expect(
            VerifierBenchmark.Report.median([3, 1, 2]) == 2 && VerifierBenchmark.Report.median([4, 1, 2, 3]) == 2.5)
    }
}
