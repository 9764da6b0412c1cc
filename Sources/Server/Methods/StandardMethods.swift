public import Logging
internal import ServiceLifecycle
internal import UnixSignals
internal import Verifiers

extension RaifServer {
    /// The production server: `health`, `stats`, `verifiers` and `score` over the built-in registry,
    /// `generate` and `generate_and_score` over the model `modelHost` holds (-32004 without one).
    ///
    /// This is the one place that decides which methods `raif serve` offers.
    public static func standard(
        configuration: ServerConfiguration, logger: Logger, modelHost: ModelHost = ModelHost()
    ) -> RaifServer {
        var methods = MethodRegistry()
        let scorer = Scorer(registry: .builtin)
        VerifierMethods.register(into: &methods, scorer: scorer, host: modelHost)
        GenerationMethods.register(into: &methods, host: modelHost, scorer: scorer)
        return RaifServer(configuration: configuration, methods: methods, modelStatus: modelHost.status, logger: logger)
    }

    /// Runs ``standard(configuration:logger:modelHost:)`` until SIGTERM or SIGINT, then drains and
    /// returns; loads ``ServerConfiguration/modelPath`` once the socket listens (a model that
    /// cannot be loaded stops the server with ``ModelLoadError``).
    public static func runUntilSignalled(configuration: ServerConfiguration, logger: Logger) async throws {
        let host = ModelHost()
        let server = standard(configuration: configuration, logger: logger, modelHost: host)
        var services: [any Service] = [server]
        if let path = configuration.modelPath {
            services.append(ModelLoader(host: host, path: path, server: server, logger: logger))
        }
        if let http = configuration.http {
            services.append(HTTPFrontDoor(configuration: http, server: server, logger: logger))
        }
        let group = ServiceGroup(
            configuration: .init(
                services: services,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }
}
