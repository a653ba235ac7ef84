/// How one container reads Secrets: by `envFrom`, by `env` keys, and through volumes.
struct ContainerReads {
    var name: String
    var envFrom: [String] = []
    /// Per env entry: the Secret and key it reads.
    var env: [(secret: String, key: String)] = []
    /// Per mount of a Secret volume: the Secret and the mount path.
    var mounts: [(secret: String, mountPath: String)] = []

    /// Every Secret read, in the order Keyway writes them: envFrom, env, mounts.
    var secrets: [String] { envFrom + env.map(\.secret) + mounts.map(\.secret) }

    /// How the containers of a pod template read Secrets.
    static func reads(of template: SpecNode?) -> [ContainerReads] {
        var volumes: [String: String] = [:]
        for volume in template?.at("spec", "volumes")?.items ?? [] {
            if let name = volume["name"]?.text, let secret = volume.at("secret", "secretName")?.text {
                volumes[name] = secret
            }
        }
        return (template?.at("spec", "containers")?.items ?? []).map { container in
            var reads = ContainerReads(name: container["name"]?.text ?? "")
            reads.envFrom = container["envFrom"]?.items.compactMap { $0.at("secretRef", "name")?.text } ?? []
            reads.env =
                container["env"]?.items.compactMap { item in
                    guard let ref = item.at("valueFrom", "secretKeyRef"), let name = ref["name"]?.text else {
                        return nil
                    }
                    return (name, ref["key"]?.text ?? "")
                } ?? []
            reads.mounts =
                container["volumeMounts"]?.items.compactMap { mount in
                    guard let volume = mount["name"]?.text, let secret = volumes[volume],
                        let path = mount["mountPath"]?.text
                    else { return nil }
                    return (secret, path)
                } ?? []
            return reads
        }
    }
}

extension ImportContext {
    /// Where each workload kind keeps its pod template.
    static let podTemplates: [String: [String]] = [
        "Deployment": ["spec", "template"], "StatefulSet": ["spec", "template"], "DaemonSet": ["spec", "template"],
        "Job": ["spec", "template"], "Rollout": ["spec", "template"],
        "CronJob": ["spec", "jobTemplate", "spec", "template"],
    ]

    func podTemplate(_ object: Int) -> SpecNode? {
        guard let path = Self.podTemplates[objects[object].kind] else { return nil }
        var node: SpecNode? = objects[object].node
        for key in path { node = node?[key] }
        return node
    }

    /// An ExternalSecret in the spec's terms, or `nil` (its reason kept) when its source cannot be written.
    mutating func externalSecret(_ index: Int) -> ImportedSecret? {
        let object = objects[index]
        let spec = object.node["spec"]
        guard let source = secretSource(spec) else {
            dropReasons[index] = (
                .importObjectDropped,
                "\(object.described) is not imported: its 'data' or 'dataFrom' has no form the spec writes",
                "a spec secret reads one 'extract' key, one 'find' path, or 'data' keys"
            )
            return nil
        }
        let target = spec?.at("target", "name")?.text ?? object.name
        let refresh = spec?["refreshInterval"]?.text ?? ESODefaults.refreshInterval
        let creation = spec?.at("target", "creationPolicy")?.text ?? ESODefaults.creationPolicy
        var secret = ImportedSecret(
            name: object.name,
            target: target,
            refreshInterval: refresh == SpecDefaults.refreshInterval.text ? nil : refresh,
            creationPolicy: creation == SpecDefaults.creationPolicy.rawValue ? nil : creation,
            deletionPolicy: spec?.at("target", "deletionPolicy")?.text,
            source: source)
        secret.refreshPolicy = spec?["refreshPolicy"]?.text
        secret.immutable = spec?.at("target", "immutable").flatMap { $0.manifestValue }
        secret.rewrite = spec?["dataFrom"]?.items.first?["rewrite"]?.manifestValue
        let (template, matched) = Self.template(spec?.at("target", "template"))
        secret.template = template
        secret.reloaderMatch = matched
        if matched {
            explain(
                index, ["spec", "target", "template", "metadata", "annotations", KubernetesLowering.matchAnnotation])
        }
        return secret
    }

