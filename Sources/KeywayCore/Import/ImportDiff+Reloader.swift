/// The last check of a workload: Reloader restarts it on the same changes before and after.
///
/// For every Secret and ConfigMap the input's pods read, Reloader's decision
/// (``ReloaderAnnotations/shouldReload(_:named:workload:podTemplate:resourceAnnotations:)``, the
/// one port of its rule) with the input's annotations is compared with its decision with the
/// compiled workload's: a change Reloader no longer restarts the pods on is an error (the spec
/// would drop a reload the team has); one it now restarts them on is warned (Keyway restarts on
/// every Secret the pods read).
extension ImportContext {
    /// The annotations of each side for one workload, as Reloader reads them.
    struct ReloaderView {
        var workload: [String: String]
        var podTemplate: [String: String]
        /// Per Secret the workload reads: the annotations its ExternalSecret gives it.
        var secrets: [String: [String: String]]
    }

    /// What the comparison reads of the inputs, gathered once for every workload.
    struct ReloadInputs {
        /// Per namespace and Secret, the first input ExternalSecret that writes it (the one the spec keeps).
        var writers: [String: [String: Int]] = [:]
        /// The annotations of the input Secrets and ConfigMaps, by resource, namespace and name.
        var annotations: [ReloaderAnnotations.Resource: [String: [String: [String: String]]]] = [:]
    }

    func reloadInputs() -> ReloadInputs {
        var inputs = ReloadInputs()
        for (index, object) in objects.enumerated() {
            let namespace = object.namespace ?? "default"
            switch object.kind {
            case "ExternalSecret" where inputs.writers[namespace]?[Self.target(of: object)] == nil:
                inputs.writers[namespace, default: [:]][Self.target(of: object)] = index
            case "Secret", "ConfigMap":
                let resource: ReloaderAnnotations.Resource = object.kind == "Secret" ? .secret : .configMap
                inputs.annotations[resource, default: [:]][namespace, default: [:]][object.name] = Self.annotations(
                    object.node.at("metadata", "annotations")?.manifestValue)
            default:
                break
            }
        }
        return inputs
    }

    mutating func compareReloads(
        _ index: Int, compiled document: ManifestMap, byKey: [ObjectKey: ManifestMap], inputs: ReloadInputs
    ) {
        let object = objects[index]
        guard let kind = WorkloadKind(rawValue: object.kind), WorkloadKind.owned.contains(kind), !kept.contains(index),
            case .map(let input)? = object.node.manifestValue
        else { return }
        let reads = podReads(index, kind: kind)
        let namespace = object.namespace ?? "default"
        let written = inputs.writers[namespace] ?? [:]
        let before = view(input, kind: kind, reads: reads.secretsRead) { target in
            written[target].flatMap { self.objects[$0].node.manifestValue?.mapValue }
        }
        let after = view(document, kind: kind, reads: reads.secretsRead) { target in
            written[target].flatMap { byKey[self.objects[$0].key(namespace: "default")] }
        }
        let checks =
            reads.secretsRead.map { (ReloaderAnnotations.Resource.secret, $0) }
            + reads.configMapsRead.map { (ReloaderAnnotations.Resource.configMap, $0) }
        for (resource, name) in checks {
            // What the spec does not write (a ConfigMap, a Secret no ExternalSecret writes) is alike on both sides.
            let own = inputs.annotations[resource]?[namespace]?[name] ?? [:]
            let was = ReloaderAnnotations.shouldReload(
                resource, named: name, workload: before.workload, podTemplate: before.podTemplate,
                resourceAnnotations: resource == .secret ? before.secrets[name] ?? own : own)
            let now = ReloaderAnnotations.shouldReload(
                resource, named: name, workload: after.workload, podTemplate: after.podTemplate,
                resourceAnnotations: resource == .secret ? after.secrets[name] ?? own : own)
            guard was != now else { continue }
            reportReloadChange(index, resource: resource, name: name, restartsNow: now)
        }
    }

    /// One side's annotations: the workload's, its pod template's, and per Secret read the
    /// annotations the template of the ExternalSecret `writer` gives it.
    func view(_ document: ManifestMap, kind: WorkloadKind, reads: [String], writer: (String) -> ManifestMap?)
        -> ReloaderView
    {
        var secrets: [String: [String: String]] = [:]
        for name in reads {
            if let external = writer(name) {
                secrets[name] = Self.annotations(external[["spec", "target", "template", "metadata", "annotations"]])
            }
        }
        return ReloaderView(
            workload: Self.annotations(document[ManifestPath.annotations]),
            podTemplate: Self.annotations(document[kind.podTemplate + .annotations]), secrets: secrets)
    }

    /// Annotations as Reloader reads them: name to text.
    static func annotations(_ value: ManifestValue?) -> [String: String] {
        var map: [String: String] = [:]
        for entry in value?.mapValue?.entries ?? [] {
            if case .string(let text) = entry.value { map[entry.key] = text }
        }
        return map
    }

    mutating func reportReloadChange(
        _ index: Int, resource: ReloaderAnnotations.Resource, name: String, restartsNow: Bool
    ) {
        let object = objects[index]
        let what = "\(resource == .secret ? "Secret" : "ConfigMap") '\(name)'"
        guard restartsNow else {
            report(
                .importMeaningChanged,
                "Reloader restarts \(object.described) when \(what) changes; the imported spec's annotations would not",
                object: index, at: object.nameRange,
                help: resource == .secret
                    ? "give the app 'reload: auto' (or name the Secret) by hand"
                    : "the spec reloads on ConfigMaps only with 'reload: auto' and 'reloadOptions: {watch: all}': set them by hand, or accept that ConfigMap changes no longer restart it"
            )
            return
        }
        guard !reloadWarned.contains(index) else { return }
        report(
            .importReloadChanged,
            "the imported spec restarts \(object.described) when \(what) changes, which the input's annotations did not",
            object: index, at: object.nameRange,
            help: "Keyway restarts a workload on every Secret its pods read; 'reload: none' keeps it from restarting")
    }
}
