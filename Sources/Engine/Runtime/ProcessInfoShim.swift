internal import Foundation

/// Process facts the engine reads from Foundation (kept out of the public surface).
enum ProcessInfoShim {
    /// Logical cores this process may run on.
    static var activeProcessorCount: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// Monotonic seconds.
    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}
