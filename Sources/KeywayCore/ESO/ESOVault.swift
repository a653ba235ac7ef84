/// ESO's Vault provider and ExternalSecret as Keyway writes them and `import` reads them back:
/// the auth methods' field names (their mount path is `path` on two and `mountPath` on the
/// third) and the default ESO applies to each field Keyway may leave out.
///
/// Ported from external-secrets/external-secrets `apis/externalsecrets/v1/secretstore_vault_types.go`
/// (commit 0534b97f408accf7e672091de55955de528b18b6: `+kubebuilder:default` of `version`,
/// `appRole.path`, `kubernetes.mountPath`, `jwt.path`) and `apis/externalsecrets/v1/externalsecret_types.go`
/// (commit 0126c16c6faf5bef4b02fc4b6b0090dff87b6b7d: `refreshInterval`, `target.creationPolicy`,
/// `target.deletionPolicy`, `template.mergePolicy`, `secretStoreRef.kind`).
enum ESOVault {
    /// The key of `spec.provider.vault.auth` holding a token's Secret reference.
    static let tokenSecretRef = "tokenSecretRef"

    /// A key of `spec.provider.vault.auth` that logs in at an auth mount.
    enum LoginMethod: String, CaseIterable {
        case appRole, kubernetes, jwt

        /// The key of the method's auth mount path.
        var mountPathField: String {
            switch self {
            case .appRole, .jwt: "path"
            case .kubernetes: "mountPath"
            }
        }

        /// The mount path ESO uses when `mountPathField` is absent.
        var defaultMountPath: String {
            switch self {
            case .appRole: "approle"
            case .kubernetes: "kubernetes"
            case .jwt: "jwt"
            }
        }
    }

    /// `spec.provider.vault.version` when absent.
    static let defaultVersion = KVVersion.v2

    /// `spec.provider.vault.version` as ESO spells it.
    static func versionName(_ version: KVVersion) -> String {
        switch version {
        case .v1: "v1"
        case .v2: "v2"
        }
    }

    /// The inverse of `versionName`: `nil` for a value ESO refuses.
    static func version(named name: String) -> KVVersion? {
        KVVersion.allCases.first { versionName($0) == name }
    }
}

/// What ESO assumes for an ExternalSecret field that is not written.
enum ESODefaults {
    /// `spec.refreshInterval`.
    static let refreshInterval = "1h"
    /// `spec.target.creationPolicy`.
    static let creationPolicy = "Owner"
    /// `spec.target.deletionPolicy`.
    static let deletionPolicy = "Retain"
    /// `spec.target.template.mergePolicy`.
    static let mergePolicy = "Replace"
    /// `spec.secretStoreRef.kind`.
    static let storeRefKind = "SecretStore"
}
