internal import Synchronization

/// A fixed-size memo table shared by threads: at most ``capacity`` entries, the oldest evicted
/// first, one lock around the table (values are computed outside it).
///
/// For pure functions only: a value must depend on nothing but its key, so a hit changes no result.
final class BoundedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    /// The most entries kept.
    let capacity: Int

    private struct State {
        var values: [Key: Value] = [:]
        /// Keys in insertion order, a ring once full; `next` is the oldest.
        var order: [Key] = []
        var next = 0
    }

    private let state: Mutex<State>

    /// Makes an empty cache.
    init(capacity: Int) {
        precondition(capacity > 0, "a cache holds at least one entry")
        self.capacity = capacity
        state = Mutex(State())
    }

    /// The cached value for `key`, or `compute()`'s (then cached unless it throws).
    func value<E: Error>(for key: Key, compute: () throws(E) -> Value) throws(E) -> Value {
        if let hit = state.withLock({ $0.values[key] }) { return hit }
        let value = try compute()
        state.withLock { state in
            guard state.values[key] == nil else { return }
            if state.order.count < capacity {
                state.order.append(key)
            } else {
                state.values[state.order[state.next]] = nil
                state.order[state.next] = key
                state.next = (state.next + 1) % capacity
            }
            state.values[key] = value
        }
        return value
    }

    /// How many entries are cached.
    var count: Int { state.withLock { $0.values.count } }
}
