internal import Engine
internal import Synchronization
internal import WireProtocol

/// The model a server generates with: absent, loading, loaded or failed to load.
///
/// `raif serve` loads it after the socket listens (so `health` can answer `loading`); generation
/// methods ask for the engine and get -32004 model unavailable until it is loaded.
public final class ModelHost: Sendable {
    enum State {
        case absent
        case loading(path: String)
        case ready(InferenceEngine)
        case failed(String)
    }

    private let state: Mutex<State>
    /// What `health` reports; kept in step with the engine state.
    public let status: ModelStatus

    /// A host with no model; `status` is what `health` reads.
    public init(status: ModelStatus = ModelStatus()) {
        self.status = status
        state = Mutex(.absent)
    }

    /// A host holding an engine loaded elsewhere (tests, the CLI).
    init(engine: InferenceEngine, status: ModelStatus = ModelStatus()) {
        self.status = status
        state = Mutex(.ready(engine))
        status.update(.ready(Self.description(of: engine.info)))
    }

    /// Loads the GGUF model at `path` (blocking: call it off the event loops).
    ///
    /// - Throws: ``ModelLoadError`` naming the file and what is wrong with it.
    public func load(path: String, threads: Int? = nil) throws(ModelLoadError) {
        state.withLock { $0 = .loading(path: path) }
        status.update(.loading)
        do throws(EngineError) {
            let engine = try InferenceEngine(modelPath: path, threads: threads)
            state.withLock { $0 = .ready(engine) }
            status.update(.ready(Self.description(of: engine.info)))
        } catch {
            state.withLock { $0 = .failed(error.description) }
            status.update(.absent)
            throw ModelLoadError(path: path, reason: error.description)
        }
    }

    /// The loaded engine, or -32004 saying why there is none.
    func engine() throws(RPCError) -> InferenceEngine {
        let current = state.withLock { state -> Result<InferenceEngine, RPCError> in
            switch state {
            case .absent:
                return .failure(.modelUnavailable("no model is loaded (start raif serve with --model PATH)"))
            case .loading(let path):
                return .failure(.modelUnavailable("the model is still loading (\(path)); retry when health says ok"))
            case .ready(let engine):
                return .success(engine)
            case .failed(let reason):
                return .failure(.modelUnavailable("the model failed to load: \(reason)"))
            }
        }
        return try current.get()
    }

    /// `health`'s model object: `{"path", "name"?, "architecture", "parameters", "quant_type",
    /// "context_length", "chat_template", "vocabulary_size", "layers", "threads"}`.
    static func description(of info: ModelInfo) -> JSONObject {
        var object: JSONObject = [
            "path": .string(info.path),
            "architecture": .string(info.architecture),
            "parameters": .integer(Int64(info.parameterCount)),
            "quant_type": .string(info.quantization),
            "context_length": .integer(Int64(info.contextLength)),
            "chat_template": info.chatTemplateFamily.map(JSONValue.string) ?? .null,
            "vocabulary_size": .integer(Int64(info.vocabularySize)),
            "layers": .integer(Int64(info.layerCount)),
            "file_bytes": .integer(Int64(info.fileSize)),
            "threads": .integer(Int64(info.threads)),
        ]
        if let name = info.name { object.set("name", .string(name)) }
        return object
    }
}

/// A model that could not be loaded at start-up.
public struct ModelLoadError: Error, Sendable, CustomStringConvertible {
    /// The file given.
    public let path: String
    /// What is wrong with it (the engine's message).
    public let reason: String

    public var description: String { reason.contains(path) ? reason : "cannot load model \(path): \(reason)" }
}

/// Where raif looks for a model when none is named.
public enum DefaultModel {
    /// The file name of the default model (SmolLM2-135M-Instruct, Q4_1).
    public static let fileName = "SmolLM2-135M-Instruct.Q4_1.gguf"

    /// `${RAIF_CACHE:-~/.cache/raif}/models/SmolLM2-135M-Instruct.Q4_1.gguf`.
    public static var cachePath: String {
        let environment = ProcessEnvironment.current
        let cache =
            environment["RAIF_CACHE"].flatMap { $0.isEmpty ? nil : $0 }
            ?? "\(environment["HOME"] ?? "/root")/.cache/raif"
        return "\(cache)/models/\(fileName)"
    }

    /// The model to use when none is named: `$RAIF_MODEL` if set, else ``cachePath`` when that
    /// file exists; nil when neither.
    public static func resolve() -> String? {
        if let explicit = ProcessEnvironment.current["RAIF_MODEL"], !explicit.isEmpty { return explicit }
        let path = cachePath
        return ModelFile.isReadableFile(path) ? path : nil
    }
}
