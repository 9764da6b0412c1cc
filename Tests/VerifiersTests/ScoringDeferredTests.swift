import Synchronization
import Testing

@testable import Verifiers

/// Deferred questions (how an LLM judge plugs into the tree): batched per request, in rounds.
@Suite struct ScoringDeferredTests {
    /// `test:ask` — asks "question|text" of the host; the answer decides the check.
    struct Ask: Verifier {
        var descriptor: VerifierDescriptor {
            VerifierDescriptor(
                id: "test:ask", family: .content, parameters: [ParameterSpec("question", .string)], summary: "asks")
        }

        func prepare(_ parameters: Parameters) throws(VerifierError) -> any Rule {
            let question = parameters.string("question")!
            let constraint = parameters.constraint
            return ClosureRule { response throws(VerifierError) in
                try DeferredAnswers.answer(
                    DeferredQuestion(kind: "judge", payload: "\(question)|\(response.text)"), constraint: constraint)
            }
        }
    }

    static let registry: VerifierRegistry = {
        var registry = TestVerifiers.registry
        try! registry.register(Ask())
        return registry
    }()

    /// Answers YES when the text after "|" contains the question's word; records every batch.
    final class Host: Sendable {
        let batches = Mutex<[[String]]>([])

        func answer(_ questions: [DeferredQuestion]) -> [Check] {
            batches.withLock { $0.append(questions.map(\.payload)) }
            return questions.map { question in
                let parts = question.payload.split(separator: "|", maxSplits: 1).map(String.init)
                let yes = parts.count == 2 && parts[1].contains(parts[0])
                return Check(pass: yes, detail: yes ? "YES" : "NO")
            }
        }
    }

    static func ask(_ word: String) -> String { #"{"verifier": "test:ask", "question": "\#(word)"}"# }

    @Test func batchedAcrossItemsAndRounds() async {
        let scorer = Scorer(registry: Self.registry)
        let items = [
            // Round 1 asks "formal"; the branch taken then asks "polite" (round 2).
            ScoringItem(
                response: "formal and polite",
                constraints: spec(
                    #"{"if": \#(Self.ask("formal")), "then": \#(Self.ask("polite")), "else": \#(Self.ask("casual"))}"#)),
            ScoringItem(
                response: "casual",
                constraints: spec(#"[\#(Self.ask("formal")), {"verifier": "length:words", "max": 3}]"#)),
            ScoringItem(response: "no questions here", constraints: spec(#"{"verifier": "length:words", "min": 1}"#)),
        ]
        let host = Host()
        let results = await scorer.score(items, options: ScoringOptions()) { host.answer($0) }
        #expect(results.map(\.error) == [nil, nil, nil])
        #expect(results[0].passed)
        #expect(results[0].tree.children[0].children.map(\.detail) == ["YES", "YES"])
        #expect(results[1].followInstructionList == [false, true])
        #expect(results[2].passed)
        let batches = host.batches.withLock { $0 }
        #expect(batches.count == 2)
        #expect(Set(batches[0]) == ["formal|formal and polite", "formal|casual"])
        #expect(batches[1] == ["polite|formal and polite"])
    }

    @Test func withoutAnAnswererTheRuleIsAnError() {
        let scorer = Scorer(registry: Self.registry)
        let result = scorer.score(
            ScoringItem(response: "x", constraints: spec(Self.ask("x"))), options: ScoringOptions())
        #expect(
            result.error
                == .internalFailure(
                    constraint: "test:ask", reason: "needs a 'judge' answer, which this scorer cannot provide"))
    }

    @Test func tooFewAnswersLeaveTheErrorInPlace() async {
        let scorer = Scorer(registry: Self.registry)
        let results = await scorer.score(
            [ScoringItem(response: "x", constraints: spec(Self.ask("x")))], options: ScoringOptions()
        ) { _ in [] }
        #expect(results[0].error == .internalFailure(constraint: "test:ask", reason: "awaiting a 'judge' answer"))
    }
}
