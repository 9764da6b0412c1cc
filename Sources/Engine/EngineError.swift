/// Everything the inference engine can reject, each case naming what is wrong.
///
/// The one error type of the `Engine` module (STYLE.md: one error type per module). The server maps
/// these to protocol error codes; nothing in the engine crashes on bad input.
public enum EngineError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A metadata key the engine needs is absent or has the wrong type.
    case missingMetadata(key: String)
    /// The tokenizer metadata names a model or pre-tokenizer the engine does not implement.
    case unsupportedTokenizer(String)
    /// The vocabulary, merges or token types are inconsistent (lengths differ, ids out of range, ...).
    case invalidVocabulary(String)
    /// A token id outside `0..<vocabularySize`.
    case tokenOutOfRange(id: Int32, vocabularySize: Int)
    /// The model's chat template is absent or not one of the recognised families.
    case unsupportedChatTemplate(String)
    /// A chat message cannot be rendered by the template (unknown role, misplaced system message, ...).
    case invalidChatMessages(String)
    /// A sampling parameter is outside its valid range.
    case invalidSamplingParameter(name: String, reason: String)
    /// `general.architecture` names a family the engine does not run (it runs `llama` and `qwen2`).
    case unsupportedArchitecture(String)
    /// A tensor the architecture needs is absent from the file.
    case missingTensor(String)
    /// A tensor has other dimensions than the hyper-parameters imply.
    case tensorShapeMismatch(tensor: String, expected: [Int], found: [Int])
    /// A tensor is stored in a type the engine cannot compute with.
    case unsupportedTensorType(tensor: String, type: String)
    /// Hyper-parameters are missing pieces or inconsistent with each other.
    case invalidModel(String)
    /// The model file could not be opened or parsed (the GGUF reader's message).
    case unreadableModel(String)
    /// Prompt plus requested tokens exceed the context length.
    case contextLengthExceeded(requested: Int, contextLength: Int)
    /// A generation request is malformed (empty prompt, zero samples, ...).
    case invalidRequest(String)

    public var description: String {
        switch self {
        case .missingMetadata(let key):
            return "model metadata '\(key)' is missing or has the wrong type"
        case .unsupportedTokenizer(let what):
            return "unsupported tokenizer: \(what)"
        case .invalidVocabulary(let what):
            return "invalid tokenizer vocabulary: \(what)"
        case .tokenOutOfRange(let id, let size):
            return "token id \(id) is outside the vocabulary (size \(size))"
        case .unsupportedChatTemplate(let what):
            return "unsupported chat template: \(what)"
        case .invalidChatMessages(let what):
            return "invalid chat messages: \(what)"
        case .invalidSamplingParameter(let name, let reason):
            return "invalid sampling parameter '\(name)': \(reason)"
        case .unsupportedArchitecture(let name):
            return "unsupported model architecture '\(name)' (supported: llama, qwen2)"
        case .missingTensor(let name):
            return "model tensor '\(name)' is missing"
        case .tensorShapeMismatch(let name, let expected, let found):
            return "model tensor '\(name)' has dimensions \(found), expected \(expected)"
        case .unsupportedTensorType(let name, let type):
            return "model tensor '\(name)' has unsupported type \(type)"
        case .invalidModel(let what):
            return "invalid model: \(what)"
        case .unreadableModel(let what):
            return "cannot load model: \(what)"
        case .contextLengthExceeded(let requested, let context):
            return "request needs \(requested) tokens of context but the context length is \(context)"
        case .invalidRequest(let what):
            return "invalid generation request: \(what)"
        }
    }
}
