import Glibc
import KeywayCore

/// `--out DIR`: writes the environments whose folders are out of date, each swapped in whole.
///
/// Each is written into a stage folder inside DIR, then swapped into place with
/// `renameat2(RENAME_EXCHANGE)` (or `RENAME_NOREPLACE` when it is new), so the target is never
/// missing and racing writers each swap in a whole tree. A folder already up to date (as
/// `--check` sees it) is left as it is, untouched.
///
/// The stage, `DIR/.keyway-stage-PID-N/`, holds a `.gitignore` of `*` before anything else, so a
/// killed run leaves nothing `git add` would pick up; it is locked (`flock`) while its run lives,
/// and a later run removes every stage whose lock it can take.
struct TreeWriter {
    let out: String
    let failOnChange: Bool

    static let stagePrefix = ".keyway-stage-"

    func write(_ folders: [EnvironmentFolder], reporter: inout Reporter) -> Int32 {
        let stale = folders.filter(isOutOfDate)
        if stale.isEmpty {
            // Nothing to write: only the stages of runs that died are removed.
            if let root = try? Directory.open(out) { Stage.removeAbandoned(in: root) }
            return 0
        }
        let root: Directory
        let stage: Stage
        do {
            try FileSystem.makeDirectories(out)
            root = try Directory.open(out)
            Stage.removeAbandoned(in: root)
            stage = try Stage.create(in: root)
        } catch {
            reporter.report(Self.message(for: error, help: "'\(out)' is unchanged"))
            return 1
        }
        defer { stage.remove() }
        do {
            for folder in stale { try stage.write(folder) }
        } catch {
            reporter.report(Self.message(for: error, help: "'\(out)' is unchanged"))
            return 1
        }
        for folder in stale {
            do {
                try stage.swap(folder.name)
            } catch {
                reporter.report(Self.message(for: error, help: nil))
                return 1
            }
        }
        guard failOnChange else { return 0 }
        for folder in stale {
            reporter.report(
                Message(
                    file: "\(out)/\(folder.name)", text: "rewritten: it was out of date",
                    help: "review the change and commit it"))
        }
        return 1
    }

    func isOutOfDate(_ folder: EnvironmentFolder) -> Bool {
        guard case .folder(let found)? = try? TreeSnapshot.read(folder.name, in: out) else { return true }
        return !Drift.matches(expected: folder.files, found: found)
    }

    static func message(for error: any Error, help: String?) -> Message {
        guard let error = error as? FileSystemError else { return Message(text: "cannot write: \(error)", help: help) }
        return Message(file: error.path, text: "cannot write: \(error.reason)", help: help)
    }
}

/// One run's stage folder inside DIR, locked while the run lives.
struct Stage {
    let root: Directory
    let name: String
    let folder: Directory

    static let ignore = ".gitignore"

    /// Creates, locks and marks a new stage; retries when a cleaner removed it before the lock.
    static func create(in root: Directory) throws -> Stage {
        for attempt in 0..<100 {
            let name = "\(TreeWriter.stagePrefix)\(getpid())-\(attempt)"
            guard mkdirat(root.fd, name, 0o755) == 0 else {
                if errno == EEXIST { continue }
                throw FileSystemError(root.child(name))
            }
            guard let folder = try? root.folder(name), flock(folder.fd, LOCK_EX) == 0,
                isSame(folder, as: name, in: root)
            else { continue }
            try writeIgnore(in: folder)
            return Stage(root: root, name: name, folder: folder)
        }
        throw FileSystemError(root.child(TreeWriter.stagePrefix), reason: "cannot create a stage folder")
    }

    /// Whether `name` in `root` is still the folder open as `folder` (a cleaner may have removed it).
    static func isSame(_ folder: Directory, as name: String, in root: Directory) -> Bool {
        var open = stat()
        var named = stat()
        guard fstat(folder.fd, &open) == 0, fstatat(root.fd, name, &named, AT_SYMLINK_NOFOLLOW) == 0 else {
            return false
        }
        return open.st_dev == named.st_dev && open.st_ino == named.st_ino
    }

