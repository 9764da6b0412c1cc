/// Counters behind the `stats` method: per-method outcomes and latencies, per-code error counts.
///
/// A value type; the server keeps one behind a lock. Latencies are kept in a bounded ring of the
/// most recent ``LatencyReservoir/capacity`` samples per method, so memory stays fixed however
/// long the server runs.
struct ServerStatistics: Sendable {
    /// Outcomes and latencies of one method.
    struct MethodCounters: Sendable {
        var served = 0
        var failed = 0
        var latencies = LatencyReservoir()
    }

    private(set) var methods: [String: MethodCounters] = [:]
    private(set) var errorsByCode: [Int: Int] = [:]

    /// Records one finished call of a registered method.
    mutating func record(method: String, errorCode: Int?, seconds: Double) {
        var counters = methods[method, default: MethodCounters()]
        if let errorCode {
            counters.failed += 1
            errorsByCode[errorCode, default: 0] += 1
        } else {
            counters.served += 1
        }
        counters.latencies.add(seconds)
        methods[method] = counters
    }

    /// Records an error reply that belongs to no registered method (parse errors, unknown methods…).
    mutating func recordProtocolError(code: Int) {
        errorsByCode[code, default: 0] += 1
    }
}

/// The most recent latency samples of one method, with percentiles over them.
struct LatencyReservoir: Sendable {
    /// How many samples are kept.
    static let capacity = 4096

    private var samples: [Double] = []
    private var next = 0

    /// Adds a sample, replacing the oldest once full.
    mutating func add(_ seconds: Double) {
        if samples.count < Self.capacity {
            samples.append(seconds)
        } else {
            samples[next] = seconds
            next = (next + 1) % Self.capacity
        }
    }

    /// Number of samples held.
    var count: Int { samples.count }

    /// The `q`-quantile (0…1) by the nearest-rank method, or nil with no samples.
    func quantile(_ q: Double) -> Double? {
        guard !samples.isEmpty else { return nil }
        let sorted = samples.sorted()
        let rank = Int((q * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}
