internal import Engine
internal import Synchronization
internal import Verifiers
internal import WireProtocol

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// Answers the `judge` verifier's questions with the hosted model, all questions of a request at once.
///
/// For each question the judge prompt is rendered as one user turn through the model's chat
/// template with the generation prompt (plain text with BOS when the model has no template),
/// tokenized, and ``InferenceEngine/nextTokenLogProbabilities(promptTokens:candidates:)`` gives the
/// log-probabilities of the answers' first tokens. The questions of one round are sent
/// concurrently, so the engine's scheduler prefills them as one batch.
///
/// Candidate tokens: for an answer string `a`, the first token of `a` and the first token of
/// `" " + a` (tokenizers that merge a leading space into the word give the model that spelling to
/// emit too); distinct ids only. Each side's log-probability is the log-sum-exp over its
/// candidates (they are different next tokens, so their probabilities add). The verdict is
/// ``JudgeQuestion/verdict(yesLogProbability:noLogProbability:)``: YES when log P(yes) > log P(no),
/// score 1 or 0.
///
/// Failures are never turned into a verdict: no model (-32004, naming the judge), answers whose
/// candidate tokens overlap (-32602), engine errors (mapped by ``ErrorMapping``) fail the request.
struct JudgeAnswerer: Sendable {
    /// Where the model comes from.
    let host: ModelHost

    /// Scores `items` with `scorer`, answering judge questions with the hosted model.
    ///
    /// Items without judge constraints never touch the model (and work without one).
    ///
    /// - Throws: the first failure to answer a judge question, as an ``RPCError``.
    func score(_ items: [ScoringItem], options: ScoringOptions, scorer: Scorer) async throws(RPCError) -> [ItemScore] {
        let failure = Mutex<RPCError?>(nil)
        let results = await scorer.score(items, options: options) { questions in
            do throws(RPCError) {
                return try await answer(questions)
            } catch {
                failure.withLock { if $0 == nil { $0 = error } }
                return []  // too few answers: the scorer stops asking
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return results
    }

    /// Scores one generated sample against a parsed tree, answering its judge questions with the
    /// hosted model (samples finishing at the same time reach the engine concurrently).
    ///
    /// - Throws: the first failure to answer a judge question, as an ``RPCError``.
    func score(
        response: String, prompt: String?, tree: ConstraintTree, options: ScoringOptions, scorer: Scorer
    ) async throws(RPCError) -> ItemScore {
        let failure = Mutex<RPCError?>(nil)
        let result = await scorer.score(response: response, prompt: prompt, tree: tree, options: options) {
            questions in
            do throws(RPCError) {
                return try await answer(questions)
            } catch {
                failure.withLock { if $0 == nil { $0 = error } }
                return []
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return result
    }

    /// One check per question, in order.
    func answer(_ questions: [DeferredQuestion]) async throws(RPCError) -> [Check] {
        let engine: InferenceEngine
        do throws(RPCError) {
            engine = try host.engine()
        } catch {
            throw RPCError(
                code: error.code, message: "\(error.message) (the 'judge' verifier needs a loaded model)",
                data: error.data)
        }
        var prepared: [Prepared] = []
        prepared.reserveCapacity(questions.count)
        for question in questions {
            guard let judge = JudgeQuestion(question) else {
                throw RPCError.internalError("cannot answer a deferred question of kind '\(question.kind)'")
            }
            prepared.append(try Self.prepare(judge, engine: engine))
        }
        let logprobs: [[Float]]
        do {
            logprobs = try await withThrowingTaskGroup(of: (Int, [Float]).self) { group in
                for (index, item) in prepared.enumerated() {
                    group.addTask {
                        let values = try await engine.nextTokenLogProbabilities(
                            promptTokens: item.promptTokens, candidates: item.yesIDs + item.noIDs)
                        return (index, values)
                    }
                }
                var out = Array(repeating: [Float](), count: prepared.count)
                for try await (index, values) in group { out[index] = values }
                return out
            }
        } catch {
            throw ErrorMapping.rpcError(for: error)
        }
        var checks: [Check] = []
        checks.reserveCapacity(prepared.count)
        for (item, values) in zip(prepared, logprobs) {
            guard values.count == item.yesIDs.count + item.noIDs.count else {
                throw RPCError.internalError(
                    "the engine returned \(values.count) log-probabilities for \(item.yesIDs.count + item.noIDs.count) candidates"
                )
            }
            let yes = Self.logSumExp(values.prefix(item.yesIDs.count).map(Double.init))
            let no = Self.logSumExp(values.dropFirst(item.yesIDs.count).map(Double.init))
            checks.append(item.question.verdict(yesLogProbability: yes, noLogProbability: no))
        }
        return checks
    }

    /// A question ready for the engine.
    struct Prepared: Sendable {
        let question: JudgeQuestion
        let promptTokens: [Int32]
        let yesIDs: [Int32]
        let noIDs: [Int32]
    }

    /// Renders and tokenizes a question and finds its candidate tokens.
    static func prepare(_ question: JudgeQuestion, engine: InferenceEngine) throws(RPCError) -> Prepared {
        let tokenizer = engine.tokenizer
        let tokens: [Int32]
        if let template = engine.chatTemplate {
            do throws(EngineError) {
                tokens = try tokenizer.encodeChat(
                    [ChatMessage(role: "user", content: question.prompt)], template: template)
            } catch {
                throw ErrorMapping.rpcError(for: error)
            }
        } else {
            tokens = tokenizer.encode(question.prompt, addBOS: true, parseSpecial: false)
        }
        let yes = candidates(question.yes, tokenizer: tokenizer)
        let no = candidates(question.no, tokenizer: tokenizer)
        if yes.isEmpty || no.isEmpty {
            throw RPCError.invalidParams("judge: the answers \"\(question.yes)\" / \"\(question.no)\" have no tokens")
        }
        if !Set(yes).isDisjoint(with: no) {
            throw RPCError.invalidParams(
                "judge: the answers \"\(question.yes)\" and \"\(question.no)\" start with the same token for this model; "
                    + "choose answers that differ in their first token")
        }
        return Prepared(question: question, promptTokens: tokens, yesIDs: yes, noIDs: no)
    }

    /// The distinct first tokens of `answer` and `" " + answer`.
    static func candidates(_ answer: String, tokenizer: Tokenizer) -> [Int32] {
        var ids: [Int32] = []
        for spelling in [answer, " " + answer] {
            if let first = tokenizer.encode(spelling, addBOS: false, parseSpecial: false).first, !ids.contains(first) {
                ids.append(first)
            }
        }
        return ids
    }

    /// log(Σ exp(values)), stable; -inf for no values.
    static func logSumExp(_ values: [Double]) -> Double {
        guard let top = values.max(), top.isFinite else { return values.max() ?? -.infinity }
        return top + log(values.reduce(0) { $0 + exp($1 - top) })
    }
}
