/// How one container reads Secrets: by `envFrom`, by `env` keys, and through volumes.
struct ContainerReads {
    var name: String
    var envFrom: [String] = []
    /// Per env entry: the Secret and key it reads.
    var env: [(secret: String, key: String)] = []
    /// Per Secret: the variables its env entries read, each with its key, in the container's order.
    var variables: [String: [EnvVariable]] = [:]
    /// Per mount of a Secret volume: the Secret and the mount path.
    var mounts: [(secret: String, mountPath: String)] = []
    /// Every Secret read, in the order Keyway writes them: envFrom, env, mounts.
    var secrets: [String] { envFrom + env.map(\.secret) + mounts.map(\.secret) }
    /// The same, as a set.
    private(set) var secretSet = Set<String>()

    /// The variables read from one Secret, each with the key it reads, in the container's order.
    func envVariables(reading secret: String) -> [EnvVariable] { variables[secret] ?? [] }

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
            for item in container["env"]?.items ?? [] {
                guard let ref = item.at("valueFrom", "secretKeyRef"), let name = ref["name"]?.text else { continue }
                reads.env.append((name, ref["key"]?.text ?? ""))
                reads.variables[name, default: []].append(
                    EnvVariable(name: item["name"]?.text ?? "", key: ref["key"]?.text ?? ""))
            }
            reads.mounts =
                container["volumeMounts"]?.items.compactMap { mount in
                    guard let volume = mount["name"]?.text, let secret = volumes[volume],
                        let path = mount["mountPath"]?.text
                    else { return nil }
                    return (secret, path)
                } ?? []
            reads.secretSet = Set(reads.secrets)
            return reads
        }
    }
}

/// How the containers of one pod read Secrets, indexed by Secret once, so that wiring each of its
/// ExternalSecrets costs the containers reading it, not every container.
struct PodReads {
    let containers: [ContainerReads]
    /// Per Secret: the positions of the containers reading it, in their order.
    private(set) var readers: [String: [Int]] = [:]
    /// The Secrets some container reads whole (`envFrom`).
    private(set) var envFrom = Set<String>()
    /// Per Secret: the mount path of the first volume mount reading it, in container order.
    private(set) var mountPaths: [String: String] = [:]
    /// The image pull Secrets.
    let pulls: Set<String>
    /// Per container name: the positions of the containers so named.
    private var byName: [String: [Int]] = [:]

    init(_ containers: [ContainerReads], pulls: [String]) {
        self.containers = containers
        self.pulls = Set(pulls)
        for (position, container) in containers.enumerated() {
            for secret in container.secretSet { readers[secret, default: []].append(position) }
            envFrom.formUnion(container.envFrom)
            for mount in container.mounts where mountPaths[mount.secret] == nil {
                mountPaths[mount.secret] = mount.mountPath
            }
            byName[container.name, default: []].append(position)
        }
    }

    /// The positions of the containers bearing one of `names`, in their order.
    func named(_ names: [String]) -> [Int] {
        Set(Set(names).flatMap { byName[$0] ?? [] }).sorted()
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
        secret.mount = mountIndex(of: spec) == 0 ? nil : kvMount(of: spec)?.path
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
        let kvMount = kvMount(of: spec)
        let keys = (spec?["data"]?.items ?? []).compactMap { item -> SecretKeySource? in
            guard let name = item["secretKey"]?.text, let ref = item["remoteRef"], let path = ref["key"]?.text else {
                return nil
            }
            let metadataPolicy = ref["metadataPolicy"]?.text.flatMap(MetadataPolicy.init(rawValue:))
            let located = Self.modelPath(path, metadataPolicy == .fetch ? .metadata : .data, kvMount)
            return SecretKeySource(
                name: name, path: located.path, property: ref["property"]?.text,
                version: ref["version"]?.text.flatMap { Int($0) },
                strategies: Self.strategies(ref),
                metadataPolicy: metadataPolicy, remoteKey: located.written)
        }
        if !keys.isEmpty { return .keys(keys) }
        guard let first = spec?["dataFrom"]?.items.first else { return nil }
        if let extract = first["extract"], let path = extract["key"]?.text {
            let located = Self.modelPath(path, .data, kvMount)
            return .extract(
                ExtractSource(
                    path: located.path, version: extract["version"]?.text.flatMap { Int($0) },
                    strategies: Self.strategies(extract), remoteKey: located.written))
        }
        if let find = first["find"] {
            let name = find.at("name", "regexp")?.text
            let tags = (find["tags"]?.entries ?? []).map { TemplateEntry(key: $0.key.text, value: $0.value.text ?? "") }
            let located = find["path"]?.text.map { path -> (path: String, written: String?) in
                kvMount.map { ESOVaultPaths.modelFindPath(path, mount: $0) } ?? (path, nil)
            }
            return .find(
                FindSource(
                    path: located?.path, name: name == ".*" ? nil : name, tags: tags,
                    strategies: Self.strategies(find), remotePath: located?.written))
        }
        return nil
    }

