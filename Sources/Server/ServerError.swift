/// Everything that can go wrong in the server itself (start-up, socket path, client connection).
///
/// Errors reaching a client become protocol error codes in `ErrorMapping.swift`; these mostly
/// stop start-up with a message for the operator.
public enum ServerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A server already answers on the socket path.
    case socketInUse(path: String)
    /// The path exists and is not a socket; raif never deletes it.
    case notASocket(path: String)
    /// The path is longer than a Unix socket address holds.
    case socketPathTooLong(path: String, limit: Int)
    /// The path cannot be inspected, removed or changed.
    case socketPathUnusable(path: String, reason: String)
    /// The client could not connect to a server.
    case connectionFailed(path: String, reason: String)
    /// The connection closed before the reply arrived.
    case connectionClosed
    /// The server sent something that is not a valid reply frame.
    case malformedReply(String)
    /// A command-line argument is unusable (e.g. `raif call`'s params text).
    case invalidArguments(String)
    /// A file named on the command line cannot be opened, read or written (`raif score`).
    case fileIO(path: String, reason: String)

    public var description: String {
        switch self {
        case .socketInUse(let path):
            "a raif server is already listening on \(path)"
        case .notASocket(let path):
            "\(path) exists and is not a socket; refusing to touch it (choose another --socket path)"
        case .socketPathTooLong(let path, let limit):
            "socket path is \(path.utf8.count) bytes, over the limit of \(limit): \(path)"
        case .socketPathUnusable(let path, let reason):
            "cannot use socket path \(path): \(reason)"
        case .connectionFailed(let path, let reason):
            "cannot connect to \(path): \(reason)"
        case .connectionClosed:
            "the server closed the connection before replying"
        case .malformedReply(let reason):
            "malformed reply from server: \(reason)"
        case .invalidArguments(let message):
            message
        case .fileIO(let path, let reason):
            "\(path): \(reason)"
        }
    }
}
