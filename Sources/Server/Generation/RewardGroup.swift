/// Whether a sample of a contrast group was asked to reason first or to answer directly.
public enum SampleKind: String, Sendable, Hashable {
    /// The prompt ends with an open `<think>\n`: the sample reasons, then answers.
    case reasoning
    /// The prompt ends with an empty reasoning block `<think>\n\n</think>\n`: the sample answers at once.
    case direct
}

/// The group maths of `generate_and_score`: mean, spread, GRPO advantages, the best sample and
/// RAIF's contrast masks, computed from the rewards alone (no I/O, hand-checked in tests).
///
/// - `std` is the **population** standard deviation (divide by n, as GRPO implementations do).
/// - `advantages[i] = (rewards[i] − mean) / (std + 1e-6)`.
/// - `bestIndex` is the first index of the highest reward (lowest index on ties).
/// - `masks` (only with kinds): `true` means "leave this sample out of the loss". Direct samples
///   are always masked; when the best reasoning sample scores below the worst direct one, every
///   sample is masked (reasoning did not beat answering directly).
public struct RewardGroup: Sendable, Equatable {
    /// Added to `std` before dividing.
    public static let epsilon = 1e-6

    public let rewards: [Double]
    public let mean: Double
    public let std: Double
    public let advantages: [Double]
    public let bestIndex: Int
    /// Each sample's kind, when the group is a contrast group.
    public let kinds: [SampleKind]?
    /// Each sample's mask, when the group is a contrast group.
    public let masks: [Bool]?

    /// Computes the group; `kinds`, when given, must have one entry per reward (programmer error otherwise).
    public init(rewards: [Double], kinds: [SampleKind]? = nil) {
        precondition(!rewards.isEmpty, "a reward group needs at least one sample")
        precondition(kinds == nil || kinds!.count == rewards.count, "one kind per reward")
        self.rewards = rewards
        self.kinds = kinds
        let count = Double(rewards.count)
        let mean = rewards.reduce(0, +) / count
        let variance = rewards.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / count
        let std = variance.squareRoot()
        self.mean = mean
        self.std = std
        advantages = rewards.map { ($0 - mean) / (std + Self.epsilon) }
        var best = 0
        for (index, reward) in rewards.enumerated() where reward > rewards[best] { best = index }
        bestIndex = best
        if let kinds {
            let reasoning = zip(rewards, kinds).filter { $0.1 == .reasoning }.map(\.0)
            let direct = zip(rewards, kinds).filter { $0.1 == .direct }.map(\.0)
            var maskAll = false
            if let bestReasoning = reasoning.max(), let worstDirect = direct.min(), bestReasoning < worstDirect {
                maskAll = true
            }
            masks = kinds.map { maskAll || $0 == .direct }
        } else {
            masks = nil
        }
    }
}
