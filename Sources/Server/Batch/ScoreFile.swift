#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// `raif score` on files: reads a JSONL file, writes the scored lines to a file or standard
/// output, shows progress and returns the summary (no server involved).
public enum ScoreFile {
    /// Scores every line of `input` into `output` (standard output when nil).
    ///
    /// - Parameters:
    ///   - scorer: the options and worker count.
    ///   - progress: draw a progress bar on standard error; nil draws it only when standard error
    ///     is a terminal.
    /// - Returns: the summary (print it with `description`).
    /// - Throws: ``ServerError/fileIO(path:reason:)`` when a file cannot be opened, read or written.
    ///   A line that cannot be scored is not an error: it gets an `error` line.
    public static func run(
        input: String, output: String?, scorer: BatchScorer, progress: Bool? = nil
    ) async throws(ServerError) -> BatchSummary {
        let reader = try LineReader(path: input)
        defer { reader.close() }
        let writer = try OutputWriter(path: output)
        defer { writer.close() }
        let showProgress = progress ?? (isatty(2) == 1)
        var bar: ProgressBar? = nil
        if showProgress { bar = ProgressBar(total: try LineReader.countLines(path: input)) }
        let summary = try await scorer.score(
            lines: reader,
            write: { (line: [UInt8]) throws(ServerError) in try writer.writeLine(line) },
            progress: bar.map { bar in { bar.update($0) } })
        try writer.flush()
        bar?.finish()
        if let error = reader.error { throw error }
        return summary
    }
}

/// Lines of a file (without their `\n`), read in large blocks from a file descriptor.
final class LineReader: Sequence, IteratorProtocol {
    private let fd: Int32
    private let path: String
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    /// The read error that ended the sequence early, if any.
    private(set) var error: ServerError?

    /// Opens `path` for reading.
    init(path: String) throws(ServerError) {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw .fileIO(path: path, reason: String(cString: strerror(errno))) }
    }

    /// Closes the file.
    func close() {
        _ = closeDescriptor(fd)
    }

    /// The next line, nil at the end of the file (or after a read error, kept in ``error``).
    func next() -> [UInt8]? {
        while true {
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                let line = Array(buffer[start..<newline])
                start = newline + 1
                return line
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                let line = Array(buffer[start...])
                start = buffer.count
                return line
            }
            buffer.removeSubrange(0..<start)
            start = 0
            let old = buffer.count
            let block = 1 << 20
            buffer.append(contentsOf: repeatElement(0, count: block))
            let got = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + old, block) }
            if got < 0 {
                if errno == EINTR {
                    buffer.removeSubrange(old...)
                    continue
                }
                error = .fileIO(path: path, reason: String(cString: strerror(errno)))
                buffer.removeSubrange(old...)
                atEnd = true
                buffer.removeAll()
                return nil
            }
            buffer.removeSubrange((old + got)...)
            if got == 0 { atEnd = true }
        }
    }

    /// The number of non-blank lines of `path` (for the progress bar).
    static func countLines(path: String) throws(ServerError) -> Int {
        let reader = try LineReader(path: path)
        defer { reader.close() }
        var count = 0
        while let line = reader.next() {
            if line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) { count += 1 }
        }
        if let error = reader.error { throw error }
        return count
    }
}

/// Buffered writes of lines to a file (created or truncated) or to standard output.
final class OutputWriter {
    private let fd: Int32
    private let path: String
    private let ownsDescriptor: Bool
    private var buffer: [UInt8] = []

    /// Opens `path` for writing, or standard output when nil.
    init(path: String?) throws(ServerError) {
        if let path {
            self.path = path
            fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            if fd < 0 { throw .fileIO(path: path, reason: String(cString: strerror(errno))) }
            ownsDescriptor = true
        } else {
            self.path = "standard output"
            fd = 1
            ownsDescriptor = false
        }
        buffer.reserveCapacity(1 << 20)
    }

    /// Appends `line` and a newline; writes out every megabyte.
    func writeLine(_ line: [UInt8]) throws(ServerError) {
        buffer.append(contentsOf: line)
        buffer.append(0x0A)
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Writes out what is buffered.
    func flush() throws(ServerError) {
        var offset = 0
        while offset < buffer.count {
            let written = buffer[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw .fileIO(path: path, reason: String(cString: strerror(errno)))
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Closes the file (not standard output).
    func close() {
        if ownsDescriptor { _ = closeDescriptor(fd) }
    }
}

/// A one-line progress bar on standard error, redrawn in place.
final class ProgressBar: @unchecked Sendable {
    private let total: Int
    private let started = ContinuousClock.now

    init(total: Int) { self.total = total }

    /// Redraws the bar for `done` lines.
    func update(_ done: Int) {
        let width = 30
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 1
        let filled = Int((fraction * Double(width)).rounded(.down))
        let elapsed = (ContinuousClock.now - started).inSeconds
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        emit("\r[\(bar)] \(done)/\(total) lines  \(fixed(rate, rate < 10 ? 1 : 0)) lines/s")
    }

    /// Ends the bar's line.
    func finish() { emit("\n") }

    private func emit(_ text: String) {
        var bytes = Array(text.utf8)
        let count = bytes.count
        _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, count) }
    }
}

/// `close(2)`, named apart from the methods called `close`.
private func closeDescriptor(_ fd: Int32) -> Int32 {
    #if canImport(Glibc)
        Glibc.close(fd)
    #else
        Darwin.close(fd)
    #endif
}
