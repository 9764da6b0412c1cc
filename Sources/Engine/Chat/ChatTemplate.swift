public import GGUF

/// One turn of a conversation.
public struct ChatMessage: Sendable, Equatable, Hashable {
    /// `system`, `user` or `assistant`.
    public var role: String
    public var content: String

    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }
}

/// The chat template families the engine renders natively.
public enum ChatTemplateFamily: String, Sendable, CaseIterable {
    /// `<|im_start|>role\ncontent<|im_end|>\n` (SmolLM2, Qwen2.5), optionally with a default system turn.
    case chatML = "chatml"
    /// DeepSeek-R1 (and its Qwen / Llama distills): `<｜User｜>…<｜Assistant｜>…<｜end▁of▁sentence｜>`.
    case deepSeekR1 = "deepseek-r1"
    /// Llama 3.x: `<|start_header_id|>role<|end_header_id|>\n\ncontent<|eot_id|>`.
    case llama3 = "llama3"
}

/// Options a template reads besides the messages.
public struct ChatTemplateOptions: Sendable, Equatable {
    /// Llama 3.1+ `date_string` ("Today Date: …"); the templates' own fallback is "26 Jul 2024".
    public var dateString: String
    /// `enable_thinking` for DeepSeek-R1 templates that read it (false closes the think block at once).
    public var enableThinking: Bool

    public init(dateString: String = "26 Jul 2024", enableThinking: Bool = true) {
        self.dateString = dateString
        self.enableThinking = enableThinking
    }
}

/// A model's chat template, recognised by fingerprint and rendered natively (no Jinja interpreter).
///
/// ``init(template:bosToken:)`` recognises the `tokenizer.chat_template` text of the supported
/// families and records the variant details that change the output (ChatML's default system
/// prompt, e.g. SmolLM2's "You are a helpful AI assistant named SmolLM, trained by Hugging Face" or
/// Qwen2.5's "You are Qwen, created by Alibaba Cloud. You are a helpful assistant."; Llama 3.1+'s
/// system header with dates versus Llama 3.0's; whether DeepSeek-R1's generation prompt opens a
/// `<think>` block). ``render(_:addGenerationPrompt:options:)`` produces what Hugging Face's
/// `apply_chat_template` (jinja2 with trim_blocks / lstrip_blocks) produces for `system`, `user` and
/// `assistant` messages.
public struct ChatTemplate: Sendable, Equatable {
    /// The family (reported by `health`).
    public let family: ChatTemplateFamily
    /// ChatML: the system turn inserted when the first message is not a system message.
    public let defaultSystemPrompt: String?
    /// The text of the model's BOS token, written by the Llama 3 and DeepSeek templates.
    public let bosToken: String
    /// Llama 3: the 3.1+ layout (system header with knowledge and today dates always present).
    public let llamaDatedSystemHeader: Bool
    /// DeepSeek-R1: the generation prompt opens a think block (`<｜Assistant｜><think>\n`).
    public let deepSeekOpensThink: Bool
    /// DeepSeek-R1: the template reads `enable_thinking` (false appends `</think>` to the prompt).
    public let deepSeekThinkingSwitch: Bool

    /// Recognises a `tokenizer.chat_template` text.
    ///
    /// - Throws: ``EngineError/unsupportedChatTemplate(_:)`` when the text is not one of the
    ///   supported families (name a family with ``init(family:bosToken:defaultSystemPrompt:)`` instead).
    public init(template: String, bosToken: String) throws(EngineError) {
        self.bosToken = bosToken
        if template.contains("<｜User｜>") && template.contains("<｜Assistant｜>") {
            family = .deepSeekR1
            defaultSystemPrompt = nil
            llamaDatedSystemHeader = false
            deepSeekOpensThink =
                template.contains("<｜Assistant｜><think>\\n") || template.contains("<｜Assistant｜><think>\n")
            deepSeekThinkingSwitch = template.contains("enable_thinking")
        } else if template.contains("<|start_header_id|>") && template.contains("<|eot_id|>") {
            family = .llama3
            defaultSystemPrompt = nil
            llamaDatedSystemHeader = template.contains("Cutting Knowledge Date")
            deepSeekOpensThink = false
            deepSeekThinkingSwitch = false
        } else if template.contains("<|im_start|>") {
            for marker in ["reasoning_content", "enable_thinking", "<think>"] where template.contains(marker) {
                throw .unsupportedChatTemplate(
                    "a ChatML template with reasoning blocks ('\(marker)') is not supported; name a template family")
            }
            family = .chatML
            defaultSystemPrompt = Self.chatMLDefaultSystem(in: template)
            llamaDatedSystemHeader = false
            deepSeekOpensThink = false
            deepSeekThinkingSwitch = false
        } else {
            throw .unsupportedChatTemplate(
                "the model's chat template is not ChatML, DeepSeek-R1 or Llama 3; name a template family")
        }
    }

