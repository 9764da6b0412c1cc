import ArgumentParser
import Logging
import Server

extension Raif {
    /// `raif serve`: runs the server until SIGTERM/SIGINT.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the raif server on a Unix domain socket.",
            discussion: """
                Stops on SIGTERM or SIGINT: stops accepting, lets requests in flight finish \
                (bounded by --drain-timeout), removes the socket file and exits 0.
                """)

        @OptionGroup var socketOptions: SocketOptions

        @Option(
            help: ArgumentHelp(
                "Permission bits of the socket file, in octal (0660 opens it to the group).", valueName: "mode"))
        var socketMode: String = "0600"

        @Option(
            help: ArgumentHelp(
                "GGUF model to load for generation.",
                discussion: """
                    Default: $RAIF_MODEL, else ${RAIF_CACHE:-~/.cache/raif}/models/SmolLM2-135M-Instruct.Q4_1.gguf \
                    when that file exists, else no model (generation methods answer -32004).
                    """,
                valueName: "path"))
        var model: String?

        @Flag(help: "Serve the verifiers only: load no model, not even the default one.")
        var noModel = false

        /// The model to load: the option, else the default one; nil with --no-model.
        var modelPath: String? { noModel ? nil : (model ?? DefaultModel.resolve()) }

        @Option(help: ArgumentHelp("Largest request frame accepted, in bytes.", valueName: "bytes"))
        var maxFrameBytes: Int = 16 * ServerConfiguration.mebibyte

        @Option(
            help: ArgumentHelp(
                "Also serve HTTP on HOST:PORT (POST /get_reward, POST /score, GET /health).",
                discussion: """
                    Loopback addresses only unless --http-allow-remote. Port 0 picks a free port, logged as \
                    raif.http.address. Request bodies are capped at --max-frame-bytes.
                    """,
                valueName: "host:port"))
        var http: String?

        @Flag(help: "Allow --http on a non-loopback address (raif has no authentication).")
        var httpAllowRemote = false

        /// The HTTP front door's configuration, nil without --http.
        func httpConfiguration() throws -> HTTPConfiguration? {
            guard let http else { return nil }
            do {
                return try HTTPConfiguration.parse(
                    http, allowRemote: httpAllowRemote, maxBodyBytes: maxFrameBytes,
                    drainTimeout: .milliseconds(Int64((drainTimeout * 1000).rounded())))
            } catch {
                throw ValidationError("\(error)")
            }
        }

        @Option(help: ArgumentHelp("Seconds to let in-flight requests finish on shutdown.", valueName: "seconds"))
        var drainTimeout: Double = 10

        @Option(help: ArgumentHelp("Requests running at once before new ones get -32000 overloaded.", valueName: "n"))
        var maxInFlight: Int = 4096

        @Option(help: ArgumentHelp("trace, debug, info, notice, warning, error or critical.", valueName: "level"))
        var logLevel: String = "info"

        func validate() throws {
            guard let mode = UInt32(socketMode, radix: 8), mode & ~0o777 == 0, mode & 0o600 == 0o600 else {
                throw ValidationError(
                    "--socket-mode must be octal permission bits that include 0600, e.g. 0600 or 0660")
            }
            guard maxFrameBytes > 0, maxFrameBytes <= Int(UInt32.max) else {
                throw ValidationError("--max-frame-bytes must be between 1 and \(UInt32.max)")
            }
            guard drainTimeout >= 0, drainTimeout.isFinite else {
                throw ValidationError("--drain-timeout must be a non-negative number of seconds")
            }
            _ = try httpConfiguration()
            guard maxInFlight > 0 else { throw ValidationError("--max-in-flight must be positive") }
            guard Logger.Level(rawValue: logLevel) != nil else {
                throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
            }
            if noModel && model != nil { throw ValidationError("--model and --no-model exclude each other") }
            if let path = modelPath, !ModelFile.isReadableFile(path) {
                throw ValidationError("model \(path): no readable file there")
            }
        }

        func run() async throws {
            let level = Logger.Level(rawValue: logLevel) ?? .info
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
            let logger = Logger(label: "raif")
            let configuration = ServerConfiguration(
                socketPath: socketOptions.path,
                socketMode: UInt32(socketMode, radix: 8) ?? 0o600,
                maxFrameBytes: maxFrameBytes,
                drainTimeout: .milliseconds(Int64((drainTimeout * 1000).rounded())),
                maxInFlight: maxInFlight,
                modelPath: modelPath,
                http: try httpConfiguration())
            do {
                try await RaifServer.runUntilSignalled(configuration: configuration, logger: logger)
            } catch {
                logger.critical("server stopped: \(error)")
                throw ExitCode.failure
            }
        }
    }
}
