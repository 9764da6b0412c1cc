/// A parsed constraint spec: the top-level constraints of one item, each a tree of composition
/// nodes over prepared rules.
///
/// Three spec formats are accepted (see ``parse(_:registry:root:)``); all become the same tree, so
/// scoring, modes and policies never care where a spec came from. Every leaf's parameters are
/// validated and its rule prepared once, here; a tree can then score any number of responses (a
/// GRPO group shares one tree).
public struct ConstraintTree: Sendable {
    /// Where a spec came from.
    public enum Format: String, Sendable, Hashable {
        /// `{"instruction_id_list": [...], "kwargs": [...]}` (IFEval / IFBench records).
        case ifeval
        /// open-instruct's `ground_truth`: `{"instruction_id": [...], "kwargs": [...]}` or a list of them.
        case groundTruth = "ground_truth"
        /// raif's native composition tree.
        case native
    }

    /// The top-level (parallel) constraints; `follow_instruction_list` is aligned with these.
    public var constraints: [ConstraintNode]
    /// The spec format that was parsed.
    public var format: Format

    /// Makes a tree from already-built nodes.
    public init(constraints: [ConstraintNode], format: Format) {
        self.constraints = constraints
        self.format = format
    }

    /// Every leaf of the tree, depth-first in spec order (say, to find the leaves that need the
    /// model, such as an LLM judge, before evaluating).
    public var leaves: [ConstraintNode] {
        var out: [ConstraintNode] = []
        func visit(_ node: ConstraintNode) {
            switch node.kind {
            case .leaf: out.append(node)
            case .all(let children), .any(let children), .chain(let children): children.forEach(visit)
            case .not(let child), .each(let child, _, _), .part(_, _, let child): visit(child)
            case .conditional(let condition, let then, let otherwise):
                visit(condition)
                visit(then)
                if let otherwise { visit(otherwise) }
            }
        }
        constraints.forEach(visit)
        return out
    }

    /// The verifier ids the tree's leaves use, as the spec wrote them.
    public var verifierIDs: Set<String> {
        Set(
            leaves.compactMap { node -> String? in
                if case .leaf(let id, _) = node.kind { return id }
                return nil
            })
    }

    /// The deepest nesting accepted, to keep hostile specs from exhausting the stack.
    public static let maxDepth = 64
    /// The most nodes one spec may have.
    public static let maxNodes = 10_000

    /// Parses a spec in any of the three formats and prepares every leaf through `registry`.
    ///
    /// 1. IFEval / IFBench record: an object with `instruction_id_list` and `kwargs` (a list of the
    ///    same length, entries objects or null). Null-valued kwargs are dropped (IFBench pads every
    ///    key with null); other keys of the record (`prompt`, `key`, …) are ignored.
    /// 2. open-instruct `ground_truth`: an object with `instruction_id` and `kwargs`, or a list of
    ///    such objects (their constraints are concatenated). The JSON-string form must be decoded by
    ///    the caller.
    /// 3. Native: one node object, or a list of nodes (parallel top-level constraints). A node is a
    ///    leaf `{"verifier": id, ...params}` or exactly one of `all`, `any`, `not`, `if` (+ `then`,
    ///    optional `else`), `chain`, `each` (+ `of`, optional `min_fraction`), `part` (+ `of`,
    ///    `check`); any node may carry `label` (string) and `weight` (number > 0, default 1).
    ///
    /// - Parameters:
    ///   - spec: the spec value.
    ///   - registry: resolves verifier ids and prepares rules.
    ///   - root: the name of the spec in error paths.
    /// - Throws: ``VerifierError/invalidSpec(path:reason:)`` with a path such as
    ///   `constraints[2].then.all[1]`, or ``VerifierError/invalidParameter(constraint:field:reason:)``
    ///   whose `constraint` is `"<id> at <path>"`.
    public static func parse(
        _ spec: ConstraintValue, registry: VerifierRegistry, root: String = "constraints"
    ) throws(VerifierError) -> ConstraintTree {
        var parser = SpecParser(registry: registry)
        return try parser.parseTop(spec, path: root)
    }

