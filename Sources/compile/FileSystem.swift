import Glibc

/// A failed file-system call, with the path and the system's reason.
struct FileSystemError: Error, CustomStringConvertible {
    var path: String
    var reason: String

    init(_ path: String, _ code: Int32 = errno) {
        self.path = path
        self.reason = String(cString: strerror(code))
    }

    var description: String { "'\(path)': \(reason)" }
}

/// The few POSIX calls the CLI needs: the core library does no I/O.
enum FileSystem {
    static func read(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileSystemError(path) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileSystemError(path) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw FileSystemError(path, EISDIR) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(info.st_size))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileSystemError(path)
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }

    static func write(_ path: String, _ text: String, executable: Bool) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, executable ? 0o755 : 0o644)
        guard fd >= 0 else { throw FileSystemError(path) }
        defer { close(fd) }
        // open's mode is masked by the umask: set the bits we mean.
        fchmod(fd, executable ? 0o755 : 0o644)
        var text = text
        try text.withUTF8 { buffer in try writeAll(fd, buffer, path: path) }
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

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    static func makeDirectories(_ path: String) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o755) != 0, errno != EEXIST { throw FileSystemError(current) }
        }
    }

    /// Every regular file below `root`, as paths relative to it, with contents and executable bit.
    static func files(under root: String) throws -> [String: (contents: String, isExecutable: Bool)] {
        var result: [String: (contents: String, isExecutable: Bool)] = [:]
        func walk(_ relative: String) throws {
            let folder = relative.isEmpty ? root : "\(root)/\(relative)"
            guard let directory = opendir(folder) else { throw FileSystemError(folder) }
            defer { closedir(directory) }
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name == "." || name == ".." { continue }
                let path = relative.isEmpty ? name : "\(relative)/\(name)"
                var info = stat()
                guard lstat("\(root)/\(path)", &info) == 0 else { throw FileSystemError("\(root)/\(path)") }
                switch info.st_mode & S_IFMT {
                case S_IFDIR: try walk(path)
                default:
                    let bytes = try read("\(root)/\(path)")
                    result[path] = (String(decoding: bytes, as: UTF8.self), info.st_mode & 0o100 != 0)
                }
            }
        }
        try walk("")
        return result
    }

    static func removeTree(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if (info.st_mode & S_IFMT) == S_IFDIR, let directory = opendir(path) {
            var names: [String] = []
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name != "." && name != ".." { names.append(name) }
            }
            closedir(directory)
            for name in names { removeTree("\(path)/\(name)") }
            rmdir(path)
        } else {
            unlink(path)
        }
    }

    static func rename(_ from: String, _ to: String) throws {
        guard Glibc.rename(from, to) == 0 else { throw FileSystemError(to) }
    }

    static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    static func environment(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
}
