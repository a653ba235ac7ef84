/// Vault's ACL matching over the rules of one policy, as OpenBao evaluates a request.
///
/// Ported from OpenBao's `internal/vault/policy/policy.go` (a rule listing `deny` keeps only
/// `deny`) and `internal/vault/policy/acl.go` (`NewACL`: rules of the same path merge, and an
/// explicit `deny` absorbs every other capability, before or after; `AllowOperation`: the exact
/// rule wins, for a list also the exact rule without the path's trailing `/`; else the longest
/// `*` prefix rule, for a list also of the path without its trailing `/`; else nothing), at
/// openbao/openbao commit df6ce2cebaa823979215c116a16820aa913fe3b1.
/// Segment wildcards (`+`) are not modelled: Keyway writes none, and a rule with one matches no
/// path here (so the ACL grants no more than Vault's).
public struct VaultACL: Sendable {
    /// The merged capabilities of exact rules, by path.
    private var exact: [String: Set<String>] = [:]
    /// The merged capabilities of `*` rules, by their prefix (the path without `*`).
    private var prefixes: [String: Set<String>] = [:]
    /// The lengths of the prefixes, longest first: a lookup tries only these.
    private var prefixLengths: [Int] = []
    /// Every rule's path as written (`…*` for a prefix), sorted: the rules inside a folder are one
    /// run of it, found by binary search.
    private var sortedPaths: [String] = []

    /// The capability that denies everything else on its paths.
    public static let deny = "deny"

    /// The ACL of rules given as paths and capability names (`deny` included).
    public init(rules: [(path: String, capabilities: [String])]) {
        for rule in rules where !rule.path.contains("+") {
            let capabilities = Set(rule.capabilities.contains(Self.deny) ? [Self.deny] : rule.capabilities)
            if rule.path.hasSuffix("*") {
                Self.merge(capabilities, into: &prefixes[String(rule.path.dropLast()), default: []])
            } else {
                Self.merge(capabilities, into: &exact[rule.path, default: []])
            }
        }
        prefixLengths = Set(prefixes.keys.map(\.utf8.count)).sorted(by: >)
        sortedPaths = (Array(exact.keys) + prefixes.keys.map { $0 + "*" }).sorted()
    }

    /// The ACL of a policy Keyway writes.
    public init(_ policy: VaultPolicy) {
        self.init(rules: policy.rules.map { ($0.path, $0.capabilities.map(\.rawValue)) })
    }

    private static func merge(_ capabilities: Set<String>, into merged: inout Set<String>) {
        merged = merged.contains(deny) || capabilities.contains(deny) ? [deny] : merged.union(capabilities)
    }

    /// Whether a request for `capability` on `path` is allowed.
    public func allows(_ capability: String, at path: String) -> Bool {
        guard let granted = governing(path, list: capability == "list") else { return false }
        return !granted.capabilities.contains(Self.deny) && granted.capabilities.contains(capability)
    }

    /// The rule that decides a request on `path`: its path as written (`…*` for a prefix) and its
    /// merged capabilities; `nil` when no rule matches.
    public func governing(_ path: String, list: Bool = false) -> (path: String, capabilities: Set<String>)? {
        let trimmed = list && path.hasSuffix("/") ? String(path.dropLast()) : nil
        if let found = exact[path] { return (path, found) }
        if let trimmed, let found = exact[trimmed] { return (trimmed, found) }
        if let found = longestPrefix(of: path) { return found }
        return trimmed.flatMap { longestPrefix(of: $0) }
    }

    private func longestPrefix(of path: String) -> (path: String, capabilities: Set<String>)? {
        let bytes = path.utf8
        for length in prefixLengths where length <= bytes.count {
            let prefix = String(decoding: bytes.prefix(length), as: UTF8.self)
            if let found = prefixes[prefix] { return (prefix + "*", found) }
        }
        return nil
    }

