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
        }
    }
}