    /// Builds a tree from IFEval-style id and kwargs lists (as the CLI reads them from a record).
    ///
    /// - Throws: as ``parse(_:registry:root:)``.
    public static func ifeval(
        instructionIDs: [String], kwargs: [ConstraintValue]?, registry: VerifierRegistry, root: String = "constraints"
    ) throws(VerifierError) -> ConstraintTree {
        var record: [String: ConstraintValue] = ["instruction_id_list": .array(instructionIDs.map { .string($0) })]
        if let kwargs { record["kwargs"] = .array(kwargs) }
        return try parse(.object(record), registry: registry, root: root)
    }
}

/// One node of a constraint tree, with its leaf rules prepared.
public struct ConstraintNode: Sendable {
    /// What the node does.
    ///
    /// Only the cases that hold a node directly are boxed; a leaf and a list of children are not.
    public enum Kind: Sendable {
        /// A rule from the registry, named by the id the spec used.
        case leaf(verifier: String, rule: any Rule)
        /// Passes when every child passes; scores the weighted mean of the children.
        case all([ConstraintNode])
        /// Passes when some child passes; scores the best child.
        case any([ConstraintNode])
        /// Passes when the child fails.
        indirect case not(ConstraintNode)
        /// Checks `then` when `condition` passes, else `otherwise` (absent: vacuously true).
        indirect case conditional(condition: ConstraintNode, then: ConstraintNode, otherwise: ConstraintNode?)
        /// Steps in order; a step counts only if every earlier step passed.
        case chain([ConstraintNode])
        /// Checks the child on every part; passes when at least `minFraction` of the parts pass.
        indirect case each(ConstraintNode, of: TextUnit, minFraction: Double)
        /// Checks the child on one part (1-based; negative counts from the end).
        indirect case part(Int, of: TextUnit, check: ConstraintNode)
    }

    /// What the node does.
    public var kind: Kind
    /// The spec's `label`, if any.
    public var label: String?
    /// The spec's `weight` (default 1); weights the node among its siblings.
    public var weight: Double
    /// Where the node sits in the spec, e.g. `constraints[2].then.all[1]`.
    public var path: String

    /// Makes a node.
    public init(_ kind: Kind, label: String? = nil, weight: Double = 1, path: String) {
        self.kind = kind
        self.label = label
        self.weight = weight
        self.path = path
    }

    /// The operator's name as the spec writes it (`verifier` for leaves).
    public var operatorName: String {
        switch kind {
        case .leaf: return "verifier"
        case .all: return "all"
        case .any: return "any"
        case .not: return "not"
        case .conditional: return "if"
        case .chain: return "chain"
        case .each: return "each"
        case .part: return "part"
        }
    }
}

/// Turns spec values into nodes, counting nodes and depth.
private struct SpecParser {
    let registry: VerifierRegistry
    var nodeCount = 0

    init(registry: VerifierRegistry) { self.registry = registry }

    static let operators = ["verifier", "all", "any", "not", "if", "chain", "each", "part"]

