internal import Engine
internal import Verifiers
internal import WireProtocol

/// `generate`'s params, read and range-checked before any token is spent.
///
/// Every error is -32602 naming the field (`params.top_p must be in (0, 1], got 0`).
struct GenerationParameters: Sendable {
    /// Where the prompt comes from.
    enum Prompt: Sendable, Equatable {
        /// Raw text, tokenized as llama.cpp does (special tokens parsed, BOS per the model).
        case text(String)
        /// A conversation rendered through the chat template with a generation prompt.
        case messages([ChatMessage])
    }

    /// The members `generate` accepts.
    static let names = [
        "prompt", "messages", "template", "max_tokens", "n_predict", "temperature", "top_k", "top_p", "min_p",
        "repeat_penalty", "frequency_penalty", "presence_penalty", "seed", "stop", "n", "logprobs", "stream",
    ]
    /// Largest `n`.
    static let maxSamples = 64
    /// Most stop strings.
    static let maxStopStrings = 16
    /// Default `max_tokens`.
    static let defaultMaxTokens = 16

    var prompt: Prompt
    /// A chat template family named by the caller (for models whose template is not recognised).
    var template: ChatTemplateFamily?
    var maxTokens: Int
    var sampling: SamplingParameters
    var stop: [String]
    var sampleCount: Int
    var logprobs: Bool
    var stream: Bool

    /// Reads the generation members of `params` (unknown members are the caller's concern).
    init(_ reader: ParamReader) throws(RPCError) {
        let text = try reader.optional("prompt", as: String.self)
        let rawMessages = try reader.optional("messages", as: [JSONValue].self)
        switch (text, rawMessages) {
        case (nil, nil):
            throw RPCError.invalidParams(
                "\(reader.path) needs one of prompt (raw text) or messages (a conversation)",
                data: ["field": .string(reader.field("prompt"))])
        case (.some, .some):
            throw reader.error("messages", "cannot be given together with prompt")
        case (.some(let text), nil):
            guard !text.isEmpty else { throw reader.error("prompt", "must not be empty") }
            prompt = .text(text)
        case (nil, .some(let raw)):
            prompt = .messages(try Self.messages(raw, reader: reader))
        }
        if let family = try reader.optional("template", as: String.self) {
            guard let named = ChatTemplateFamily(rawValue: family) else {
                let known = ChatTemplateFamily.allCases.map(\.rawValue).joined(separator: ", ")
                throw reader.error("template", "must be one of \(known), got '\(family)'")
            }
            guard case .messages = prompt else { throw reader.error("template", "applies only to messages") }
            template = named
        }

        if reader.value("max_tokens") != nil && reader.value("n_predict") != nil {
            throw reader.error("n_predict", "is an alias of max_tokens; give only one of them")
        }
        let maxKey = reader.value("n_predict") != nil ? "n_predict" : "max_tokens"
        maxTokens = try reader.optional(maxKey, default: Self.defaultMaxTokens, in: 1...)

        var sampling = SamplingParameters()
        sampling.temperature = try Self.number(reader, "temperature", default: sampling.temperature, at: 0...1000)
        sampling.topK = try reader.optional("top_k", default: sampling.topK, in: 0...)
        sampling.topP = try Self.number(reader, "top_p", default: sampling.topP, at: 0...1)
        if sampling.topP <= 0 { throw reader.error("top_p", "must be in (0, 1], got \(sampling.topP)") }
        sampling.minP = try Self.number(reader, "min_p", default: sampling.minP, at: 0...1)
        sampling.repeatPenalty = try Self.number(reader, "repeat_penalty", default: sampling.repeatPenalty, at: 0...100)
        if sampling.repeatPenalty <= 0 {
            throw reader.error("repeat_penalty", "must be > 0 (1 is off), got \(sampling.repeatPenalty)")
        }
        sampling.frequencyPenalty = try Self.number(
            reader, "frequency_penalty", default: sampling.frequencyPenalty, at: -2...2)
        sampling.presencePenalty = try Self.number(
            reader, "presence_penalty", default: sampling.presencePenalty, at: -2...2)
        if reader.value("seed") != nil {
            sampling.seed = try reader.required("seed", as: UInt64.self)
        } else {
            sampling.seed = UInt64.random(in: 0...UInt64.max)
        }
        self.sampling = sampling

        stop = try Self.stopStrings(reader)
        sampleCount = try reader.optional("n", default: 1, in: 1...Self.maxSamples)
        logprobs = try reader.optional("logprobs", default: false)
        stream = try reader.optional("stream", default: false)
    }

