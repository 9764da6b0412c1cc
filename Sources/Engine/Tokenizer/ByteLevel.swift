/// GPT-2's reversible byte ↔ printable-character mapping used by byte-level BPE vocabularies.
///
/// Printable Latin-1 bytes (`!`…`~`, `¡`…`¬`, `®`…`ÿ`) stand for themselves; the other 68 bytes map,
/// in byte order, to U+0100, U+0101, … (so a space is `Ġ` U+0120 and a newline `Ċ` U+010A).
enum ByteLevel {
    /// `scalarForByte[b]` is the code point that stands for byte `b`.
    static let scalarForByte: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            if (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte) {
                table[byte] = UInt32(byte)
            } else {
                table[byte] = next
                next += 1
            }
        }
        return table
    }()

    /// The byte a code point stands for, or nil if it is not one of the 256 mapped characters.
    @inline(__always) static func byte(forScalar scalar: UInt32) -> UInt8? {
        guard scalar < UInt32(inverse.count) else { return nil }
        let value = inverse[Int(scalar)]
        return value < 0 ? nil : UInt8(value)
    }

    /// `inverse[c]`: the byte code point `c` stands for, or -1 (the mapped code points are < 0x144).
    private static let inverse: [Int16] = {
        var table = [Int16](repeating: -1, count: Int(scalarForByte.max()!) + 1)
        for byte in 0..<256 {
            table[Int(scalarForByte[byte])] = Int16(byte)
        }
        return table
    }()

    /// Decodes a vocabulary string written in mapped characters to the raw bytes it stands for,
    /// or nil if some character is not a mapped one.
    static func rawBytes(ofMapped text: String) -> [UInt8]? {
        rawBytes(ofMappedUTF8: text.utf8)
    }

    /// As ``rawBytes(ofMapped:)``, from the UTF-8 bytes of the mapped text. The mapped characters
    /// are all below U+0800, so only one- and two-byte sequences can be mapped ones.
    static func rawBytes<C: Collection<UInt8>>(ofMappedUTF8 utf8: C) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var i = utf8.startIndex
        while i != utf8.endIndex {
            let lead = utf8[i]
            let scalar: UInt32
            if lead < 0x80 {
                scalar = UInt32(lead)
                i = utf8.index(after: i)
            } else if lead & 0xE0 == 0xC0 {
                let next = utf8.index(after: i)
                guard next != utf8.endIndex else { return nil }
                scalar = UInt32(lead & 0x1F) << 6 | UInt32(utf8[next] & 0x3F)
                i = utf8.index(after: next)
            } else {
                return nil
            }
            guard let byte = byte(forScalar: scalar) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }
}
