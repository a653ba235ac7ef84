/// One ExternalSecret per app secret.
extension KubernetesLowering {
    func externalSecret(_ secret: AppSecret, of app: App) -> KubernetesObject {
        let reloaderMatch = searchedSecrets.contains(app.namespace + "/" + secret.target)
        var spec: ManifestMap = [
            "refreshInterval": .string(secret.refreshInterval.text),
            "refreshPolicy": secret.refreshPolicy.map { .string($0.rawValue) },
            "secretStoreRef": [
                "name": .string(environment.store.name(forMount: secret.mountIndex, of: environment.vault.mounts)),
                "kind": .string(environment.store.kind.kindName),
            ],
            "target": .map(target(secret, reloaderMatch: reloaderMatch)),
        ]
        switch secret.source {
        case .extract(let source):
            var extract: ManifestMap = [
                "key": .string(source.path), "version": source.version.map { .string(String($0)) },
            ]
            extract.add(source.strategies)
            spec["dataFrom"] = [dataFrom("extract", extract, rewrite: secret.rewrite)]
        case .find(let source):
            spec["dataFrom"] = [dataFrom("find", find(source), rewrite: secret.rewrite)]
        case .keys(let keys):
            spec["data"] = .list(
                keys.map { key in ["secretKey": .string(key.name), "remoteRef": .map(remoteRef(key))] })
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

    /// `spec.target`: the Secret's name, ESO's policies, immutability and template.
    func target(_ secret: AppSecret, reloaderMatch: Bool) -> ManifestMap {
        [
            "name": .string(secret.target),
            "creationPolicy": .string(secret.creationPolicy.rawValue),
            "deletionPolicy": secret.deletionPolicy.map { .string($0.rawValue) },
            "immutable": secret.immutable.map { .bool($0) },
            "template": targetTemplate(secret.template, reloaderMatch: reloaderMatch).map { .map($0) },
        ]
    }

    /// Builds the ExternalSecret's `spec.target.template` (engine v2).
    ///
    /// This is the one place it is built, so metadata other features put on the Secret joins the
    /// user's here. `mergePolicy` is written only when it is not ESO's default (`Replace`). With
    /// `reloaderMatch` (`reload: search`), Reloader's match annotation
    /// joins the Secret's annotations; without a template of the user's, the template is only that
    /// annotation with `mergePolicy: Merge`, so the Secret keeps the data as fetched.
    func targetTemplate(_ template: SecretTemplate?, reloaderMatch: Bool) -> ManifestMap? {
        guard template != nil || reloaderMatch else { return nil }
        var metadata = ManifestMap()
        if let labels = template?.labels, !labels.isEmpty {
            metadata["labels"] = .stringMap(labels.map { ($0.key, $0.value) })
        }
        var annotations = (template?.annotations ?? []).map { ($0.key, $0.value) }
        if reloaderMatch { annotations.append((Self.matchAnnotation, "true")) }
        if !annotations.isEmpty { metadata["annotations"] = .stringMap(annotations) }
        let mergePolicy: ManifestValue? =
            switch template?.mergePolicy {
            case .replace?: nil
            case .merge?, nil: .string(TemplateMergePolicy.merge.rawValue)
            }
        return [
            "engineVersion": "v2",
            "type": template?.type.map { .string($0) },
            "mergePolicy": mergePolicy,
            "metadata": metadata.isEmpty ? nil : .map(metadata),
            "data": template.map { $0.data.isEmpty ? nil : .stringMap($0.data.map { ($0.key, $0.value) }) } ?? nil,
        ]
    }

    /// One `dataFrom` item: its source, then its rewrites in order.
    func dataFrom(_ kind: String, _ source: ManifestMap, rewrite: [KeyRewrite]) -> ManifestValue {
        let steps: [ManifestValue] = rewrite.map { step in
            switch step {
            case .regexp(let source, let target): ["regexp": ["source": .string(source), "target": .string(target)]]
            case .transform(let template): ["transform": ["template": .string(template)]]
            }
        }
        return [kind: .map(source), "rewrite": steps.isEmpty ? nil : .list(steps)]
    }

    /// `dataFrom[].find`: by tags, or by name (every name when none is given).
    func find(_ source: FindSource) -> ManifestMap {
        var find: ManifestMap = ["path": source.path.map { .string($0) }]
        if source.tags.isEmpty {
            find["name"] = ["regexp": .string(source.name ?? ".*")]
        } else {
            find["tags"] = .stringMap(source.tags.map { ($0.key, $0.value) })
        }
        find.add(source.strategies)
        return find
    }

    /// `data[].remoteRef` of one key.
    func remoteRef(_ key: SecretKeySource) -> ManifestMap {
        var ref: ManifestMap = [
            "key": .string(key.path),
            "property": key.property.map { .string($0) },
            "version": key.version.map { .string(String($0)) },
        ]
        ref.add(key.strategies)
        ref["metadataPolicy"] = key.metadataPolicy.map { .string($0.rawValue) }
        return ref
    }
}

extension ManifestMap {
    /// `decodingStrategy` and `conversionStrategy`, where written.
    mutating func add(_ strategies: ValueStrategies) {
        self["decodingStrategy"] = strategies.decoding.map { .string($0.rawValue) }
        self["conversionStrategy"] = strategies.conversion.map { .string($0.rawValue) }
    }
}