    /// One path of each class of paths the ACL decides alike, below `folder` (`""`: every path).
    ///
    /// A path's decision depends only on the exact rule equal to it and the longest prefix rule
    /// starting it; so each rule's path, each prefix, and each prefix followed by a character no
    /// rule holds (`\u{1}`) stand for every path. `other` adds its rules' paths, so that the
    /// classes of both ACLs are covered (to compare them).
    public func probes(below folder: String = "", with other: VaultACL? = nil) -> [String] {
        var paths: Set<String> = [folder + Self.elsewhere]
        for acl in [self] + (other.map { [$0] } ?? []) {
            paths.formUnion(acl.exact.keys.filter { $0.hasPrefix(folder) })
            for prefix in acl.prefixes.keys where prefix.hasPrefix(folder) {
                paths.insert(prefix)
                paths.insert(prefix + Self.elsewhere)
            }
        }
        // Below the folder: not the folder's own path.
        if !folder.isEmpty { paths.remove(folder) }
        return paths.sorted()
    }

    /// Whether `capability` is allowed on every path below `folder` (an API path ending in `/`).
    ///
    /// The rule governing the folder allows it, and so does every rule inside the folder (each
    /// decides a class of paths below it). Costs the rules inside the folder, found by binary search.
    public func allowsEverywhere(_ capability: String, below folder: String) -> Bool {
        guard allows(capability, at: folder + Self.elsewhere) else { return false }
        return sortedPaths.run(startingWith: folder) { $0 }.allSatisfy { path in
            let probe = path.hasSuffix("*") ? String(path.dropLast()) : path
            return probe.utf8.count <= folder.utf8.count
                || allows(capability, at: probe)
                    && (!path.hasSuffix("*") || allows(capability, at: probe + Self.elsewhere))
        }
    }

    /// The capabilities allowed on one API path (a request that is not a list).
    public func capabilities(at path: String) -> Set<VaultCapability> {
        Set(VaultCapability.allCases.filter { allows($0.rawValue, at: path) })
    }

    /// Whether `capability` is allowed on every path below `folder` (`allowsEverywhere`).
    public func grantsEverywhere(_ capability: VaultCapability, below folder: String) -> Bool {
        allowsEverywhere(capability.rawValue, below: folder)
    }

    /// A character no Vault path holds: a probe path ending in it matches no exact rule.
    static let elsewhere = "\u{1}"

    /// Every (path, capability) this ACL allows and `other` does not, one path per class of paths;
    /// the path is written as the rule of this ACL that grants it (`…*` for every path below a prefix).
    public func widening(over other: VaultACL) -> [(path: String, capability: String, probe: String)] {
        var found: [(path: String, capability: String, probe: String)] = []
        for probe in probes(with: other) {
            for list in [false, true] {
                guard let granted = governing(probe, list: list) else { continue }
                for capability in granted.capabilities.sorted() where (capability == "list") == list {
                    guard allows(capability, at: probe), !other.allows(capability, at: probe) else { continue }
                    found.append((granted.path, capability, probe))
                }
            }
        }
        return found
    }
}

extension Array {
    /// In an array sorted by `key`, the elements whose key starts with `prefix`: one run of it,
    /// found by binary search.
    func run(startingWith prefix: String, key: (Element) -> String) -> ArraySlice<Element> {
        let low = firstIndex(notBelow: prefix, key: key)
        var end = low
        while end < count, key(self[end]).hasPrefix(prefix) { end += 1 }
        return self[low..<end]
    }

    /// In an array sorted by `key`, the elements whose key is `value`, found by binary search.
    func run(equalTo value: String, key: (Element) -> String) -> ArraySlice<Element> {
        let low = firstIndex(notBelow: value, key: key)
        var end = low
        while end < count, key(self[end]) == value { end += 1 }
        return self[low..<end]
    }

    /// In an array sorted by `key`, the first index whose key is not below `value`.
    private func firstIndex(notBelow value: String, key: (Element) -> String) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if key(self[middle]) < value { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

extension VaultPolicy {
    /// The capabilities the policy grants on one API path (a request that is not a list).
    public func capabilities(at path: String) -> Set<VaultCapability> { VaultACL(self).capabilities(at: path) }

    /// Whether `capability` is granted on every path below `folder` (an API path ending in `/`).
    public func grantsEverywhere(_ capability: VaultCapability, below folder: String) -> Bool {
        VaultACL(self).allowsEverywhere(capability.rawValue, below: folder)
    }
}

extension PolicyRule {
    /// Whether the path ends in `*`: it then matches every path that starts with `prefix`.
    var isGlob: Bool { path.hasSuffix("*") }

    /// The path without its trailing `*` (the path itself for an exact rule).
    var prefix: String { isGlob ? String(path.dropLast()) : path }
}
