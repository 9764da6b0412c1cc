import Synchronization
import Testing

@testable import Verifiers

/// The `judge` verifier with a fake host standing in for the model's log-probabilities.
@Suite struct JudgeVerifierTests {
    /// Says YES (log P = -0.25 vs -2.5) when the judged response contains "Dear"; records batches.
    final class FakeJudge: Sendable {
        let batches = Mutex<[[JudgeQuestion]]>([])

        func answer(_ questions: [DeferredQuestion]) -> [Check] {
            let judged = questions.map { JudgeQuestion($0)! }
            batches.withLock { $0.append(judged) }
            return judged.map { question in
                let formal = question.prompt.contains("Dear")
                return question.verdict(
                    yesLogProbability: formal ? -0.25 : -2.5, noLogProbability: formal ? -2.5 : -0.25)
            }
        }
    }

    static let formal = #"{"verifier": "judge", "question": "Is the tone formal?"}"#

    @Test func verdictAndDetailCarryBothLogProbabilities() async {
        let judge = FakeJudge()
        let results = await Scorer(registry: .builtin).score(
            [
                ScoringItem(response: "Dear Sir, thank you.", constraints: spec(Self.formal)),
                ScoringItem(response: "yo whatever", constraints: spec(Self.formal)),
            ], options: ScoringOptions()
        ) { judge.answer($0) }
        #expect(results.map(\.error) == [nil, nil])
        #expect(results.map(\.passed) == [true, false])
        #expect(results.map(\.reward) == [1, 0])
        #expect(results[0].tree.children[0].detail == "judge says YES: log P(YES) = -0.25, log P(NO) = -2.5")
        #expect(results[1].tree.children[0].detail == "judge says NO: log P(YES) = -2.5, log P(NO) = -0.25")
        // Both items' questions went to the host in one call.
        #expect(judge.batches.withLock { $0.count } == 1)
        #expect(judge.batches.withLock { $0[0].count } == 2)
    }

    @Test func insideAllAndIfTreesOneAnsweringCallPerRound() async {
        let judge = FakeJudge()
        let politeQuestion = #"{"verifier": "judge", "question": "Is it polite?"}"#
        let conditional =
            #"{"if": \#(Self.formal), "then": \#(politeQuestion), "else": {"verifier": "length:words", "max": 2}}"#
        let items = [
            ScoringItem(
                response: "Dear Madam, please accept my thanks.",
                constraints: spec(#"{"all": [\#(Self.formal), {"verifier": "length:words", "min": 3}]}"#)),
            ScoringItem(response: "Dear Sir, kindly reply.", constraints: spec(conditional)),
            ScoringItem(response: "hey you", constraints: spec(conditional)),
            ScoringItem(response: "no judge here", constraints: spec(#"{"verifier": "length:words", "min": 1}"#)),
        ]
        let results = await Scorer(registry: .builtin).score(items, options: ScoringOptions()) { judge.answer($0) }
        #expect(results.map(\.error) == [nil, nil, nil, nil])
        #expect(results.map(\.passed) == [true, true, true, true])
        let batches = judge.batches.withLock { $0 }
        // Round 1: "formal?" for items 0, 1 and 2 in one call; round 2: "polite?" for item 1 only.
        #expect(batches.count == 2)
        #expect(batches[0].count == 3)
        #expect(batches[0].allSatisfy { $0.prompt.contains("Question: Is the tone formal?") })
        #expect(batches[1].count == 1)
        #expect(batches[1][0].prompt.contains("Question: Is it polite?"))
        #expect(batches[1][0].prompt.contains("Dear Sir, kindly reply."))
    }

    @Test func customTemplateAndAnswersRenderInOnePass() async {
        let judge = FakeJudge()
        let constraint = #"""
            {"verifier": "content:judge", "question": "Formal?", "template": "Q={question} R={response} P={prompt} [{yes}/{no}] {other}",
             "yes": "Oui", "no": "Non"}
            """#
        let results = await Scorer(registry: .builtin).score(
            [ScoringItem(response: "Dear {question}", prompt: "write", constraints: spec(constraint))],
            options: ScoringOptions()
        ) { judge.answer($0) }
        #expect(results[0].passed)
        let question = judge.batches.withLock { $0[0][0] }
        #expect(
            question
                == JudgeQuestion(prompt: "Q=Formal? R=Dear {question} P=write [Oui/Non] {other}", yes: "Oui", no: "Non")
        )
        #expect(results[0].tree.children[0].detail == "judge says Oui: log P(Oui) = -0.25, log P(Non) = -2.5")
    }

    @Test(arguments: [
        JudgeQuestion(prompt: "plain", yes: "YES", no: "NO"),
        JudgeQuestion(prompt: "3:abc: colons \u{1F600} é", yes: "ja: 1", no: "nein"),
        JudgeQuestion(prompt: "", yes: "é", no: "12:x"),
    ])
    func payloadRoundTrips(_ question: JudgeQuestion) {
        #expect(JudgeQuestion(question.deferred) == question)
    }

    @Test func otherKindsAndMalformedPayloadsAreNotJudgeQuestions() {
        #expect(JudgeQuestion(DeferredQuestion(kind: "other", payload: "3:YES2:NOx")) == nil)
        #expect(JudgeQuestion(DeferredQuestion(kind: "judge", payload: "9:YES")) == nil)
        #expect(JudgeQuestion(DeferredQuestion(kind: "judge", payload: "no length")) == nil)
    }

    @Test func aTieIsNo() {
        let check = JudgeQuestion(prompt: "p", yes: "YES", no: "NO").verdict(
            yesLogProbability: -1, noLogProbability: -1)
        #expect(!check.pass)
        #expect(check.score == 0)
    }

    @Test(arguments: [
        (#"{"verifier": "judge"}"#, "question"),
        (#"{"verifier": "judge", "question": "  "}"#, "question"),
        (#"{"verifier": "judge", "question": "Q?", "template": "no placeholders {question}"}"#, "template"),
        (#"{"verifier": "judge", "question": "Q?", "yes": "A", "no": "A"}"#, "no"),
        (#"{"verifier": "judge", "question": "Q?", "yes": ""}"#, "yes"),
    ])
    func badParametersAreSpecErrors(_ constraint: String, _ field: String) throws {
        let error = #expect(throws: VerifierError.self) { try Scorer(registry: .builtin).parse(spec(constraint)) }
        let message = error.map { "\($0)" } ?? ""
        #expect(message.contains(field))
    }

    @Test func withoutAnAnswererTheJudgeIsAnErrorNode() {
        let result = Scorer(registry: .builtin).score(
            ScoringItem(response: "Dear Sir", constraints: spec(Self.formal)), options: ScoringOptions())
        #expect(
            result.error
                == .internalFailure(
                    constraint: "judge", reason: "needs a 'judge' answer, which this scorer cannot provide"))
        #expect(!result.passed)
    }
}
