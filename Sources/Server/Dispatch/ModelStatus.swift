internal import Synchronization
public import WireProtocol

/// What `health` says about the model: none configured, loading, or loaded (with a description).
///
/// Whoever loads the engine updates it; `health` reads it.
public final class ModelStatus: Sendable {
    /// The model's state.
    public enum State: Sendable, Hashable {
        /// No model configured: `health` reports `"model": null`, status `ok`.
        case absent
        /// Loading: status `loading`, `"model": null`.
        case loading
        /// Loaded: status `ok` and this description (architecture, parameters, quant type …).
        case ready(JSONObject)
    }

    private let state: Mutex<State>

    /// Makes a status holder.
    public init(_ initial: State = .absent) {
        state = Mutex(initial)
    }

    /// The current state.
    public var current: State {
        state.withLock { $0 }
    }

    /// Replaces the state.
    public func update(_ newState: State) {
        state.withLock { $0 = newState }
    }
}
