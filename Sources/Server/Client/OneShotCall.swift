public import WireProtocol

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// One request from the command line (`raif call`): parse the params text, call, render the outcome.
///
/// Kept here rather than in the CLI so the CLI stays argument parsing only, and so tests can
/// drive it without a process.
public struct OneShotCall: Sendable {
    /// What to print and how to exit.
    public struct Outcome: Sendable, Equatable {
        /// Pretty JSON of the result, for stdout (nil on error).
        public var standardOutput: String?
        /// The error reply or failure, for stderr (nil on success).
        public var standardError: String?
        /// 0 on success, 1 on an error reply, 64 (usage) on bad params text, 3 when the server is unreachable.
        public var exitCode: Int32
    }

    /// The method to call.
    public var method: String
    /// The params as JSON text (an object), or nil for none.
    public var paramsText: String?
    /// The server's socket path.
    public var socketPath: String

    /// Makes a call description.
    public init(method: String, paramsText: String?, socketPath: String) {
        self.method = method
        self.paramsText = paramsText
        self.socketPath = socketPath
    }

    /// Checks the params text: it must be a JSON object.
    ///
    /// - Returns: the parsed object, nil when no params were given.
    /// - Throws: a message saying what is wrong with the text.
    public func parsedParams() throws(ServerError) -> JSONObject? {
        guard let paramsText else { return nil }
        let value: JSONValue
        do {
            value = try JSONValue.parse(paramsText)
        } catch {
            throw .invalidArguments("PARAMS_JSON is not valid JSON: \(error)")
        }
        guard case .object(let object) = value else {
            throw .invalidArguments("PARAMS_JSON must be a JSON object, got \(value.typeName)")
        }
        return object
    }

    /// Sends the request and renders the outcome.
    ///
    /// - Parameter onEvent: receives each streamed event frame as one compact JSON line
    ///   `{"event": ..., "data": ...}` (the CLI prints these on stderr).
    public func run(onEvent: @escaping @Sendable (String) -> Void = { _ in }) async -> Outcome {
        let params: JSONObject?
        do {
            params = try parsedParams()
        } catch {
            return Outcome(standardOutput: nil, standardError: "raif call: \(error)", exitCode: 64)
        }
        do {
            let result = try await RaifClientConnection.withConnection(socketPath: socketPath) { client in
                try await client.call(method, params: params) { event, data in
                    onEvent(JSONValue.object(["event": .string(event), "data": data]).serializedString())
                }
            }
            return Outcome(
                standardOutput: result.serializedString(prettyPrinted: true), standardError: nil, exitCode: 0)
        } catch let error as RPCError {
            let rendered = error.json.serializedString(prettyPrinted: true)
            return Outcome(standardOutput: nil, standardError: rendered, exitCode: 1)
        } catch let error as ServerError {
            let code: Int32 = if case .connectionFailed = error { 3 } else { 1 }
            return Outcome(standardOutput: nil, standardError: "raif call: \(error)", exitCode: code)
        } catch {
            return Outcome(standardOutput: nil, standardError: "raif call: \(error)", exitCode: 1)
        }
    }
}

/// Writes lines to the process's standard error (for the CLI; no Foundation, no shared `FILE*`).
public enum StandardError {
    /// Writes `line` and a newline to file descriptor 2.
    public static func writeLine(_ line: String) {
        var bytes = Array(line.utf8)
        bytes.append(0x0A)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
            if written <= 0 { return }
            offset += written
        }
    }
}
