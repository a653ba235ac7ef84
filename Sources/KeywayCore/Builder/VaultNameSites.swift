/// Where a spec writes the names it claims in Vault, for problems found across specs.
///
/// The model carries no source ranges; these are the few places that checks spanning several
/// specs (two environments writing one policy or role) need to point at.
public struct VaultNameSites: Sendable, Equatable {
    /// `vault.policy.name`, or `metadata.name` when the policy name is derived from it.
    public var policyName: SourceRange?
    /// The auth method's `role`.
    public var role: SourceRange?

    /// Creates the sites; `nil` where the spec writes no such name.
    public init(policyName: SourceRange? = nil, role: SourceRange? = nil) {
        self.policyName = policyName
        self.role = role
    }
}

/// Where a spec places the Kubernetes objects it writes, for problems found across specs (two
/// specs writing one object).
public struct ObjectSites: Sendable, Equatable {
    /// The first place each namespace is written (an app's `namespace`, a `secretRef` or
    /// `serviceAccountRef` namespace, the monitoring namespace).
    public var namespaces: [String: SourceRange] = [:]
    /// `secretStore.name`, when written.
    public var storeName: SourceRange?

    /// Creates empty sites.
    public init() {}

    /// Records where a namespace is first written; returns its value.
    mutating func note(_ namespace: Located<String>?) -> String? {
        guard let namespace else { return nil }
        if namespaces[namespace.value] == nil { namespaces[namespace.value] = namespace.range }
        return namespace.value
    }
}