    /// A remote key as the model keeps it: where ESO reads it (`ESOVaultPaths`), and as written.
    static func modelPath(_ key: String, _ kind: ESOVaultPaths.ReadKind, _ kvMount: KVMount?) -> (
        path: String, written: String?
    ) {
        kvMount.map { ESOVaultPaths.modelPath(key, kind, mount: $0) } ?? (key, nil)
    }

    static func strategies(_ node: SpecNode) -> ValueStrategies {
        ValueStrategies(
            decoding: node["decodingStrategy"]?.text.flatMap(DecodingStrategy.init(rawValue:)),
            conversion: node["conversionStrategy"]?.text.flatMap(ConversionStrategy.init(rawValue:)))
    }

    /// What a workload's pods read (`targets(of:)`).
    typealias PodTargets = (reads: [ContainerReads], targets: [String], pulls: [String])

    /// The Secrets a workload's pods read, in the order Keyway writes them, and its image pull Secrets.
    func targets(of workload: Int) -> PodTargets {
        let reads = ContainerReads.reads(of: podTemplate(workload))
        let pulls = podTemplate(workload)?.at("spec", "imagePullSecrets")?.items.compactMap { $0["name"]?.text } ?? []
        var seen = Set<String>()
        return (reads, (reads.flatMap(\.secrets) + pulls).filter { seen.insert($0).inserted }, pulls)
    }

    /// Which app defines each ExternalSecret: the reader its `app` label names, else the first
    /// reader, else (a Secret no pod reads: `expose: none`) the app its label names.
    func owners(_ apps: [ImportedApp], reading: [PodTargets]) -> [Int: Int] {
        var owners: [Int: Int] = [:]
        // Per namespace and Secret, the apps whose pods read it; per namespace, the apps by name.
        var readers: [String: [String: [Int]]] = [:]
        var named: [String: [String: Int]] = [:]
        for index in apps.indices {
            let namespace = apps[index].namespace
            for target in reading[index].targets {
                readers[namespace, default: [:]][target, default: []].append(index)
            }
            if named[namespace]?[apps[index].name] == nil { named[namespace, default: [:]][apps[index].name] = index }
        }
        for index in indices(ofKind: "ExternalSecret") {
            let object = objects[index]
            let label = object.node.at("metadata", "labels", WorkloadOwnership.appLabel)?.text
            let namespace = object.namespace ?? KubernetesDefaults.namespace
            let reading = readers[namespace]?[Self.target(of: object)] ?? []
            owners[index] =
                reading.first { apps[$0].name == label } ?? reading.first ?? label.flatMap { named[namespace]?[$0] }
        }
        return owners
    }

    /// The Secret an ExternalSecret writes: its target's name, else its own.
    static func target(of object: ManifestObject) -> String {
        object.node.at("spec", "target", "name")?.text ?? object.name
    }

    /// Gives each app the ExternalSecrets its workload reads (`use` for another app's); the others are reported.
    mutating func attachSecrets(to apps: inout [ImportedApp], store: ImportedStore) {
        let reading = apps.map { targets(of: $0.object) }  // once: the owners and the wiring read them
        let owners = owners(apps, reading: reading)
        // The first ExternalSecret (in input order) writing each Secret of each namespace.
        var writers: [String: [String: Int]] = [:]
        for index in owners.keys.sorted() {
            let object = objects[index]
            let namespace = object.namespace ?? KubernetesDefaults.namespace
            if writers[namespace]?[Self.target(of: object)] == nil {
                writers[namespace, default: [:]][Self.target(of: object)] = index
            }
        }
        var defined = Set<Int>()
        for appIndex in apps.indices {
            let (reads, targets, pulls) = reading[appIndex]
            let pod = PodReads(reads, pulls: pulls)
            for target in targets {
                guard let index = writers[apps[appIndex].namespace]?[target], let owner = owners[index],
                    var secret = externalSecret(index)
                else { continue }
                secret.object = index
                wire(&secret, reads: pod)
                if owner != appIndex { secret.use = apps[owner].name } else { defined.insert(index) }
                apps[appIndex].secrets.append(secret)
            }
        }
        // Per app, the ExternalSecrets it reads itself (not by `use`): one lookup per secret below.
        var ownReads: [Int: Set<Int>] = [:]
        for (app, imported) in apps.enumerated() {
            for secret in imported.secrets where secret.use == nil { ownReads[app, default: []].insert(secret.object) }
        }
        for (index, owner) in owners.sorted(by: { $0.key < $1.key }) where !defined.contains(index) {
            guard dropReasons[index] == nil, ownReads[owner]?.contains(index) != true,
                var secret = externalSecret(index)
            else { continue }
            secret.object = index
            secret.exposure = .none
            defined.insert(index)
            ownReads[owner, default: []].insert(index)
            apps[owner].secrets.append(secret)
        }
        let unread = indices(ofKind: "ExternalSecret").filter { !defined.contains($0) && dropReasons[$0] == nil }
        if !unread.isEmpty { addSecretsOnlyApps(unread, to: &apps) }
    }

