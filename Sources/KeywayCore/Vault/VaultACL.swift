/// Vault's ACL matching over a `VaultPolicy`'s rules, as Vault evaluates one policy.
///
/// A rule whose path equals the request path wins; otherwise the longest `*`-suffixed rule whose
/// prefix starts the request path; otherwise nothing is granted. Rules of the same path are merged.
/// Keyway writes no `+` segment wildcards: a Vault path in a spec cannot hold one.
///
/// `VaultACL` is that matching over an index of the rules, so each question costs the length of
/// the path, not the number of rules: `explain` asks it once per path of a spec.
public struct VaultACL: Sendable {
    private var exact: [String: Set<VaultCapability>] = [:]
    private var globs: [String: Set<VaultCapability>] = [:]
    /// Every rule's path, sorted: the rules inside a folder are one run of it.
    private let sortedPaths: [String]

    /// Indexes a policy's rules.
    public init(_ policy: VaultPolicy) {
        for rule in policy.rules {
            if rule.isGlob {
                globs[rule.prefix, default: []].formUnion(rule.capabilities)
            } else {
                exact[rule.path, default: []].formUnion(rule.capabilities)
            }
        }
        sortedPaths = Array(Set(policy.rules.map(\.path))).sorted()
    }

    /// The prefix of the longest glob rule that starts `path`, and what it grants.
    private func longestGlob(covering path: String) -> (prefix: String, capabilities: Set<VaultCapability>)? {
        var end = path.endIndex
        while true {
            let prefix = String(path[..<end])
            if let capabilities = globs[prefix] { return (prefix, capabilities) }
            guard end > path.startIndex else { return nil }
            end = path.index(before: end)
        }
    }

    /// The capabilities the policy grants on one API path.
    public func capabilities(at path: String) -> Set<VaultCapability> {
        if let granted = exact[path] { return granted }
        return longestGlob(covering: path)?.capabilities ?? []
    }

    /// Whether `capability` is granted on every path below `folder` (an API path ending in `/`):
    /// the longest glob covering the folder grants it, and no rule inside the folder takes it away.
    public func grantsEverywhere(_ capability: VaultCapability, below folder: String) -> Bool {
        guard let covering = longestGlob(covering: folder), covering.capabilities.contains(capability) else {
            return false
        }
        // Every path below the folder is governed by that glob or by a rule inside the folder.
        return rules(inside: folder).allSatisfy { path in
            let prefix = path.hasSuffix("*") ? String(path.dropLast()) : path
            guard prefix.count > folder.count else { return true }
            return (path.hasSuffix("*") ? globs[prefix] : exact[path])?.contains(capability) ?? false
        }
    }

    /// The rule paths that start with `folder`, in sorted order.
    func rules(inside folder: String) -> ArraySlice<String> {
        sortedPaths.run(startingWith: folder) { $0 }
    }
}

extension Array {
    /// In an array sorted by `key`, the elements whose key starts with `prefix`: one run of it,
    /// found by binary search.
    func run(startingWith prefix: String, key: (Element) -> String) -> ArraySlice<Element> {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if key(self[middle]) < prefix { low = middle + 1 } else { high = middle }
        }
        var end = low
        while end < count, key(self[end]).hasPrefix(prefix) { end += 1 }
        return self[low..<end]
    }
}

extension VaultPolicy {
    /// The capabilities the policy grants on one API path (`VaultACL`).
    public func capabilities(at path: String) -> Set<VaultCapability> { VaultACL(self).capabilities(at: path) }

    /// Whether `capability` is granted on every path below `folder` (`VaultACL`).
    public func grantsEverywhere(_ capability: VaultCapability, below folder: String) -> Bool {
        VaultACL(self).grantsEverywhere(capability, below: folder)
    }
}

extension PolicyRule {
    /// Whether the path ends in `*`: it then matches every path that starts with `prefix`.
    var isGlob: Bool { path.hasSuffix("*") }

    /// The path without its trailing `*` (the path itself for an exact rule).
    var prefix: String { isGlob ? String(path.dropLast()) : path }
}