    /// A template named explicitly (for models without a recognisable template).
    ///
    /// ChatML without a default system prompt unless one is given; DeepSeek-R1 with the current
    /// generation prompt (`<｜Assistant｜><think>\n`); Llama 3 with the 3.1+ dated system header.
    public init(family: ChatTemplateFamily, bosToken: String? = nil, defaultSystemPrompt: String? = nil) {
        self.family = family
        self.defaultSystemPrompt = family == .chatML ? defaultSystemPrompt : nil
        switch family {
        case .chatML: self.bosToken = bosToken ?? ""
        case .deepSeekR1: self.bosToken = bosToken ?? "<｜begin▁of▁sentence｜>"
        case .llama3: self.bosToken = bosToken ?? "<|begin_of_text|>"
        }
        llamaDatedSystemHeader = family == .llama3
        deepSeekOpensThink = family == .deepSeekR1
        deepSeekThinkingSwitch = false
    }

    /// Recognises the template stored in a model (`tokenizer.chat_template`, BOS text from the tokenizer).
    ///
    /// - Throws: ``EngineError/unsupportedChatTemplate(_:)`` when the model has no template or an
    ///   unrecognised one.
    public init(gguf: GGUFFile, tokenizer: Tokenizer) throws(EngineError) {
        guard let text = gguf.string("tokenizer.chat_template") else {
            throw .unsupportedChatTemplate("the model has no tokenizer.chat_template; name a template family")
        }
        let bos = try tokenizer.specialIDs.bos.map { (id) throws(EngineError) in try tokenizer.tokenText(id) } ?? ""
        try self.init(template: text, bosToken: bos)
    }

    /// True when the rendered text starts with the BOS token (tokenize it without adding another).
    public var rendersBOS: Bool {
        family != .chatML && !bosToken.isEmpty
    }

    /// Renders a conversation as the template's Jinja source would.
    ///
    /// - Parameters:
    ///   - messages: `system`, `user` and `assistant` turns.
    ///   - addGenerationPrompt: end with the opening of an assistant turn.
    /// - Throws: ``EngineError/invalidChatMessages(_:)`` for an empty list or another role.
    public func render(
        _ messages: [ChatMessage], addGenerationPrompt: Bool = true,
        options: ChatTemplateOptions = ChatTemplateOptions()
    ) throws(EngineError) -> String {
        guard !messages.isEmpty else { throw .invalidChatMessages("there are no messages") }
        for (i, message) in messages.enumerated() where !["system", "user", "assistant"].contains(message.role) {
            throw .invalidChatMessages(
                "message \(i) has role '\(message.role)' (supported: system, user, assistant)")
        }
        switch family {
        case .chatML: return renderChatML(messages, addGenerationPrompt)
        case .deepSeekR1: return renderDeepSeek(messages, addGenerationPrompt, options)
        case .llama3: return renderLlama3(messages, addGenerationPrompt, options)
        }
    }

    private func renderChatML(_ messages: [ChatMessage], _ addGenerationPrompt: Bool) -> String {
        var out = ""
        if let defaultSystemPrompt, messages[0].role != "system" {
            out += "<|im_start|>system\n\(defaultSystemPrompt)<|im_end|>\n"
        }
        for message in messages {
            out += "<|im_start|>\(message.role)\n\(message.content)<|im_end|>\n"
        }
        if addGenerationPrompt { out += "<|im_start|>assistant\n" }
        return out
    }

    private func renderDeepSeek(
        _ messages: [ChatMessage], _ addGenerationPrompt: Bool, _ options: ChatTemplateOptions
    ) -> String {
        // The last system message goes first, right after BOS; system turns are not repeated.
        var out = bosToken + (messages.last { $0.role == "system" }?.content ?? "")
        for message in messages {
            switch message.role {
            case "user":
                out += "<｜User｜>" + message.content
            case "assistant":
                // Earlier reasoning is dropped: only the text after the last </think> is kept.
                let content = Self.afterLast("</think>", in: message.content) ?? message.content
                out += "<｜Assistant｜>" + content + "<｜end▁of▁sentence｜>"
            default:
                break
            }
        }
        if addGenerationPrompt {
            out += deepSeekOpensThink ? "<｜Assistant｜><think>\n" : "<｜Assistant｜>"
            if deepSeekThinkingSwitch && !options.enableThinking { out += "</think>" }
        }
        return out
    }

