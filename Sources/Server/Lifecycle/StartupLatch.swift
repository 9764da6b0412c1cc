internal import Synchronization

/// The one-time outcome of a listener's start-up, which any number of tasks can wait for.
///
/// The socket server settles it with `()` once it listens, the HTTP front door with its port;
/// either settles it with the error that stopped start-up. Waiters that arrive later get the
/// settled outcome at once.
final class StartupLatch<Value: Sendable>: Sendable {
    private enum State {
        case waiting([CheckedContinuation<Value, any Error>])
        case settled(Result<Value, any Error>)
    }

    private let state = Mutex<State>(.waiting([]))

    /// Waits until the outcome is settled, then returns its value or throws its error.
    func wait() async throws -> Value {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Value, any Error>) in
            let now: Result<Value, any Error>? = state.withLock { state in
                switch state {
                case .waiting(var waiters):
                    waiters.append(continuation)
                    state = .waiting(waiters)
                    return nil
                case .settled(let result):
                    return result
                }
            }
            if let now { continuation.resume(with: now) }
        }
    }

    /// Settles the outcome and wakes every waiter; only the first call counts.
    func settle(_ result: Result<Value, any Error>) {
        let waiters = state.withLock { state -> [CheckedContinuation<Value, any Error>] in
            guard case .waiting(let waiters) = state else { return [] }
            state = .settled(result)
            return waiters
        }
        for waiter in waiters { waiter.resume(with: result) }
    }
}
