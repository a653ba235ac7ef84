/// Vault's ACL matching over a `VaultPolicy`'s rules, as Vault evaluates one policy: a rule whose
/// path equals the request path wins; otherwise the longest `*`-suffixed rule whose prefix starts
/// the request path; otherwise nothing is granted. Rules of the same path are merged.
/// (Keyway writes no `+` segment wildcards: a Vault path in a spec cannot hold one.)
extension VaultPolicy {
    /// The capabilities the policy grants on one API path.
    public func capabilities(at path: String) -> Set<VaultCapability> { VaultACLIndex(self).capabilities(at: path) }

    /// Whether `capability` is granted on every path below `folder` (an API path ending in `/`):
    /// the longest glob covering the folder grants it, and no rule inside the folder takes it away.
    public func grantsEverywhere(_ capability: VaultCapability, below folder: String) -> Bool {
        VaultACLIndex(self).grantsEverywhere(capability, below: folder)
    }
}

/// A policy's rules indexed for Vault's ACL matching: each question costs the length of the path
/// asked about, not the number of rules (import asks once per rule of a policy of thousands).
public struct VaultACLIndex {
    /// Exact rules by path, merged.
    let exact: [String: Set<VaultCapability>]
    /// `*` rules by their prefix, merged.
    let globs: [String: Set<VaultCapability>]
    /// Every rule's path, sorted: the rules inside a folder are one run of it.
    let paths: [String]

    /// Indexes `policy`'s rules.
    public init(_ policy: VaultPolicy) {
        var exact: [String: Set<VaultCapability>] = [:]
        var globs: [String: Set<VaultCapability>] = [:]
        for rule in policy.rules {
            if rule.isGlob {
                globs[rule.prefix, default: []].formUnion(rule.capabilities)
            } else {
                exact[rule.path, default: []].formUnion(rule.capabilities)
            }
        }
        self.exact = exact
        self.globs = globs
        self.paths = Set(policy.rules.map(\.path)).sorted()
    }

    /// The capabilities granted on one API path: the exact rule, else the longest glob.
    public func capabilities(at path: String) -> Set<VaultCapability> {
        if let granted = exact[path] { return granted }
        return longestGlob(covering: path).map { globs[$0] ?? [] } ?? []
    }

    /// The longest glob prefix that starts `path`.
    func longestGlob(covering path: String) -> String? {
        var end = path.endIndex
        while true {
            let prefix = String(path[..<end])
            if globs[prefix] != nil { return prefix }
            guard end > path.startIndex else { return nil }
            end = path.index(before: end)
        }
    }

    /// Whether `capability` is granted on every path below `folder` (an API path ending in `/`).
    public func grantsEverywhere(_ capability: VaultCapability, below folder: String) -> Bool {
        guard let longest = longestGlob(covering: folder), globs[longest]?.contains(capability) == true else {
            return false
        }
        // Every path below the folder is governed by that glob or by a rule inside the folder.
        var low = 0
        var high = paths.count
        while low < high {
            let middle = (low + high) / 2
            if paths[middle] < folder { low = middle + 1 } else { high = middle }
        }
        for path in paths[low...] {
            guard path.hasPrefix(folder) else { break }
            let rule = PolicyRule(path: path, capabilities: [])
            guard rule.prefix.count > folder.count else { continue }
            let granted = (exact[path] ?? []).union(rule.isGlob ? globs[rule.prefix] ?? [] : [])
            if !granted.contains(capability) { return false }
        }
        return true
    }
}

extension PolicyRule {
    /// Whether the path ends in `*`: it then matches every path that starts with `prefix`.
    var isGlob: Bool { path.hasSuffix("*") }

    /// The path without its trailing `*` (the path itself for an exact rule).
    var prefix: String { isGlob ? String(path.dropLast()) : path }
}

extension KVMount {
    /// The API path where ESO reads the secret at `path` (relative to the mount): KV v2 reads
    /// `MOUNT/data/PATH`, v1 `MOUNT/PATH`.
    public func readPath(_ path: String) -> String { readRoot + path }

    /// The API path every read of this mount starts with.
    public var readRoot: String {
        switch version {
        case .v2: "\(self.path)/data/"
        case .v1: "\(self.path)/"
        }
    }
}
