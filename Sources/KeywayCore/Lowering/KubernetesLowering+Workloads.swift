/// The workload of each app: its pod template wrapped in the object of its kind, or, for a
/// workload owned elsewhere, the strategic-merge patch that wires the secrets into it.
extension KubernetesLowering {
    /// The app's workload, with the Reloader annotations where `place` puts them, then the patches merged in.
    func workload(_ app: App, _ owned: OwnedWorkload) -> KubernetesObject {
        let kind = app.kind
        let reloader = reloadAnnotations(app)
        var object = KubernetesObject(
            apiVersion: kind.apiVersion,
            kind: kind.kind,
            name: app.name,
            namespace: app.namespace,
            labels: [(WorkloadOwnership.appLabel, app.name)] + labels,
            annotations: reloader.workload,
            body: []
        )
        for (path, value) in workloadFields(app, owned) { object.document[path] = value }
        if !reloader.podTemplate.isEmpty {
            object.document[kind.podTemplate + .annotations] = .stringMap(reloader.podTemplate)
        }
        for patch in owned.patches {
            WorkloadPatch.merge(patch, into: &object.document, kind: kind, hardened: owned.hardening == .restricted)
        }
        return object
    }

    /// The workload's fields below its metadata, in the order written.
    func workloadFields(_ app: App, _ owned: OwnedWorkload) -> [(ManifestPath, ManifestValue)] {
        let kind = app.kind
        var fields: [(ManifestPath, ManifestValue)] = []
        switch kind {
        case .statefulSet:
            fields.append((["spec", "serviceName"], .string(owned.serviceName ?? app.name)))
        case .cronJob:
            if let schedule = owned.schedule { fields.append((["spec", "schedule"], .string(schedule))) }
        case .deployment, .daemonSet, .rollout:
            break
        }
        if let path = kind.replicas, let replicas = owned.replicas { fields.append((path, .int(replicas))) }
        if let selector = kind.selector {
            fields.append((selector, ["matchLabels": .stringMap(owned.selector.map { ($0.key, $0.value) })]))
        }
        let podTemplate = PodTemplateLowering(app: app, labels: environment.labels.map { ($0.key, $0.value) })
        fields.append((kind.podTemplate, .map(podTemplate.template(owned))))
        return fields
    }

    /// The strategic-merge patch for a workload owned elsewhere: only its identity, the Reloader
    /// annotations and the wiring, so that the workload's own fields stay as they are.
    func workloadPatch(_ app: App, _ external: ExternalWorkload) -> KubernetesObject {
        let reloader = reloadAnnotations(app)
        var object = KubernetesObject(
            apiVersion: app.kind.apiVersion,
            kind: app.kind.kind,
            name: external.name,
            namespace: app.namespace,
            labels: [],
            annotations: reloader.workload,
            body: []
        )
        if !reloader.podTemplate.isEmpty {
            object.document[app.kind.podTemplate + .annotations] = .stringMap(reloader.podTemplate)
        }
        let pod = PodTemplateLowering(app: app, labels: [])
        var spec = ManifestMap()
        let containers: [ManifestValue] = external.containers.compactMap { name in
            let wiring = pod.wiring(of: name)
            return wiring.isEmpty ? nil : .map(ManifestMap([ManifestEntry("name", .string(name))] + wiring.entries))
        }
        if !containers.isEmpty { spec["containers"] = .list(containers) }
        let volumes = pod.volumes()
        if !volumes.isEmpty { spec["volumes"] = .list(volumes) }
        let pull = pod.imagePullSecrets()
        if !pull.isEmpty { spec["imagePullSecrets"] = .list(pull) }
        if !spec.isEmpty { object.document[app.kind.podSpec] = .map(spec) }
        return object
    }

    /// The Reloader annotations that `reload` and `reloadOptions` ask for, by place.
    ///
    /// The named, auto or search annotation goes where `place` says (the workload's own metadata by
    /// default, or its pod template's); the options stay on the workload, the only place Reloader
    /// reads them, and being none of the annotations ``ReloaderAnnotations/readsWorkload(_:workload:)``
    /// looks for, they do not keep Reloader from reading the pod template's.
    ///
    /// `auto` is written even for an app without secrets of its own: Reloader then still watches
    /// the Secrets a patch wires in.
    func reloadAnnotations(_ app: App) -> (workload: [(String, String)], podTemplate: [(String, String)]) {
        var annotations: [(String, String)]
        switch app.reload {
        case .named:
            let names = Self.reloaderNames(app)
            annotations = names.isEmpty ? [] : [(ReloaderAnnotations.secretReload, names)]
        case .auto:
            let watch = app.reloadOptions.lazy.compactMap(\.watched).first ?? SpecDefaults.reloadWatch
            let all = watch == .all
            annotations = [(all ? ReloaderAnnotations.auto : ReloaderAnnotations.secretAuto, "true")]
        case .search: annotations = [(ReloaderAnnotations.search, "true")]
        case .none: annotations = []
        }
        let options = app.reloadOptions.compactMap(Self.annotation)
        switch app.reloadOptions.lazy.compactMap(\.placed).first ?? SpecDefaults.reloadPlace {
        case .workload: return (annotations + options, [])
        case .podTemplate: return (options, annotations)
        }
    }

    /// The annotation of one of Reloader's per-workload options (`watch` changes `auto`'s instead).
    static func annotation(_ option: ReloadOption) -> (String, String)? {
        switch option {
        case .rolloutStrategy(let strategy): (ReloaderAnnotations.rolloutStrategy, strategy.rawValue)
        case .pausePeriod(let period): (ReloaderAnnotations.pausePeriod, period.text)
        case .exclude(let names): (ReloaderAnnotations.secretExclude, names.joined(separator: ","))
        case .watch, .place: nil
        }
    }

    /// The Secrets the app's pods read (not image pull Secrets; those a patch wires in too), sorted,
    /// each once, comma-joined without spaces: what Reloader matches.
    static func reloaderNames(_ app: App) -> String {
        app.wiring.secretsRead.joined(separator: ",")
    }
}

extension ReloadOption {
    /// What `reload: auto` watches, for the `watch` option.
    var watched: ReloadWatch? {
        if case .watch(let watch) = self { return watch }
        return nil
    }

    /// Where the Reloader annotations go, for the `place` option.
    var placed: ReloadPlace? {
        if case .place(let place) = self { return place }
        return nil
    }
}
