/// JSON shapes of scoring results, shared by the socket `score` method and `raif score` so both
/// print the same keys. Values are ``ConstraintValue``s; the caller writes them as JSON.
///
/// ```
/// item:    {"reward", "passed", "follow_all_instructions", "follow_instruction_list": [bool],
///           "tree": node, "format"?: {"pass", "reasoning_empty", "detail"}, "error"?: error}
/// node:    {"kind", "label"?, "verifier"?, "path", "weight", "pass", "score", "detail",
///           "error"?: error, "skipped"?: true, "children"?: [node]}
/// error:   {"kind": "invalid_spec" | "invalid_parameter" | "unknown_verifier" | "duplicate_verifier"
///                   | "budget_exceeded" | "internal_failure", "message"}
/// ```
extension ItemScore {
    /// The result as a JSON-shaped value.
    public var jsonValue: ConstraintValue {
        var object: [String: ConstraintValue] = [
            "reward": .number(reward),
            "passed": .bool(passed),
            "follow_all_instructions": .bool(followAllInstructions),
            "follow_instruction_list": .array(followInstructionList.map { .bool($0) }),
            "tree": tree.jsonValue,
        ]
        if let format {
            object["format"] = .object([
                "pass": .bool(format.pass), "reasoning_empty": .bool(format.reasoningIsEmpty),
                "detail": .string(format.detail),
            ])
        }
        if let error { object["error"] = error.jsonValue }
        return .object(object)
    }
}

extension VerdictNode {
    /// The verdict tree as a JSON-shaped value.
    public var jsonValue: ConstraintValue {
        var object: [String: ConstraintValue] = [
            "kind": .string(kind),
            "path": .string(path),
            "weight": .number(weight),
            "pass": .bool(pass),
            "score": .number(score),
            "detail": .string(detail),
        ]
        if let label { object["label"] = .string(label) }
        if let verifier { object["verifier"] = .string(verifier) }
        if let error { object["error"] = error.jsonValue }
        if skipped { object["skipped"] = .bool(true) }
        if !children.isEmpty { object["children"] = .array(children.map(\.jsonValue)) }
        return .object(object)
    }
}

extension VerifierError {
    /// A stable snake_case name for the error's case.
    public var kind: String {
        switch self {
        case .unknownVerifier: return "unknown_verifier"
        case .duplicateVerifier: return "duplicate_verifier"
        case .invalidParameter: return "invalid_parameter"
        case .invalidSpec: return "invalid_spec"
        case .budgetExceeded: return "budget_exceeded"
        case .internalFailure: return "internal_failure"
        }
    }

    /// `{"kind", "message"}`.
    public var jsonValue: ConstraintValue {
        .object(["kind": .string(kind), "message": .string(message)])
    }
}
