/// What stands at a path of a rendered folder on disk.
///
/// Folders are walked, never reported.
public enum FoundEntry: Sendable, Equatable {
    /// A regular file: its text and executable bit.
    case file(contents: String, isExecutable: Bool)
    /// A symbolic link, never followed: its target is not read.
    case symbolicLink
    /// Anything else that is not a regular file or a folder: a FIFO, a device, a socket.
    case special
}

/// How a rendered folder on disk differs from what its spec compiles to.
public struct Drift: Sendable, Equatable {
    /// One difference between the folder on disk and the compiled files.
    public enum Change: Sendable, Equatable {
        /// The file should exist and does not.
        case missing(path: String)
        /// The file exists and should not.
        case extra(path: String)
        /// The file's contents differ; `diff` is a unified diff, bounded in length.
        case stale(path: String, diff: String)
        /// The file's executable bit differs.
        case mode(path: String, executable: Bool)
        /// A symbolic link or special file stands where a file belongs (`expected`) or where
        /// nothing should be; its target or contents are never read.
        case notRegular(path: String, isSymbolicLink: Bool, expected: Bool)
    }

    /// The differences, expected files first in their order, then unexpected paths sorted.
    public var changes: [Change]

    /// Whether the folder on disk matches the compiled files exactly.
    public var isEmpty: Bool { changes.isEmpty }

    /// Compares `expected` with the regular files found on disk (path -> contents, executable).
    public static func compare(
        expected: [RenderedFile],
        actual: [String: (contents: String, isExecutable: Bool)],
        folder: String,
        maxDiffLines: Int = 60
    ) -> Drift {
        let found = actual.mapValues { FoundEntry.file(contents: $0.contents, isExecutable: $0.isExecutable) }
        return compare(expected: expected, found: found, folder: folder, maxDiffLines: maxDiffLines)
    }

    /// Whether `found` holds exactly the `expected` files, each a regular file with the same text
    /// and executable bit: `compare(...).isEmpty` without building a diff.
    public static func matches(expected: [RenderedFile], found: [String: FoundEntry]) -> Bool {
        found.count == expected.count
            && expected.allSatisfy { found[$0.path] == .file(contents: $0.contents, isExecutable: $0.isExecutable) }
    }

    /// Compares `expected` with what was found on disk, symbolic links and special files included.
    ///
    /// A diff is built for the stale files among the first `shownChanges` changes only: later
    /// ones, counted but not shown, carry an empty diff instead of work nobody reads.
    public static func compare(
        expected: [RenderedFile],
        found: [String: FoundEntry],
        folder: String,
        maxDiffLines: Int = 60,
        shownChanges: Int = .max
    ) -> Drift {
        var changes: [Change] = []
        var expectedPaths = Set<String>()
        for file in expected {
            expectedPaths.insert(file.path)
            switch found[file.path] {
            case nil: changes.append(.missing(path: file.path))
            case .symbolicLink: changes.append(.notRegular(path: file.path, isSymbolicLink: true, expected: true))
            case .special: changes.append(.notRegular(path: file.path, isSymbolicLink: false, expected: true))
            case .file(let contents, let isExecutable):
                if contents != file.contents, changes.count >= shownChanges {
                    changes.append(.stale(path: file.path, diff: ""))
                } else if contents != file.contents {
                    let diff = UnifiedDiff.make(
                        old: contents,
                        new: file.contents,
                        oldName: "a/\(folder)/\(file.path)",
                        newName: "b/\(folder)/\(file.path)",
                        maxLines: maxDiffLines
                    )
                    changes.append(.stale(path: file.path, diff: diff))
                } else if isExecutable != file.isExecutable {
                    changes.append(.mode(path: file.path, executable: file.isExecutable))
                }
            }
        }
        for path in found.keys.sorted() where !expectedPaths.contains(path) {
            switch found[path] {
            case .symbolicLink: changes.append(.notRegular(path: path, isSymbolicLink: true, expected: false))
            case .special: changes.append(.notRegular(path: path, isSymbolicLink: false, expected: false))
            default: changes.append(.extra(path: path))
            }
        }
        return Drift(changes: changes)
    }
}

