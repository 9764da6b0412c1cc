internal import CCLD2

/// A language guess for a text, from Google's CLD2.
public struct DetectedLanguage: Sendable, Hashable {
    /// ISO 639-1 code where one exists ("en", "he", "zh"), else CLD2's own code; nil when CLD2
    /// could not tell (no letters, or too little text).
    public var code: String?
    /// Percentage of the scored letters in that language, 0...100.
    public var percent: Int
    /// Whether CLD2 considers the guess reliable.
    public var isReliable: Bool
    /// How many bytes of letters CLD2 scored.
    public var scoredBytes: Int

    /// Makes a language guess.
    public init(code: String?, percent: Int, isReliable: Bool, scoredBytes: Int) {
        self.code = code
        self.percent = percent
        self.isReliable = isReliable
        self.scoredBytes = scoredBytes
    }
}

/// Language detection through the CLD2 shim.
public enum LanguageDetector {
    /// Detects the main language of plain text.
    public static func detect(_ text: String) -> DetectedLanguage {
        var copy = text
        return copy.withUTF8 { buffer -> DetectedLanguage in
            var code = [CChar](repeating: 0, count: 16)
            var percent: Int32 = 0
            var reliable: Int32 = 0
            let scored = buffer.withMemoryRebound(to: CChar.self) { chars in
                raif_cld2_detect(chars.baseAddress, Int32(clamping: chars.count), 1, &code, &percent, &reliable)
            }
            let raw = String(decoding: code.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            // With nothing scored CLD2 still answers its default (English); report "unknown" instead.
            return DetectedLanguage(
                code: scored > 0 && percent > 0 ? isoCode(cld2: raw) : nil, percent: Int(percent),
                isReliable: reliable != 0,
                scoredBytes: max(0, Int(scored)))
        }
    }

    /// Maps CLD2's codes onto the ISO 639-1 codes IFEval's kwargs use.
    static func isoCode(cld2 code: String) -> String? {
        switch code {
        case "un", "xxx", "": return nil
        case "iw": return "he"
        case "jw": return "jv"
        case "zh-Hant": return "zh"
        default: return code
        }
    }
}
