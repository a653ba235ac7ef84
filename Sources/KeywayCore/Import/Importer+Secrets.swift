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
            if let name = volume["name"]?.text, let secret = volume.at("secret", "secretName")?.text { volumes[name] = secret }
        }
        return (template?.at("spec", "containers")?.items ?? []).map { container in
            var reads = ContainerReads(name: container["name"]?.text ?? "")
            reads.envFrom = container["envFrom"]?.items.compactMap { $0.at("secretRef", "name")?.text } ?? []
            reads.env =
                container["env"]?.items.compactMap { item in
                    guard let ref = item.at("valueFrom", "secretKeyRef"), let name = ref["name"]?.text else { return nil }
                    return (name, ref["key"]?.text ?? "")
                } ?? []
            reads.mounts =
                container["volumeMounts"]?.items.compactMap { mount in
                    guard let volume = mount["name"]?.text, let secret = volumes[volume], let path = mount["mountPath"]?.text else { return nil }
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
        "Job": ["spec", "template"], "Rollout": ["spec", "template"], "CronJob": ["spec", "jobTemplate", "spec", "template"],
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
                .importObjectDropped, "\(object.described) is not imported: its 'data' or 'dataFrom' has no form the spec writes",
                "a spec secret reads one 'extract' key, one 'find' path, or 'data' keys"
            )
            return nil
        }
        let target = spec?.at("target", "name")?.text ?? object.name
        let refresh = spec?["refreshInterval"]?.text
        let creation = spec?.at("target", "creationPolicy")?.text
        return ImportedSecret(
            name: object.name,
            target: target,
            refreshInterval: refresh == "1h" ? nil : refresh,
            creationPolicy: creation == "Owner" ? nil : creation,
            deletionPolicy: spec?.at("target", "deletionPolicy")?.text,
            source: source)
    }

    func secretSource(_ spec: SpecNode?) -> SecretSource? {
        let keys = (spec?["data"]?.items ?? []).compactMap { item -> SecretKeySource? in
            guard let name = item["secretKey"]?.text, let path = item.at("remoteRef", "key")?.text else { return nil }
            return SecretKeySource(name: name, path: path, property: item.at("remoteRef", "property")?.text)
        }
        if !keys.isEmpty { return .keys(keys) }
        guard let first = spec?["dataFrom"]?.items.first else { return nil }
        if let path = first.at("extract", "key")?.text { return .extract(path: path) }
        if let path = first.at("find", "path")?.text {
            let name = first.at("find", "name", "regexp")?.text
            return .find(path: path, name: name == ".*" ? nil : name)
        }
        return nil
    }

    /// Gives each app the ExternalSecrets its Deployment reads; the others are reported.
    mutating func attachSecrets(to apps: inout [ImportedApp], store: ImportedStore) {
        let deployments = indices(ofKind: "Deployment")
        var attached = Set<Int>()
        let externalSecrets = indices(ofKind: "ExternalSecret")
        for appIndex in apps.indices {
            guard
                let deployment = deployments.first(where: {
                    objects[$0].name == apps[appIndex].name && (objects[$0].namespace ?? "default") == apps[appIndex].namespace
                })
            else { continue }
            let reads = ContainerReads.reads(of: podTemplate(deployment))
            var seen = Set<String>()
            for target in reads.flatMap(\.secrets) where seen.insert(target).inserted {
                guard
                    let index = externalSecrets.first(where: { !attached.contains($0) && readsTarget($0, target, namespace: apps[appIndex].namespace) }),
                    var secret = externalSecret(index)
                else { continue }
                attached.insert(index)
                wire(&secret, reads: reads)
                apps[appIndex].secrets.append(secret)
            }
        }
        for index in externalSecrets where !attached.contains(index) && dropReasons[index] == nil {
            dropReasons[index] = unreadReason(index)
        }
    }

    /// Whether an ExternalSecret writes `target` in `namespace`.
    func readsTarget(_ index: Int, _ target: String, namespace: String) -> Bool {
        let object = objects[index]
        return (object.node.at("spec", "target", "name")?.text ?? object.name) == target && (object.namespace ?? "default") == namespace
    }

    /// The exposure and containers of a secret, from how the containers read its Secret.
    func wire(_ secret: inout ImportedSecret, reads: [ContainerReads]) {
        let target = secret.target
        let readers = reads.filter { $0.secrets.contains(target) }.map(\.name)
        secret.containers = readers.count == reads.count ? nil : readers
        var isKeys = false
        if case .keys = secret.source { isKeys = true }
        if reads.contains(where: { $0.envFrom.contains(target) }) {
            secret.exposure = .envFrom
        } else if isKeys, reads.contains(where: { $0.env.contains { $0.secret == target } }) {
            secret.exposure = .env
        } else if let mount = reads.lazy.flatMap(\.mounts).first(where: { $0.secret == target }) {
            secret.exposure = .volume(mountPath: mount.mountPath)
        }
    }

    /// Why an ExternalSecret no Deployment reads is left out.
    func unreadReason(_ index: Int) -> (code: DiagnosticCode, message: String, help: String?) {
        let object = objects[index]
        let target = object.node.at("spec", "target", "name")?.text ?? object.name
        let reader = objects.indices.first { other in
            objects[other].kind != "Deployment" && (objects[other].namespace ?? "default") == (object.namespace ?? "default")
                && ContainerReads.reads(of: podTemplate(other)).contains { $0.secrets.contains(target) }
        }
        if let reader {
            return (
                .importObjectDropped, "\(object.described) is not imported: only \(objects[reader].described) reads it, which the spec cannot write",
                "keep both objects beside Keyway's output"
            )
        }
        return (
            .importObjectDropped, "\(object.described) is not imported: no Deployment among the inputs reads its Secret '\(target)'",
            "import the Deployment that reads it, or add the secret to an app by hand"
        )
    }
}
