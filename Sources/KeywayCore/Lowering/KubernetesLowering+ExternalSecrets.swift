/// One ExternalSecret per app secret.
extension KubernetesLowering {
    func externalSecret(_ secret: AppSecret, of app: App) -> KubernetesObject {
        var target: ManifestMap = [
            "name": .string(secret.target),
            "creationPolicy": .string(secret.creationPolicy.rawValue),
            "deletionPolicy": secret.deletionPolicy.map { .string($0.rawValue) },
        ]
        if searchedSecrets.contains(app.namespace + "/" + secret.target) { target = Self.addingReloaderMatch(to: target) }
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

    /// Puts Reloader's match annotation on the Secret through ESO's `target.template.metadata`,
    /// merging into a `template` already there: `engineVersion: v2` and `mergePolicy: Merge` unless
    /// it sets its own, so without template `data` the Secret keeps the data as fetched.
    static func addingReloaderMatch(to target: ManifestMap) -> ManifestMap {
        var target = target
        var template = target["template"]?.mapValue ?? ManifestMap()
        if template["engineVersion"] == nil { template["engineVersion"] = "v2" }
        if template["mergePolicy"] == nil { template["mergePolicy"] = "Merge" }
        var metadata = template["metadata"]?.mapValue ?? ManifestMap()
        var annotations = metadata["annotations"]?.mapValue ?? ManifestMap()
        annotations[matchAnnotation] = "true"
        metadata["annotations"] = .map(annotations)
        template["metadata"] = .map(metadata)
        target["template"] = .map(template)
        return target
    }
}
