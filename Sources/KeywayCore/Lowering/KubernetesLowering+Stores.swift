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
        let auth: ManifestValue
        switch vault.auth {
        case .token(let token):
            auth = ["tokenSecretRef": secretKeySelector(token.secretRef.name, token.secretRef.key, scope)]
        case .kubernetes(let kubernetes):
            auth = [
                "kubernetes": [
                    "mountPath": .string(kubernetes.mountPath),
                    "role": scope.role.map { .string($0) },
                    "serviceAccountRef": [
                        "name": .string(kubernetes.serviceAccountName),
                        "namespace": scope.namespace == nil ? scope.credentialNamespace.map { .string($0) } : nil,
                        "audiences": kubernetes.audience.map { .strings([$0]) },
                    ],
                ]
            ]
        case .appRole(let appRole):
            auth = [
                "appRole": [
                    "path": .string(appRole.mountPath),
                    "roleRef": secretKeySelector(appRole.secretRef.name, appRole.roleIdKey, scope),
                    "secretRef": secretKeySelector(appRole.secretRef.name, appRole.secretRef.key, scope),
                ]
            ]
        }
        return [
            "server": .string(vault.server),
            "path": .string(vault.mount.path),
            "version": .string(vault.mount.version == .v2 ? "v2" : "v1"),
            "auth": auth,
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

    /// In SecretStore mode with kubernetes auth, each namespace's store logs in as a service account there.
    func serviceAccounts() -> [KubernetesObject] {
        guard case .kubernetes(let auth) = environment.vault.auth, environment.store.kind == .namespaced else { return [] }
        return scopes.compactMap { scope in
            scope.namespace.map {
                KubernetesObject(
                    apiVersion: "v1",
                    kind: "ServiceAccount",
                    name: auth.serviceAccountName,
                    namespace: $0,
                    labels: labels,
                    body: [ManifestEntry("automountServiceAccountToken", false)]
                )
            }
        }
    }
}
