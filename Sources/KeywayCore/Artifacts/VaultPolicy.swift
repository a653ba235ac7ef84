/// A capability a Vault policy grants on a path.
public enum VaultCapability: String, Sendable, Equatable, CaseIterable {
    case read
    case list
    /// Only on the token self-paths (`renew-self`, `revoke-self`): never on a secret.
    case update
}

/// One `path "…" { capabilities = […] }` block.
public struct PolicyRule: Sendable, Equatable {
    /// The full API path under the mount, such as `kv/data/dev/*`.
    public var path: String
    /// In `VaultCapability`'s declaration order, each once.
    public var capabilities: [VaultCapability]

    /// Creates a rule granting `capabilities` on `path`.
    public init(path: String, capabilities: [VaultCapability]) {
        self.path = path
        self.capabilities = capabilities
    }
}

/// A Vault ACL policy: the least that ESO needs to read what the apps reference, and the token
/// self-paths its credential calls (credentials carry no `default` policy).
public struct VaultPolicy: Sendable, Equatable {
    /// The policy's name in Vault.
    public var name: String
    /// The policy's `path` blocks, in the order written.
    public var rules: [PolicyRule]

    /// Creates a policy from its name and rules.
    public init(name: String, rules: [PolicyRule]) {
        self.name = name
        self.rules = rules
    }

    /// The policy's file name next to the bootstrap script.
    public var fileName: String { "\(name).hcl" }
}