    /// `.gitignore` with `*`, appearing whole: written to an unnamed file (O_TMPFILE) and linked
    /// in; where the file system has no O_TMPFILE, written in place.
    static func writeIgnore(in folder: Directory) throws {
        let temporaryFile: Int32 = 0o20_000_000 | O_DIRECTORY
        let file = openat(folder.fd, ".", temporaryFile | O_WRONLY | O_CLOEXEC, 0o644)
        guard file >= 0 else { return try folder.writeFile(ignore, "*\n", executable: false) }
        defer { close(file) }
        fchmod(file, 0o644)
        var text = "*\n"
        try text.withUTF8 { try FileSystem.writeAll(file, $0, path: folder.child(ignore)) }
        guard linkat(AT_FDCWD, "/proc/self/fd/\(file)", folder.fd, ignore, AT_SYMLINK_FOLLOW) == 0 else {
            throw FileSystemError(folder.child(ignore))
        }
    }

    /// Writes one environment's files into `STAGE/<name>/`.
    ///
    /// Each folder is created and opened once, then the folders' files are written concurrently,
    /// each relative to its folder's open descriptor (open, write, close).
    func write(_ environment: EnvironmentFolder) throws {
        try folder.makeFolder(environment.name)
        var folders = ["": try folder.folder(environment.name)]
        var groups: [(folder: Directory, files: [(name: String, file: RenderedFile)])] = []
        var group: [String: Int] = [:]
        for file in environment.files {
            let (parent, name) = Self.split(file.path)
            let index = group[parent] ?? groups.count
            if index == groups.count {
                group[parent] = index
                groups.append((try folders[parent] ?? Self.makeFolders(parent, in: &folders), []))
            }
            groups[index].files.append((name, file))
        }
        let failures = Concurrently.map(groups.map { ($0.folder, $0.files) }) { folder, files -> FileSystemError? in
            do {
                for (name, file) in files { try folder.writeFile(name, file.contents, executable: file.isExecutable) }
                return nil
            } catch {
                return error as? FileSystemError ?? FileSystemError(folder.path, reason: "\(error)")
            }
        }
        if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
    }

    /// `a/b/c` as (`a/b`, `c`); a name without `/` is in the top folder, `""`.
    static func split(_ path: String) -> (parent: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        return (String(path[..<slash]), String(path[path.index(after: slash)...]))
    }

    /// Creates the folder at `path` (and those above it) below the open top folder `folders[""]`,
    /// remembering each one opened; a name that is a link or a file is an error.
    static func makeFolders(_ path: String, in folders: inout [String: Directory]) throws -> Directory {
        let (parentPath, name) = split(path)
        let parent = try folders[parentPath] ?? makeFolders(parentPath, in: &folders)
        if mkdirat(parent.fd, name, 0o755) != 0, errno != EEXIST { throw FileSystemError(parent.child(name)) }
        let made = try parent.folder(name)
        folders[path] = made
        return made
    }

    /// Puts `STAGE/<name>` at `DIR/<name>`: created if absent, else exchanged with what is there,
    /// which then lies in the stage and goes with it.
    func swap(_ name: String) throws {
        for _ in 0..<100 {
            if Rename.renameat2(folder, name, root, name, Rename.noReplace) == 0 { return }
            if errno == EEXIST {
                if Rename.renameat2(folder, name, root, name, Rename.exchange) == 0 { return }
                if errno == ENOENT { continue }
            }
            if errno == EINVAL || errno == ENOSYS { return try replace(name) }
            throw FileSystemError(root.child(name))
        }
        throw FileSystemError(root.child(name), reason: "the folder kept changing while it was replaced")
    }

    /// Where renameat2 is missing: move the old folder into the stage, then the new one in place.
    private func replace(_ name: String) throws {
        let old = "\(name).old"
        if renameat(root.fd, name, folder.fd, old) != 0, errno != ENOENT { throw FileSystemError(root.child(name)) }
        guard renameat(folder.fd, name, root.fd, name) == 0 else { throw FileSystemError(root.child(name)) }
    }

    /// Removes the stage: its contents, then its `.gitignore`, then the folder, so that whatever
    /// a kill leaves is still ignored.
    func remove() {
        Self.empty(folder)
        unlinkat(root.fd, name, AT_REMOVEDIR)
    }

    static func empty(_ folder: Directory) {
        for child in (try? folder.children()) ?? [] where child.name != ignore {
            folder.removeTree(child.name, type: child.type)
        }
        unlinkat(folder.fd, ignore, 0)
    }

    /// Removes the stages of runs that died: those whose lock can be taken.
    static func removeAbandoned(in root: Directory) {
        for name in (try? root.names()) ?? [] where name.hasPrefix(TreeWriter.stagePrefix) {
            guard let folder = try? root.folder(name), flock(folder.fd, LOCK_EX | LOCK_NB) == 0 else { continue }
            empty(folder)
            unlinkat(root.fd, name, AT_REMOVEDIR)
        }
    }
}
