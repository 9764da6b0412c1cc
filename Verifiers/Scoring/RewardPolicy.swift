/// How an item's top-level verdicts become one reward.
public enum RewardPolicy: String, Sendable, Hashable, CaseIterable {
    /// 1 when every top-level constraint passes (and the format holds, under `reasoning: require`),
    /// else 0: IFEval's prompt-level accuracy.
    case all
    /// The weighted mean of the top-level scores (partial credit included); 0 when the format fails
    /// under `reasoning: require`.
    case fraction
    /// RAIF's rule-centric reward (Qin et al., "Incentivizing Reasoning for Advanced
    /// Instruction-Following of Large Language Models", arXiv:2506.01413, §3, rule-centric rewards),
    /// as specified in raif's issue 3:
    ///
    /// ```
    /// reward = format + answer
    /// format = +1 if the response has one non-empty <think>…</think> then an answer, else −1
    /// answer = −2                      if the format fails or the reasoning is empty
    ///          +2                      if every top-level constraint passes
    ///          −2                      if none passes
    ///          k / n                   otherwise (k of n passing, weighted: Σ w·pass / Σ w)
    /// ```
    ///
    /// So the reward lies in [−3, 3]. The format rule is always applied under this policy, whatever
    /// the reasoning mode (which only decides which text the constraints see).
    /// (The paper's exact text could not be consulted offline; the formula above is the issue's.)
    case raif

    /// The reward for one item.
    ///
    /// - Parameters:
    ///   - verdicts: the top-level verdicts; errored ones count as failed with score 0.
    ///   - format: RAIF's format check, when it was applied.
    ///   - formatRequired: whether a failed format zeroes `all` / `fraction` (reasoning `require`).
    public func reward(verdicts: [VerdictNode], format: FormatCheck?, formatRequired: Bool) -> Double {
        let formatFailed = format.map { !$0.pass } ?? false
        let totalWeight = verdicts.reduce(0) { $0 + $1.weight }
        func passes(_ v: VerdictNode) -> Bool { v.error == nil && v.pass }
        switch self {
        case .all:
            if formatRequired && formatFailed { return 0 }
            return verdicts.allSatisfy(passes) ? 1 : 0
        case .fraction:
            if formatRequired && formatFailed { return 0 }
            guard totalWeight > 0 else { return 0 }
            return verdicts.reduce(0) { $0 + $1.weight * ($1.error == nil ? $1.score : 0) }
                / totalWeight
        case .raif:
            let formatPart: Double = formatFailed ? -1 : 1
            let answerPart: Double
            if formatFailed || (format?.reasoningIsEmpty ?? false) {
                answerPart = -2
            } else if verdicts.allSatisfy(passes) {
                answerPart = 2
            } else if !verdicts.contains(where: passes) {
                answerPart = -2
            } else {
                answerPart = totalWeight > 0 ? verdicts.filter(passes).reduce(0) { $0 + $1.weight } / totalWeight : 0
            }
            return formatPart + answerPart
        }
    }
}
