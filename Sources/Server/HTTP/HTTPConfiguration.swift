/// Where the HTTP front door listens and what it accepts (`raif serve --http HOST:PORT`).
public struct HTTPConfiguration: Sendable, Hashable {
    /// The address to bind: an IPv4 or IPv6 literal, or `localhost`.
    public var host: String
    /// The TCP port; 0 lets the system choose (the bound port is logged as `raif.http.address`).
    public var port: Int
    /// Largest request body accepted, in bytes; a larger one gets 413.
    public var maxBodyBytes: Int
    /// How long a graceful shutdown waits for requests in flight before closing their connections.
    public var drainTimeout: Duration

    /// Makes a configuration, refusing a non-loopback host unless `allowRemote`.
    ///
    /// - Throws: ``ServerError/invalidArguments(_:)`` for a bad port or a refused host.
    public init(
        host: String = "127.0.0.1", port: Int, allowRemote: Bool = false,
        maxBodyBytes: Int = 16 * ServerConfiguration.mebibyte, drainTimeout: Duration = .seconds(10)
    ) throws(ServerError) {
        guard (0...65535).contains(port) else { throw .invalidArguments("HTTP port must be in 0...65535, got \(port)") }
        guard !host.isEmpty else { throw .invalidArguments("HTTP host is empty") }
        guard allowRemote || Self.isLoopback(host) else {
            throw .invalidArguments(
                "refusing to serve HTTP on \(host), which is not a loopback address "
                    + "(raif has no authentication; pass --http-allow-remote to do it anyway)")
        }
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.drainTimeout = drainTimeout
    }

    /// Reads `HOST:PORT` (`127.0.0.1:8000`, `[::1]:8000`, `localhost:0`); a bare `PORT` means 127.0.0.1.
    ///
    /// - Throws: ``ServerError/invalidArguments(_:)`` for malformed text or a refused host.
    public static func parse(
        _ text: String, allowRemote: Bool = false, maxBodyBytes: Int = 16 * ServerConfiguration.mebibyte,
        drainTimeout: Duration = .seconds(10)
    ) throws(ServerError) -> HTTPConfiguration {
        var host = "127.0.0.1"
        var portText = Substring(text)
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw .invalidArguments("--http \(text): expected [IPv6]:PORT")
            }
            host = String(text[text.index(after: text.startIndex)..<close])
            portText = text[text.index(close, offsetBy: 2)...]
        } else if let colon = text.lastIndex(of: ":") {
            host = String(text[..<colon])
            portText = text[text.index(after: colon)...]
        }
        guard let port = Int(portText) else { throw .invalidArguments("--http \(text): expected HOST:PORT") }
        return try HTTPConfiguration(
            host: host, port: port, allowRemote: allowRemote, maxBodyBytes: maxBodyBytes, drainTimeout: drainTimeout)
    }

    /// Whether `host` names the loopback interface: `localhost`, 127.0.0.0/8 or ::1.
    public static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" || host == "0:0:0:0:0:0:0:1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts.allSatisfy({ UInt8($0) != nil }) else { return false }
        return parts[0] == "127"
    }
}
