/// One request `compile plan` sends to Vault: a read (`GET`) or a list (`LIST`) of an API path.
public struct VaultRead: Sendable, Hashable {
    /// How a path is read.
    public enum Operation: String, Sendable, Hashable {
        case read
        case list
    }

    /// The API path, relative to `/v1/` and to the spec's Vault namespace.
    public var path: String
    /// `read` (GET) or `list` (LIST).
    public var operation: Operation

    /// The policy capability the request needs.
    public var capability: VaultCapability {
        switch operation {
        case .read: .read
        case .list: .list
        }
    }
}

/// What `compile plan` reads from Vault, and the least policy that lets a token read it.
public enum PlanReads {
    /// The token's own lookup: plan reads it first, to tell an invalid token from missing rights.
    public static let tokenLookup = VaultRead(path: "auth/token/lookup-self", operation: .read)

    /// The name of the policy a plan token needs (`vault/keyway-plan.hcl`).
    public static let policyName = "keyway-plan"

    /// Every request plan makes for an environment, in order, each once: the token's lookup, the KV
    /// mounts, the auth mount and its config (where the script writes it), then per store its policy,
    /// its role or user, a fixed role-id, and (AppRole) its secret-ids.
    public static func reads(_ compiled: CompiledEnvironment) -> [VaultRead] {
        let setup = compiled.vault
        var reads =
            [tokenLookup] + compiled.model.vault.mounts.map { VaultRead(path: kvMountPath($0), operation: .read) }
        if let mount = setup.authMount {
            reads.append(VaultRead(path: authMountPath(mount), operation: .read))
            if mount.configuration.ownedByKeyway {
                reads.append(VaultRead(path: mount.configPath, operation: .read))
            }
        }
        for grant in setup.grants {
            reads.append(VaultRead(path: policyPath(grant.policy.name), operation: .read))
            if let role = grant.credential.roleWrite(policy: grant.policy.name) {
                reads.append(VaultRead(path: role.path, operation: .read))
            }
            reads += grant.credential.settingWrites.map { VaultRead(path: $0.path, operation: .read) }
            if case .appRole(let role) = grant.credential {
                reads.append(VaultRead(path: secretIDsPath(role), operation: .list))
            }
        }
        var seen: Set<VaultRead> = []
        return reads.filter { seen.insert($0).inserted }
    }

    /// `read` on exactly the paths plan reads, `list` on the paths it lists: a token with only
    /// this policy can plan, and can change nothing.
    public static func policy(_ compiled: CompiledEnvironment) -> VaultPolicy {
        VaultPolicy(
            name: policyName,
            rules: reads(compiled).map { PolicyRule(path: $0.path, capabilities: [$0.capability]) })
    }

    /// A policy's API path.
    static func policyPath(_ name: String) -> String { "sys/policies/acl/\(name)" }

    /// A secrets engine's mount (its type and options): readable without `sudo`, unlike `sys/auth`.
    static func kvMountPath(_ mount: KVMount) -> String { "sys/mounts/\(mount.path)" }

    /// An auth method's mount (its type), read through `sys/mounts/auth/PATH`, which needs no `sudo`.
    static func authMountPath(_ mount: AuthMount) -> String { "sys/mounts/auth/\(mount.path)" }

    /// The accessors of an AppRole role's live secret-ids.
    static func secretIDsPath(_ role: AppRoleCredential) -> String { "\(role.path)/secret-id" }
}
