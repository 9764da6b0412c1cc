#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Musl)
    internal import Musl
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// The C math library functions the sampler needs (no Foundation).
enum LibM {
    @inline(__always) static func exp(_ x: Double) -> Double { _exp(x) }

    @inline(__always) static func log(_ x: Double) -> Double { _log(x) }

    @inline(__always) static func logf(_ x: Float) -> Float { _logf(x) }

    @inline(__always) static func expf(_ x: Float) -> Float { _expf(x) }
}

@inline(__always) private func _exp(_ x: Double) -> Double { exp(x) }
@inline(__always) private func _log(_ x: Double) -> Double { log(x) }
@inline(__always) private func _logf(_ x: Float) -> Float { logf(x) }
@inline(__always) private func _expf(_ x: Float) -> Float { expf(x) }
