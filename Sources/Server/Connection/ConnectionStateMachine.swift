/// The life of one client connection as a value: what is in flight, what may start, when to close.
///
/// The connection handler feeds it events (a request arrived, a handler finished, the peer went
/// away, the server is draining) and performs the actions it returns; the machine itself does no
/// I/O, so it is tested directly.
///
/// ```
///            frame too large / peer gone / drain deadline
///   reading ─────────────────────────────────────────────▶ closing ──▶ closed
///      │ server drains                                        ▲
///      ▼                                                      │
///   draining ── last reply unit written ──────────────────────┘
/// ```
///
/// Two counts are kept apart:
/// - **reply units**: one per single request, notification or whole batch — what must finish
///   before a draining connection may close;
/// - **cancellable requests**: requests with an id, keyed by that id, each with a handle that
///   cancels its work (a `cancel` call names one; a disconnect cancels them all).
struct ConnectionStateMachine<Key: Hashable, Handle> {
    /// Where the connection is in its life.
    enum State: Equatable {
        /// Reading and admitting requests.
        case reading
        /// The server is shutting down: no new requests start; close once the last reply is out.
        case draining
        /// Going away: in-flight work is cancelled and nothing more is written.
        case closing
        /// The channel is closed.
        case closed
    }

    private struct Entry {
        var handle: Handle?
        var cancelRequested: Bool
    }

    private(set) var state: State = .reading
    private(set) var replyUnits = 0
    private var requests: [Key: Entry] = [:]

    /// How many requests with an id are in flight.
    var cancellableCount: Int { requests.count }

    // MARK: Reply units

    /// Whether a newly read frame may start work, or must be refused because the server drains.
    enum UnitAdmission: Equatable {
        case start
        case refuseShuttingDown
        case ignore
    }

    /// A frame was decoded: asks whether its work may start and, if so, counts one reply unit.
    mutating func beginUnit() -> UnitAdmission {
        switch state {
        case .reading:
            replyUnits += 1
            return .start
        case .draining:
            // Refusing still writes a reply, so it is a unit too.
            replyUnits += 1
            return .refuseShuttingDown
        case .closing, .closed:
            return .ignore
        }
    }

    /// What to do after a reply unit's reply (if any) has been written.
    enum UnitEnd: Equatable {
        case none
        /// The server drains and this was the last unit: close the channel.
        case close
    }

    /// A reply unit finished (its reply written, or none owed).
    mutating func endUnit() -> UnitEnd {
        precondition(replyUnits > 0, "endUnit without beginUnit")
        replyUnits -= 1
        if state == .draining && replyUnits == 0 {
            state = .closing
            return .close
        }
        return .none
    }

    /// Whether replies should still be written (false once the connection is closing).
    var mayWrite: Bool { state == .reading || state == .draining }

    // MARK: Cancellable requests

    /// The outcome of registering a request id.
    enum Registration: Equatable {
        case registered
        /// The same id is already in flight on this connection; replies would be ambiguous.
        case duplicate
    }

    /// Records that a request with `id` is about to run.
    mutating func register(_ id: Key) -> Registration {
        if requests[id] != nil { return .duplicate }
        requests[id] = Entry(handle: nil, cancelRequested: state == .closing)
        return .registered
    }

    /// Hands the machine the handle that cancels the request's work.
    ///
    /// - Returns: the handle back when the request must be cancelled at once (a `cancel` or a
    ///   disconnect came before the work started), else nil.
    mutating func attach(_ handle: Handle, to id: Key) -> Handle? {
        guard var entry = requests[id] else { return nil }
        entry.handle = handle
        requests[id] = entry
        return entry.cancelRequested ? handle : nil
    }

    /// Forgets a finished request.
    ///
    /// - Returns: whether it was cancelled, in which case its reply is the cancelled error.
    mutating func unregister(_ id: Key) -> Bool {
        requests.removeValue(forKey: id)?.cancelRequested ?? false
    }

    /// What a `cancel` call found.
    enum CancelOutcome {
        /// Cancel this handle.
        case cancel(Handle)
        /// The request is registered but its work has not started; it will be cancelled on attach.
        case markedBeforeStart
        /// Nothing with that id is in flight on this connection.
        case notInFlight
    }

    /// A `cancel` call names the request `id` of this connection.
    mutating func cancel(_ id: Key) -> CancelOutcome {
        guard var entry = requests[id] else { return .notInFlight }
        let alreadyRequested = entry.cancelRequested
        entry.cancelRequested = true
        requests[id] = entry
        if alreadyRequested { return .markedBeforeStart }
        if let handle = entry.handle { return .cancel(handle) }
        return .markedBeforeStart
    }

    // MARK: Going away

    /// Marks every request cancelled and returns the handles to cancel.
    private mutating func cancelAll() -> [Handle] {
        var handles: [Handle] = []
        for (id, var entry) in requests where !entry.cancelRequested {
            entry.cancelRequested = true
            requests[id] = entry
            if let handle = entry.handle { handles.append(handle) }
        }
        return handles
    }

    /// The peer closed its side (or the read failed): cancel everything in flight.
    mutating func inputClosed() -> [Handle] {
        switch state {
        case .reading, .draining:
            state = .closing
            return cancelAll()
        case .closing, .closed:
            return []
        }
    }

    /// A frame header declared more than the maximum: cancel everything, reply once, close.
    ///
    /// - Returns: nil when the connection is already going away (write nothing), else the handles
    ///   to cancel before writing the error reply and closing.
    mutating func frameTooLarge() -> [Handle]? {
        switch state {
        case .reading, .draining:
            state = .closing
            return cancelAll()
        case .closing, .closed:
            return nil
        }
    }

    /// What to do when the server starts draining.
    enum DrainAction: Equatable {
        case closeNow
        case waitForReplies
        case none
    }

    /// The server stops: finish what is in flight, start nothing new.
    mutating func beginDrain() -> DrainAction {
        guard state == .reading else { return .none }
        if replyUnits == 0 {
            state = .closing
            return .closeNow
        }
        state = .draining
        return .waitForReplies
    }

    /// The drain deadline passed: cancel what is still running and close.
    mutating func drainDeadlineReached() -> [Handle] {
        switch state {
        case .reading, .draining:
            state = .closing
            return cancelAll()
        case .closing, .closed:
            return []
        }
    }

    /// The channel is closed.
    mutating func channelClosed() {
        state = .closed
    }
}