    private func renderLlama3(
        _ messages: [ChatMessage], _ addGenerationPrompt: Bool, _ options: ChatTemplateOptions
    ) -> String {
        var out = bosToken
        var rest = messages[...]
        if llamaDatedSystemHeader {
            var system = ""
            if rest.first?.role == "system" {
                system = Self.pythonStrip(rest.removeFirst().content)
            }
            out += "<|start_header_id|>system<|end_header_id|>\n\n"
            out += "Cutting Knowledge Date: December 2023\nToday Date: \(options.dateString)\n\n"
            out += system + "<|eot_id|>"
        }
        for message in rest {
            out +=
                "<|start_header_id|>\(message.role)<|end_header_id|>\n\n" + Self.pythonStrip(message.content)
                + "<|eot_id|>"
        }
        if addGenerationPrompt { out += "<|start_header_id|>assistant<|end_header_id|>\n\n" }
        return out
    }

    /// Jinja's `trim` filter: Python's `str.strip()` (characters for which `str.isspace()` is true).
    static func pythonStrip(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var start = 0
        var end = scalars.count
        while start < end && isPythonSpace(scalars[start].value) { start += 1 }
        while end > start && isPythonSpace(scalars[end - 1].value) { end -= 1 }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[start..<end])
        return String(view)
    }

    private static func isPythonSpace(_ c: UInt32) -> Bool {
        switch c {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// The literal default system prompt of a ChatML template (SmolLM2's, Qwen2.5's), if it has one:
    /// the string literal `'<|im_start|>system\n…<|im_end|>` in a branch taken when the first message
    /// is not a system message.
    static func chatMLDefaultSystem(in template: String) -> String? {
        guard
            template.contains("messages[0]['role'] != 'system'") || template.contains("messages[0]['role'] == 'system'")
        else { return nil }
        let text = Array(template.unicodeScalars)
        let close = Array("<|im_end|>".unicodeScalars)
        for opener in ["'<|im_start|>system\\n", "'<|im_start|>system\n"] {
            let open = Array(opener.unicodeScalars)
            var from = 0
            while let start = find(open, in: text, from: from) {
                from = start + open.count
                guard let end = find(close, in: text, from: from) else { break }
                let literal = text[from..<end]
                // Only a literal (no quote ends the string before <|im_end|>, no expression inside).
                if literal.contains("'") || literal.contains("{") { continue }
                var view = String.UnicodeScalarView()
                view.append(contentsOf: literal)
                return unescapeJinja(String(view))
            }
        }
        return nil
    }

    /// Index of the first occurrence of `needle` in `haystack` at or after `from` (code point search).
    private static func find(_ needle: [Unicode.Scalar], in haystack: [Unicode.Scalar], from: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, from <= haystack.count - needle.count else { return nil }
        for i in from...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
        }
        return nil
    }

    /// Python's `text.split(separator)[-1]` when `separator` occurs in `text`, else nil.
    static func afterLast(_ separator: String, in text: String) -> String? {
        let hay = Array(text.unicodeScalars)
        let needle = Array(separator.unicodeScalars)
        var last: Int?
        var from = 0
        while let i = find(needle, in: hay, from: from) {
            last = i
            from = i + needle.count
        }
        guard let last else { return nil }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: hay[(last + needle.count)...])
        return String(view)
    }

    /// Resolves the backslash escapes of a Jinja (Python) single-quoted string literal.
    private static func unescapeJinja(_ text: String) -> String {
        var out = ""
        var iterator = text.makeIterator()
        while let c = iterator.next() {
            guard c == "\\", let next = iterator.next() else {
                out.append(c)
                continue
            }
            switch next {
            case "n": out.append("\n")
            case "t": out.append("\t")
            case "r": out.append("\r")
            case "\\": out.append("\\")
            case "'": out.append("'")
            case "\"": out.append("\"")
            default:
                out.append("\\")
                out.append(next)
            }
        }
        return out
    }
}
