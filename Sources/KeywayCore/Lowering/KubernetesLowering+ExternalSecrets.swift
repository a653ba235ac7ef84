/// One ExternalSecret per app secret.
extension KubernetesLowering {
    func externalSecret(_ secret: AppSecret, of app: App) -> KubernetesObject {
        let target: ManifestMap = [
            "name": .string(secret.target),
            "creationPolicy": .string(secret.creationPolicy.rawValue),
            "deletionPolicy": secret.deletionPolicy.map { .string($0.rawValue) },
        ]
        var spec: ManifestMap = [
            "refreshInterval": .string(secret.refreshInterval.text),
            "secretStoreRef": ["name": .string(environment.store.name), "kind": .string(environment.store.kind.kindName)],
            "target": .map(target),
        ]
        switch secret.source {
        case .extract(let path):
            spec["dataFrom"] = [["extract": ["key": .string(path)]]]
        case .find(let path, let name):
            spec["dataFrom"] = [["find": ["path": .string(path), "name": ["regexp": .string(name ?? ".*")]]]]
        case .keys(let keys):
            spec["data"] = .list(
                keys.map { key in
                    [
                        "secretKey": .string(key.name),
                        "remoteRef": ["key": .string(key.path), "property": key.property.map { .string($0) }],
                    ]
                }
            )
        }
        return KubernetesObject(
            apiVersion: environment.store.apiVersion.rawValue,
            kind: "ExternalSecret",
            name: secret.name,
            namespace: app.namespace,
            labels: labels + [("app", app.name)],
            body: [ManifestEntry("spec", .map(spec))]
        )
    }
}
