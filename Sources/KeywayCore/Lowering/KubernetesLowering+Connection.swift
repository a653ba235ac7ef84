/// What the Vault connection adds to the cluster: the CA the token renewal job mounts, and the
/// TokenReview binding that `tokenReviewer: client` needs.
extension KubernetesLowering {
    /// Where the renewal job mounts Vault's CA, read-only; `VAULT_CACERT` names the file in it.
    static let caMountPath = "/etc/keyway/vault-ca"
    static let caFileName = "ca.crt"
    static let caVolumeName = "vault-ca"

    /// The ConfigMap holding a `caBundle` beside a renewal job: named after the job, so it is as
    /// unique in its namespace as the job is.
    static func caConfigMapName(_ jobName: String) -> String { "\(jobName)-ca" }

    /// With token auth and `caBundle`, one ConfigMap per renewal job, in its namespace.
    func caConfigMaps() -> [KubernetesObject] {
        guard case .token(let token) = environment.vault.auth, case .bundle(let pem)? = environment.vault.ca else {
            return []
        }
        return scopes.compactMap { scope in
            scope.credentialNamespace.map { namespace in
                KubernetesObject(
                    apiVersion: "v1",
                    kind: "ConfigMap",
                    name: Self.caConfigMapName(Self.renewalJobName(token.secretRef.name)),
                    namespace: namespace,
                    labels: labels,
                    body: [ManifestEntry("data", [Self.caFileName: .string(pem)])]
                )
            }
        }
    }

    /// The renewal pod's CA volume: the `caBundle` ConfigMap, or the `caProvider`'s object, its key as `ca.crt`.
    func caVolume(jobName: String) -> ManifestValue? {
        let items: (String) -> ManifestValue = { key in [["key": .string(key), "path": .string(Self.caFileName)]] }
        switch environment.vault.ca {
        case nil: return nil
        case .bundle?:
            return [
                "name": .string(Self.caVolumeName),
                "configMap": ["name": .string(Self.caConfigMapName(jobName)), "items": items(Self.caFileName)],
            ]
        case .provider(let ca)?:
            switch ca.type {
            case .configMap:
                return [
                    "name": .string(Self.caVolumeName),
                    "configMap": ["name": .string(ca.name), "items": items(ca.key)],
                ]
            case .secret:
                return [
                    "name": .string(Self.caVolumeName),
                    "secret": ["secretName": .string(ca.name), "items": items(ca.key)],
                ]
            }
        }
    }

    /// The environment the vault CLI of the renewal job needs beyond `VAULT_ADDR`: the namespace and the CA file.
    var connectionEnvironment: [ManifestValue] {
        var env: [ManifestValue] = []
        if let namespace = environment.vault.namespace {
            env.append(["name": "VAULT_NAMESPACE", "value": .string(namespace)])
        }
        if environment.vault.ca != nil {
            env.append(["name": "VAULT_CACERT", "value": .string("\(Self.caMountPath)/\(Self.caFileName)")])
        }
        return env
    }

    /// With `tokenReviewer: client`, Vault reviews each login with ESO's own JWT: the service
    /// accounts ESO logs in as may create TokenReviews (`system:auth-delegator`), no others.
    func tokenReviewBindings() -> [KubernetesObject] {
        guard case .kubernetes(let auth) = environment.vault.auth, auth.tokenReviewer == .client else { return [] }
        let subjects: [ManifestValue] = scopes.compactMap { scope in
            scope.credentialNamespace.map {
                ["kind": "ServiceAccount", "name": .string(auth.serviceAccountName), "namespace": .string($0)]
            }
        }
        return [
            KubernetesObject(
                apiVersion: "rbac.authorization.k8s.io/v1",
                kind: "ClusterRoleBinding",
                name: "keyway-\(environment.name)-tokenreview",
                namespace: nil,
                labels: labels,
                body: [
                    ManifestEntry(
                        "roleRef",
                        [
                            "apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                            "name": "system:auth-delegator",
                        ]),
                    ManifestEntry("subjects", .list(subjects)),
                ]
            )
        ]
    }
}
