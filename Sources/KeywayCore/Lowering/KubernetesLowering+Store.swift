/// The SecretStores (one per scope) and the service accounts they log in as.
extension KubernetesLowering {
    /// A scope's stores: one per KV mount, all logging in with the scope's one credential.
    func stores(_ scope: StoreScope) -> [KubernetesObject] {
        environment.vault.mounts.indices.map { store(scope, mount: $0) }
    }

    func store(_ scope: StoreScope, mount index: Int) -> KubernetesObject {
        let store = environment.store
        var spec: ManifestMap = [
            "provider": ["vault": .map(vaultProvider(scope, mount: environment.vault.mounts[index]))]
        ]
        if case .cluster(allNamespaces: false) = store.kind {
            spec["conditions"] = .list(
                [["namespaces": .strings(environment.namespaces)]] + store.conditions.map(Self.condition))
        }
        return KubernetesObject(
            apiVersion: store.apiVersion.rawValue,
            kind: store.kind.kindName,
            name: store.name(forMount: index, of: environment.vault.mounts),
            namespace: scope.namespace,
            labels: labels,
            body: [ManifestEntry("spec", .map(spec))]
        )
    }

    /// One of ESO's `conditions`, as the spec writes it.
    static func condition(_ condition: StoreCondition) -> ManifestValue {
        [
            "namespaceSelector": condition.namespaceSelector.map { selector in
                [
                    "matchLabels": selector.matchLabels.isEmpty
                        ? nil : .stringMap(selector.matchLabels.map { ($0.key, $0.value) }),
                    "matchExpressions": selector.matchExpressions.isEmpty
                        ? nil
                        : .list(
                            selector.matchExpressions.map { requirement in
                                [
                                    "key": .string(requirement.key),
                                    "operator": .string(requirement.operator.rawValue),
                                    "values": requirement.values.isEmpty ? nil : .strings(requirement.values),
                                ]
                            }),
                ]
            },
            "namespaces": condition.namespaces.isEmpty ? nil : .strings(condition.namespaces),
            "namespaceRegexes": condition.namespaceRegexes.isEmpty ? nil : .strings(condition.namespaceRegexes),
        ]
    }

    func vaultProvider(_ scope: StoreScope, mount: KVMount) -> ManifestMap {
        let vault = environment.vault
        var provider: ManifestMap = [
            "server": .string(vault.server),
            "namespace": vault.namespace.map { .string($0) },
            "path": .string(mount.path),
            "version": .string(ESOVault.versionName(mount.version)),
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
            // Without serviceAccountRef ESO presents its own pod's token (auth_kubernetes.go).
            return [
                ESOVault.LoginMethod.kubernetes.rawValue: [
                    ESOVault.LoginMethod.kubernetes.mountPathField: .string(kubernetes.mountPath),
                    "role": scope.role.map { .string($0) },
                    "serviceAccountRef": kubernetes.operatorAccount
                        ? nil
                        : serviceAccountSelector(
                            kubernetes.serviceAccountName, scope, audiences: kubernetes.audience.map { [$0] }),
                ]
            ]
        case .appRole(let appRole):
            var roleId: ManifestValue?
            var roleRef: ManifestValue?
            switch appRole.roleId {
            case .secretKey(let key): roleRef = secretKeySelector(appRole.secretRef.name, key, scope)
            case .fixed(let id): roleId = .string(id)
            }
            return [
                ESOVault.LoginMethod.appRole.rawValue: [
                    ESOVault.LoginMethod.appRole.mountPathField: .string(appRole.mountPath),
                    "roleId": roleId,
                    "roleRef": roleRef,
                    "secretRef": secretKeySelector(appRole.secretRef.name, appRole.secretRef.key, scope),
                ]
            ]
        case .userPass(let userPass):
            return [
                "userPass": [
                    "path": .string(userPass.mountPath),
                    "username": scope.role.map { .string($0) },
                    "secretRef": secretKeySelector(userPass.secretRef.name, userPass.secretRef.key, scope),
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
        case .token, .appRole, .userPass: nil
        case .kubernetes(let auth): auth.operatorAccount ? nil : auth.serviceAccountName
        case .jwt(let auth): auth.operatorAccount ? nil : auth.serviceAccountName
        }
    }

    /// In SecretStore mode with kubernetes or jwt auth, each namespace's store logs in as a service account there.
    ///
    /// Kubernetes creates `default` in every namespace: Keyway writes no object of that name, which
    /// would turn off token mounting for every pod of the namespace (the builder warns, KW165).
    func serviceAccounts() -> [KubernetesObject] {
        guard let account = loginServiceAccount, environment.store.kind == .namespaced,
            account != KubernetesDefaults.serviceAccount
        else { return [] }
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
