/// The SecretStores (one per scope) and the service accounts they log in as.
extension KubernetesLowering {
    func store(_ scope: StoreScope) -> KubernetesObject {
        let store = environment.store
        var spec: ManifestMap = ["provider": ["vault": .map(vaultProvider(scope))]]
        if case .cluster(allNamespaces: false) = store.kind {
            spec["conditions"] = [["namespaces": .strings(environment.namespaces)]]
        }
        return KubernetesObject(
            apiVersion: store.apiVersion.rawValue,
            kind: store.kind.kindName,
            name: store.name,
            namespace: scope.namespace,
            labels: labels,
            body: [ManifestEntry("spec", .map(spec))]
        )
    }

    func vaultProvider(_ scope: StoreScope) -> ManifestMap {
        let vault = environment.vault
        var provider: ManifestMap = [
            "server": .string(vault.server),
            "namespace": vault.namespace.map { .string($0) },
            "path": .string(vault.mount.path),
            "version": .string(ESOVault.versionName(vault.mount.version)),
        ]
        switch vault.ca {
        case .bundle(let pem)?: provider["caBundle"] = .string(Base64.encode(Array(pem.utf8)))
        case .provider(let ca)?:
            provider["caProvider"] = [
                "type": .string(ca.type.rawValue), "name": .string(ca.name), "key": .string(ca.key),
                "namespace": scope.namespace == nil ? ca.namespace.map { .string($0) } : nil,
            ]
        case nil: break
        }
        provider["auth"] = .map(storeAuth(scope))
        return provider
    }

    /// `spec.provider.vault.auth`: how this store's ESO logs in.
    func storeAuth(_ scope: StoreScope) -> ManifestMap {
        switch environment.vault.auth {
        case .token(let token):
            return [
                ESOVault.tokenSecretRef: secretKeySelector(
                    token.secretRef.name, token.secretRef.key, scope)
            ]
        case .kubernetes(let kubernetes):
            return [
                ESOVault.LoginMethod.kubernetes.rawValue: [
                    ESOVault.LoginMethod.kubernetes.mountPathField: .string(kubernetes.mountPath),
                    "role": scope.role.map { .string($0) },
                    "serviceAccountRef": serviceAccountSelector(
                        kubernetes.serviceAccountName, scope, audiences: kubernetes.audience.map { [$0] }),
                ]
            ]
        case .appRole(let appRole):
            return [
                ESOVault.LoginMethod.appRole.rawValue: [
                    ESOVault.LoginMethod.appRole.mountPathField: .string(appRole.mountPath),
                    "roleRef": secretKeySelector(appRole.secretRef.name, appRole.roleIdKey, scope),
                    "secretRef": secretKeySelector(appRole.secretRef.name, appRole.secretRef.key, scope),
                ]
            ]
        case .jwt(let jwt):
            // ESO requests the token with serviceAccountRef.audiences plus these audiences, which
            // default to ["vault"] when absent: written here, they are exactly the spec's.
            return [
                ESOVault.LoginMethod.jwt.rawValue: [
                    ESOVault.LoginMethod.jwt.mountPathField: .string(jwt.mountPath),
                    "role": scope.role.map { .string($0) },
                    "kubernetesServiceAccountToken": [
                        "serviceAccountRef": serviceAccountSelector(jwt.serviceAccountName, scope, audiences: nil),
                        "audiences": .strings(jwt.audiences),
                    ],
                ]
            ]
        }
    }

    /// A service account ESO requests a token for; a ClusterSecretStore's names its namespace.
    func serviceAccountSelector(_ name: String, _ scope: StoreScope, audiences: [String]?) -> ManifestValue {
        [
            "name": .string(name),
            "namespace": scope.namespace == nil ? scope.credentialNamespace.map { .string($0) } : nil,
            "audiences": audiences.map { .strings($0) },
        ]
    }

    /// A reference to a key of a Secret; a ClusterSecretStore's references carry the namespace.
    func secretKeySelector(_ name: String, _ key: String, _ scope: StoreScope) -> ManifestValue {
        [
            "name": .string(name),
            "key": .string(key),
            "namespace": scope.namespace == nil ? scope.credentialNamespace.map { .string($0) } : nil,
        ]
    }

    /// The service account ESO logs in as (kubernetes and jwt auth); `nil` for stored credentials.
    var loginServiceAccount: String? {
        switch environment.vault.auth {
        case .token, .appRole: nil
        case .kubernetes(let auth): auth.serviceAccountName
        case .jwt(let auth): auth.serviceAccountName
        }
    }

    /// In SecretStore mode with kubernetes or jwt auth, each namespace's store logs in as a service account there.
    func serviceAccounts() -> [KubernetesObject] {
        guard let account = loginServiceAccount, environment.store.kind == .namespaced else { return [] }
        return scopes.compactMap { scope in
            scope.namespace.map {
                KubernetesObject(
                    apiVersion: "v1",
                    kind: "ServiceAccount",
                    name: account,
                    namespace: $0,
                    labels: labels,
                    body: [ManifestEntry(PodHardening.automountField, .bool(PodHardening.automount))]
                )
            }
        }
    }
}
