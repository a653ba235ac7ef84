import Glibc

/// A failed file-system call, with the path and the system's reason.
struct FileSystemError: Error, CustomStringConvertible, Sendable {
    var path: String
    var reason: String

    init(_ path: String, _ code: Int32 = errno) {
        self.path = path
        self.reason = String(cString: strerror(code))
    }

    init(_ path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    var description: String { "'\(path)': \(reason)" }
}

/// A spec over the size limit, refused before it is read whole.
///
/// `size` is known for regular files.
struct TooLargeError: Error, Sendable {
    var path: String
    var size: Int?
    var limit: Int
}

/// The few POSIX calls the CLI needs: the core library does no I/O.
enum FileSystem {
    /// Reads a spec of at most `limit` bytes: a regular file's size is checked before reading,
    /// and no file, device or pipe is read past `limit + 1` bytes.
    static func read(_ path: String, limit: Int) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileSystemError(path) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileSystemError(path) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw FileSystemError(path, EISDIR) }
        if (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) > limit {
            throw TooLargeError(path: path, size: Int(info.st_size), limit: limit)
        }
        let size = (info.st_mode & S_IFMT) == S_IFREG ? Int(info.st_size) : 0
        let bytes = try readUpTo(fd, count: limit + 1, path: path, expected: size)
        if bytes.count > limit { throw TooLargeError(path: path, size: nil, limit: limit) }
        return bytes
    }

    /// Reads standard input to its end, at most `limit` bytes (`-` of `compile import`).
    static func readStandardInput(limit: Int) throws -> [UInt8] {
        let bytes = try readUpTo(0, count: limit + 1, path: "-")
        if bytes.count > limit { throw TooLargeError(path: "-", size: nil, limit: limit) }
        return bytes
    }

    /// Reads until end of file or `count` bytes, whichever comes first; `expected` bytes (a
    /// regular file's size) are reserved at once, so the text kept is not a doubled buffer.
    static func readUpTo(_ fd: Int32, count: Int, path: String, expected: Int = 0) throws -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(min(expected, count))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while bytes.count < count {
            let wanted = min(chunk.count, count - bytes.count)
            let read = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, wanted) }
            if read < 0 {
                if errno == EINTR { continue }
                throw FileSystemError(path)
            }
            if read == 0 { break }
            bytes.append(contentsOf: chunk[0..<read])
        }
        return bytes
    }

    static func writeAll(_ fd: Int32, _ buffer: UnsafeBufferPointer<UInt8>, path: String) throws {
        var offset = 0
        while offset < buffer.count {
            let count = Glibc.write(fd, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
            if count < 0 {
                if errno == EINTR { continue }
                throw FileSystemError(path)
            }
            offset += count
        }
    }

    /// Writes text to standard output or standard error in full.
    static func emit(_ text: String, to fd: Int32) throws {
        var text = text
        try text.withUTF8 { buffer in try writeAll(fd, buffer, path: fd == 1 ? "<stdout>" : "<stderr>") }
    }

    /// Creates `path` and its parents (following symbolic links: DIR is the user's choice).
    static func makeDirectories(_ path: String) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o755) != 0, errno != EEXIST { throw FileSystemError(current) }
        }
    }

    static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// The process's umask, read once (`umask` can only be read by setting it, so it is put
    /// straight back; files are written after every thread that could create one is done).
    static let umask: mode_t = {
        let mask = Glibc.umask(0o022)
        Glibc.umask(mask)
        return mask
    }()

    static func environment(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
}