    /// A `target.template` as the spec's `template` map, without Reloader's match annotation
    /// (Keyway's, for `reload: search`); whether that annotation was there.
    static func template(_ node: SpecNode?) -> (ManifestMap?, Bool) {
        guard let node else { return (nil, false) }
        var annotations = node.at("metadata", "annotations")?.entries ?? []
        let matched = annotations.contains {
            $0.key.text == KubernetesLowering.matchAnnotation && $0.value.text == "true"
        }
        annotations.removeAll { $0.key.text == KubernetesLowering.matchAnnotation && matched }
        let strings = { (entries: [SpecEntry]) -> ManifestValue? in
            entries.isEmpty ? nil : .stringMap(entries.map { ($0.key.text, $0.value.text ?? "") })
        }
        var map: ManifestMap = [
            SpecKey.Template.type.rawValue: node["type"]?.text.map { .string($0) },
            SpecKey.Template.data.rawValue: strings(node["data"]?.entries ?? []),
            SpecKey.Template.labels.rawValue: strings(node.at("metadata", "labels")?.entries ?? []),
            SpecKey.Template.annotations.rawValue: strings(annotations),
        ]
        if let merge = TemplateMergePolicy(rawValue: node["mergePolicy"]?.text ?? ESODefaults.mergePolicy),
            merge != SpecDefaults.mergePolicy, !(matched && map.isEmpty)
        {
            map[SpecKey.Template.mergePolicy.rawValue] = .string(merge.rawValue)
        }
        return (map.isEmpty ? nil : map, matched)
    }

    func secretSource(_ spec: SpecNode?) -> SecretSource? {
        let keys = (spec?["data"]?.items ?? []).compactMap { item -> SecretKeySource? in
            guard let name = item["secretKey"]?.text, let ref = item["remoteRef"], let path = ref["key"]?.text else {
                return nil
            }
            return SecretKeySource(
                name: name, path: path, property: ref["property"]?.text,
                version: ref["version"]?.text.flatMap { Int($0) },
                strategies: Self.strategies(ref),
                metadataPolicy: ref["metadataPolicy"]?.text.flatMap(MetadataPolicy.init(rawValue:)))
        }
        if !keys.isEmpty { return .keys(keys) }
        guard let first = spec?["dataFrom"]?.items.first else { return nil }
        if let extract = first["extract"], let path = extract["key"]?.text {
            return .extract(
                ExtractSource(
                    path: path, version: extract["version"]?.text.flatMap { Int($0) },
                    strategies: Self.strategies(extract)))
        }
        if let find = first["find"] {
            let name = find.at("name", "regexp")?.text
            let tags = (find["tags"]?.entries ?? []).map { TemplateEntry(key: $0.key.text, value: $0.value.text ?? "") }
            return .find(
                FindSource(
                    path: find["path"]?.text, name: name == ".*" ? nil : name, tags: tags,
                    strategies: Self.strategies(find)))
        }
        return nil
    }

    static func strategies(_ node: SpecNode) -> ValueStrategies {
        ValueStrategies(
            decoding: node["decodingStrategy"]?.text.flatMap(DecodingStrategy.init(rawValue:)),
            conversion: node["conversionStrategy"]?.text.flatMap(ConversionStrategy.init(rawValue:)))
    }

    /// The Secrets a workload's pods read, in the order Keyway writes them, and its image pull Secrets.
    func targets(of workload: Int) -> (reads: [ContainerReads], targets: [String], pulls: [String]) {
        let reads = ContainerReads.reads(of: podTemplate(workload))
        let pulls = podTemplate(workload)?.at("spec", "imagePullSecrets")?.items.compactMap { $0["name"]?.text } ?? []
        var seen = Set<String>()
        return (reads, (reads.flatMap(\.secrets) + pulls).filter { seen.insert($0).inserted }, pulls)
    }

