import Testing

@testable import Engine

/// The split rules read llama.cpp's Unicode category table, not the Swift runtime's.
@Suite("Tokenizer Unicode categories")
struct TokenizerUnicodeTests {
    /// Category of a code point in llama.cpp's table terms: L(etter), N(umber), W(hitespace), O(ther), U(ndefined).
    static func llamaClass(_ cp: UInt32) -> Character {
        let f = CodepointFlags(codepoint: cp)
        if f.isWhitespace { return "W" }
        if f.isLetter { return "L" }
        if f.isNumber { return "N" }
        if f.raw & CodepointFlags.undefined != 0 { return "U" }
        return "O"
    }

    static func swiftClass(_ cp: UInt32) -> Character {
        guard let scalar = Unicode.Scalar(cp) else { return "U" }
        if scalar.properties.isWhitespace { return "W" }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return "L"
        case .decimalNumber, .letterNumber, .otherNumber: return "N"
        case .unassigned: return "U"
        default: return "O"
        }
    }

    @Test(
        "known code points (values from llama.cpp's unicode-data.cpp)",
        arguments: [
            (0x41, "L"), (0x30, "N"), (0x20, "W"), (0x0A, "W"), (0x85, "W"), (0xA0, "W"), (0x3000, "W"), (0x2028, "W"),
            (0x0660, "N"), (0x00B2, "N"), (0x2160, "N"), (0x4E2D, "L"), (0x1F600, "O"), (0x0301, "O"), (0x0378, "U"),
            (0x10FFFF, "U"), (0x110000, "U"), (0x0024, "O"), (0x1E030, "L"),
            // unassigned in llama.cpp's table, assigned in newer Unicode data (the Swift 6.3 runtime)
            (0x088F, "U"), (0x0897, "U"), (0x1AD0, "U"),
        ] as [(UInt32, Character)])
    func knownCodePoints(codepoint: UInt32, expected: Character) {
        #expect(Self.llamaClass(codepoint) == expected)
    }

    @Test("where llama.cpp's table and the Swift runtime disagree, the table wins (and they mostly agree)")
    func comparedWithSwift() {
        var differences: [UInt32] = []
        for cp in UInt32(0)..<0x110000 where !(0xD800...0xDFFF).contains(cp) {
            if Self.llamaClass(cp) != Self.swiftClass(cp) { differences.append(cp) }
        }
        // The two agree on the vast majority of code points; the rest are version or
        // whitespace-definition differences that must follow llama.cpp.
        #expect(differences.count < 20000)
        print(
            "llama.cpp table vs Swift runtime: \(differences.count) code points differ, e.g.",
            differences.prefix(12).map { "U+" + String($0, radix: 16, uppercase: true) })
    }
}
