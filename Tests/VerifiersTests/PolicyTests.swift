import Testing

@testable import Verifiers

/// Reward policies on hand-computed cases.
@Suite struct PolicyTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var response: String
        /// Top-level constraints.
        var spec: String
        var policy: RewardPolicy
        var reasoning: ReasoningMode = .strip
        var reward: Double
        var passed: Bool
        var testDescription: String { name }
    }

    static func fixed(_ pass: Bool, _ score: Double, weight: Double = 1) -> String {
        #"{"verifier": "test:score", "pass": \#(pass), "score": \#(score), "weight": \#(weight)}"#
    }

    static let good = "<think>plan it</think>answer"

    static let cases: [Case] = [
        Case(
            name: "all: every pass", response: "x", spec: "[\(fixed(true, 1)), \(fixed(true, 1))]", policy: .all,
            reward: 1, passed: true),
        Case(
            name: "all: one fails", response: "x", spec: "[\(fixed(true, 1)), \(fixed(false, 0.9))]", policy: .all,
            reward: 0, passed: false),
        Case(
            name: "fraction: weighted partial", response: "x",
            spec: "[\(fixed(true, 1, weight: 1)), \(fixed(false, 0.5, weight: 3))]", policy: .fraction, reward: 0.625,
            passed: false),
        Case(
            name: "fraction: all pass", response: "x", spec: "[\(fixed(true, 1)), \(fixed(true, 1))]",
            policy: .fraction, reward: 1, passed: true),
        Case(
            name: "fraction: require + bad format", response: "x", spec: "[\(fixed(true, 1))]", policy: .fraction,
            reasoning: .require, reward: 0, passed: false),
        Case(
            name: "all: require + good format", response: good, spec: "[\(fixed(true, 1))]", policy: .all,
            reasoning: .require, reward: 1, passed: true),
        Case(
            name: "raif: all pass", response: good, spec: "[\(fixed(true, 1)), \(fixed(true, 1))]", policy: .raif,
            reward: 3, passed: true),
        Case(
            name: "raif: none pass", response: good, spec: "[\(fixed(false, 0.4)), \(fixed(false, 0))]", policy: .raif,
            reward: -1, passed: false),
        Case(
            name: "raif: 1 of 2", response: good, spec: "[\(fixed(true, 1)), \(fixed(false, 0.3))]", policy: .raif,
            reward: 1.5,
            passed: false),
        Case(
            name: "raif: 1 of 4", response: good,
            spec: "[\(fixed(true, 1)), \(fixed(false, 0)), \(fixed(false, 0)), \(fixed(false, 0))]",
            policy: .raif, reward: 1.25, passed: false),
        Case(
            name: "raif: weighted k/n", response: good, spec: "[\(fixed(true, 1, weight: 3)), \(fixed(false, 0))]",
            policy: .raif,
            reward: 1.75, passed: false),
        Case(
            name: "raif: format fails", response: "answer", spec: "[\(fixed(true, 1))]", policy: .raif, reward: -3,
            passed: true),
        Case(
            name: "raif: empty reasoning", response: "<think>  </think>answer", spec: "[\(fixed(true, 1))]",
            policy: .raif,
            reward: -3, passed: true),
        Case(
            name: "raif: primed think", response: "plan</think>answer", spec: "[\(fixed(true, 1))]", policy: .raif,
            reward: 3, passed: true),
        Case(
            name: "raif: require + format fails", response: "answer", spec: "[\(fixed(true, 1))]", policy: .raif,
            reasoning: .require,
            reward: -3, passed: false),
    ]

    @Test(arguments: cases)
    func reward(_ c: Case) {
        let scorer = Scorer(registry: TestVerifiers.registry)
        let result = scorer.score(
            ScoringItem(response: c.response, constraints: spec(c.spec)),
            options: ScoringOptions(reasoning: c.reasoning, policy: c.policy))
        #expect(abs(result.reward - c.reward) < 1e-12, "reward \(result.reward)")
        #expect(result.passed == c.passed)
    }

    @Test func formatIsReportedOnlyWhenApplied() {
        let scorer = Scorer(registry: TestVerifiers.registry)
        let item = ScoringItem(response: "x", constraints: spec("[\(Self.fixed(true, 1))]"))
        #expect(scorer.score(item, options: ScoringOptions(policy: .fraction)).format == nil)
        #expect(scorer.score(item, options: ScoringOptions(policy: .raif)).format?.pass == false)
        #expect(scorer.score(item, options: ScoringOptions(reasoning: .require)).format?.pass == false)
    }
}
