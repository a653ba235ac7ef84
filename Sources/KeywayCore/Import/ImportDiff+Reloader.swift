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
            let namespace = object.namespace ?? KubernetesDefaults.namespace
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

    /// The input side of a workload's Reloader check, read from its tree before the trees are
    /// packed away for the verifying compile (`takeTrees`).
    struct ReloadBefore {
        var reads: PodWiring
        var namespace: String
        var view: ReloaderView
    }

    /// The input side of every owned workload the comparison checks, by object.
    mutating func reloadViews(inputs: ReloadInputs) -> [Int: ReloadBefore] {
        var views: [Int: ReloadBefore] = [:]
        for index in objects.indices {
            guard let kind = WorkloadKind(rawValue: objects[index].kind), WorkloadKind.owned.contains(kind),
                !kept.contains(index)
            else { continue }
            let reads = podReads(index, kind: kind)
            let namespace = objects[index].namespace ?? KubernetesDefaults.namespace
            let written = inputs.writers[namespace] ?? [:]
            // The input side reads its annotations from the parsed tree, converting only them.
            let node = objects[index].node
            let view = view(kind: kind, reads: reads.secretsRead) { path in
                node.at(path: path)?.manifestValue
            } writer: { target, path in
                written[target].map { self.objects[$0].node.at(path: path)?.manifestValue }
            }
            views[index] = ReloadBefore(reads: reads, namespace: namespace, view: view)
        }
        return views
    }

    mutating func compareReloads(
        _ index: Int, compiled document: ManifestMap, byKey: [ObjectKey: ManifestMap], inputs: ReloadInputs
    ) {
        guard let known = reloadBefore[index], let kind = WorkloadKind(rawValue: objects[index].kind) else { return }
        let (reads, namespace, before) = (known.reads, known.namespace, known.view)
        let written = inputs.writers[namespace] ?? [:]
        let after = view(kind: kind, reads: reads.secretsRead) { path in
            document[ManifestPath(path)]
        } writer: { target, path in
            written[target].flatMap { byKey[self.objects[$0].key(namespace: KubernetesDefaults.namespace)] }.map {
                $0[ManifestPath(path)]
            }
        }
        let checks =
            reads.secretsRead.map { (ReloaderAnnotations.Resource.secret, $0) }
            + reads.configMapsRead.map { (ReloaderAnnotations.Resource.configMap, $0) }
        // Alike annotations on both sides make alike decisions: Reloader's rule is asked only where they differ.
        let sameWorkload = before.workload == after.workload && before.podTemplate == after.podTemplate
        for (resource, name) in checks {
            // What the spec does not write (a ConfigMap, a Secret no ExternalSecret writes) is alike on both sides.
            let own = inputs.annotations[resource]?[namespace]?[name] ?? [:]
            let resourceBefore = resource == .secret ? before.secrets[name] ?? own : own
            let resourceAfter = resource == .secret ? after.secrets[name] ?? own : own
            if sameWorkload, resourceBefore == resourceAfter { continue }
            let was = ReloaderAnnotations.shouldReload(
                resource, named: name, workload: before.workload, podTemplate: before.podTemplate,
                resourceAnnotations: resourceBefore)
            let now = ReloaderAnnotations.shouldReload(
                resource, named: name, workload: after.workload, podTemplate: after.podTemplate,
                resourceAnnotations: resourceAfter)
            guard was != now else { continue }
            reportReloadChange(index, resource: resource, name: name, restartsNow: now)
        }
    }

    /// One side's annotations: the workload's, its pod template's, and per Secret read the
    /// annotations the template of the ExternalSecret that writes it gives it.
    ///
    /// `value` is the workload's value at a path; `writer` the value at a path of the ExternalSecret
    /// writing a Secret, `nil` when none does, `.some(nil)` when it has nothing there.
    func view(
        kind: WorkloadKind, reads: [String], value: ([String]) -> ManifestValue?,
        writer: (String, [String]) -> ManifestValue??
    ) -> ReloaderView {
        var secrets: [String: [String: String]] = [:]
        for name in reads {
            if let annotations = writer(name, ["spec", "target", "template", "metadata", "annotations"]) {
                secrets[name] = Self.annotations(annotations)
            }
        }
        return ReloaderView(
            workload: Self.annotations(value(ManifestPath.annotations.components)),
            podTemplate: Self.annotations(value((kind.podTemplate + .annotations).components)), secrets: secrets)
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
