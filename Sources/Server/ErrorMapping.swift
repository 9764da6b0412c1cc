internal import Engine
internal import Verifiers
public import WireProtocol

/// The one place where errors become protocol errors (and error replies become errors again).
///
/// | from                                      | code   |
/// |-------------------------------------------|--------|
/// | `WireError` JSON problems                 | -32700 |
/// | `WireError` empty frame / bad message     | -32600 |
/// | `WireError.frameTooLarge`                 | -32003 |
/// | `VerifierError` unknown id / bad param / bad spec | -32602 |
/// | `VerifierError` budget exceeded           | -32001 |
/// | `VerifierError` internal failure          | -32603 |
/// | `EngineError` about the request           | -32602 |
/// | `EngineError` about the model             | -32004 |
/// | `CancellationError`                       | -32002 |
/// | anything else                             | -32603 |
public enum ErrorMapping {
    /// The protocol error for any error a handler or module raised.
    public static func rpcError(for error: any Error) -> RPCError {
        switch error {
        case let error as RPCError:
            return error
        case let error as WireError:
            return wire(error)
        case let error as VerifierError:
            return verifier(error)
        case let error as EngineError:
            return engine(error)
        case is CancellationError:
            return RPCError.cancelled()
        case let error as ServerError:
            return RPCError.internalError(error.description)
        default:
            return RPCError.internalError("\(error)")
        }
    }

    /// A wire-level failure (framing, JSON, envelope).
    static func wire(_ error: WireError) -> RPCError {
        RPCError(error)
    }

    /// A verifier-registry failure.
    static func verifier(_ error: VerifierError) -> RPCError {
        switch error {
        case .unknownVerifier, .invalidParameter, .invalidSpec, .duplicateVerifier:
            return RPCError.invalidParams(error.message)
        case .budgetExceeded:
            return RPCError.timeout(error.message)
        case .internalFailure:
            return RPCError.internalError(error.message)
        }
    }

    /// An engine failure: the request's fault (-32602) or the model's (-32004).
    static func engine(_ error: EngineError) -> RPCError {
        switch error {
        case .invalidChatMessages, .invalidSamplingParameter, .contextLengthExceeded, .invalidRequest,
            .unsupportedChatTemplate, .tokenOutOfRange:
            return RPCError.invalidParams(error.description)
        case .missingMetadata, .unsupportedTokenizer, .invalidVocabulary, .unsupportedArchitecture,
            .missingTensor, .tensorShapeMismatch, .unsupportedTensorType, .invalidModel, .unreadableModel:
            return RPCError.modelUnavailable(error.description)
        @unknown default:
            return RPCError.internalError(error.description)
        }
    }

    // MARK: Errors the server itself answers with

    /// -32002 for a request cancelled by `cancel`, a disconnect or the drain deadline.
    static func cancelled(method: String) -> RPCError {
        RPCError.cancelled("request cancelled (\(method))")
    }

    /// -32000 for a request read while the server shuts down.
    static func shuttingDown() -> RPCError {
        RPCError.overloaded("server is shutting down")
    }

    /// -32000 when `limit` requests are already running.
    static func overloaded(limit: Int) -> RPCError {
        RPCError.overloaded("\(limit) requests in flight, retry later")
    }

    /// -32601 for an unknown method.
    static func methodNotFound(_ method: String) -> RPCError {
        RPCError.methodNotFound(method)
    }

    /// -32600 for an id already in flight on the same connection.
    static func duplicateID(_ id: RequestID) -> RPCError {
        RPCError.invalidRequest("id \(id) is already in flight on this connection")
    }

    // MARK: Reply objects

    /// Reads an error object from a reply back into an ``RPCError``.
    static func decodeErrorObject(_ value: JSONValue) -> RPCError {
        guard case .object(let object) = value, let code = object["code"]?.intValue else {
            return RPCError.internalError("malformed error object in reply: \(value)")
        }
        return RPCError(code: code, message: object["message"]?.stringValue ?? "", data: object["data"])
    }
}
