/// The KV mounts by their data root, as a tree of path segments: the mounts whose data root
/// starts a path are found in one walk along the path (linear in its length), not by testing
/// every mount.
struct MountRoots {
    /// Each node's children by the segment leading to them; node 0 is the empty path.
    private var children: [[Substring: Int]] = [[:]]
    /// At each node, the positions (in the mounts' order) of the mounts whose data root ends there.
    private var ending: [[Int]] = [[]]

    init(_ mounts: [KVMount]) {
        for (position, mount) in mounts.enumerated() {
            var node = 0
            for segment in Self.segments(of: mount.dataRoot) {
                if let next = children[node][segment] {
                    node = next
                } else {
                    children.append([:])
                    ending.append([])
                    children[node][segment] = children.count - 1
                    node = children.count - 1
                }
            }
            ending[node].append(position)
        }
    }

    /// The positions of the mounts whose data root starts `path`, the shortest root first.
    func mounts(startingWith path: String) -> [Int] {
        var node = 0
        var found = ending[0]
        for segment in Self.segments(of: path) {
            guard let next = children[node][segment] else { break }
            node = next
            found += ending[node]
        }
        return found
    }

    /// The segments of a path that a `/` ends: `a/b/` and `a/b/c` give `a`, `b`.
    private static func segments(of path: String) -> ArraySlice<Substring> {
        path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
    }
}
