internal import WireProtocol

/// The methods every server has: `health` and `stats`.
enum BuiltinMethods {
    /// `health` → `{"status": "ok"|"loading", "version", "uptime_s", "model": null | {...}}`.
    static func health(modelStatus: ModelStatus, counters: ServerCounters) -> MethodHandler {
        { _, _ in
            let status: String
            let model: JSONValue
            switch modelStatus.current {
            case .absent:
                status = "ok"
                model = .null
            case .loading:
                status = "loading"
                model = .null
            case .ready(let description):
                status = "ok"
                model = .object(description)
            }
            return [
                "status": .string(status),
                "version": .string(RaifVersion.current),
                "uptime_s": .double(counters.uptimeSeconds),
                "model": model,
            ]
        }
    }

    /// `stats` → per-method counts and latencies, per-code error counts, requests in flight.
    ///
    /// ```
    /// {"in_flight": 1,
    ///  "methods": {"health": {"served": 10, "failed": 0, "latency_ms": {"p50": 0.02, "p99": 0.1}}},
    ///  "errors": {"-32601": 2}}
    /// ```
    /// `in_flight` counts the `stats` call itself.
    static func stats(counters: ServerCounters) -> MethodHandler {
        { _, _ in
            let snapshot = counters.statisticsSnapshot
            var methods = JSONObject()
            for name in snapshot.methods.keys.sorted() {
                let counters = snapshot.methods[name]!
                var latency = JSONObject()
                latency.set("p50", counters.latencies.quantile(0.5).map { .double($0 * 1000) } ?? .null)
                latency.set("p99", counters.latencies.quantile(0.99).map { .double($0 * 1000) } ?? .null)
                latency.set("samples", .integer(Int64(counters.latencies.count)))
                methods.set(
                    name,
                    [
                        "served": .integer(Int64(counters.served)),
                        "failed": .integer(Int64(counters.failed)),
                        "latency_ms": .object(latency),
                    ])
            }
            var errors = JSONObject()
            for code in snapshot.errorsByCode.keys.sorted(by: >) {
                errors.set(String(code), .integer(Int64(snapshot.errorsByCode[code]!)))
            }
            return [
                "in_flight": .integer(Int64(counters.requestsInFlight)),
                "methods": .object(methods),
                "errors": .object(errors),
            ]
        }
    }
}
