/// The LLM-judge verifier (`judge`, alias `content:judge`): asks the hosted model a YES/NO question
/// about the response, for constraints no rule can check ("Is the tone formal?").
///
/// The rule renders the judge prompt from its template and asks it as a ``DeferredQuestion`` of kind
/// ``JudgeQuestion/kind``; the host answers (see ``Scorer/score(_:options:answering:)``) by
/// comparing the model's next-token log-probabilities of the YES and NO answers after the prompt,
/// as InfoBench and RAIF's judge do, and builds the check with
/// ``JudgeQuestion/verdict(yesLogProbability:noLogProbability:)``. Outside a scorer that can
/// answer, the rule throws and the item gets an error node: never a silent pass or fail.
public enum JudgeVerifier {
    /// The default template: InfoBench/RAIF-style, one-word YES/NO answer.
    ///
    /// Placeholders: `{question}`, `{response}`, `{prompt}` (the item's prompt, empty when
    /// absent), `{yes}` and `{no}` (the answer strings). Substitution is a single pass, so a
    /// response that itself contains `{question}` is left alone.
    public static let defaultTemplate = """
        Please act as an impartial judge. Read the response below and answer the question about it \
        with a single word: {yes} or {no}.

        Response:
        \"\"\"
        {response}
        \"\"\"

        Question: {question}
        Answer with {yes} or {no} only.
        """

    /// The placeholders a template may use.
    static let placeholders = ["question", "response", "prompt", "yes", "no"]

    /// The verifier.
    public static let verifier: any Verifier = Judge()

    struct Judge: Verifier {
        let descriptor = VerifierDescriptor(
            id: "judge", aliases: ["content:judge"], family: .content,
            parameters: [
                ParameterSpec(
                    "question", .string, summary: "the YES/NO question about the response, e.g. \"Is the tone formal?\""
                ),
                ParameterSpec(
                    "template", .string, required: false, defaultValue: .string(JudgeVerifier.defaultTemplate),
                    summary: "judge prompt with {question} and {response} (also {prompt}, {yes}, {no})"),
                ParameterSpec("yes", .string, required: false, defaultValue: .string("YES"), summary: "the YES answer"),
                ParameterSpec("no", .string, required: false, defaultValue: .string("NO"), summary: "the NO answer"),
            ],
            summary: "LLM judge: YES when the hosted model's log P(yes) > log P(no) for the next token (needs a model)")

        func prepare(_ parameters: Parameters) throws(VerifierError) -> any Rule {
            guard let question = parameters.string("question"),
                !question.unicodeScalars.allSatisfy({ $0.properties.isWhitespace })
            else { throw parameters.invalid("question", "must not be empty") }
            let template = parameters.string("template") ?? JudgeVerifier.defaultTemplate
            for required in ["question", "response"] where !template.contains("{\(required)}") {
                throw parameters.invalid("template", "must contain the placeholder {\(required)}")
            }
            let yes = parameters.string("yes") ?? "YES"
            let no = parameters.string("no") ?? "NO"
            for (name, value) in [("yes", yes), ("no", no)]
            where value.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) {
                throw parameters.invalid(name, "must not be empty")
            }
            if yes == no { throw parameters.invalid("no", "must differ from yes (both are \"\(yes)\")") }
            let constraint = parameters.constraint
            return JudgeRule(constraint: constraint, question: question, template: template, yes: yes, no: no)
        }
    }

    struct JudgeRule: Rule {
        let constraint: String
        let question: String
        let template: String
        let yes: String
        let no: String

        func check(_ response: ResponseText) throws(VerifierError) -> Check {
            let values = [
                "question": question, "response": response.text, "prompt": response.prompt ?? "", "yes": yes, "no": no,
            ]
            let prompt = JudgeVerifier.render(template, values)
            let judged = JudgeQuestion(prompt: prompt, yes: yes, no: no)
            return try DeferredAnswers.answer(judged.deferred, constraint: constraint)
        }
    }

    /// `template` with each `{name}` of `values` replaced, in one left-to-right pass.
    static func render(_ template: String, _ values: [String: String]) -> String {
        var out = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            let after = rest[rest.index(after: open)...]
            if let close = after.firstIndex(of: "}"), let value = values[String(after[..<close])] {
                out += value
                rest = after[after.index(after: close)...]
            } else {
                out += "{"
                rest = after
            }
        }
        out += rest
        return out
    }
}

