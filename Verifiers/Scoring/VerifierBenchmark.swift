/// Measures scoring throughput on a set of items: verdicts per second on one core and on all cores.
///
/// A *verdict* is one top-level constraint checked on one response (IFEval's instruction level).
/// Three configurations run interleaved, repetition after repetition, so drifts in machine load hit
/// all of them alike; the report gives medians and their ratio:
///
/// - **single, end to end**: items scored one after another on the calling task, spec parsing and
///   rule preparation included (what `raif score` does per line);
/// - **single, evaluation only**: the same with every spec parsed once beforehand (what a GRPO
///   group sharing one spec costs per response);
/// - **all cores, end to end**: ``Scorer/score(_:options:workers:)`` with one worker per core.
public struct VerifierBenchmark: Sendable {
    /// Timings of one benchmark run.
    public struct Report: Sendable, Hashable {
        /// Items per pass.
        public var items: Int
        /// Verdicts (top-level constraints) per pass.
        public var verdicts: Int
        /// Workers used for the parallel configuration.
        public var workers: Int
        /// Seconds per pass, one entry per repetition.
        public var singleEndToEnd: [Double]
        public var singleEvaluationOnly: [Double]
        public var parallelEndToEnd: [Double]

        /// The median of a list of timings.
        public static func median(_ values: [Double]) -> Double {
            guard !values.isEmpty else { return .nan }
            let sorted = values.sorted()
            let mid = sorted.count / 2
            return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
        }

        /// Verdicts per second at the median timing of a configuration.
        public func rate(_ timings: [Double]) -> Double {
            Double(verdicts) / Self.median(timings)
        }

        /// A table for humans.
        public var description: String {
            func row(_ name: String, _ timings: [Double]) -> String {
                let median = Self.median(timings)
                let rate = Double(verdicts) / median
                let name = name.padding(toLength: 32)
                return "\(name) \(format(median * 1000, 3).leftPad(10)) ms  \(format(rate, 0).leftPad(12)) verdicts/s"
            }
            let single = rate(singleEndToEnd)
            return [
                "items \(items), verdicts \(verdicts) per pass, \(singleEndToEnd.count) interleaved repetitions, medians:",
                row("single core, end to end", singleEndToEnd),
                row("single core, evaluation only", singleEvaluationOnly),
                row("\(workers) workers, end to end", parallelEndToEnd),
                "parallel / single speedup: \(format(rate(parallelEndToEnd) / single, 2))×; "
                    + "evaluation-only / end-to-end: \(format(rate(singleEvaluationOnly) / single, 2))×",
            ].joined(separator: "\n")
        }
    }

    /// The scorer under test.
    public let scorer: Scorer
    /// The items scored on every pass.
    public let items: [ScoringItem]
    /// The scoring options.
    public let options: ScoringOptions

    /// Makes a benchmark.
    public init(scorer: Scorer, items: [ScoringItem], options: ScoringOptions) {
        self.scorer = scorer
        self.items = items
        self.options = options
    }

    /// Runs a warm-up pass, then `repetitions` interleaved passes of each configuration.
    public func run(repetitions: Int = 5, workers: Int = Scorer.coreCount) async -> Report {
        let clock = ContinuousClock()
        // Warm-up, and the verdict count.
        let warm = items.map { scorer.score($0, options: options) }
        let verdicts = warm.reduce(0) { $0 + $1.followInstructionList.count }
        let trees: [ConstraintTree?] = items.map { try? scorer.parse($0.constraints) }
        var report = Report(
            items: items.count, verdicts: verdicts, workers: workers, singleEndToEnd: [], singleEvaluationOnly: [],
            parallelEndToEnd: [])
        var sink = 0.0
        for _ in 0..<max(1, repetitions) {
            let a = clock.measure {
                for item in items { sink += scorer.score(item, options: options).reward }
            }
            report.singleEndToEnd.append(a.seconds)
            let b = clock.measure {
                for (item, tree) in zip(items, trees) {
                    guard let tree else { continue }
                    sink +=
                        scorer.score(response: item.response, prompt: item.prompt, tree: tree, options: options).reward
                }
            }
            report.singleEvaluationOnly.append(b.seconds)
            let start = clock.now
            let results = await scorer.score(items, options: options, workers: workers)
            report.parallelEndToEnd.append((clock.now - start).seconds)
            sink += results.first?.reward ?? 0
        }
        if sink.isNaN { print("") }  // keeps the work observable
        return report
    }
}

extension Duration {
    /// The duration in seconds.
    fileprivate var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) * 1e-18
    }
}

/// Fixed-point formatting without Foundation.
private func format(_ value: Double, _ decimals: Int) -> String {
    guard value.isFinite else { return String(value) }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (value * scale).rounded()
    let negative = scaled < 0
    let digits = String(Int64(abs(scaled)))
    guard decimals > 0 else { return (negative ? "-" : "") + digits }
    let padded = String(repeating: "0", count: max(0, decimals + 1 - digits.count)) + digits
    let split = padded.index(padded.endIndex, offsetBy: -decimals)
    return (negative ? "-" : "") + padded[..<split] + "." + padded[split...]
}

extension String {
    fileprivate func padding(toLength length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }

    fileprivate func leftPad(_ length: Int) -> String {
        count >= length ? self : String(repeating: " ", count: length - count) + self
    }
}
