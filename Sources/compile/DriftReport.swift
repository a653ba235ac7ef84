import KeywayCore

/// `--check`: compares each environment's folder with what its spec compiles to; every stale,
/// missing, extra or non-regular file is counted, the first `DiagnosticCollector.shownLimit`
/// reported (with their diffs), and any of them exits 1.
struct DriftReport {
    let specs: [String]
    let out: String

    func check(_ folders: [EnvironmentFolder], reporter: inout Reporter) -> Int32 {
        var stale = 0
        var shown = 0
        for folder in folders {
            let path = "\(out)/\(folder.name)"
            let snapshot: TreeSnapshot
            do {
                snapshot = try TreeSnapshot.read(folder.name, in: out)
            } catch let error as FileSystemError {
                reporter.report(Message(file: error.path, text: "cannot read: \(error.reason)"))
                return 1
            } catch {
                reporter.report(Message(file: path, text: "cannot read: \(error)"))
                return 1
            }
            switch snapshot {
            case .notAFolder(let isSymbolicLink):
                stale += 1
                guard shown < Self.shownLimit else { continue }
                shown += 1
                reporter.report(
                    Message(
                        file: path,
                        text: isSymbolicLink ? "is a symbolic link, expected a folder" : "is a file, expected a folder")
                )
            case .absent, .folder:
                let found: [String: FoundEntry]
                if case .folder(let entries) = snapshot { found = entries } else { found = [:] }
                // Up to date, the usual case: the one comparison `--out` makes, no diff machinery.
                if case .folder = snapshot, Drift.matches(expected: folder.files, found: found) { continue }
                let drift = Drift.compare(
                    expected: folder.files, found: found, folder: path, shownChanges: Self.shownLimit - shown)
                for change in drift.changes.prefix(max(0, Self.shownLimit - shown)) {
                    reporter.report(Self.message(for: change, in: path))
                }
                shown = min(Self.shownLimit, shown + drift.changes.count)
                stale += drift.changes.count
            }
        }
        guard stale > 0 else { return 0 }
        reporter.report(
            Message(
                file: out,
                text: "\(stale) file\(stale == 1 ? "" : "s") out of date"
                    + (stale > shown ? " (the first \(shown) shown)" : ""),
                help: "run 'compile \(specs.joined(separator: " ")) --out \(out)' and commit the result"
            )
        )
        return 1
    }

    /// The most differences shown with their diffs: as many as a spec's errors, so a tree of
    /// thousands of stale files prints a bounded stderr.
    static let shownLimit = DiagnosticCollector.shownLimit

    static func message(for change: Drift.Change, in folder: String) -> Message {
        switch change {
        case .missing(let path):
            Message(file: "\(folder)/\(path)", text: "missing: the spec compiles to a file that is not there")
        case .extra(let path): Message(file: "\(folder)/\(path)", text: "extra: the spec does not compile to this file")
        case .stale(let path, let diff):
            Message(file: "\(folder)/\(path)", text: "stale: differs from what the spec compiles to", diff: diff)
        case .mode(let path, let executable):
            Message(file: "\(folder)/\(path)", text: "stale: should \(executable ? "" : "not ")be executable")
        case .notRegular(let path, let isSymbolicLink, let expected):
            Message(
                file: "\(folder)/\(path)",
                text: expected
                    ? "is a \(isSymbolicLink ? "symbolic link" : "special file"), expected a file"
                    : "extra: a \(isSymbolicLink ? "symbolic link" : "special file") the spec does not compile to",
                help: "remove it: '--out' writes regular files only, and never follows a link"
            )
        }
    }
}
