/// How a server listens and what it tolerates; filled by `raif serve` or by tests.
public struct ServerConfiguration: Sendable {
    /// One mebibyte.
    public static let mebibyte = 1 << 20

    /// Path of the Unix domain socket.
    public var socketPath: String
    /// Permission bits of the socket file (0o600: owner only; 0o660 adds the group).
    public var socketMode: UInt32
    /// Largest frame body accepted, in bytes; a header declaring more gets -32003 and a close.
    public var maxFrameBytes: Int
    /// How long SIGTERM/SIGINT waits for in-flight requests before cancelling them.
    public var drainTimeout: Duration
    /// Requests running at once, across all connections, before new ones get -32000 overloaded.
    public var maxInFlight: Int
    /// Replies one connection may owe before the server stops reading its frames (back-pressure
    /// for clients that pipeline without reading).
    public var maxPipelinedPerConnection: Int
    /// The GGUF model to load, if any (wired to the engine by `serve`).
    public var modelPath: String?
    /// The HTTP front door to serve next to the socket (`--http`), if any.
    public var http: HTTPConfiguration?

    /// Makes a configuration; every value but the socket path has the documented default.
    public init(
        socketPath: String = SocketFile.defaultPath,
        socketMode: UInt32 = 0o600,
        maxFrameBytes: Int = 16 * ServerConfiguration.mebibyte,
        drainTimeout: Duration = .seconds(10),
        maxInFlight: Int = 4096,
        maxPipelinedPerConnection: Int = 1024,
        modelPath: String? = nil,
        http: HTTPConfiguration? = nil
    ) {
        self.maxPipelinedPerConnection = maxPipelinedPerConnection
        self.socketPath = socketPath
        self.socketMode = socketMode
        self.maxFrameBytes = maxFrameBytes
        self.drainTimeout = drainTimeout
        self.maxInFlight = maxInFlight
        self.modelPath = modelPath
        self.http = http
    }
}

/// The version `raif version` and `health` report.
public enum RaifVersion {
    /// Semantic version of this build.
    public static let current = "0.1.0"
}
