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
    static func byte(forScalar scalar: UInt32) -> UInt8? {
        if scalar < 0x100 {
            let byte = UInt8(scalar)
            return scalarForByte[Int(byte)] == scalar ? byte : nil
        }
        return inverseHigh[scalar]
    }

    private static let inverseHigh: [UInt32: UInt8] = {
        var map: [UInt32: UInt8] = [:]
        for byte in 0..<256 where scalarForByte[byte] >= 0x100 {
            map[scalarForByte[byte]] = UInt8(byte)
        }
        return map
    }()

    /// Decodes a vocabulary string written in mapped characters to the raw bytes it stands for,
    /// or nil if some character is not a mapped one.
    static func rawBytes(ofMapped text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            guard let byte = byte(forScalar: scalar.value) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }
}
