/// The outcome of one constraint node on one response: a tree mirroring the spec.
///
/// `pass` and `score` are always filled in; when `error` is set they are `false` / `0` and mean
/// nothing (the node could not be decided). See ``TreeEvaluator`` for how errors propagate.
public struct VerdictNode: Sendable, Hashable {
    /// The node's operator as the spec writes it: `verifier`, `all`, `any`, `not`, `if`, `chain`,
    /// `each`, `part`; `constraints` for the root of an item.
    public var kind: String
    /// The spec's `label`, or a generated one for parts ("paragraph 2").
    public var label: String?
    /// The verifier id, for leaves.
    public var verifier: String?
    /// Where the node sits in the spec.
    public var path: String
    /// The node's weight among its siblings.
    public var weight: Double
    /// Whether the constraint holds.
    public var pass: Bool
    /// Partial credit in [0, 1].
    public var score: Double
    /// Why, for humans.
    public var detail: String
    /// Set when the node could not be decided (budget exceeded, internal failure).
    public var error: VerifierError?
    /// True for chain steps not evaluated because an earlier step failed.
    public var skipped: Bool
    /// The verdicts of the children that were evaluated (and skipped chain steps).
    public var children: [VerdictNode]

    /// Makes a verdict node.
    public init(
        kind: String, label: String? = nil, verifier: String? = nil, path: String, weight: Double = 1,
        pass: Bool, score: Double, detail: String, error: VerifierError? = nil, skipped: Bool = false,
        children: [VerdictNode] = []
    ) {
        self.kind = kind
        self.label = label
        self.verifier = verifier
        self.path = path
        self.weight = weight
        self.pass = pass
        self.score = score
        self.detail = detail
        self.error = error
        self.skipped = skipped
        self.children = children
    }

    /// The first error in this subtree, depth-first.
    public var firstError: VerifierError? {
        if let error { return error }
        for child in children {
            if let error = child.firstError { return error }
        }
        return nil
    }
}