    /// Which app defines each ExternalSecret: the reader its `app` label names, else the first
    /// reader, else (a Secret no pod reads: `expose: none`) the app its label names.
    func owners(_ apps: [ImportedApp]) -> [Int: Int] {
        var owners: [Int: Int] = [:]
        let readTargets = apps.map { targets(of: $0.object).targets }
        for index in indices(ofKind: "ExternalSecret") {
            let object = objects[index]
            let label = object.node.at("metadata", "labels", WorkloadOwnership.appLabel)?.text
            let target = object.node.at("spec", "target", "name")?.text ?? object.name
            let local = apps.indices.filter { apps[$0].namespace == (object.namespace ?? "default") }
            let readers = local.filter { readTargets[$0].contains(target) }
            owners[index] =
                readers.first { apps[$0].name == label } ?? readers.first ?? local.first { apps[$0].name == label }
        }
        return owners
    }

    /// Gives each app the ExternalSecrets its workload reads (`use` for another app's); the others are reported.
    mutating func attachSecrets(to apps: inout [ImportedApp], store: ImportedStore) {
        let owners = owners(apps)
        var defined = Set<Int>()
        for appIndex in apps.indices {
            let (reads, targets, pulls) = targets(of: apps[appIndex].object)
            for target in targets {
                guard
                    let index = owners.keys.sorted().first(where: {
                        readsTarget($0, target, namespace: apps[appIndex].namespace)
                    }),
                    let owner = owners[index], var secret = externalSecret(index)
                else { continue }
                secret.object = index
                wire(&secret, reads: reads, pulls: pulls)
                if owner != appIndex { secret.use = apps[owner].name } else { defined.insert(index) }
                apps[appIndex].secrets.append(secret)
            }
        }
        for (index, owner) in owners.sorted(by: { $0.key < $1.key }) where !defined.contains(index) {
            guard dropReasons[index] == nil,
                !apps[owner].secrets.contains(where: { $0.object == index && $0.use == nil }),
                var secret = externalSecret(index)
            else { continue }
            secret.object = index
            secret.exposure = .none
            defined.insert(index)
            apps[owner].secrets.append(secret)
        }
        for index in indices(ofKind: "ExternalSecret") where !defined.contains(index) && dropReasons[index] == nil {
            dropReasons[index] = unreadReason(index)
        }
    }

    /// Whether an ExternalSecret writes `target` in `namespace`.
    func readsTarget(_ index: Int, _ target: String, namespace: String) -> Bool {
        let object = objects[index]
        return (object.node.at("spec", "target", "name")?.text ?? object.name) == target
            && (object.namespace ?? "default") == namespace
    }

    /// The exposure and containers of a secret, from how the containers read its Secret.
    func wire(_ secret: inout ImportedSecret, reads: [ContainerReads], pulls: [String]) {
        let target = secret.target
        let readers = reads.filter { $0.secrets.contains(target) }.map(\.name)
        secret.containers = readers.count == reads.count || readers.isEmpty ? nil : readers
        var isKeys = secret.template?[SpecKey.Template.data.rawValue] != nil
        if case .keys = secret.source { isKeys = true }
        if reads.contains(where: { $0.envFrom.contains(target) }) {
            secret.exposure = .envFrom
        } else if isKeys, reads.contains(where: { $0.env.contains { $0.secret == target } }) {
            secret.exposure = .env
        } else if let mount = reads.lazy.flatMap(\.mounts).first(where: { $0.secret == target }) {
            secret.exposure = .volume(mountPath: mount.mountPath)
        } else if pulls.contains(target) {
            secret.exposure = .imagePullSecret
        }
    }

    /// Why an ExternalSecret no Deployment reads is left out.
    func unreadReason(_ index: Int) -> (code: DiagnosticCode, message: String, help: String?) {
        let object = objects[index]
        let target = object.node.at("spec", "target", "name")?.text ?? object.name
        let reader = objects.indices.first { other in
            WorkloadKind(rawValue: objects[other].kind) == nil
                && (objects[other].namespace ?? "default") == (object.namespace ?? "default")
                && ContainerReads.reads(of: podTemplate(other)).contains { $0.secrets.contains(target) }
        }
        if let reader {
            return (
                .importObjectDropped,
                "\(object.described) is not imported: only \(objects[reader].described) reads it, which the spec cannot write",
                "keep both objects beside Keyway's output"
            )
        }
        return (
            .importObjectDropped,
            "\(object.described) is not imported: no workload among the inputs reads its Secret '\(target)'",
            "import the workload that reads it (for a chart's, Keyway's patch file), or add the secret to an app by hand"
        )
    }
}
