public import Verifiers
public import WireProtocol

/// Conversions between the wire's JSON and the verifier module's values.
///
/// The verifier module never sees the protocol module; this is where the two shapes meet.
public enum VerifierJSON {
    /// A wire JSON value as a constraint value (object member order is not kept).
    public static func constraintValue(_ value: JSONValue) -> ConstraintValue {
        switch value {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .integer(let i): return .integer(i)
        case .double(let d): return .number(d)
        case .string(let s): return .string(s)
        case .array(let elements): return .array(elements.map(constraintValue))
        case .object(let object):
            var members: [String: ConstraintValue] = [:]
            for (key, member) in object { members[key] = constraintValue(member) }
            return .object(members)
        }
    }

    /// A constraint value as wire JSON (object members sorted by key, for stable output).
    public static func json(_ value: ConstraintValue) -> JSONValue {
        switch value {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .integer(let i): return .integer(i)
        case .number(let d): return .double(d)
        case .string(let s): return .string(s)
        case .array(let elements): return .array(elements.map(json))
        case .object(let members):
            return .object(JSONObject(members.keys.sorted().map { ($0, json(members[$0]!)) }))
        }
    }

    /// One entry of the `verifiers` listing:
    /// `{"id", "aliases", "family", "description", "parameters": [{"name", "type", "required", "default"?, "allowed"?, "description"?}]}`.
    public static func json(_ descriptor: VerifierDescriptor) -> JSONValue {
        let parameters: [JSONValue] = descriptor.parameters.map { spec in
            var object: JSONObject = [
                "name": .string(spec.name), "type": .string(spec.kind.rawValue), "required": .bool(spec.required),
            ]
            if let defaultValue = spec.defaultValue { object.set("default", json(defaultValue)) }
            if let allowed = spec.allowedValues { object.set("allowed", .array(allowed.map(json))) }
            if !spec.summary.isEmpty { object.set("description", .string(spec.summary)) }
            return .object(object)
        }
        return [
            "id": .string(descriptor.id),
            "aliases": .array(descriptor.aliases.map(JSONValue.string)),
            "family": .string(descriptor.family.rawValue),
            "description": .string(descriptor.summary),
            "parameters": .array(parameters),
        ]
    }

    /// A verdict node: `{"kind", "label"?, "verifier"?, "path", "weight", "pass", "score", "detail",
    /// "error"?, "skipped"?, "children"?}` (`error` only on nodes that could not be decided).
    public static func json(_ node: VerdictNode) -> JSONValue {
        var object = JSONObject()
        object.set("kind", .string(node.kind))
        if let label = node.label { object.set("label", .string(label)) }
        if let verifier = node.verifier { object.set("verifier", .string(verifier)) }
        object.set("path", .string(node.path))
        object.set("weight", .double(node.weight))
        object.set("pass", .bool(node.pass))
        object.set("score", .double(node.score))
        object.set("detail", .string(node.detail))
        if let error = node.error { object.set("error", ErrorMapping.verifier(error).json) }
        if node.skipped { object.set("skipped", true) }
        if !node.children.isEmpty { object.set("children", .array(node.children.map(json))) }
        return .object(object)
    }

    /// One item's result in a `score` reply:
    /// `{"reward", "passed", "follow_all_instructions", "follow_instruction_list", "tree", "format"?, "error"?}`.
    public static func json(_ score: ItemScore) -> JSONValue {
        var object: JSONObject = [
            "reward": .double(score.reward),
            "passed": .bool(score.passed),
            "follow_all_instructions": .bool(score.followAllInstructions),
            "follow_instruction_list": .array(score.followInstructionList.map(JSONValue.bool)),
            "tree": json(score.tree),
        ]
        if let format = score.format {
            object.set(
                "format",
                [
                    "pass": .bool(format.pass), "reasoning_empty": .bool(format.reasoningIsEmpty),
                    "detail": .string(format.detail),
                ])
        }
        if let error = score.error { object.set("error", ErrorMapping.verifier(error).json) }
        return .object(object)
    }
}
