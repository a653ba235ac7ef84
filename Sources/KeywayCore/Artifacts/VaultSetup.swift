/// What an environment needs on the Vault side: the auth mount ESO logs in through and, per
/// store, the policy and the credential Keyway issues or binds.
///
/// The bootstrap script only prints this; `explain` and any later Vault-side output (e.g.
/// Terraform) read the same value.
public struct VaultSetup: Sendable, Equatable {
    /// The server the script talks to unless the operator's `VAULT_ADDR` says otherwise.
    public var server: String
    /// The Vault namespace every mount, policy and role is written in; `nil` for the root namespace.
    public var namespace: String?
    /// Whether Vault's certificate is signed by a private CA the vault CLI must be given (`VAULT_CACERT`).
    public var hasPrivateCA: Bool
    /// The auth method ESO logs in through; `nil` for token auth, which needs no mount.
    public var authMount: AuthMount?
    /// One per store: a ClusterSecretStore has one, SecretStore mode one per namespace.
    public var grants: [VaultGrant]

    /// Creates the Vault side of an environment; `namespace` `nil` is the root namespace.
    public init(
        server: String, namespace: String? = nil, hasPrivateCA: Bool = false, authMount: AuthMount?,
        grants: [VaultGrant]
    ) {
        self.server = server
        self.namespace = namespace
        self.hasPrivateCA = hasPrivateCA
        self.authMount = authMount
        self.grants = grants
    }
}

/// An auth method mount: enabled when missing.
public struct AuthMount: Sendable, Equatable {
    /// The auth method's Vault type: `kubernetes`, `approle`, `jwt` or `userpass`.
    public var type: AuthMountType
    /// The mount path under `auth/`.
    public var path: String
    /// How the mount's own configuration is written.
    public var configuration: AuthMountConfiguration
}

/// The auth methods Keyway enables, by Vault's type name.
public enum AuthMountType: String, Sendable, Equatable, CaseIterable {
    case kubernetes
    case appRole = "approle"
    case jwt
    case userPass = "userpass"
}

/// Whether the script writes an auth mount's configuration, and when.
public enum AuthMountConfiguration: Sendable, Equatable {
    /// The mount has no configuration of its own (AppRole, userpass).
    case none
    /// The Kubernetes API address and CA from the operator's environment: written when the
    /// script enables the mount, and on every run when `ownedByKeyway` (otherwise an existing
    /// mount's config, e.g. a reviewer JWT or issuer, is left alone).
    case kubernetesFromEnvironment(ownedByKeyway: Bool, reviewer: TokenReviewer)
    /// The issuer's keys from the operator's environment (`JWT_VALIDATION_PUBKEYS`, a PEM file, or
    /// `OIDC_DISCOVERY_URL`), written as for kubernetes auth: when the script enables the mount,
    /// and on every run when `ownedByKeyway`.
    case jwtFromEnvironment(ownedByKeyway: Bool)

    /// Whether the config is Keyway's, rewritten on every run (and so claimed across specs).
    public var ownedByKeyway: Bool {
        switch self {
        case .none: false
        case .kubernetesFromEnvironment(let owned, _), .jwtFromEnvironment(let owned): owned
        }
    }
}

/// One store's access: its policy and the credential bound to it.
public struct VaultGrant: Sendable, Equatable {
    /// The store's namespace; `nil` for a ClusterSecretStore.
    public var namespace: String?
    /// The Vault policy the store's credential carries.
    public var policy: VaultPolicy
    /// The credential ESO holds or obtains for the store.
    public var credential: VaultCredential
}

/// The credential ESO holds or obtains for one store.
public enum VaultCredential: Sendable, Equatable {
    /// A periodic orphan token stored in a Kubernetes Secret and renewed by a CronJob.
    case periodicToken(PeriodicToken)
    /// A Kubernetes auth role bound to ESO's service account: nothing is stored.
    case kubernetesRole(KubernetesRole)
    /// An AppRole role whose role-id and a fresh secret-id are stored in a Kubernetes Secret.
    case appRole(AppRoleCredential)
    /// A JWT auth role bound to ESO's service account token (subject, audiences, issuer).
    case jwtRole(JWTRole)
    /// A userpass user whose password the script generates and stores in a Kubernetes Secret.
    case userPass(UserPassCredential)
}

/// Where a credential is stored in the cluster.
public struct StoredCredential: Sendable, Equatable {
    /// The name of the Kubernetes Secret holding the credential.
    public var secretName: String
    /// The namespace of the Kubernetes Secret holding the credential.
    public var namespace: String
    /// The Secret's key holding the token or secret-id.
    public var key: String
}

