/// What the frame decoder found in the bytes fed so far.
public enum FrameEvent: Sendable, Hashable {
    /// One complete frame payload (the JSON text, without its header).
    case frame([UInt8])
    /// A header declaring zero bytes: answer -32600 and keep reading.
    case empty
    /// A header declaring more than the limit. Reported the moment the header is read; the body
    /// is never buffered and the decoder stops (`state == .failed`): answer -32003 and close.
    case tooLarge(declared: UInt32)
}

/// Splits a byte stream into frames: a value-type state machine with no I/O.
///
/// ```
///  0       1       2       3       4                        4+N
/// +-------+-------+-------+-------+-------- ... -----------+
/// |  N (UInt32, big-endian)       |  N bytes of UTF-8 JSON  |
/// +-------+-------+-------+-------+-------- ... -----------+
/// ```
///
/// Feed bytes as they arrive with `feed(_:)`, then call `next()` until it returns nil. Headers
/// split across reads and many frames in one read are both fine; consumed bytes are dropped in
/// amortised O(1) (no copying of the remaining buffer per frame).
public struct FrameDecoder: Sendable {
    /// Where the decoder is in the stream.
    public enum State: Sendable, Hashable {
        /// Waiting for the 4 header bytes.
        case readingHeader
        /// Header read; waiting for `length` body bytes.
        case readingBody(length: Int)
        /// An oversize header was seen; everything after it is discarded.
        case failed
    }

    /// Size of the length prefix.
    public static let headerBytes = 4
    /// The default frame limit: 16 MiB.
    public static let defaultMaxFrameBytes = 16 << 20

    /// The largest payload accepted.
    public let maxFrameBytes: Int
    /// Where the decoder is.
    public private(set) var state: State = .readingHeader

    /// Received bytes; `buffer[readIndex...]` is not consumed yet.
    private var buffer: [UInt8] = []
    private var readIndex = 0

    /// A decoder accepting payloads up to `maxFrameBytes` (at most `UInt32.max`).
    public init(maxFrameBytes: Int = defaultMaxFrameBytes) {
        precondition(maxFrameBytes >= 1, "maxFrameBytes must be positive")
        self.maxFrameBytes = min(maxFrameBytes, Int(UInt32.max))
    }

    /// Bytes received but not yet returned as part of a frame.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// Appends received bytes. After `.tooLarge` they are discarded.
    public mutating func feed(_ bytes: some Sequence<UInt8>) {
        guard state != .failed else { return }
        compactIfWorthwhile()
        buffer.append(contentsOf: bytes)
    }

    /// Returns the next event, or nil when more bytes are needed (or the decoder has failed).
    public mutating func next() -> FrameEvent? {
        while true {
            switch state {
            case .failed:
                return nil
            case .readingHeader:
                guard bufferedByteCount >= Self.headerBytes else { return nil }
                var length: UInt32 = 0
                for k in 0..<Self.headerBytes {
                    length = length << 8 | UInt32(buffer[readIndex + k])
                }
                readIndex += Self.headerBytes
                if length == 0 {
                    return .empty
                }
                if Int(length) > maxFrameBytes {
                    state = .failed
                    buffer = []
                    readIndex = 0
                    return .tooLarge(declared: length)
                }
                state = .readingBody(length: Int(length))
                // Reserve once for the whole body instead of growing while it trickles in.
                if bufferedByteCount < Int(length) {
                    compactIfWorthwhile(force: true)
                    buffer.reserveCapacity(readIndex + Int(length))
                }
            case .readingBody(let length):
                guard bufferedByteCount >= length else { return nil }
                let payload = Array(buffer[readIndex..<readIndex + length])
                readIndex += length
                state = .readingHeader
                if readIndex == buffer.count {
                    buffer.removeAll(keepingCapacity: buffer.capacity <= 64 << 10)
                    readIndex = 0
                }
                return .frame(payload)
            }
        }
    }

    /// Drops consumed bytes when they are at least half the buffer (amortised O(1) per byte).
    private mutating func compactIfWorthwhile(force: Bool = false) {
        guard readIndex > 0 else { return }
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            readIndex = 0
        } else if force || readIndex >= buffer.count / 2 {
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
    }
}

/// Writes frames: the 4-byte big-endian length, then the payload.
public enum FrameEncoder {
    /// The largest payload a 4-byte header can describe.
    public static let maxPayloadBytes = Int(UInt32.max)

    /// The frame carrying `payload`. The caller keeps payloads within `maxPayloadBytes`
    /// (and, for a peer, within its frame limit).
    public static func encode(_ payload: some Collection<UInt8>) -> [UInt8] {
        let count = payload.count
        precondition(count <= maxPayloadBytes, "frame payload of \(count) bytes exceeds the 4-byte length field")
        var frame: [UInt8] = []
        frame.reserveCapacity(FrameDecoder.headerBytes + count)
        frame.append(UInt8(truncatingIfNeeded: count >> 24))
        frame.append(UInt8(truncatingIfNeeded: count >> 16))
        frame.append(UInt8(truncatingIfNeeded: count >> 8))
        frame.append(UInt8(truncatingIfNeeded: count))
        frame.append(contentsOf: payload)
        return frame
    }

    /// The frame carrying `value` serialized compactly.
    public static func encode(_ value: JSONValue) -> [UInt8] {
        encode(value.serialized())
    }

    /// The 4 header bytes for a payload of `count` bytes.
    public static func header(forPayloadCount count: Int) -> [UInt8] {
        precondition(count >= 0 && count <= maxPayloadBytes, "payload size out of range")
        return [
            UInt8(truncatingIfNeeded: count >> 24), UInt8(truncatingIfNeeded: count >> 16),
            UInt8(truncatingIfNeeded: count >> 8), UInt8(truncatingIfNeeded: count),
        ]
    }
}
