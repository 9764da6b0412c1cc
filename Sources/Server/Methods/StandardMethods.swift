public import Logging
internal import ServiceLifecycle
internal import UnixSignals
internal import Verifiers

extension RaifServer {
    /// The production server: `health`, `stats`, plus `verifiers` and `score` over the built-in registry.
    ///
    /// This is the one place that decides which methods `raif serve` offers.
    public static func standard(configuration: ServerConfiguration, logger: Logger) -> RaifServer {
        var methods = MethodRegistry()
        VerifierMethods.register(into: &methods, scorer: Scorer(registry: .builtin))
        return RaifServer(configuration: configuration, methods: methods, logger: logger)
    }

    /// Runs ``standard(configuration:logger:)`` until SIGTERM or SIGINT, then drains and returns.
    public static func runUntilSignalled(configuration: ServerConfiguration, logger: Logger) async throws {
        let server = standard(configuration: configuration, logger: logger)
        var services: [any Service] = [server]
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
