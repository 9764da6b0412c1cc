/// How a response's reasoning block is treated before its constraints are checked.
public enum ReasoningMode: String, Sendable, Hashable, CaseIterable {
    /// Check only the answer: the text after the last `</think>`, with `<answer>…</answer>`
    /// unwrapped, trimmed (as open-instruct does). A `<think>` that is never closed leaves no answer.
    case strip
    /// Check the raw text, as the IFEval reference does.
    case keep
    /// RAIF's format rule: exactly one non-empty `<think>…</think>` and then a non-empty answer;
    /// the answer is extracted as in `strip`. Failing the rule is a format failure.
    case require
}

/// The result of RAIF's format rule on one response.
public struct FormatCheck: Sendable, Hashable {
    /// Whether the response has exactly one `<think>…</think>` followed by an answer.
    public var pass: Bool
    /// Whether the reasoning inside `<think>…</think>` is empty (or missing).
    public var reasoningIsEmpty: Bool
    /// Why, for humans.
    public var detail: String

    /// Makes a format check.
    public init(pass: Bool, reasoningIsEmpty: Bool, detail: String) {
        self.pass = pass
        self.reasoningIsEmpty = reasoningIsEmpty
        self.detail = detail
    }
}

/// Splits responses into reasoning and answer.
///
/// The tags are ASCII, so both functions scan the UTF-8 bytes once (a generic `String` search
/// walks grapheme clusters and costs ~100× more on a long response).
public enum ReasoningFormat {
    /// The text to check under `mode` (the answer, or the raw text for `keep`).
    public static func answer(of response: String, mode: ReasoningMode) -> String {
        switch mode {
        case .keep: return response
        case .strip, .require: return extractAnswer(response)
        }
    }

    /// Byte ranges of the four tags in a response.
    private struct Tags {
        var think: [Range<Int>] = []
        var thinkClose: [Range<Int>] = []
        var answer: [Range<Int>] = []
        var answerClose: [Range<Int>] = []
    }

    private static let thinkTag = Array("<think>".utf8)
    private static let thinkCloseTag = Array("</think>".utf8)
    private static let answerTag = Array("<answer>".utf8)
    private static let answerCloseTag = Array("</answer>".utf8)

    private static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Tags {
        var tags = Tags()
        let n = bytes.count
        var i = 0
        func matches(_ tag: [UInt8], at i: Int) -> Bool {
            guard i + tag.count <= n else { return false }
            for k in 1..<tag.count where bytes[i + k] != tag[k] { return false }
            return true
        }
        while i < n {
            guard bytes[i] == UInt8(ascii: "<") else {
                i += 1
                continue
            }
            if matches(thinkTag, at: i) {
                tags.think.append(i..<(i + thinkTag.count))
            } else if matches(thinkCloseTag, at: i) {
                tags.thinkClose.append(i..<(i + thinkCloseTag.count))
            } else if matches(answerTag, at: i) {
                tags.answer.append(i..<(i + answerTag.count))
            } else if matches(answerCloseTag, at: i) {
                tags.answerClose.append(i..<(i + answerCloseTag.count))
            }
            i += 1
        }
        return tags
    }

    /// The answer's byte range: after the last `</think>`, `<answer>` unwrapped; nil when a
    /// `<think>` is never closed.
    private static func answerRange(_ tags: Tags, count n: Int) -> Range<Int>? {
        var start = 0
        if let close = tags.thinkClose.last {
            start = close.upperBound
        } else if !tags.think.isEmpty {
            return nil
        }
        var end = n
        if let open = tags.answer.first(where: { $0.lowerBound >= start }) {
            start = open.upperBound
            if let close = tags.answerClose.last, close.lowerBound >= start { end = close.lowerBound }
        }
        return start..<end
    }

    private static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        trimmed(Substring(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)))
    }

    /// The answer: after the last `</think>`, `<answer>` unwrapped, trimmed.
    ///
    /// A response that opens `<think>` and never closes it has no answer (empty string): its
    /// reasoning was cut off, and checking the reasoning as if it were the answer would be wrong.
    static func extractAnswer(_ response: String) -> String {
        var copy = response
        return copy.withUTF8 { bytes in
            let tags = scan(bytes)
            if tags.think.isEmpty && tags.thinkClose.isEmpty && tags.answer.isEmpty {
                return trimmed(response)  // the common case: no copy unless there is white space to trim
            }
            guard let range = answerRange(tags, count: bytes.count) else { return "" }
            return string(bytes, range)
        }
    }

    /// RAIF's format rule.
    ///
    /// Accepted: optional white space, `<think>`, non-empty reasoning, `</think>`, then a non-empty
    /// answer (after unwrapping `<answer>…</answer>`), with no other `<think>` or `</think>`. The
    /// opening `<think>` may be absent when generation was primed with it in the prompt (RAIF's
    /// contrast samples start inside an open `<think>`); the response then holds exactly one
    /// `</think>` and no `<think>`.
    public static func check(_ response: String) -> FormatCheck {
        var copy = response
        return copy.withUTF8 { bytes in
            let tags = scan(bytes)
            let opens = tags.think
            let closes = tags.thinkClose
            guard closes.count == 1, let close = closes.first else {
                return FormatCheck(
                    pass: false, reasoningIsEmpty: true,
                    detail: closes.isEmpty
                        ? "no </think> closes the reasoning" : "\(closes.count) </think> tags; exactly one allowed")
            }
            guard opens.count <= 1 else {
                return FormatCheck(
                    pass: false, reasoningIsEmpty: true, detail: "\(opens.count) <think> tags; exactly one allowed")
            }
            var reasoningStart = 0
            if let open = opens.first {
                guard open.lowerBound < close.lowerBound else {
                    return FormatCheck(pass: false, reasoningIsEmpty: true, detail: "</think> comes before <think>")
                }
                guard string(bytes, 0..<open.lowerBound).isEmpty else {
                    return FormatCheck(pass: false, reasoningIsEmpty: true, detail: "text before <think>")
                }
                reasoningStart = open.upperBound
            }
            if string(bytes, reasoningStart..<close.lowerBound).isEmpty {
                return FormatCheck(pass: false, reasoningIsEmpty: true, detail: "the <think> block is empty")
            }
            guard let answer = answerRange(tags, count: bytes.count), !string(bytes, answer).isEmpty else {
                return FormatCheck(pass: false, reasoningIsEmpty: false, detail: "no answer after </think>")
            }
            return FormatCheck(
                pass: true, reasoningIsEmpty: false, detail: "one non-empty <think> block, then an answer")
        }
    }

    private static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return text }
        if !first.properties.isWhitespace && !last.properties.isWhitespace { return text }
        return trimmed(Substring(text))
    }

    private static func trimmed(_ text: Substring) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