/// A unified diff of two texts, line by line (Myers' algorithm), cut after `maxLines` lines.
enum UnifiedDiff {
    static func make(old: String, new: String, oldName: String, newName: String, maxLines: Int) -> String {
        let a = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let edits = script(a, b)
        var lines = ["--- \(oldName)", "+++ \(newName)"]
        // Group edits into hunks with three lines of context.
        let context = 3
        var index = 0
        while index < edits.count {
            guard let start = edits[index...].firstIndex(where: { $0.kind != .same }) else { break }
            var end = start
            var scan = start
            while scan < edits.count {
                if edits[scan].kind != .same {
                    end = scan
                    scan += 1
                } else if scan - end <= 2 * context {
                    scan += 1
                } else {
                    break
                }
            }
            let from = max(0, start - context)
            let to = min(edits.count - 1, end + context)
            let hunk = edits[from...to]
            let oldStart = (hunk.first?.oldLine ?? 0) + 1
            let newStart = (hunk.first?.newLine ?? 0) + 1
            let oldCount = hunk.filter { $0.kind != .insert }.count
            let newCount = hunk.filter { $0.kind != .delete }.count
            lines.append("@@ -\(oldStart),\(oldCount) +\(newStart),\(newCount) @@")
            for edit in hunk {
                switch edit.kind {
                case .same: lines.append(" " + edit.text)
                case .delete: lines.append("-" + edit.text)
                case .insert: lines.append("+" + edit.text)
                }
            }
            index = to + 1
        }
        if lines.count > maxLines + 2 {
            let omitted = lines.count - maxLines - 2
            lines = Array(lines.prefix(maxLines + 2)) + ["... (\(omitted) more lines of diff)"]
        }
        return lines.joined(separator: "\n")
    }

    struct Edit {
        enum Kind { case same, delete, insert }
        var kind: Kind
        var text: String
        /// Line positions (0-based) in the old and new text where this edit stands.
        var oldLine: Int
        var newLine: Int
    }

    /// An edit script between two line arrays: the common head and tail kept, the middle by
    /// Myers' shortest edit script when it is small, else replaced whole.
    static func script(_ a: [String], _ b: [String]) -> [Edit] {
        var head = 0
        while head < a.count, head < b.count, a[head] == b[head] { head += 1 }
        var tail = 0
        while tail < a.count - head, tail < b.count - head, a[a.count - 1 - tail] == b[b.count - 1 - tail] { tail += 1 }
        let middleA = Array(a[head..<(a.count - tail)])
        let middleB = Array(b[head..<(b.count - tail)])
        var edits = (0..<head).map { Edit(kind: .same, text: a[$0], oldLine: $0, newLine: $0) }
        let middle: [Edit]
        if middleA.count + middleB.count <= 2_000 {
            middle = myers(middleA, middleB)
        } else {
            middle =
                middleA.enumerated().map { Edit(kind: .delete, text: $1, oldLine: $0, newLine: 0) }
                + middleB.enumerated().map { Edit(kind: .insert, text: $1, oldLine: middleA.count, newLine: $0) }
        }
        edits += middle.map {
            Edit(kind: $0.kind, text: $0.text, oldLine: $0.oldLine + head, newLine: $0.newLine + head)
        }
        for offset in 0..<tail {
            edits.append(
                Edit(
                    kind: .same, text: a[a.count - tail + offset], oldLine: a.count - tail + offset,
                    newLine: b.count - tail + offset)
            )
        }
        return edits
    }

    /// Myers' shortest edit script.
    static func myers(_ a: [String], _ b: [String]) -> [Edit] {
        let n = a.count
        let m = b.count
        let max = n + m
        var v = [Int](repeating: 0, count: 2 * max + 2)
        var trace: [[Int]] = []
        outer: for d in 0...max {
            trace.append(v)
            for k in stride(from: -d, through: d, by: 2) {
                var x: Int
                if k == -d || (k != d && v[k - 1 + max] < v[k + 1 + max]) {
                    x = v[k + 1 + max]
                } else {
                    x = v[k - 1 + max] + 1
                }
                var y = x - k
                while x < n, y < m, a[x] == b[y] {
                    x += 1
                    y += 1
                }
                v[k + max] = x
                if x >= n, y >= m { break outer }
            }
        }
        var edits: [Edit] = []
        var x = n
        var y = m
        for d in stride(from: trace.count - 1, through: 0, by: -1) {
            let v = trace[d]
            let k = x - y
            let previousK: Int
            if k == -d || (k != d && v[k - 1 + max] < v[k + 1 + max]) {
                previousK = k + 1
            } else {
                previousK = k - 1
            }
            let previousX = v[previousK + max]
            let previousY = previousX - previousK
            while x > previousX, y > previousY {
                x -= 1
                y -= 1
                edits.append(Edit(kind: .same, text: a[x], oldLine: x, newLine: y))
            }
            if d > 0 {
                if x == previousX {
                    y -= 1
                    edits.append(Edit(kind: .insert, text: b[y], oldLine: x, newLine: y))
                } else {
                    x -= 1
                    edits.append(Edit(kind: .delete, text: a[x], oldLine: x, newLine: y))
                }
            }
        }
        return edits.reversed()
    }
}
