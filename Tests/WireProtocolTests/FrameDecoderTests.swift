import Testing
import WireProtocol

@Suite("Frame codec")
struct FrameDecoderTests {
    /// Feeds `stream` in chunks of `chunk` bytes and collects every event.
    static func decode(_ stream: [UInt8], chunk: Int, maxFrameBytes: Int = 1 << 20) -> [FrameEvent] {
        var decoder = FrameDecoder(maxFrameBytes: maxFrameBytes)
        var events: [FrameEvent] = []
        var start = 0
        while start < stream.count {
            let end = min(start + chunk, stream.count)
            decoder.feed(stream[start..<end])
            while let event = decoder.next() { events.append(event) }
            start = end
        }
        return events
    }

    static let payloads: [[UInt8]] = [
        Array(#"{"id":1,"method":"health"}"#.utf8),
        Array("[]".utf8),
        Array(#"{"text":"é😀"}"#.utf8),
        [UInt8](repeating: UInt8(ascii: "x"), count: 1000),
        Array("{}".utf8),
    ]

    @Test("any chunking gives the same frames", arguments: [1, 2, 3, 4, 5, 7, 64, 100_000])
    func chunking(chunk: Int) {
        let stream = Self.payloads.flatMap { FrameEncoder.encode($0) }
        #expect(Self.decode(stream, chunk: chunk) == Self.payloads.map { .frame($0) })
    }

    @Test("header split over reads")
    func splitHeader() {
        var decoder = FrameDecoder()
        let frame = FrameEncoder.encode(Array("{}".utf8))
        decoder.feed(frame[0..<2])
        #expect(decoder.next() == nil)
        #expect(decoder.state == .readingHeader)
        decoder.feed(frame[2..<5])
        #expect(decoder.next() == nil)
        #expect(decoder.state == .readingBody(length: 2))
        decoder.feed(frame[5...])
        #expect(decoder.next() == .frame(Array("{}".utf8)))
        #expect(decoder.next() == nil)
        #expect(decoder.bufferedByteCount == 0)
    }

    @Test("many frames in one read")
    func manyFrames() {
        let frames = (0..<1000).map { Array("{\"id\":\($0)}".utf8) }
        var decoder = FrameDecoder()
        decoder.feed(frames.flatMap { FrameEncoder.encode($0) })
        var got: [[UInt8]] = []
        while case .frame(let payload)? = decoder.next() { got.append(payload) }
        #expect(got == frames)
        #expect(decoder.bufferedByteCount == 0)
    }

    @Test("zero length is reported and the stream continues")
    func zeroLength() {
        let stream = [0, 0, 0, 0] + FrameEncoder.encode(Array("{}".utf8)) + [0, 0, 0, 0]
        #expect(Self.decode(stream, chunk: 3) == [.empty, .frame(Array("{}".utf8)), .empty])
    }

    @Test("oversize is detected from the header alone")
    func oversize() {
        var decoder = FrameDecoder(maxFrameBytes: 100)
        decoder.feed([0, 0, 0, 101])  // no body at all
        #expect(decoder.next() == .tooLarge(declared: 101))
        #expect(decoder.state == .failed)
        // Further bytes are discarded; the decoder stays failed.
        decoder.feed(FrameEncoder.encode(Array("{}".utf8)))
        #expect(decoder.next() == nil)
        #expect(decoder.bufferedByteCount == 0)
    }

    @Test("the largest declarable length", arguments: [UInt32.max, UInt32(Int32.max) + 1])
    func hugeHeader(declared: UInt32) {
        var decoder = FrameDecoder()
        decoder.feed(FrameEncoder.header(forPayloadCount: Int(declared)))
        #expect(decoder.next() == .tooLarge(declared: declared))
    }

    @Test("exactly the maximum is accepted, one more is not", arguments: [1, 2, 10, 4096])
    func exactMax(max: Int) {
        let atMax = [UInt8](repeating: UInt8(ascii: "a"), count: max)
        #expect(Self.decode(FrameEncoder.encode(atMax), chunk: 7, maxFrameBytes: max) == [.frame(atMax)])
        let over = atMax + [UInt8(ascii: "a")]
        #expect(
            Self.decode(FrameEncoder.encode(over), chunk: 7, maxFrameBytes: max) == [
                .tooLarge(declared: UInt32(max + 1))
            ])
    }

    @Test("frames before an oversize header are still delivered")
    func framesBeforeOversize() {
        let ok = Array("{}".utf8)
        let stream = FrameEncoder.encode(ok) + [0, 1, 0, 0] + [UInt8](repeating: 1, count: 10)
        #expect(Self.decode(stream, chunk: 1000, maxFrameBytes: 1000) == [.frame(ok), .tooLarge(declared: 65536)])
    }

    @Test("header encoding is big-endian")
    func bigEndian() {
        #expect(FrameEncoder.header(forPayloadCount: 0x0102_0304) == [1, 2, 3, 4])
        #expect(Array(FrameEncoder.encode(Array("ab".utf8))) == [0, 0, 0, 2, 97, 98])
        #expect(FrameEncoder.encode(JSONValue.object(["a": 1])) == [0, 0, 0, 7] + Array(#"{"a":1}"#.utf8))
    }

    @Test("a large frame trickling in byte by byte")
    func largeTrickle() {
        let payload = (0..<200_000).map { UInt8(truncatingIfNeeded: $0) }
        let frame = FrameEncoder.encode(payload)
        var decoder = FrameDecoder()
        var got: FrameEvent?
        for byte in frame {
            decoder.feed(CollectionOfOne(byte))
            if let event = decoder.next() { got = event }
        }
        #expect(got == .frame(payload))
    }
}
