internal import Engine
internal import WireProtocol

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// `raif generate` and `raif tokenize`: the engine in this process, no server.
///
/// The CLI only parses arguments; the prompt is built and checked by the same code as the socket's
/// `generate` (``GenerationParameters``), so `raif generate` and `generate` produce the same text
/// for the same settings.
public enum LocalGeneration {
    /// What `raif generate` asks for.
    public struct Request: Sendable {
        public var modelPath: String?
        /// Tokenize the prompt as is (special tokens parsed, BOS per the model) instead of sending
        /// it as a user message through the chat template.
        public var raw: Bool
        public var prompt: String
        /// A system message before the user message (chat mode only).
        public var system: String?
        public var temperature: Double?
        public var maxTokens: Int?
        public var seed: UInt64?
        public var topK: Int?
        public var topP: Double?

        public init(
            modelPath: String?, raw: Bool, prompt: String, system: String? = nil, temperature: Double? = nil,
            maxTokens: Int? = nil, seed: UInt64? = nil, topK: Int? = nil, topP: Double? = nil
        ) {
            self.modelPath = modelPath
            self.raw = raw
            self.prompt = prompt
            self.system = system
            self.temperature = temperature
            self.maxTokens = maxTokens
            self.seed = seed
            self.topK = topK
            self.topP = topP
        }

        /// The same request as socket params (what ``GenerationParameters`` reads).
        var params: JSONObject {
            var params = JSONObject()
            if raw {
                params.set("prompt", .string(prompt))
            } else {
                var messages: [JSONValue] = []
                if let system { messages.append(["role": "system", "content": .string(system)]) }
                messages.append(["role": "user", "content": .string(prompt)])
                params.set("messages", .array(messages))
            }
            if let temperature { params.set("temperature", .double(temperature)) }
            if let maxTokens { params.set("max_tokens", .integer(Int64(maxTokens))) }
            if let seed { params.set("seed", .integer(Int64(bitPattern: seed))) }
            if let topK { params.set("top_k", .integer(Int64(topK))) }
            if let topP { params.set("top_p", .double(topP)) }
            return params
        }
    }

    /// What a finished `raif generate` reports on stderr with `--verbose`.
    public struct Summary: Sendable {
        public let promptTokens: Int
        public let completionTokens: Int
        public let finishReason: String
        public let prefillMilliseconds: Double
        public let decodeTokensPerSecond: Double
    }

    /// Loads the model, generates, and hands each piece of text to `write` as it is sampled.
    ///
    /// - Throws: ``LocalGenerationError`` with a message for the user.
    public static func generate(
        _ request: Request, write: @Sendable (String) -> Void
    ) async throws(LocalGenerationError) -> Summary {
        let engine = try loadEngine(request.modelPath)
        let parameters: GenerationParameters
        let tokens: [Int32]
        do throws(RPCError) {
            if request.system != nil && request.raw {
                throw RPCError.invalidParams("--system applies to chat prompts, not with --raw")
            }
            parameters = try GenerationParameters(ParamReader(request.params))
            tokens = try parameters.promptTokens(for: engine)
        } catch {
            throw LocalGenerationError(error.message.replacingParamsPrefix())
        }
        let engineRequest = parameters.request(promptTokens: tokens, sampleCount: 1)
        do {
            for try await event in engine.stream(engineRequest) {
                switch event {
                case .token(let token):
                    if !token.text.isEmpty { write(token.text) }
                case .finished(let result):
                    let sample = result.samples[0]
                    return Summary(
                        promptTokens: result.usage.promptTokens, completionTokens: result.usage.completionTokens,
                        finishReason: sample.finishReason.rawValue,
                        prefillMilliseconds: result.timings.prefillMilliseconds,
                        decodeTokensPerSecond: result.timings.decodeTokensPerSecond)
                }
            }
        } catch {
            throw LocalGenerationError("generation failed: \(error)")
        }
        throw LocalGenerationError("generation was cancelled")
    }

    /// Token ids of `text` as `llama_tokenize` gives them (`addBOS`: llama.cpp's `add_special`).
    public static func tokenize(
        modelPath: String?, text: String, addBOS: Bool, parseSpecial: Bool
    ) throws(LocalGenerationError) -> [Int32] {
        let engine = try loadEngine(modelPath)
        return engine.tokenizer.encode(text, addBOS: addBOS, parseSpecial: parseSpecial)
    }

    /// Writes `text` to standard output at once (unbuffered, for streaming).
    public static func writeToStandardOutput(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
            if written <= 0 { return }
            bytes = bytes.dropFirst(written)
        }
    }

    /// `[1, 2, 3]`.
    public static func jsonArray(_ ids: [Int32]) -> String {
        JSONValue.array(ids.map { .integer(Int64($0)) }).serializedString()
    }

    /// The whole file at `path` as UTF-8 text (invalid bytes replaced).
    public static func readTextFile(_ path: String) throws(LocalGenerationError) -> String {
        guard let file = fopen(path, "rb") else {
            throw LocalGenerationError("cannot read \(path): \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if count > 0 { bytes.append(contentsOf: buffer[0..<count]) }
            if count < buffer.count {
                if ferror(file) != 0 { throw LocalGenerationError("cannot read \(path): read error") }
                break
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The engine for `path`, else for the default model.
    static func loadEngine(_ path: String?) throws(LocalGenerationError) -> InferenceEngine {
        guard let path = path ?? DefaultModel.resolve() else {
            throw LocalGenerationError(
                "no model: pass --model PATH (or set RAIF_MODEL); the default \(DefaultModel.cachePath) is absent")
        }
        do throws(EngineError) {
            return try InferenceEngine(modelPath: path)
        } catch {
            throw LocalGenerationError(error.description)
        }
    }
}

/// Why `raif generate` / `raif tokenize` failed, as a message for the user.
public struct LocalGenerationError: Error, Sendable, CustomStringConvertible {
    public let description: String

    init(_ description: String) { self.description = description }
}

extension String {
    /// "params.temperature must be …" → "temperature must be …" for command-line messages.
    fileprivate func replacingParamsPrefix() -> String {
        hasPrefix("params.") ? String(dropFirst("params.".count)) : self
    }
}
