/// Evaluates constraint nodes on a response and builds the verdict tree.
///
/// ## Node semantics
///
/// | node      | pass                                         | score                                         |
/// |-----------|----------------------------------------------|-----------------------------------------------|
/// | leaf      | the rule's                                   | the rule's, clamped to [0, 1]                 |
/// | `all`     | every child passes                           | weighted mean of the children's scores        |
/// | `any`     | some child passes                            | the best child score                          |
/// | `not`     | the child fails                              | 1 or 0                                        |
/// | `if`      | `then` if the condition passes, else `else`  | the taken branch's; 1 with no `else`          |
/// |           | (vacuously true without `else`)              |                                               |
/// | `chain`   | every step passes                            | weight of the passing prefix / total weight   |
/// | `each`    | passing parts / parts ≥ `min_fraction`       | min(1, fraction / min_fraction); 0 if no part |
/// | `part`    | the child passes on part n                   | the child's; 0 when part n does not exist     |
///
/// A chain stops at its first failing step: later steps are not evaluated and appear as
/// `skipped` children with score 0. An `if` evaluates only the branch it takes.
///
/// ## Errors (three-valued logic)
///
/// A rule that throws (time budget exceeded, internal failure) yields an *error node*: `error` set,
/// `pass` false and `score` 0 as placeholders. Errors propagate upward unless the parent's outcome
/// is already decided without the errored child:
///
/// - `all` fails if some child definitely fails; otherwise any child error makes it an error.
/// - `any` passes if some child definitely passes; otherwise any child error makes it an error.
/// - `not`, `part`, `each` (any part), `if` (condition or taken branch) and `chain` (a step
///   reached before the first failure) are errors when their evaluated child is.
///
/// What an error at the top level does to the reward is decided by ``Scorer``.
public struct TreeEvaluator: Sendable {
    /// Makes an evaluator.
    public init() {}

    /// Evaluates one node on one response.
    public func evaluate(_ node: ConstraintNode, on text: ResponseText) -> VerdictNode {
        var verdict: VerdictNode
        switch node.kind {
        case .leaf(let id, let rule):
            verdict = evaluateLeaf(id: id, rule: rule, node: node, text: text)
        case .all(let children):
            verdict = evaluateAll(children.map { evaluate($0, on: text) }, node: node)
        case .any(let children):
            verdict = evaluateAny(children.map { evaluate($0, on: text) }, node: node)
        case .not(let child):
            let inner = evaluate(child, on: text)
            if let error = inner.error {
                verdict = errorNode(node, error: error, children: [inner])
            } else {
                verdict = makeNode(
                    node, pass: !inner.pass, score: inner.pass ? 0 : 1,
                    detail: inner.pass ? "the negated constraint holds" : "the negated constraint does not hold",
                    children: [inner])
            }
        case .conditional(let condition, let then, let otherwise):
            verdict = evaluateConditional(condition, then, otherwise, node: node, text: text)
        case .chain(let steps):
            verdict = evaluateChain(steps, node: node, text: text)
        case .each(let child, let unit, let minFraction):
            verdict = evaluateEach(child, unit: unit, minFraction: minFraction, node: node, text: text)
        case .part(let index, let unit, let child):
            verdict = evaluatePart(child, index: index, unit: unit, node: node, text: text)
        }
        return verdict
    }

    // MARK: Leaves

    private func evaluateLeaf(id: String, rule: any Rule, node: ConstraintNode, text: ResponseText) -> VerdictNode {
        if EvaluationBudget.isExpired {
            return errorNode(node, error: .budgetExceeded(constraint: id), verifier: id)
        }
        do {
            let check = try rule.check(text)
            let score = check.score.isNaN ? (check.pass ? 1 : 0) : min(1, max(0, check.score))
            // makeNode names the leaf's verifier.
            return makeNode(node, pass: check.pass, score: score, detail: check.detail)
        } catch {
            return errorNode(node, error: error, verifier: id)
        }
    }

    // MARK: Boolean composition

    private func evaluateAll(_ children: [VerdictNode], node: ConstraintNode) -> VerdictNode {
        let failed = children.reduce(0) { $0 + ($1.error == nil && !$1.pass ? 1 : 0) }
        if failed == 0, let error = children.lazy.compactMap({ $0.error }).first {
            return errorNode(node, error: error, children: children)
        }
        let passed = children.reduce(0) { $0 + ($1.error == nil && $1.pass ? 1 : 0) }
        let detail = failed == 0 ? "all \(children.count) passed" : "\(passed) of \(children.count) passed"
        return makeNode(node, pass: failed == 0, score: weightedMean(children), detail: detail, children: children)
    }

    private func evaluateAny(_ children: [VerdictNode], node: ConstraintNode) -> VerdictNode {
        let passed = children.reduce(0) { $0 + ($1.error == nil && $1.pass ? 1 : 0) }
        if passed == 0, let error = children.lazy.compactMap({ $0.error }).first {
            return errorNode(node, error: error, children: children)
        }
        let best = children.lazy.map({ $0.score }).max() ?? 0
        let detail = passed == 0 ? "none of \(children.count) passed" : "\(passed) of \(children.count) passed"
        return makeNode(node, pass: passed > 0, score: best, detail: detail, children: children)
    }

