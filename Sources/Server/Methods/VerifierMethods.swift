internal import Verifiers
internal import WireProtocol

/// The `verifiers` and `score` methods over a ``Scorer``.
enum VerifierMethods {
    /// Adds `verifiers` and `score` to `methods`; with `host`, `judge` constraints ask its model.
    static func register(into methods: inout MethodRegistry, scorer: Scorer, host: ModelHost? = nil) {
        methods.register("verifiers", verifiers(registry: scorer.registry))
        methods.register("score", score(scorer: scorer, host: host))
    }

    /// `verifiers` → `{"verifiers": [...]}`, every verifier of the registry (see ``VerifierJSON``).
    static func verifiers(registry: VerifierRegistry) -> MethodHandler {
        let listing: JSONValue = ["verifiers": .array(registry.descriptors.map(VerifierJSON.json))]
        return { (params, _) async throws(RPCError) -> JSONValue in
            try ParamReader(params).rejectUnknown([])
            return listing
        }
    }

    /// The members `score` accepts.
    static let scoreParams = ["items", "mode", "reasoning", "policy", "time_budget_ms"]

    /// `score`: `{"items": [{"response", "prompt"?, "constraints"}], "mode"?, "reasoning"?, "policy"?,
    /// "time_budget_ms"?}` → `{"results": [...]}` in input order, items checked in parallel.
    ///
    /// A malformed item or constraint spec fails the whole request with -32602 naming the item
    /// (`params.items[2].constraints: invalid parameter 'num_words' of ...`). A rule that cannot
    /// run leaves the other items alone: its item carries `"error"` and error nodes in its tree.
    /// With `host`, `judge` constraints are answered by its model in one batch per round
    /// (``JudgeAnswerer``; -32004 when a judge question is asked and no model is loaded); without,
    /// a `judge` constraint is an error node.
    static func score(scorer: Scorer, host: ModelHost? = nil) -> MethodHandler {
        { (params, _) async throws(RPCError) -> JSONValue in
            let (items, options) = try scoreRequest(params)
            let scores: [ItemScore]
            if let host {
                scores = try await JudgeAnswerer(host: host).score(items, options: options, scorer: scorer)
            } else {
                scores = await scorer.score(items, options: options)
            }
            if let index = scores.firstIndex(where: { $0.error.map(isSpecError) ?? false }),
                let error = scores[index].error
            {
                throw RPCError.invalidParams(
                    "params.items[\(index)].constraints: \(error.message)",
                    data: ["field": .string("params.items[\(index)].constraints")])
            }
            return ["results": .array(scores.map(VerifierJSON.json))]
        }
    }

    /// Reads and checks `score`'s params.
    static func scoreRequest(_ params: JSONObject) throws(RPCError) -> ([ScoringItem], ScoringOptions) {
        let reader = ParamReader(params)
        try reader.rejectUnknown(scoreParams)
        let rawItems = try reader.required("items", as: [JSONValue].self)
        var items: [ScoringItem] = []
        items.reserveCapacity(rawItems.count)
        for (index, raw) in rawItems.enumerated() {
            let path = "params.items[\(index)]"
            guard case .object(let object) = raw else {
                throw RPCError.invalidParams(
                    "\(path) must be an object, got \(raw.typeName)", data: ["field": .string(path)])
            }
            let item = ParamReader(object, path: path)
            try item.rejectUnknown(["response", "prompt", "constraints"])
            let response = try item.required("response", as: String.self)
            let prompt = try item.optional("prompt", as: String.self)
            guard let constraints = item.value("constraints") else { throw item.error("constraints", "is required") }
            items.append(
                ScoringItem(response: response, prompt: prompt, constraints: VerifierJSON.constraintValue(constraints)))
        }
        let mode = try reader.choice("mode", of: ScoringMode.allCases.map(\.rawValue), default: "strict")
        let reasoning = try reader.choice("reasoning", of: ReasoningMode.allCases.map(\.rawValue), default: "strip")
        let policy = try reader.choice("policy", of: RewardPolicy.allCases.map(\.rawValue), default: "all")
        let budget = try reader.optional("time_budget_ms", default: 1000, in: 1...60_000)
        let options = ScoringOptions(
            mode: ScoringMode(rawValue: mode)!, reasoning: ReasoningMode(rawValue: reasoning)!,
            policy: RewardPolicy(rawValue: policy)!, timeBudget: .milliseconds(budget))
        return (items, options)
    }

    /// Whether an item's error is about its spec (the caller's fault, -32602) rather than a rule
    /// that could not run; decided by ``ErrorMapping``.
    static func isSpecError(_ error: VerifierError) -> Bool {
        ErrorMapping.verifier(error).errorCode == .invalidParams
    }
}