    /// ExternalSecrets no input workload reads: read by a Job or Pod the spec cannot write, they
    /// are left beside it; else (a chart or an operator outside the inputs reads them) they come
    /// back in an app with secrets only, one per namespace.
    mutating func addSecretsOnlyApps(_ unread: [Int], to apps: inout [ImportedApp]) {
        let readers = otherReaders()
        var secretsOnly: [String: Int] = [:]
        var names = Set(apps.map(\.name))
        for index in unread {
            let object = objects[index]
            let namespace = object.namespace ?? KubernetesDefaults.namespace
            guard readers[namespace]?[Self.target(of: object)] == nil, var secret = externalSecret(index) else {
                dropReasons[index] = dropReasons[index] ?? unreadReason(index, readers: readers)
                continue
            }
            secret.object = index
            secret.exposure = .none
            if secretsOnly[namespace] == nil {
                let labels = object.node.at("metadata", "labels")
                var name =
                    labels?["app.kubernetes.io/name"]?.text ?? labels?[WorkloadOwnership.appLabel]?.text ?? namespace
                if names.contains(name) { name += "-secrets" }
                names.insert(name)
                secretsOnly[namespace] = apps.count
                var app = ImportedApp(name: name, namespace: namespace, object: index, containers: [])
                app.secretsOnly = true
                apps.append(app)
            }
            apps[secretsOnly[namespace] ?? 0].secrets.append(secret)
        }
    }

    /// The exposure and containers of a secret, from how the containers read its Secret.
    func wire(_ secret: inout ImportedSecret, reads: PodReads) {
        let target = secret.target
        let readers = reads.readers[target] ?? []
        let names = readers.map { reads.containers[$0].name }
        secret.containers = readers.count == reads.containers.count || readers.isEmpty ? nil : names
        if reads.envFrom.contains(target) {
            secret.exposure = .envFrom
        } else if let variables = Self.envVariables(secret, reads: reads.named(names).map { reads.containers[$0] }) {
            secret.exposure = variables
        } else if let mountPath = reads.mountPaths[target] {
            secret.exposure = .volume(mountPath: mountPath)
        } else if reads.pulls.contains(target) {
            secret.exposure = .imagePullSecret
        } else {
            // Read through env entries the spec cannot write (a variable named otherwise than its
            // key, some keys only): they stay in the app's patch, as they were.
            secret.exposure = .none
        }
    }

    /// How the reading containers' `env` entries read the secret, when they all read it alike.
    ///
    /// `env` where there is one variable per key of the Secret, named as the key; else
    /// `expose: {env: {VAR: KEY}}`, where every KEY is one the Secret has (when its keys are known,
    /// as the compiler checks them). `nil` when a container reads it otherwise (they stay in the patch).
    static func envVariables(_ secret: ImportedSecret, reads: [ContainerReads]) -> Exposure? {
        guard let first = reads.first else { return nil }
        let variables = first.envVariables(reading: secret.target)
        guard !variables.isEmpty,
            reads.allSatisfy({ $0.envVariables(reading: secret.target) == variables }),
            Set(variables.map(\.name)).count == variables.count
        else { return nil }
        let keys = secret.modelSecret(allContainers: []).outputKeys
        if let keys, variables.allSatisfy({ $0.name == $0.key }), variables.map(\.key).sorted() == keys.sorted() {
            return .env
        }
        if let keys = keys.map(Set.init), !variables.allSatisfy({ keys.contains($0.key) }) { return nil }
        return .envNamed(variables)
    }

    /// Per namespace and Secret, the first object of a kind the spec cannot write whose pods read it.
    func otherReaders() -> [String: [String: Int]] {
        var readers: [String: [String: Int]] = [:]
        for other in objects.indices where WorkloadKind(rawValue: objects[other].kind) == nil {
            guard let template = podTemplate(other) else { continue }
            let namespace = objects[other].namespace ?? KubernetesDefaults.namespace
            for secret in ContainerReads.reads(of: template).flatMap(\.secrets)
            where readers[namespace]?[secret] == nil {
                readers[namespace, default: [:]][secret] = other
            }
        }
        return readers
    }

    /// Why an ExternalSecret no Deployment reads is left out.
    func unreadReason(_ index: Int, readers: [String: [String: Int]]) -> (
        code: DiagnosticCode, message: String, help: String?
    ) {
        let object = objects[index]
        let target = Self.target(of: object)
        let reader = readers[object.namespace ?? KubernetesDefaults.namespace]?[target]
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