    private func evaluateConditional(
        _ condition: ConstraintNode, _ then: ConstraintNode, _ otherwise: ConstraintNode?, node: ConstraintNode,
        text: ResponseText
    ) -> VerdictNode {
        let test = evaluate(condition, on: text)
        if let error = test.error { return errorNode(node, error: error, children: [test]) }
        if test.pass {
            let branch = evaluate(then, on: text)
            if let error = branch.error { return errorNode(node, error: error, children: [test, branch]) }
            return makeNode(
                node, pass: branch.pass, score: branch.score, detail: "condition held; 'then' \(outcome(branch))",
                children: [test, branch])
        }
        guard let otherwise else {
            return makeNode(
                node, pass: true, score: 1, detail: "condition did not hold and there is no 'else': vacuously true",
                children: [test])
        }
        let branch = evaluate(otherwise, on: text)
        if let error = branch.error { return errorNode(node, error: error, children: [test, branch]) }
        return makeNode(
            node, pass: branch.pass, score: branch.score, detail: "condition did not hold; 'else' \(outcome(branch))",
            children: [test, branch])
    }

    private func evaluateChain(_ steps: [ConstraintNode], node: ConstraintNode, text: ResponseText) -> VerdictNode {
        var children: [VerdictNode] = []
        var failedAt: Int? = nil
        for (index, step) in steps.enumerated() {
            if let failedAt {
                children.append(
                    VerdictNode(
                        kind: step.operatorName, label: step.label, verifier: leafID(step), path: step.path,
                        weight: step.weight, pass: false, score: 0,
                        detail: "not evaluated: step \(failedAt + 1) failed", skipped: true))
                continue
            }
            let verdict = evaluate(step, on: text)
            children.append(verdict)
            if let error = verdict.error { return errorNode(node, error: error, children: children) }
            if !verdict.pass { failedAt = index }
        }
        let total = steps.reduce(0) { $0 + $1.weight }
        let prefix = steps.prefix(failedAt ?? steps.count).reduce(0) { $0 + $1.weight }
        let detail: String
        if let failedAt {
            detail =
                failedAt == 0
                ? "step 1 of \(steps.count) failed"
                : "steps 1–\(failedAt) of \(steps.count) passed; step \(failedAt + 1) failed"
        } else {
            detail = "all \(steps.count) steps passed"
        }
        return makeNode(
            node, pass: failedAt == nil, score: total > 0 ? prefix / total : 0, detail: detail, children: children)
    }

    // MARK: Parts

    private func evaluateEach(
        _ child: ConstraintNode, unit: TextUnit, minFraction: Double, node: ConstraintNode, text: ResponseText
    ) -> VerdictNode {
        let parts = TextSegmentation.parts(of: unit, in: text.scalars)
        guard !parts.isEmpty else {
            return makeNode(node, pass: false, score: 0, detail: "no \(unit.rawValue) found")
        }
        var children: [VerdictNode] = []
        children.reserveCapacity(parts.count)
        var passed = 0
        for (index, part) in parts.enumerated() {
            var verdict = evaluate(child, on: ResponseText(part, prompt: text.prompt))
            verdict.label = "\(unit.singular) \(index + 1)" + (verdict.label.map { ": \($0)" } ?? "")
            verdict.path = "\(child.path)@\(index + 1)"
            if let error = verdict.error {
                children.append(verdict)
                return errorNode(node, error: error, children: children)
            }
            if verdict.pass { passed += 1 }
            children.append(verdict)
        }
        let fraction = Double(passed) / Double(parts.count)
        let pass = fraction >= minFraction - 1e-12
        let percent = Int((fraction * 100).rounded())
        let need = minFraction >= 1 ? "need all" : "need \(Int((minFraction * 100).rounded()))%"
        return makeNode(
            node, pass: pass, score: pass ? 1 : min(1, fraction / minFraction),
            detail: "\(passed) of \(parts.count) \(unit.rawValue) passed (\(percent)%), \(need)", children: children)
    }

    private func evaluatePart(
        _ child: ConstraintNode, index: Int, unit: TextUnit, node: ConstraintNode, text: ResponseText
    ) -> VerdictNode {
        let parts = TextSegmentation.parts(of: unit, in: text.scalars)
        let position = index > 0 ? index - 1 : parts.count + index
        guard position >= 0, position < parts.count else {
            return makeNode(
                node, pass: false, score: 0,
                detail: "found \(parts.count) \(unit.rawValue), so there is no \(unit.singular) \(index)")
        }
        var verdict = evaluate(child, on: ResponseText(parts[position], prompt: text.prompt))
        verdict.label = verdict.label ?? "\(unit.singular) \(position + 1)"
        if let error = verdict.error { return errorNode(node, error: error, children: [verdict]) }
        return makeNode(
            node, pass: verdict.pass, score: verdict.score,
            detail: "\(unit.singular) \(position + 1) of \(parts.count) \(outcome(verdict))", children: [verdict])
    }

    // MARK: Helpers

    private func outcome(_ verdict: VerdictNode) -> String {
        verdict.pass ? "passed" : "failed"
    }

    private func leafID(_ node: ConstraintNode) -> String? {
        if case .leaf(let id, _) = node.kind { return id }
        return nil
    }

    private func weightedMean(_ children: [VerdictNode]) -> Double {
        let total = children.reduce(0) { $0 + $1.weight }
        guard total > 0 else { return 0 }
        return min(1, max(0, children.reduce(0) { $0 + $1.weight * $1.score } / total))
    }

    private func makeNode(
        _ node: ConstraintNode, pass: Bool, score: Double, detail: String, children: [VerdictNode] = []
    ) -> VerdictNode {
        VerdictNode(
            kind: node.operatorName, label: node.label, verifier: leafID(node), path: node.path, weight: node.weight,
            pass: pass, score: score, detail: detail, children: children)
    }

    private func errorNode(
        _ node: ConstraintNode, error: VerifierError, verifier: String? = nil, children: [VerdictNode] = []
    ) -> VerdictNode {
        VerdictNode(
            kind: node.operatorName, label: node.label, verifier: verifier ?? leafID(node), path: node.path,
            weight: node.weight, pass: false, score: 0, detail: "error: \(error.message)", error: error,
            children: children)
    }
}
