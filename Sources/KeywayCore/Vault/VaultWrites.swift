/// A request body the bootstrap script sends to Vault.
///
/// `vault write PATH -` with `body` as JSON on stdin. Built once here; the script prints it and `plan` compares it with what Vault holds.
public struct VaultWrite: Sendable, Equatable {
    /// The API path written, such as `auth/kubernetes/role/eso`.
    public var path: String
    /// The fields written, in the order the script writes them.
    public var body: ManifestMap
}

extension VaultCredential {
    /// The role (or userpass user) the script writes for this credential (policy `policy` only, no
    /// default policy); `nil` for a periodic token, which has no role.
    public func roleWrite(policy: String) -> VaultWrite? {
        switch self {
        case .periodicToken: nil
        case .kubernetesRole(let role): role.write(policy: policy)
        case .jwtRole(let role): role.write(policy: policy)
        case .appRole(let role): role.write(policy: policy)
        case .userPass(let user): user.write(policy: policy)
        }
    }

    /// Further writes of the credential's own settings: a fixed AppRole role-id.
    public var settingWrites: [VaultWrite] {
        switch self {
        case .appRole(let role): role.roleIdWrite.map { [$0] } ?? []
        case .periodicToken, .kubernetesRole, .jwtRole, .userPass: []
        }
    }
}

extension KubernetesRole {
    /// `auth/MOUNT/role/NAME`: bound to one service account.
    func write(policy: String) -> VaultWrite {
        VaultWrite(
            path: "auth/\(mount)/role/\(name)",
            body: [
                "bound_service_account_names": .strings([serviceAccountName]),
                "bound_service_account_namespaces": .strings([serviceAccountNamespace]),
                "token_policies": .strings([policy]),
                "token_no_default_policy": true,
                "token_ttl": tokenTTL.map { .string($0.text) },
                "audience": audience.map { .string($0) },
            ])
    }
}

extension JWTRole {
    /// `auth/MOUNT/role/NAME`: pins the token's subject (the service account), audiences and issuer
    /// (`bound_claims` on `iss`: a role setting, so the spec's issuer never touches the mount's config).
    func write(policy: String) -> VaultWrite {
        VaultWrite(
            path: "auth/\(mount)/role/\(name)",
            body: [
                "role_type": "jwt",
                "user_claim": "sub",
                "bound_subject": .string(subject),
                "bound_audiences": .strings(audiences),
                "bound_claims": ["iss": .string(boundIssuer)],
                "token_policies": .strings([policy]),
                "token_no_default_policy": true,
                "token_ttl": tokenTTL.map { .string($0.text) },
            ])
    }
}

extension AppRoleCredential {
    /// The role's API path, `auth/MOUNT/role/NAME`; its role-id and secret-ids are below it.
    public var path: String { "auth/\(mount)/role/\(name)" }

    /// `auth/MOUNT/role/NAME`: the token's policy and TTL, and how long a secret-id lives.
    func write(policy: String) -> VaultWrite {
        VaultWrite(
            path: path,
            body: [
                "token_policies": .strings([policy]),
                "token_no_default_policy": true,
                "token_ttl": tokenTTL.map { .string($0.text) },
                "secret_id_ttl": .string(secretIdTTL.text),
            ])
    }
}

extension AppRoleCredential {
    /// `PATH/role-id` with the spec's fixed role-id (`roleId`, inline in the store: not a secret);
    /// `nil` when Vault generates it and the script reads it.
    public var roleIdWrite: VaultWrite? {
        switch roleId {
        case .secretKey: nil
        case .fixed(let id): VaultWrite(path: "\(path)/role-id", body: ["role_id": .string(id)])
        }
    }
}

extension UserPassCredential {
    /// `auth/MOUNT/users/NAME` without the password, which the script generates and puts in front.
    func write(policy: String) -> VaultWrite {
        VaultWrite(
            path: "auth/\(mount)/users/\(username)",
            body: [
                "token_policies": .strings([policy]),
                "token_no_default_policy": true,
                "token_ttl": tokenTTL.map { .string($0.text) },
            ])
    }
}

extension AuthMount {
    /// The configuration fields the spec decides, written with the operator's own values (the
    /// Kubernetes API address, the issuer's keys) to `auth/PATH/config`: `disable_local_ca_jwt`
    /// with `tokenReviewer: client`; nothing else comes from the spec.
    public var specConfig: ManifestMap {
        switch configuration {
        case .kubernetesFromEnvironment(_, .client): ["disable_local_ca_jwt": true]
        case .none, .kubernetesFromEnvironment(_, .vault), .jwtFromEnvironment: [:]
        }
    }

    /// The config fields a write of `auth/PATH/config` resets when it does not give them.
    ///
    /// As Vault reads them back: the kubernetes method builds the whole config from the request, each absent
    /// field at its default (a reviewer JWT, issuer or keys set by hand are dropped). OpenBao
    /// `internal/builtin/credential/kubernetes/path_config.go` (`pathConfigWrite`, `pathConfigRead`),
    /// commit df6ce2cebaa823979215c116a16820aa913fe3b1; the live test checks it.
    public var configDefaults: ManifestMap {
        switch configuration {
        case .kubernetesFromEnvironment:
            [
                "disable_local_ca_jwt": false, "token_reviewer_jwt_set": false, "issuer": "", "pem_keys": [],
                "disable_iss_validation": true,
            ]
        case .none, .jwtFromEnvironment: [:]
        }
    }

    /// The API path of the mount's configuration.
    public var configPath: String { "auth/\(path)/config" }
}

/// A field of an auth mount's configuration that the operator's environment gives, never the spec.
public struct OperatorSetting: Sendable, Equatable {
    /// The environment variable, such as `KUBERNETES_HOST`.
    public var variable: String
    /// The config field it sets, such as `kubernetes_host`.
    public var field: String
    /// Whether the variable names a file whose contents are the value (the vault CLI's `@FILE`).
    public var fromFile: Bool
    /// Whether the script refuses to configure the mount without it (otherwise set only when given).
    public var required: Bool
    /// Whether Vault keeps the field as a list (of the one value the script writes).
    public var isList = false
}

extension AuthMount {
    /// The configuration fields the operator's environment gives, in the order the script writes them.
    public var operatorSettings: [OperatorSetting] {
        switch configuration {
        case .none: []
        case .kubernetesFromEnvironment:
            [
                OperatorSetting(variable: "KUBERNETES_HOST", field: "kubernetes_host", fromFile: false, required: true),
                OperatorSetting(
                    variable: "KUBERNETES_CA_CERT", field: "kubernetes_ca_cert", fromFile: true, required: false),
            ]
        case .jwtFromEnvironment:
            [
                OperatorSetting(
                    variable: "JWT_VALIDATION_PUBKEYS", field: "jwt_validation_pubkeys", fromFile: true,
                    required: false,
                    isList: true),
                OperatorSetting(
                    variable: "OIDC_DISCOVERY_URL", field: "oidc_discovery_url", fromFile: false, required: false),
            ]
        }
    }
}
