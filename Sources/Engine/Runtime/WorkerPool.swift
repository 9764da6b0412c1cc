internal import CKernels
internal import Foundation
internal import Synchronization

/// A fixed set of threads that run one parallel job at a time, spinning briefly between jobs.
///
/// The forward pass calls `run` a few hundred times per token (every matmul, attention), so a job
/// must start in microseconds: workers spin on a generation counter for a while after each job and
/// only then sleep on a condition variable. The calling thread takes part as worker 0, so a pool
/// of `threadCount` uses `threadCount - 1` extra threads. One job runs at a time; `run` is not
/// reentrant and must be called from one thread at a time (the engine's scheduler thread).
final class WorkerPool: @unchecked Sendable {
    /// Number of participants in every job, the caller included.
    let threadCount: Int
    private let shared: Shared

    /// State shared with the worker threads (they keep it alive after the pool is gone).
    private final class Shared: @unchecked Sendable {
        /// Bumped once per job; workers start the job when they see it change.
        let generation = Atomic<Int>(0)
        /// Workers still running the current job.
        let pending = Atomic<Int>(0)
        /// Workers blocked on `condition` (they are woken only when this is non-zero).
        let sleepers = Atomic<Int>(0)
        let stopping = Atomic<Bool>(false)
        let condition = NSCondition()
        /// The current job; written by the caller before `generation` is bumped.
        nonisolated(unsafe) var job: ((Int) -> Void)?

        func wake() {
            if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
                condition.lock()
                condition.broadcast()
                condition.unlock()
            }
        }
    }

    /// Polls (PAUSE hints) before a waiting thread starts yielding its core: about a millisecond,
    /// longer than the gaps between the jobs of one forward pass.
    private static let yieldAfter = 20_000
    /// Polls before a worker goes to sleep (a few milliseconds more of yielding).
    private static let spinLimit = 30_000

    /// Starts `threadCount - 1` worker threads (`threadCount` is clamped to at least 1).
    init(threadCount: Int) {
        self.threadCount = max(1, threadCount)
        shared = Shared()
        for index in 1..<self.threadCount {
            let state = shared
            let thread = Thread { Self.workerLoop(state, index: index) }
            thread.name = "raif-worker-\(index)"
            thread.start()
        }
    }

    deinit {
        shared.stopping.store(true, ordering: .sequentiallyConsistent)
        shared.generation.wrappingAdd(1, ordering: .sequentiallyConsistent)
        shared.condition.lock()
        shared.condition.broadcast()
        shared.condition.unlock()
    }

    /// Runs `body(worker)` for every worker index in `0..<threadCount` in parallel and returns when all are done.
    func run(_ body: @escaping (Int) -> Void) {
        if threadCount == 1 {
            body(0)
            return
        }
        shared.job = body
        shared.pending.store(threadCount - 1, ordering: .sequentiallyConsistent)
        shared.generation.wrappingAdd(1, ordering: .sequentiallyConsistent)
        shared.wake()
        body(0)
        var spins = 0
        while shared.pending.load(ordering: .acquiring) > 0 {
            spins += 1
            if spins < Self.yieldAfter { raif_cpu_relax() } else { sched_yield() }
        }
        shared.job = nil
    }

    /// Splits `0..<count` into `threadCount` contiguous parts aligned to `granule` and returns part `worker`.
    func range(of count: Int, worker: Int, granule: Int = 1) -> Range<Int> {
        let units = (count + granule - 1) / granule
        let per = units / threadCount
        let extra = units % threadCount
        let startUnit = worker * per + min(worker, extra)
        let endUnit = startUnit + per + (worker < extra ? 1 : 0)
        return min(count, startUnit * granule)..<min(count, endUnit * granule)
    }

    private static func workerLoop(_ state: Shared, index: Int) {
        var seen = 0
        while true {
            var spins = 0
            var current = state.generation.load(ordering: .acquiring)
            while current == seen {
                spins += 1
                if spins < yieldAfter {
                    raif_cpu_relax()
                } else if spins < spinLimit {
                    sched_yield()
                } else {
                    state.condition.lock()
                    state.sleepers.wrappingAdd(1, ordering: .sequentiallyConsistent)
                    while state.generation.load(ordering: .sequentiallyConsistent) == seen {
                        state.condition.wait()
                    }
                    state.sleepers.wrappingSubtract(1, ordering: .sequentiallyConsistent)
                    state.condition.unlock()
                    spins = 0
                }
                current = state.generation.load(ordering: .acquiring)
            }
            seen = current
            if state.stopping.load(ordering: .sequentiallyConsistent) { return }
            state.job?(index)
            state.pending.wrappingSubtract(1, ordering: .releasing)
        }
    }
}
