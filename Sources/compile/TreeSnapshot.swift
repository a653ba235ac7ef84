import Glibc
import KeywayCore

/// What stands at DIR/<name> on disk, read without following any symbolic link below DIR.
enum TreeSnapshot {
    case absent
    /// DIR/<name> is a symbolic link or a file, not a folder.
    case notAFolder(isSymbolicLink: Bool)
    /// Every entry below the folder that is not a folder, by relative path.
    case folder([String: FoundEntry])

    /// The most read of one existing file: more than any rendered file, and bounded.
    static let fileLimit = 64 * 1024 * 1024

    /// Reads DIR/<name>; an absent DIR means an absent folder.
    static func read(_ name: String, in out: String) throws -> TreeSnapshot {
        let root: Directory
        do {
            root = try Directory.open(out)
        } catch let error as FileSystemError where error.reason == String(cString: strerror(ENOENT)) {
            return .absent
        }
        switch try root.type(of: name) {
        case nil: return .absent
        case S_IFDIR?:
            var found: [String: FoundEntry] = [:]
            try root.folder(name).collect(prefix: "", into: &found)
            return .folder(found)
        case let type: return .notAFolder(isSymbolicLink: type == S_IFLNK)
        }
    }
}

extension Directory {
    /// Adds every entry below this folder to `found`; sub-folders are opened without following links.
    func collect(prefix: String, into found: inout [String: FoundEntry]) throws {
        for name in try names() {
            let path = prefix.isEmpty ? name : "\(prefix)/\(name)"
            if try type(of: name) == S_IFDIR {
                try folder(name).collect(prefix: path, into: &found)
            } else {
                found[path] = try entry(name, limit: TreeSnapshot.fileLimit)
            }
        }
    }
}
