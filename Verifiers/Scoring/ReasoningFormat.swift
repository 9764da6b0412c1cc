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
public enum ReasoningFormat {
    /// The text to check under `mode` (the answer, or the raw text for `keep`).
    public static func answer(of response: String, mode: ReasoningMode) -> String {
        switch mode {
        case .keep: return response
        case .strip, .require: return extractAnswer(response)
        }
    }

    /// The answer: after the last `</think>`, `<answer>` unwrapped, trimmed.
    ///
    /// A response that opens `<think>` and never closes it has no answer (empty string): its
    /// reasoning was cut off, and checking the reasoning as if it were the answer would be wrong.
    static func extractAnswer(_ response: String) -> String {
        var answer = Substring(response)
        if let close = response.ranges(of: "</think>").last {
            answer = response[close.upperBound...]
        } else if response.contains("<think>") {
            return ""
        }
        if let open = answer.firstRange(of: "<answer>") {
            let rest = answer[open.upperBound...]
            if let close = rest.ranges(of: "</answer>").last {
                answer = rest[..<close.lowerBound]
            } else {
                answer = rest
            }
        }
        return trimmed(answer)
    }

    /// RAIF's format rule.
    ///
    /// Accepted: optional white space, `<think>`, non-empty reasoning, `</think>`, then a non-empty
    /// answer (after unwrapping `<answer>…</answer>`), with no other `<think>` or `</think>`. The
    /// opening `<think>` may be absent when generation was primed with it in the prompt (RAIF's
    /// contrast samples start inside an open `<think>`); the response then holds exactly one
    /// `</think>` and no `<think>`.
    public static func check(_ response: String) -> FormatCheck {
        let opens = response.ranges(of: "<think>")
        let closes = response.ranges(of: "</think>")
        guard closes.count == 1, let close = closes.first else {
            return FormatCheck(
                pass: false, reasoningIsEmpty: true,
                detail: closes.isEmpty ? "no </think> closes the reasoning" : "\(closes.count) </think> tags; exactly one allowed")
        }
        guard opens.count <= 1 else {
            return FormatCheck(pass: false, reasoningIsEmpty: true, detail: "\(opens.count) <think> tags; exactly one allowed")
        }
        var reasoningStart = response.startIndex
        if let open = opens.first {
            guard open.lowerBound < close.lowerBound else {
                return FormatCheck(pass: false, reasoningIsEmpty: true, detail: "</think> comes before <think>")
            }
            guard trimmed(response[..<open.lowerBound]).isEmpty else {
                return FormatCheck(pass: false, reasoningIsEmpty: true, detail: "text before <think>")
            }
            reasoningStart = open.upperBound
        }
        let reasoning = trimmed(response[reasoningStart..<close.lowerBound])
        if reasoning.isEmpty {
            return FormatCheck(pass: false, reasoningIsEmpty: true, detail: "the <think> block is empty")
        }
        if extractAnswer(response).isEmpty {
            return FormatCheck(pass: false, reasoningIsEmpty: false, detail: "no answer after </think>")
        }
        return FormatCheck(pass: true, reasoningIsEmpty: false, detail: "one non-empty <think> block, then an answer")
    }

    private static func trimmed(_ text: Substring) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
