/// Keys and values of one sequence for every layer, stored as F16 like llama.cpp's default cache.
///
/// ```
/// keys:   [layerCount][capacity][kvDimension]  Float16   (RoPE already applied)
/// values: [layerCount][capacity][kvDimension]  Float16
/// ```
/// Position `p` of layer `l` starts at `(l * capacity + p) * kvDimension`. `count` positions are
/// filled; `reserve` grows the capacity (copying), so a sequence only pays for what it uses.
final class KVCache: @unchecked Sendable {
    let layerCount: Int
    let kvDimension: Int
    /// Positions allocated per layer.
    private(set) var capacity: Int
    /// Positions filled (the next token goes at position `count`).
    var count: Int = 0
    /// [layerCount][capacity][kvDimension]
    private(set) var keys: UnsafeMutablePointer<Float16>
    /// [layerCount][capacity][kvDimension]
    private(set) var values: UnsafeMutablePointer<Float16>

    init(layerCount: Int, kvDimension: Int, capacity: Int) {
        self.layerCount = layerCount
        self.kvDimension = kvDimension
        self.capacity = max(1, capacity)
        let n = layerCount * self.capacity * kvDimension
        keys = .allocate(capacity: n)
        values = .allocate(capacity: n)
    }

    deinit {
        keys.deallocate()
        values.deallocate()
    }

    /// Bytes held by the key and value storage.
    var byteCount: Int { 2 * layerCount * capacity * kvDimension * MemoryLayout<Float16>.stride }

    /// Keys of layer `layer` at position `position` ([kvDimension]).
    @inline(__always) func key(layer: Int, position: Int) -> UnsafeMutablePointer<Float16> {
        keys + (layer * capacity + position) * kvDimension
    }

    /// Values of layer `layer` at position `position` ([kvDimension]).
    @inline(__always) func value(layer: Int, position: Int) -> UnsafeMutablePointer<Float16> {
        values + (layer * capacity + position) * kvDimension
    }

    /// Keys of layer `layer` from position `position` on, as the F16 bit patterns the C kernels take.
    @inline(__always) func keyBits(layer: Int, position: Int) -> UnsafePointer<UInt16> {
        UnsafeRawPointer(key(layer: layer, position: position)).assumingMemoryBound(to: UInt16.self)
    }

    /// Values of layer `layer` from position `position` on, as F16 bit patterns.
    @inline(__always) func valueBits(layer: Int, position: Int) -> UnsafePointer<UInt16> {
        UnsafeRawPointer(value(layer: layer, position: position)).assumingMemoryBound(to: UInt16.self)
    }

    /// Makes room for at least `positions` positions, keeping the filled ones.
    func reserve(_ positions: Int) {
        guard positions > capacity else { return }
        let newCapacity = max(positions, min(capacity * 2, positions + 256))
        let n = layerCount * newCapacity * kvDimension
        let newKeys = UnsafeMutablePointer<Float16>.allocate(capacity: n)
        let newValues = UnsafeMutablePointer<Float16>.allocate(capacity: n)
        let filled = count * kvDimension
        for l in 0..<layerCount {
            (newKeys + l * newCapacity * kvDimension).update(from: keys + l * capacity * kvDimension, count: filled)
            (newValues + l * newCapacity * kvDimension).update(from: values + l * capacity * kvDimension, count: filled)
        }
        keys.deallocate()
        values.deallocate()
        keys = newKeys
        values = newValues
        capacity = newCapacity
    }

    /// Replaces this cache's contents with the first `positions` positions of `other` (a shared prompt prefix).
    func copyPrefix(of other: KVCache, positions: Int) {
        precondition(other.layerCount == layerCount && other.kvDimension == kvDimension && positions <= other.count)
        reserve(positions)
        let n = positions * kvDimension
        for l in 0..<layerCount {
            (keys + l * capacity * kvDimension).update(from: other.keys + l * other.capacity * kvDimension, count: n)
            (values + l * capacity * kvDimension).update(
                from: other.values + l * other.capacity * kvDimension, count: n)
        }
        count = positions
    }
}