    /// A number member, checked to be finite and within `range`.
    private static func number(
        _ reader: ParamReader, _ key: String, default defaultValue: Float, at range: ClosedRange<Double>
    ) throws(RPCError) -> Float {
        guard let value = try reader.optional(key, as: Double.self) else { return defaultValue }
        guard value.isFinite, range.contains(value) else {
            throw reader.error(key, "must be between \(range.lowerBound) and \(range.upperBound), got \(value)")
        }
        return Float(value)
    }

    /// `messages`: a non-empty array of `{"role": "system"|"user"|"assistant", "content": string}`.
    private static func messages(_ raw: [JSONValue], reader: ParamReader) throws(RPCError) -> [ChatMessage] {
        guard !raw.isEmpty else { throw reader.error("messages", "must hold at least one message") }
        var messages: [ChatMessage] = []
        for (index, value) in raw.enumerated() {
            let path = "\(reader.field("messages"))[\(index)]"
            guard case .object(let object) = value else {
                throw RPCError.invalidParams(
                    "\(path) must be an object {\"role\", \"content\"}, got \(value.typeName)",
                    data: ["field": .string(path)])
            }
            let message = ParamReader(object, path: path)
            try message.rejectUnknown(["role", "content"])
            let role = try message.choice("role", of: ["system", "user", "assistant"])
            let content = try message.required("content", as: String.self)
            messages.append(ChatMessage(role: role, content: content))
        }
        return messages
    }

    /// `stop`: a string or an array of non-empty strings.
    private static func stopStrings(_ reader: ParamReader) throws(RPCError) -> [String] {
        guard let value = reader.value("stop") else { return [] }
        let strings: [String]
        switch value {
        case .string(let s): strings = [s]
        case .array(let elements):
            var collected: [String] = []
            for (index, element) in elements.enumerated() {
                guard case .string(let s) = element else {
                    throw reader.error("stop", "must hold strings, element \(index) is \(element.typeName)")
                }
                collected.append(s)
            }
            strings = collected
        default:
            throw reader.error("stop", "must be a string or an array of strings, got \(value.typeName)")
        }
        guard strings.count <= maxStopStrings else {
            throw reader.error("stop", "holds \(strings.count) strings, at most \(maxStopStrings) allowed")
        }
        if strings.contains(where: \.isEmpty) { throw reader.error("stop", "must not contain an empty string") }
        return strings
    }

    /// The prompt's text as a verifier sees it (`combination:repeat_prompt`): the raw text, or the
    /// last user message.
    var promptTextForScoring: String? {
        switch prompt {
        case .text(let text): return text
        case .messages(let messages): return messages.last(where: { $0.role == "user" })?.content
        }
    }

    /// Tokenizes the prompt for `engine`, with `suffix` (text after the generation prompt, special
    /// tokens parsed) appended.
    ///
    /// - Throws: -32602 for a conversation the template cannot render, a model without a
    ///   recognised template (unless `template` names one), or prompt + `max_tokens` beyond the context.
    func promptTokens(for engine: InferenceEngine, suffix: String = "") throws(RPCError) -> [Int32] {
        let tokenizer = engine.tokenizer
        var tokens: [Int32]
        switch prompt {
        case .text(let text):
            tokens = tokenizer.encode(text + suffix, addBOS: true, parseSpecial: true)
        case .messages(let messages):
            let template = try chatTemplate(for: engine)
            do throws(EngineError) {
                if suffix.isEmpty {
                    tokens = try tokenizer.encodeChat(messages, template: template)
                } else {
                    // As encodeChat does, with the suffix tokenized together with the rendered text.
                    var text = try template.render(messages, addGenerationPrompt: true) + suffix
                    if tokenizer.addsBOS && !template.bosToken.isEmpty && text.hasPrefix(template.bosToken) {
                        text.removeFirst(template.bosToken.count)
                    }
                    tokens = tokenizer.encode(text, addBOS: true, parseSpecial: true)
                }
            } catch {
                throw RPCError.invalidParams(
                    "params.messages: \(error.description)", data: ["field": .string("params.messages")])
            }
        }
        let context = engine.info.contextLength
        guard tokens.count + maxTokens <= context else {
            throw RPCError.invalidParams(
                "params.max_tokens: the prompt (\(tokens.count) tokens) plus max_tokens (\(maxTokens)) exceed the "
                    + "model's context length of \(context) tokens",
                data: ["field": .string("params.max_tokens")])
        }
        return tokens
    }