/// A periodic token: `vault token create -orphan -period=…`, with no default policy.
public struct PeriodicToken: Sendable, Equatable {
    /// The token's period: it stays valid while renewed within this.
    public var period: GoDuration
    /// The token's display name in Vault (`-display-name`).
    public var displayName: String
    /// The Kubernetes Secret the token is stored in for ESO.
    public var stored: StoredCredential
    /// The CronJob that renews it.
    public var renewalJob: String
}

/// A role of the Kubernetes auth method.
public struct KubernetesRole: Sendable, Equatable {
    /// The path the Kubernetes auth method is mounted at.
    public var mount: String
    /// The role's name.
    public var name: String
    /// The service account the role is bound to (`bound_service_account_names`).
    public var serviceAccountName: String
    /// The namespace of that service account (`bound_service_account_namespaces`).
    public var serviceAccountNamespace: String
    /// The audience the role requires of the service account token; `nil` accepts any.
    public var audience: String?
    /// The TTL of the tokens the role issues; `nil` for the mount's default.
    public var tokenTTL: GoDuration?
}

/// A role of the JWT auth method, for a Kubernetes service account's token.
public struct JWTRole: Sendable, Equatable {
    /// The path the JWT auth method is mounted at.
    public var mount: String
    /// The role's name.
    public var name: String
    /// The service account the role is bound to, through the token's `sub` claim.
    public var serviceAccountName: String
    /// The namespace of that service account.
    public var serviceAccountNamespace: String
    /// The `aud` claims the role accepts (`bound_audiences`).
    public var audiences: [String]
    /// The `iss` claim the role accepts (`bound_issuer`).
    public var boundIssuer: String
    /// The TTL of the tokens the role issues; `nil` for the mount's default.
    public var tokenTTL: GoDuration?

    /// The token's `sub` claim: Kubernetes names a service account `system:serviceaccount:NS:NAME`.
    public var subject: String { Self.subject(namespace: serviceAccountNamespace, name: serviceAccountName) }

    /// `system:serviceaccount:NS:NAME`, the `sub` claim of a service account's token.
    static func subject(namespace: String, name: String) -> String { "system:serviceaccount:\(namespace):\(name)" }

    /// The inverse of `subject(namespace:name:)`: the service account a `sub` claim names, or `nil`.
    static func serviceAccount(ofSubject subject: String) -> (namespace: String, name: String)? {
        let parts = subject.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, parts[0] == "system", parts[1] == "serviceaccount", !parts[2].isEmpty,
            !parts[3].isEmpty, subject == Self.subject(namespace: parts[2], name: parts[3])
        else { return nil }
        return (parts[2], parts[3])
    }
}

/// A role of the AppRole auth method and where its credential is stored.
public struct AppRoleCredential: Sendable, Equatable {
    /// The path the AppRole auth method is mounted at.
    public var mount: String
    /// The role's name.
    public var name: String
    /// The TTL of the tokens the role issues; `nil` for the mount's default.
    public var tokenTTL: GoDuration?
    /// How long a secret-id stays valid; `0` never expires.
    public var secretIdTTL: GoDuration
    /// The Kubernetes Secret the role-id and secret-id are stored in for ESO.
    public var stored: StoredCredential
    /// Where ESO finds the role-id: a key of the same Secret (read from Vault), or fixed (written to Vault).
    public var roleId: AppRoleID
}

/// A user of the userpass auth method, its password generated by the script and stored.
public struct UserPassCredential: Sendable, Equatable {
    /// The path the userpass auth method is mounted at.
    public var mount: String
    /// The user's name.
    public var username: String
    /// The TTL of the tokens the user gets; `nil` for the mount's default.
    public var tokenTTL: GoDuration?
    /// The Kubernetes Secret the password is stored in for ESO.
    public var stored: StoredCredential
}

extension VaultCredential {
    /// The Vault paths a credential calls on itself: ESO checks a store with `lookup-self`; the
    /// renewal CronJob calls `renew-self` on a periodic token; ESO revokes a token it logged in for
    /// with `revoke-self` when it is done with it.
    public var selfPaths: [PolicyRule] {
        let lookup = PolicyRule(path: "auth/token/lookup-self", capabilities: [.read])
        switch self {
        case .periodicToken: return [lookup, PolicyRule(path: "auth/token/renew-self", capabilities: [.update])]
        case .kubernetesRole, .appRole, .jwtRole, .userPass:
            return [lookup, PolicyRule(path: "auth/token/revoke-self", capabilities: [.update])]
        }
    }
}
