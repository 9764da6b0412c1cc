import Testing

@testable import Server

/// The per-connection state machine, driven event by event with no I/O.
@Suite("Connection state machine")
struct ConnectionStateMachineTests {
    typealias Machine = ConnectionStateMachine<String, Int>

    @Test("a reading connection starts units and counts them")
    func startsUnits() {
        var machine = Machine()
        #expect(machine.beginUnit() == .start)
        #expect(machine.beginUnit() == .start)
        #expect(machine.replyUnits == 2)
        #expect(machine.endUnit() == .none)
        #expect(machine.endUnit() == .none)
        #expect(machine.replyUnits == 0)
        #expect(machine.state == .reading)
    }

    @Test("ids: register, attach, unregister; a duplicate id in flight is refused")
    func registration() {
        var machine = Machine()
        #expect(machine.register("a") == .registered)
        #expect(machine.register("a") == .duplicate)
        #expect(machine.attach(1, to: "a") == nil)
        #expect(machine.cancellableCount == 1)
        #expect(machine.unregister("a") == false)
        #expect(machine.cancellableCount == 0)
        #expect(machine.register("a") == .registered, "the id is free again once finished")
    }

    @Test("cancel: a running request hands back its handle and finishes as cancelled")
    func cancelRunning() {
        var machine = Machine()
        _ = machine.register("a")
        _ = machine.attach(7, to: "a")
        guard case .cancel(let handle) = machine.cancel("a") else {
            Issue.record("expected a handle to cancel")
            return
        }
        #expect(handle == 7)
        if case .markedBeforeStart = machine.cancel("a") {} else { Issue.record("second cancel hands no handle") }
        #expect(machine.unregister("a") == true)
    }

    @Test("cancel before the work is attached: attach returns the handle to cancel at once")
    func cancelBeforeAttach() {
        var machine = Machine()
        _ = machine.register("a")
        if case .markedBeforeStart = machine.cancel("a") {} else { Issue.record("expected markedBeforeStart") }
        #expect(machine.attach(3, to: "a") == 3)
        #expect(machine.unregister("a") == true)
    }

    @Test("cancel of an id not in flight reports so")
    func cancelUnknown() {
        var machine = Machine()
        if case .notInFlight = machine.cancel("nope") {} else { Issue.record("expected notInFlight") }
    }

    @Test("peer gone: every attached request is cancelled, writes stop, new frames are ignored")
    func inputClosed() {
        var machine = Machine()
        _ = machine.beginUnit()
        _ = machine.register("a")
        _ = machine.attach(1, to: "a")
        _ = machine.register("b")
        _ = machine.attach(2, to: "b")
        _ = machine.register("c")  // not started yet: cancelled on attach
        #expect(Set(machine.inputClosed()) == [1, 2])
        #expect(machine.state == .closing)
        #expect(machine.mayWrite == false)
        #expect(machine.attach(3, to: "c") == 3)
        #expect(machine.beginUnit() == .ignore)
        #expect(machine.inputClosed().isEmpty, "a second close cancels nothing more")
    }

    @Test("frame too large: cancel all and reply once; nothing more afterwards")
    func frameTooLarge() {
        var machine = Machine()
        _ = machine.register("a")
        _ = machine.attach(1, to: "a")
        #expect(machine.frameTooLarge() == [1])
        #expect(machine.state == .closing)
        #expect(machine.frameTooLarge() == nil)
    }

    @Test("drain with nothing in flight closes at once")
    func drainIdle() {
        var machine = Machine()
        #expect(machine.beginDrain() == .closeNow)
        #expect(machine.state == .closing)
    }

    @Test("drain waits for the last reply unit, refuses new frames, then closes")
    func drainBusy() {
        var machine = Machine()
        _ = machine.beginUnit()
        _ = machine.beginUnit()
        #expect(machine.beginDrain() == .waitForReplies)
        #expect(machine.state == .draining)
        #expect(machine.mayWrite)
        #expect(machine.beginUnit() == .refuseShuttingDown)
        #expect(machine.endUnit() == .none)
        #expect(machine.endUnit() == .none)
        #expect(machine.endUnit() == .close)
        #expect(machine.state == .closing)
        #expect(machine.beginDrain() == .none)
    }

    @Test("drain deadline cancels what still runs")
    func drainDeadline() {
        var machine = Machine()
        _ = machine.beginUnit()
        _ = machine.register("slow")
        _ = machine.attach(9, to: "slow")
        #expect(machine.beginDrain() == .waitForReplies)
        #expect(machine.drainDeadlineReached() == [9])
        #expect(machine.state == .closing)
        #expect(machine.unregister("slow") == true)
        machine.channelClosed()
        #expect(machine.state == .closed)
    }
}

/// Latency percentiles and per-method counters behind `stats`.
@Suite("Server statistics")
struct ServerStatisticsTests {
    @Test(
        "nearest-rank quantiles",
        arguments: [
            (samples: [1.0], q: 0.5, expected: 1.0),
            (samples: [1.0, 2.0, 3.0, 4.0], q: 0.5, expected: 2.0),
            (samples: Array(stride(from: 1.0, through: 100.0, by: 1.0)), q: 0.99, expected: 99.0),
            (samples: Array(stride(from: 1.0, through: 100.0, by: 1.0)), q: 0.5, expected: 50.0),
        ])
    func quantiles(samples: [Double], q: Double, expected: Double) {
        var reservoir = LatencyReservoir()
        for sample in samples.reversed() { reservoir.add(sample) }
        #expect(reservoir.quantile(q) == expected)
    }

    @Test("the reservoir is bounded and keeps the newest samples")
    func bounded() {
        var reservoir = LatencyReservoir()
        for _ in 0..<LatencyReservoir.capacity { reservoir.add(100) }
        for _ in 0..<LatencyReservoir.capacity { reservoir.add(1) }
        #expect(reservoir.count == LatencyReservoir.capacity)
        #expect(reservoir.quantile(0.99) == 1)
        #expect(LatencyReservoir().quantile(0.5) == nil)
    }

    @Test("served, failed and per-code counts")
    func counters() {
        var statistics = ServerStatistics()
        statistics.record(method: "health", errorCode: nil, seconds: 0.001)
        statistics.record(method: "health", errorCode: nil, seconds: 0.002)
        statistics.record(method: "score", errorCode: -32602, seconds: 0.003)
        statistics.recordProtocolError(code: -32700)
        statistics.recordProtocolError(code: -32602)
        #expect(statistics.methods["health"]?.served == 2)
        #expect(statistics.methods["health"]?.failed == 0)
        #expect(statistics.methods["score"]?.failed == 1)
        #expect(statistics.errorsByCode == [-32602: 2, -32700: 1])
    }
}
