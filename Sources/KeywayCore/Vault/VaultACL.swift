/// Vault's ACL matching over a `VaultPolicy`'s rules, as Vault evaluates one policy: a rule whose
/// path equals the request path wins; otherwise the longest `*`-suffixed rule whose prefix starts
/// the request path; otherwise nothing is granted. Rules of the same path are merged.
/// (Keyway writes no `+` segment wildcards: a Vault path in a spec cannot hold one.)
extension VaultPolicy {
    /// The capabilities the policy grants on one API path.
    public func capabilities(at path: String) -> Set<VaultCapability> {
        let exact = rules.filter { !$0.isGlob && $0.path == path }
        if !exact.isEmpty { return Set(exact.flatMap(\.capabilities)) }
        let globs = rules.filter { $0.isGlob && path.hasPrefix($0.prefix) }
        guard let longest = globs.map(\.prefix).max(by: { $0.count < $1.count }) else { return [] }
        return Set(globs.filter { $0.prefix == longest }.flatMap(\.capabilities))
    }

    /// Whether `capability` is granted on every path below `folder` (an API path ending in `/`):
    /// the longest glob covering the folder grants it, and no rule inside the folder takes it away.
    public func grantsEverywhere(_ capability: VaultCapability, below folder: String) -> Bool {
        let covering = rules.filter { $0.isGlob && folder.hasPrefix($0.prefix) }
        guard let longest = covering.map(\.prefix).max(by: { $0.count < $1.count }),
            covering.filter({ $0.prefix == longest }).contains(where: { $0.capabilities.contains(capability) })
        else { return false }
        // Every path below the folder is governed by that glob or by a rule inside the folder.
        let inside = rules.filter { $0.path.hasPrefix(folder) && $0.prefix.count > folder.count }
        return inside.allSatisfy { rule in
            rules.filter { $0.path == rule.path }.contains { $0.capabilities.contains(capability) }
        }
    }
}

extension PolicyRule {
    /// Whether the path ends in `*`: it then matches every path that starts with `prefix`.
    var isGlob: Bool { path.hasSuffix("*") }

    /// The path without its trailing `*` (the path itself for an exact rule).
    var prefix: String { isGlob ? String(path.dropLast()) : path }
}
