internal import Synchronization
internal import WireProtocol

/// What all connections share: the in-flight cap, the statistics, the start time.
///
/// Admission happens here; the connection owns everything per-connection (ids in flight,
/// cancellation, writes). `health` and `stats` read it.
final class ServerCounters: Sendable {
    let maxInFlight: Int
    let startedAt: ContinuousClock.Instant
    private let inFlight = Atomic<Int>(0)
    private let statistics = Mutex(ServerStatistics())

    init(maxInFlight: Int) {
        self.maxInFlight = maxInFlight
        self.startedAt = .now
    }

    /// Requests running now, across all connections.
    var requestsInFlight: Int { inFlight.load(ordering: .relaxed) }

    /// Takes one in-flight slot, or returns false when the server is at its cap.
    func admit() -> Bool {
        var current = inFlight.load(ordering: .relaxed)
        while current < maxInFlight {
            let (exchanged, original) = inFlight.compareExchange(
                expected: current, desired: current + 1, ordering: .acquiringAndReleasing)
            if exchanged { return true }
            current = original
        }
        return false
    }

    /// Gives back a slot taken by ``admit()``.
    func release() {
        inFlight.subtract(1, ordering: .acquiringAndReleasing)
    }

    /// Records a finished call of a registered method.
    func record(method: String, error: RPCError?, seconds: Double) {
        statistics.withLock { $0.record(method: method, errorCode: error?.code, seconds: seconds) }
    }

    /// Records an error reply that no registered method produced.
    func recordProtocolError(_ error: RPCError) {
        statistics.withLock { $0.recordProtocolError(code: error.code) }
    }

    /// A copy of the statistics.
    var statisticsSnapshot: ServerStatistics {
        statistics.withLock { $0 }
    }

    /// Seconds since the server started.
    var uptimeSeconds: Double {
        let elapsed = ContinuousClock.now - startedAt
        return elapsed.inSeconds
    }
}

extension Duration {
    /// The duration as a number of seconds.
    var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}
