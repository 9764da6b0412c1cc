/// The Unicode properties llama.cpp's split rules look at, for one code point.
///
/// Built from llama.cpp's own category table (`UnicodeFlagsTable.swift`), not from the Swift
/// runtime's Unicode data, so text splits exactly as llama.cpp splits it even for code points
/// whose category changed between Unicode versions. `raw == 0` means "outside the text"
/// (llama.cpp's `OUT_OF_RANGE`); every code point inside the text has at least one bit set
/// (unassigned ones carry `undefined`).
struct CodepointFlags: Equatable {
    var raw: UInt16

    static let undefined: UInt16 = 0x0001
    static let number: UInt16 = 0x0002
    static let letter: UInt16 = 0x0004
    static let whitespace: UInt16 = 0x0100

    /// The flags of a position outside the current fragment.
    static let outside = CodepointFlags(raw: 0)

    var isNumber: Bool { raw & Self.number != 0 }
    var isLetter: Bool { raw & Self.letter != 0 }
    var isWhitespace: Bool { raw & Self.whitespace != 0 }
    /// True for every code point inside the text (llama.cpp's `flags.as_uint() != 0`).
    var isInside: Bool { raw != 0 }

    /// The flags of one code point (category from llama.cpp's ranges, plus its whitespace bit).
    init(codepoint: UInt32) {
        if codepoint < 128 {
            self = CodepointFlags.ascii[Int(codepoint)]
        } else {
            self = CodepointFlags(raw: CodepointFlags.lookup(codepoint))
        }
    }

    init(raw: UInt16) {
        self.raw = raw
    }

    private static let ascii: [CodepointFlags] = (0..<128).map { CodepointFlags(raw: lookup(UInt32($0))) }

    /// Binary search of the range table; code points past 0x10FFFF are `undefined`.
    private static func lookup(_ codepoint: UInt32) -> UInt16 {
        let table = llamaUnicodeRanges
        guard codepoint < 0x110000 else { return undefined }
        // Find the last entry whose first code point is <= codepoint.
        var low = 0
        var high = table.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if table[mid] >> 8 <= codepoint {
                low = mid
            } else {
                high = mid - 1
            }
        }
        var flags = UInt16(table[low] & 0xFF)
        if llamaUnicodeWhitespace.contains(codepoint) {
            flags |= whitespace
        }
        return flags
    }
}