    /// The rendered prompt text (for deciding what a contrast suffix must add); nil for raw text.
    func renderedConversation(for engine: InferenceEngine) throws(RPCError) -> String? {
        guard case .messages(let messages) = prompt else { return nil }
        let template = try chatTemplate(for: engine)
        do throws(EngineError) {
            return try template.render(messages, addGenerationPrompt: true)
        } catch {
            throw RPCError.invalidParams(
                "params.messages: \(error.description)", data: ["field": .string("params.messages")])
        }
    }

    /// The template to render messages with: the named family, else the model's own.
    func chatTemplate(for engine: InferenceEngine) throws(RPCError) -> ChatTemplate {
        if let template {
            let bos = engine.tokenizer.specialIDs.bos.flatMap { try? engine.tokenizer.tokenText($0) }
            return ChatTemplate(family: template, bosToken: bos)
        }
        guard let own = engine.chatTemplate else {
            let reason = engine.chatTemplateError?.description ?? "the model has no recognised chat template"
            throw RPCError.invalidParams(
                "params.messages: \(reason); name one with params.template "
                    + "(\(ChatTemplateFamily.allCases.map(\.rawValue).joined(separator: ", ")))",
                data: ["field": .string("params.template")])
        }
        return own
    }

    /// The engine request for `promptTokens` (`sampleCount` samples, seeds from `seedOffset`).
    func request(promptTokens: [Int32], sampleCount: Int, seedOffset: Int = 0) -> GenerationRequest {
        var sampling = sampling
        sampling.seed = sampling.seed &+ UInt64(seedOffset)
        return GenerationRequest(
            promptTokens: promptTokens, sampleCount: sampleCount, maxTokens: maxTokens, sampling: sampling,
            stopStrings: stop, stopAtEndOfGeneration: true, logprobs: logprobs)
    }
}

/// `generate_and_score`'s members beyond `generate`'s.
struct ScoredGenerationParameters: Sendable {
    /// The members it accepts.
    static let names = GenerationParameters.names + ["constraints", "mode", "reasoning", "policy", "contrast"]

    var generation: GenerationParameters
    /// The parsed constraint tree (checked before generating).
    var tree: ConstraintTree
    var options: ScoringOptions
    /// How many samples answer directly (`contrast.direct`), nil without contrast.
    var directCount: Int?

    /// Reads and checks everything, the constraint spec included.
    init(_ params: JSONObject, scorer: Scorer) throws(RPCError) {
        let reader = ParamReader(params)
        try reader.rejectUnknown(Self.names)
        generation = try GenerationParameters(reader)
        guard let constraints = reader.value("constraints") else { throw reader.error("constraints", "is required") }
        do throws(VerifierError) {
            tree = try scorer.parse(VerifierJSON.constraintValue(constraints))
        } catch {
            throw RPCError.invalidParams(
                "params.constraints: \(error.message)", data: ["field": .string("params.constraints")])
        }
        let mode = try reader.choice("mode", of: ScoringMode.allCases.map(\.rawValue), default: "strict")
        let reasoning = try reader.choice("reasoning", of: ReasoningMode.allCases.map(\.rawValue), default: "strip")
        let policy = try reader.choice("policy", of: RewardPolicy.allCases.map(\.rawValue), default: "all")
        options = ScoringOptions(
            mode: ScoringMode(rawValue: mode)!, reasoning: ReasoningMode(rawValue: reasoning)!,
            policy: RewardPolicy(rawValue: policy)!)
        if let contrast = try reader.nested("contrast") {
            try contrast.rejectUnknown(["direct"])
            let n = generation.sampleCount
            directCount = try contrast.required("direct", as: Int.self, in: 0...n)
        }
    }
}
