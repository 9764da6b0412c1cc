public import Logging
public import ServiceLifecycle

/// Loads the model once the server listens, then waits for shutdown: a service next to the server.
///
/// While it loads, `health` answers `"status": "loading"`. A model that cannot be loaded ends the
/// service group with ``ModelLoadError`` (so `raif serve` exits with that message) rather than
/// leaving a server that can never generate.
public struct ModelLoader: Service {
    let host: ModelHost
    let path: String
    let server: RaifServer
    let logger: Logger

    /// A loader of `path` into `host`, started once `server` listens.
    public init(host: ModelHost, path: String, server: RaifServer, logger: Logger) {
        self.host = host
        self.path = path
        self.server = server
        self.logger = logger
    }

    public func run() async throws {
        host.status.update(.loading)
        try await server.waitUntilListening()
        logger.info("loading model", metadata: ["raif.model.path": "\(path)"])
        let host = host
        let path = path
        let start = ContinuousClock.now
        try await Task.detached { try host.load(path: path) }.value
        logger.info(
            "model loaded",
            metadata: ["raif.model.path": "\(path)", "raif.model.load_time": "\(ContinuousClock.now - start)"])
        try await gracefulShutdown()
    }
}
