import Glibc
import KeywayCore

/// An open folder.
///
/// Every call is relative to it and never follows a symbolic link, so nothing placed in an output
/// tree can send a read or a write outside it.
///
/// Immutable, so several threads may write into (or remove from) one open folder.
final class Directory: Sendable {
    let fd: Int32
    /// The folder's path, for messages.
    let path: String

    private init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    deinit { close(fd) }

    /// Opens a folder by path; its own path may go through symbolic links (DIR is the user's choice).
    static func open(_ path: String) throws -> Directory {
        let fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw FileSystemError(path) }
        return Directory(fd: fd, path: path)
    }

    func child(_ name: String) -> String { "\(path)/\(name)" }

    /// Opens a sub-folder; fails with ELOOP or ENOTDIR when `name` is a symbolic link or no folder.
    func folder(_ name: String) throws -> Directory {
        let fd = openat(self.fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw FileSystemError(child(name)) }
        return Directory(fd: fd, path: child(name))
    }

    /// The type bits of `name` itself (`S_IFDIR`, `S_IFLNK`, …), `nil` when it does not exist.
    func type(of name: String) throws -> mode_t? {
        var info = stat()
        if fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 { return info.st_mode & S_IFMT }
        if errno == ENOENT { return nil }
        throw FileSystemError(child(name))
    }

    /// The names in the folder, without `.` and `..`, sorted.
    func names() throws -> [String] { try children().map(\.name).sorted() }

    /// The entries of the folder, without `.` and `..`, in directory order, each with its type
    /// as `readdir` gives it (`DT_DIR`, `DT_REG`, …; `DT_UNKNOWN` where the file system does not say).
    func children() throws -> [(name: String, type: UInt8)] {
        let copy = dup(fd)
        guard copy >= 0, let stream = fdopendir(copy) else {
            if copy >= 0 { close(copy) }
            throw FileSystemError(path)
        }
        defer { closedir(stream) }
        rewinddir(stream)
        var children: [(name: String, type: UInt8)] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { children.append((name, entry.pointee.d_type)) }
        }
        return children
    }

    func makeFolder(_ name: String) throws {
        guard mkdirat(fd, name, 0o755) == 0 else { throw FileSystemError(child(name)) }
    }

    /// Creates a new file; an existing file or link of that name is an error, never overwritten.
    ///
    /// Four calls: open, write, close, and `fchmod` only where the umask would drop a bit of the mode.
    func writeFile(_ name: String, _ text: String, executable: Bool) throws {
        let mode: mode_t = executable ? 0o755 : 0o644
        let file = openat(fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard file >= 0 else { throw FileSystemError(child(name)) }
        defer { close(file) }
        // open's mode is masked by the umask: set the bits we mean.
        if mode & FileSystem.umask != 0 { fchmod(file, mode) }
        var text = text
        try text.withUTF8 { buffer in try FileSystem.writeAll(file, buffer, path: child(name)) }
    }

    /// What `name` is, read without following it: a regular file's text (at most `limit` bytes
    /// are read), or only the fact that it is a symbolic link or a special file.
    func entry(_ name: String, limit: Int) throws -> FoundEntry {
        let file = openat(fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard file >= 0 else {
            if errno == ELOOP { return .symbolicLink }
            throw FileSystemError(child(name))
        }
        defer { close(file) }
        var info = stat()
        guard fstat(file, &info) == 0 else { throw FileSystemError(child(name)) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return .special }
        let bytes = try FileSystem.readUpTo(file, count: limit, path: child(name))
        return .file(contents: String(decoding: bytes, as: UTF8.self), isExecutable: info.st_mode & 0o100 != 0)
    }

    /// Removes `name` and, if it is a folder, everything in it; links are removed, not followed.
    ///
    /// `type` is the entry's `readdir` type when known: no `stat` is needed to tell a folder.
    /// Sub-folders are emptied concurrently, on every core.
    func removeTree(_ name: String, type: UInt8 = UInt8(DT_UNKNOWN)) {
        let isFolder = type == UInt8(DT_UNKNOWN) ? (try? self.type(of: name)) == S_IFDIR : type == UInt8(DT_DIR)
        guard isFolder, let folder = try? folder(name) else {
            unlinkat(fd, name, 0)
            return
        }
        let children = (try? folder.children()) ?? []
        let folders = children.filter { $0.type == UInt8(DT_DIR) || $0.type == UInt8(DT_UNKNOWN) }
        if folders.count > 1 {
            _ = Concurrently.map(folders) { folder.removeTree($0.name, type: $0.type) }
        } else {
            for inner in folders { folder.removeTree(inner.name, type: inner.type) }
        }
        for inner in children where inner.type != UInt8(DT_DIR) && inner.type != UInt8(DT_UNKNOWN) {
            folder.unlinkAt(inner.name)
        }
        unlinkat(fd, name, AT_REMOVEDIR)
    }

    /// Removes a name that is not a folder.
    func unlinkAt(_ name: String) { unlinkat(fd, name, 0) }
}
