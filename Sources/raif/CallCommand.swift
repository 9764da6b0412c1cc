import ArgumentParser
import Server

extension Raif {
    /// `raif call METHOD [PARAMS_JSON]`: one request to a running server.
    struct Call: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send one request to a running server and print the result.",
            discussion: """
                The result is printed as pretty JSON on stdout (exit 0). An error reply is printed \
                as JSON on stderr (exit 1); unusable PARAMS_JSON exits 64 (usage error); no server on the socket \
                exits 3. Streamed event frames are printed on stderr as JSON lines \
                {"event": ..., "data": ...} before the result.
                """)

        @Argument(help: "The method to call, e.g. health, stats, verifiers, score.")
        var method: String

        @Argument(
            help: ArgumentHelp("The params as a JSON object, e.g. '{\"items\": [...]}'.", valueName: "params-json"))
        var params: String?

        @OptionGroup var socketOptions: SocketOptions

        func validate() throws {
            let call = OneShotCall(method: method, paramsText: params, socketPath: socketOptions.path)
            do {
                _ = try call.parsedParams()
            } catch {
                throw ValidationError("\(error)")
            }
        }

        func run() async throws {
            let call = OneShotCall(method: method, paramsText: params, socketPath: socketOptions.path)
            let outcome = await call.run { line in
                StandardError.writeLine(line)
            }
            if let text = outcome.standardOutput { print(text) }
            if let text = outcome.standardError { StandardError.writeLine(text) }
            if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
        }
    }
}