/// A judge's question as it travels to the host: the rendered prompt and the two answers.
///
/// Encoded into ``DeferredQuestion/payload`` as `<bytes of yes>:<yes><bytes of no>:<no><prompt>`
/// (UTF-8 byte counts), so any text round-trips.
public struct JudgeQuestion: Sendable, Hashable {
    /// The ``DeferredQuestion/kind`` of judge questions.
    public static let kind = "judge"

    /// The fully rendered judge prompt (the user turn the model reads).
    public var prompt: String
    /// The YES answer string.
    public var yes: String
    /// The NO answer string.
    public var no: String

    /// Makes a question.
    public init(prompt: String, yes: String, no: String) {
        self.prompt = prompt
        self.yes = yes
        self.no = no
    }

    /// Decodes a deferred question of kind ``kind``; nil for another kind or a malformed payload.
    public init?(_ question: DeferredQuestion) {
        guard question.kind == Self.kind else { return nil }
        var bytes = Array(question.payload.utf8)[...]
        func field() -> String? {
            guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")),
                let count = Int(String(decoding: bytes[..<colon], as: UTF8.self)), count >= 0,
                bytes.endIndex - (colon + 1) >= count
            else { return nil }
            let value = String(decoding: bytes[(colon + 1)..<(colon + 1 + count)], as: UTF8.self)
            bytes = bytes[(colon + 1 + count)...]
            return value
        }
        guard let yes = field(), let no = field() else { return nil }
        self.init(prompt: String(decoding: bytes, as: UTF8.self), yes: yes, no: no)
    }

    /// The deferred question carrying this judge question.
    public var deferred: DeferredQuestion {
        DeferredQuestion(kind: Self.kind, payload: "\(yes.utf8.count):\(yes)\(no.utf8.count):\(no)\(prompt)")
    }

    /// The verdict: pass when `yesLogProbability > noLogProbability` (a tie fails); score 1 or 0;
    /// `detail` reports both log-probabilities.
    public func verdict(yesLogProbability: Double, noLogProbability: Double) -> Check {
        let pass = yesLogProbability > noLogProbability
        let detail =
            "judge says \(pass ? yes : no): log P(\(yes)) = \(Self.format(yesLogProbability)), "
            + "log P(\(no)) = \(Self.format(noLogProbability))"
        return Check(pass: pass, detail: detail)
    }

    /// A log-probability with 4 decimals (`-inf` as such).
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        let scaled = (value * 10_000).rounded() / 10_000
        return "\(scaled)"
    }
}

extension Scorer {
    /// Scores one response against a parsed tree whose rules may ask deferred questions (an LLM
    /// judge), answering them in rounds as ``score(_:options:answering:)`` does for a request.
    ///
    /// - Returns: the score after the last round; still waiting after ``maxDeferredRounds`` rounds
    ///   (or given too few answers), it keeps its error nodes.
    public func score(
        response: String, prompt: String?, tree: ConstraintTree, options: ScoringOptions,
        answering: @Sendable ([DeferredQuestion]) async -> [Check]
    ) async -> ItemScore {
        let book = DeferredAnswers()
        func once() -> ItemScore {
            DeferredAnswers.$current.withValue(book) {
                score(response: response, prompt: prompt, tree: tree, options: options)
            }
        }
        var result = once()
        for _ in 1..<Self.maxDeferredRounds {
            let missing = book.takeMissing()
            if missing.isEmpty || result.error == nil { break }
            let answers = await answering(missing)
            guard answers.count == missing.count else { break }
            book.record(missing, answers)
            result = once()
        }
        return result
    }
}
