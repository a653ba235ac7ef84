/// The workload of each app: its pod template wrapped in the object of its kind.
extension KubernetesLowering {
    /// The app's workload, with the Reloader annotation on its own metadata, then the app's patch merged in.
    func workload(_ app: App) -> KubernetesObject {
        let kind = app.workloadKind
        var object = KubernetesObject(
            apiVersion: kind.apiVersion,
            kind: kind.kind,
            name: app.name,
            namespace: app.namespace,
            labels: [(WorkloadOwnership.appLabel, app.name)] + labels,
            annotations: reloadAnnotations(app),
            body: []
        )
        for (path, value) in workloadFields(app, kind: kind) { object.document[path] = value }
        if let patch = app.patch { object.document = WorkloadPatch.merge(patch, into: object.document, kind: kind) }
        return object
    }

    /// The workload's fields below its metadata, in the order written.
    func workloadFields(_ app: App, kind: WorkloadKind) -> [(ManifestPath, ManifestValue)] {
        var fields: [(ManifestPath, ManifestValue)] = []
        if let replicas = kind.replicas { fields.append((replicas, .int(app.replicas))) }
        if let selector = kind.selector {
            fields.append((selector, ["matchLabels": [WorkloadOwnership.appLabel: .string(app.name)]]))
        }
        // Fields of one kind only (a StatefulSet's serviceName, a CronJob's schedule) go here.
        switch kind {
        case .deployment: break
        }
        let podTemplate = PodTemplateLowering(app: app, labels: environment.labels.map { ($0.key, $0.value) })
        fields.append((kind.podTemplate, .map(podTemplate.template())))
        return fields
    }

    /// The Reloader annotation that `reload` asks for. `auto` is written even for an app without
    /// secrets of its own: Reloader then still watches the Secrets a patch wires in.
    func reloadAnnotations(_ app: App) -> [(String, String)] {
        switch app.reload {
        case .named: return app.secrets.isEmpty ? [] : [(Self.reloadAnnotation, Self.reloaderNames(app))]
        case .auto: return [(Self.autoAnnotation, "true")]
        case .none: return []
        }
    }

    /// The app's target Secrets, sorted, each once, comma-joined without spaces: what Reloader matches.
    static func reloaderNames(_ app: App) -> String {
        Set(app.secrets.map(\.target)).sorted().joined(separator: ",")
    }
}