    mutating func parseTop(_ spec: ConstraintValue, path: String) throws(VerifierError) -> ConstraintTree {
        let tree: ConstraintTree
        switch spec {
        case .object(let fields):
            if let ids = fields["instruction_id_list"] {
                tree = ConstraintTree(
                    constraints: try parseRecord(fields, ids: ids, idsKey: "instruction_id_list", path: path),
                    format: .ifeval)
            } else if let ids = fields["instruction_id"] {
                tree = ConstraintTree(
                    constraints: try parseRecord(fields, ids: ids, idsKey: "instruction_id", path: path),
                    format: .groundTruth)
            } else {
                tree = ConstraintTree(constraints: [try parseNode(spec, path: path, depth: 0)], format: .native)
            }
        case .array(let items):
            var nodes: [ConstraintNode] = []
            var formats = Set<ConstraintTree.Format>()
            for (index, item) in items.enumerated() {
                let itemPath = "\(path)[\(index)]"
                if case .object(let fields) = item, let ids = fields["instruction_id"] {
                    nodes += try parseRecord(fields, ids: ids, idsKey: "instruction_id", path: itemPath)
                    formats.insert(.groundTruth)
                } else if case .object(let fields) = item, let ids = fields["instruction_id_list"] {
                    nodes += try parseRecord(fields, ids: ids, idsKey: "instruction_id_list", path: itemPath)
                    formats.insert(.ifeval)
                } else {
                    nodes.append(try parseNode(item, path: itemPath, depth: 0))
                    formats.insert(.native)
                }
            }
            let format: ConstraintTree.Format =
                formats == [.groundTruth] ? .groundTruth : formats == [.ifeval] ? .ifeval : .native
            tree = ConstraintTree(constraints: nodes, format: format)
        case .string:
            throw .invalidSpec(
                path: path, reason: "expected an object or a list, got a string (decode JSON strings first)")
        default:
            throw .invalidSpec(path: path, reason: "expected an object or a list, got \(describe(spec))")
        }
        if tree.constraints.isEmpty { throw .invalidSpec(path: path, reason: "no constraints") }
        return tree
    }

    /// An IFEval record or an open-instruct ground truth object.
    mutating func parseRecord(
        _ fields: [String: ConstraintValue], ids idList: ConstraintValue, idsKey: String, path: String
    ) throws(VerifierError) -> [ConstraintNode] {
        guard case .array(let rawIDs) = idList else {
            throw .invalidSpec(path: "\(path).\(idsKey)", reason: "expected a list of verifier ids")
        }
        var ids: [String] = []
        for (index, raw) in rawIDs.enumerated() {
            guard case .string(let id) = raw else {
                throw .invalidSpec(
                    path: "\(path).\(idsKey)[\(index)]", reason: "expected a string, got \(describe(raw))")
            }
            ids.append(id)
        }
        var kwargs: [ConstraintValue]? = nil
        switch fields["kwargs"] {
        case nil, .null?:
            break
        case .array(let list)?:
            guard list.count == ids.count else {
                throw .invalidSpec(
                    path: "\(path).kwargs",
                    reason: "has \(list.count) entries but \(idsKey) has \(ids.count); the lists must match")
            }
            kwargs = list
        case let other?:
            throw .invalidSpec(path: "\(path).kwargs", reason: "expected a list, got \(describe(other))")
        }
        var nodes: [ConstraintNode] = []
        nodes.reserveCapacity(ids.count)
        for (index, id) in ids.enumerated() {
            var parameters: [String: ConstraintValue] = [:]
            switch kwargs?[index] ?? .null {
            case .null: break
            case .object(let values):
                if values.values.contains(.null) {
                    for (key, value) in values where value != .null { parameters[key] = value }
                } else {
                    parameters = values
                }
            case let other:
                throw .invalidSpec(
                    path: "\(path).kwargs[\(index)]", reason: "expected an object or null, got \(describe(other))")
            }
            let leafPath = Self.leafPath(path, idsKey, index)
            try count(path: leafPath)
            let rule = try prepare(id, parameters, path: leafPath, idPath: leafPath)
            nodes.append(ConstraintNode(.leaf(verifier: id, rule: rule), path: leafPath))
        }
        return nodes
    }

    /// The paths of the first leaves of a plain IFEval record (built once: most specs are one).
    private static let ifevalLeafPaths = (0..<8).map { "constraints.instruction_id_list[\($0)]" }

    /// `"\(path).\(idsKey)[\(index)]"`.
    private static func leafPath(_ path: String, _ idsKey: String, _ index: Int) -> String {
        if index < ifevalLeafPaths.count, path == "constraints", idsKey == "instruction_id_list" {
            return ifevalLeafPaths[index]
        }
        return "\(path).\(idsKey)[\(index)]"
    }

