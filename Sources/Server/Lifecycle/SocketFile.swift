#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// The Unix socket's path on disk: the checks before binding and the clean-up after.
///
/// Start-up rules:
/// - nothing at the path: bind there;
/// - a socket where a server answers: refuse (``ServerError/socketInUse(path:)``);
/// - a socket nobody answers on (left by a crashed server): remove it, then bind;
/// - anything that is not a socket: refuse and leave it alone (``ServerError/notASocket(path:)``).
public struct SocketFile: Sendable, Hashable {
    /// Longest path a `sockaddr_un` holds on Linux, without the terminating NUL.
    public static let maximumPathBytes = 107

    /// The file system path.
    public let path: String

    /// Makes a socket file at `path`.
    public init(path: String) {
        self.path = path
    }

    /// The default path: `$RAIF_SOCKET`, else `$XDG_RUNTIME_DIR/raif.sock`, else `/tmp/raif-$UID.sock`
    /// (the Python client resolves it the same way).
    public static func defaultPath(environment: [String: String]) -> String {
        if let explicit = environment["RAIF_SOCKET"], !explicit.isEmpty {
            return explicit
        }
        if let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty {
            return runtime.hasSuffix("/") ? runtime + "raif.sock" : runtime + "/raif.sock"
        }
        return "/tmp/raif-\(getuid()).sock"
    }

    /// The default path for this process's environment.
    public static var defaultPath: String {
        defaultPath(environment: ProcessEnvironment.current)
    }

    /// What is at the path right now.
    enum Occupant: Equatable {
        case nothing
        case socket
        case other
    }

    /// Looks at the path without following a symbolic link.
    func occupant() throws(ServerError) -> Occupant {
        var info = stat()
        if lstat(path, &info) != 0 {
            let code = errno
            if code == ENOENT { return .nothing }
            throw .socketPathUnusable(path: path, reason: String(cString: strerror(code)))
        }
        return (info.st_mode & S_IFMT) == S_IFSOCK ? .socket : .other
    }

    /// Whether a server accepts connections on this path.
    func hasLiveListener() -> Bool {
        #if canImport(Glibc)
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let fd = socket(AF_UNIX, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { return false }
        defer { close(fd) }
        guard var address = Self.address(path) else { return false }
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        return result == 0
    }

    /// Makes the path ready for `bind`: checks length and occupant, removes a stale socket.
    ///
    /// - Throws: ``ServerError`` when the path is too long, a server answers there, or the path
    ///   holds something other than a socket.
    public func prepareForBinding() throws(ServerError) {
        guard path.utf8.count <= Self.maximumPathBytes else {
            throw .socketPathTooLong(path: path, limit: Self.maximumPathBytes)
        }
        switch try occupant() {
        case .nothing:
            return
        case .other:
            throw .notASocket(path: path)
        case .socket:
            if hasLiveListener() { throw .socketInUse(path: path) }
            if unlink(path) != 0 && errno != ENOENT {
                throw .socketPathUnusable(path: path, reason: String(cString: strerror(errno)))
            }
        }
    }

    /// Sets the socket file's permission bits (e.g. `0o600`).
    public func setMode(_ mode: UInt32) throws(ServerError) {
        if chmod(path, mode_t(mode)) != 0 {
            throw .socketPathUnusable(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// The socket file's permission bits.
    public func mode() -> UInt32? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return UInt32(info.st_mode & 0o7777)
    }

    /// Removes the socket file if (and only if) a socket is still there.
    public func remove() {
        if (try? occupant()) == .socket {
            unlink(path)
        }
    }

    /// Binds through `bind` at a private path, sets `mode`, then renames the socket into place.
    ///
    /// The socket is created inside a fresh 0700 directory next to ``path``, so nobody else can
    /// reach it before its mode is set; the rename makes it appear at ``path`` atomically. No
    /// process-wide state (umask) is touched.
    func bindPrivately<T>(mode: UInt32, _ bind: (_ temporaryPath: String) async throws -> T) async throws -> T {
        let parent = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        var template = Array(((parent.isEmpty ? "" : parent) + "/.raif-bind-XXXXXX").utf8CString)
        guard let directory = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw ServerError.socketPathUnusable(path: path, reason: String(cString: strerror(errno)))
        }
        let directoryPath = String(cString: directory)
        let temporaryPath = directoryPath + "/s"
        defer {
            unlink(temporaryPath)
            rmdir(directoryPath)
        }
        guard temporaryPath.utf8.count <= Self.maximumPathBytes else {
            throw ServerError.socketPathTooLong(path: temporaryPath, limit: Self.maximumPathBytes)
        }
        let result = try await bind(temporaryPath)
        try SocketFile(path: temporaryPath).setMode(mode)
        if rename(temporaryPath, path) != 0 {
            throw ServerError.socketPathUnusable(path: path, reason: String(cString: strerror(errno)))
        }
        return result
    }

    /// The `sockaddr_un` for `path`, nil when it does not fit.
    static func address(_ path: String) -> sockaddr_un? {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { return nil }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return address
    }
}

/// The process environment as a dictionary, read without Foundation.
enum ProcessEnvironment {
    /// Every `NAME=value` pair of the current process.
    static var current: [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return result
    }
}

/// Checks on a model path given on the command line.
public enum ModelFile {
    /// Whether `path` is a regular file this process may read.
    public static func isReadableFile(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
        return access(path, R_OK) == 0
    }
}
