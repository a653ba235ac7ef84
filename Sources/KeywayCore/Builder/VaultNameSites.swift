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