    private mutating func count(path: String) throws(VerifierError) {
        nodeCount += 1
        if nodeCount > ConstraintTree.maxNodes {
            throw .invalidSpec(path: path, reason: "more than \(ConstraintTree.maxNodes) nodes in one spec")
        }
    }

    private func prepare(
        _ id: String, _ parameters: [String: ConstraintValue], path: String, idPath: String
    ) throws(VerifierError) -> any Rule {
        do {
            return try registry.prepare(id, parameters: parameters)
        } catch {
            switch error {
            case .unknownVerifier(let name):
                throw .invalidSpec(path: idPath, reason: "unknown verifier '\(name)'")
            case .invalidParameter(_, let field, let reason):
                throw .invalidParameter(constraint: "\(id) at \(path)", field: field, reason: reason)
            default:
                throw error
            }
        }
    }

    mutating func parseNode(_ value: ConstraintValue, path: String, depth: Int) throws(VerifierError) -> ConstraintNode
    {
        guard depth <= ConstraintTree.maxDepth else {
            throw .invalidSpec(path: path, reason: "nested more than \(ConstraintTree.maxDepth) levels deep")
        }
        guard case .object(let fields) = value else {
            throw .invalidSpec(path: path, reason: "expected a constraint node (an object), got \(describe(value))")
        }
        try count(path: path)
        let present = Self.operators.filter { fields[$0] != nil }
        guard let op = present.first else {
            throw .invalidSpec(
                path: path, reason: "a node needs one of \(Self.operators.joined(separator: ", ")); found none")
        }
        guard present.count == 1 else {
            throw .invalidSpec(
                path: path, reason: "a node has exactly one operator; found \(present.joined(separator: ", "))")
        }

        var label: String? = nil
        switch fields["label"] {
        case nil, .null?: break
        case .string(let text)?: label = text
        case let other?: throw .invalidSpec(path: "\(path).label", reason: "expected a string, got \(describe(other))")
        }
        var weight = 1.0
        switch fields["weight"] {
        case nil, .null?: break
        case .integer(let i)?: weight = Double(i)
        case .number(let d)?: weight = d
        case let other?: throw .invalidSpec(path: "\(path).weight", reason: "expected a number, got \(describe(other))")
        }
        guard weight.isFinite, weight > 0 else {
            throw .invalidSpec(path: "\(path).weight", reason: "must be a finite number above 0, got \(weight)")
        }

        if op == "verifier" {
            guard case .string(let id) = fields["verifier"] else {
                throw .invalidSpec(path: "\(path).verifier", reason: "expected a verifier id (a string)")
            }
            var parameters = fields
            parameters["verifier"] = nil
            parameters["label"] = nil
            parameters["weight"] = nil
            let rule = try prepare(id, parameters, path: path, idPath: "\(path).verifier")
            return ConstraintNode(.leaf(verifier: id, rule: rule), label: label, weight: weight, path: path)
        }

        let allowed: Set<String>
        switch op {
        case "if": allowed = ["if", "then", "else"]
        case "each": allowed = ["each", "of", "min_fraction"]
        case "part": allowed = ["part", "of", "check"]
        default: allowed = [op]
        }
        for key in fields.keys.sorted() where key != "label" && key != "weight" && !allowed.contains(key) {
            throw .invalidSpec(
                path: "\(path).\(key)",
                reason:
                    "unknown key in \(article(op)) '\(op)' node (allowed: \(allowed.sorted().joined(separator: ", ")), label, weight)"
            )
        }

        let kind: ConstraintNode.Kind
        switch op {
        case "all", "any", "chain":
            guard case .array(let items) = fields[op]!, !items.isEmpty else {
                throw .invalidSpec(path: "\(path).\(op)", reason: "expected a non-empty list of nodes")
            }
            var children: [ConstraintNode] = []
            for (index, item) in items.enumerated() {
                children.append(try parseNode(item, path: "\(path).\(op)[\(index)]", depth: depth + 1))
            }
            kind = op == "all" ? .all(children) : op == "any" ? .any(children) : .chain(children)
        case "not":
            kind = .not(try parseNode(fields["not"]!, path: "\(path).not", depth: depth + 1))
        case "if":
            let condition = try parseNode(fields["if"]!, path: "\(path).if", depth: depth + 1)
            guard let thenValue = fields["then"], thenValue != .null else {
                throw .invalidSpec(path: "\(path).then", reason: "an 'if' node needs a 'then' node")
            }
            let then = try parseNode(thenValue, path: "\(path).then", depth: depth + 1)
            var otherwise: ConstraintNode? = nil
            if let elseValue = fields["else"], elseValue != .null {
                otherwise = try parseNode(elseValue, path: "\(path).else", depth: depth + 1)
            }
            kind = .conditional(condition: condition, then: then, otherwise: otherwise)
        case "each":
            let unit = try parseUnit(fields["of"], path: "\(path).of")
            var minFraction = 1.0
            switch fields["min_fraction"] {
            case nil, .null?: break
            case .integer(let i)?: minFraction = Double(i)
            case .number(let d)?: minFraction = d
            case let other?:
                throw .invalidSpec(path: "\(path).min_fraction", reason: "expected a number, got \(describe(other))")
            }
            guard minFraction > 0, minFraction <= 1 else {
                throw .invalidSpec(path: "\(path).min_fraction", reason: "must be in (0, 1], got \(minFraction)")
            }
            kind = .each(
                try parseNode(fields["each"]!, path: "\(path).each", depth: depth + 1), of: unit,
                minFraction: minFraction)
        default:  // "part"
            let index: Int
            switch fields["part"]! {
            case .integer(let i): index = Int(clamping: i)
            case .number(let d) where d.isFinite && d.rounded() == d && abs(d) < 1e9: index = Int(d)
            case let other:
                throw .invalidSpec(path: "\(path).part", reason: "expected an integer, got \(describe(other))")
            }
            guard index != 0 else {
                throw .invalidSpec(
                    path: "\(path).part", reason: "parts count from 1 (or from -1 at the end); 0 is not a part")
            }
            let unit = try parseUnit(fields["of"], path: "\(path).of")
            guard let checkValue = fields["check"], checkValue != .null else {
                throw .invalidSpec(path: "\(path).check", reason: "a 'part' node needs a 'check' node")
            }
            kind = .part(index, of: unit, check: try parseNode(checkValue, path: "\(path).check", depth: depth + 1))
        }
        return ConstraintNode(kind, label: label, weight: weight, path: path)
    }

    private func parseUnit(_ value: ConstraintValue?, path: String) throws(VerifierError) -> TextUnit {
        let names = TextUnit.allCases.map(\.rawValue).joined(separator: ", ")
        guard let value, value != .null else { throw .invalidSpec(path: path, reason: "required; one of \(names)") }
        guard case .string(let name) = value, let unit = TextUnit(rawValue: name) else {
            throw .invalidSpec(path: path, reason: "expected one of \(names), got \(describe(value))")
        }
        return unit
    }

    private func article(_ word: String) -> String {
        ["a", "e", "i", "o", "u"].contains(word.first.map(String.init) ?? "") ? "an" : "a"
    }
}

/// A short description of a spec value for error messages.
func describe(_ value: ConstraintValue) -> String {
    switch value {
    case .null: return "null"
    case .bool(let b): return b ? "true" : "false"
    case .integer(let i): return String(i)
    case .number(let d): return String(d)
    case .string(let s): return s.count > 40 ? "a string" : "\"\(s)\""
    case .array: return "a list"
    case .object: return "an object"
    }
}
