import ArgumentParser
import Server

/// `raif`: the verifier and reward service, its client and its tools.
@main
struct Raif: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "raif",
        abstract: "A verifier and reward service for instruction following, over a Unix socket.",
        version: RaifVersion.current,
        subcommands: [Serve.self, Call.self, Generate.self, Tokenize.self, Score.self, Bench.self, Version.self]
    )
}

/// The socket option shared by the server and its clients.
struct SocketOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Path of the Unix domain socket.",
            discussion: "Default: $RAIF_SOCKET, else $XDG_RUNTIME_DIR/raif.sock, else /tmp/raif-$UID.sock.",
            valueName: "path"))
    var socket: String?

    /// The socket path to use: the option, else the default.
    var path: String { socket ?? SocketFile.defaultPath }
}
