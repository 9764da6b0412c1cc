internal import Synchronization

/// A question a rule cannot answer by itself, such as an LLM judge's YES/NO question about a
/// response; the host answers such questions in batches between evaluation rounds.
public struct DeferredQuestion: Sendable, Hashable {
    /// Who answers it, e.g. `judge`.
    public var kind: String
    /// Everything the answerer needs, e.g. the rendered judge prompt (question and response).
    public var payload: String

    /// Makes a question.
    public init(kind: String, payload: String) {
        self.kind = kind
        self.payload = payload
    }
}

/// The answers known so far to deferred questions, and the questions still missing.
///
/// How a model-backed rule (the judge of issue 5) plugs into the synchronous tree evaluator:
/// its ``Rule/check(_:)`` calls ``answer(_:constraint:)``; when the answer is not known yet the
/// question is recorded and the rule throws, so the item comes out with an error node. The batch
/// scorer ``Scorer/score(_:options:answering:)`` then answers every missing question of the whole
/// request in one call and evaluates the affected items again. Branches taken only after an
/// answer (`if`, `chain`, `any`) may ask new questions; rounds repeat until none is missing.
/// Answers are cached by question, so identical questions across items are asked once.
public final class DeferredAnswers: Sendable {
    /// The book of the item being evaluated; nil outside ``Scorer/score(_:options:answering:)``.
    @TaskLocal public static var current: DeferredAnswers?

    private struct State {
        var answers: [DeferredQuestion: Check] = [:]
        var missing: [DeferredQuestion] = []
        var missingSet: Set<DeferredQuestion> = []
    }

    private let state = Mutex(State())

    /// An empty book.
    public init() {}

    /// The answer to `question`, or records it as missing and throws.
    ///
    /// - Throws: ``VerifierError/internalFailure(constraint:reason:)`` when the answer is not known
    ///   yet (or when there is no book: the rule runs outside a scorer that can answer it).
    public static func answer(_ question: DeferredQuestion, constraint: String) throws(VerifierError) -> Check {
        guard let book = current else {
            throw .internalFailure(
                constraint: constraint, reason: "needs a '\(question.kind)' answer, which this scorer cannot provide")
        }
        if let known = book.state.withLock({ state -> Check? in
            if let answer = state.answers[question] { return answer }
            if state.missingSet.insert(question).inserted { state.missing.append(question) }
            return nil
        }) {
            return known
        }
        throw .internalFailure(constraint: constraint, reason: "awaiting a '\(question.kind)' answer")
    }

    /// Takes the questions recorded as missing, in the order first asked.
    func takeMissing() -> [DeferredQuestion] {
        state.withLock { state in
            defer {
                state.missing.removeAll()
                state.missingSet.removeAll()
            }
            return state.missing
        }
    }

    /// Records answers.
    func record(_ questions: [DeferredQuestion], _ answers: [Check]) {
        state.withLock { state in
            for (question, answer) in zip(questions, answers) { state.answers[question] = answer }
        }
    }
}

extension Scorer {
    /// The most evaluation rounds ``score(_:options:answering:)`` runs.
    public static let maxDeferredRounds = 8

    /// Scores items whose rules may ask deferred questions (an LLM judge), answering all questions
    /// of the request in one batch per round; results are in input order.
    ///
    /// - Parameters:
    ///   - items: the items.
    ///   - options: the scoring options; the time budget applies to each evaluation round.
    ///   - answering: answers a batch of questions, one ``Check`` per question, in order.
    /// - Returns: the scores after the last round; an item still waiting for answers after
    ///   ``maxDeferredRounds`` rounds (or given too few answers) keeps its error nodes.
    public func score(
        _ items: [ScoringItem], options: ScoringOptions,
        answering: @Sendable ([DeferredQuestion]) async -> [Check]
    ) async -> [ItemScore] {
        let book = DeferredAnswers()
        var results = await DeferredAnswers.$current.withValue(book) { await score(items, options: options) }
        for _ in 1..<Self.maxDeferredRounds {
            let missing = book.takeMissing()
            if missing.isEmpty { break }
            let answers = await answering(missing)
            guard answers.count == missing.count else { break }
            book.record(missing, answers)
            // Only items with errors can have been waiting; the others are final.
            let pending = results.indices.filter { results[$0].error != nil }
            let again = await DeferredAnswers.$current.withValue(book) {
                await score(pending.map { items[$0] }, options: options)
            }
            for (index, result) in zip(pending, again) { results[index] = result }
        }
        return results
    }
}
