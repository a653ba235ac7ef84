/// Deployments as apps: containers, replicas, the Reloader annotation, and the rest as `patch`.
extension ImportContext {
    /// Fields the API server sets: never part of what a user writes.
    static let serverFields: Set<String> = [
        "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "selfLink", "deletionTimestamp",
        "deletionGracePeriodSeconds",
    ]
    static let serverAnnotations: Set<String> = ["kubectl.kubernetes.io/last-applied-configuration", "deployment.kubernetes.io/revision"]
    static let namedReload = "secret.reloader.stakater.com/reload"
    static let autoReload = "secret.reloader.stakater.com/auto"
    static let anyAutoReload = "reloader.stakater.com/auto"

    mutating func deploymentApp(_ index: Int) -> ImportedApp {
        let object = objects[index]
        if object.namespace == nil {
            warning(
                .importValueAssumed, "\(object.described) names no namespace: assumed 'default'", object: index, at: object.nameRange,
                help: "set the app's 'namespace' in the spec")
        }
        let containers = (podTemplate(index)?.at("spec", "containers")?.items ?? []).map { node in
            Container(
                name: node["name"]?.text ?? "",
                image: node["image"]?.text ?? "",
                command: node["command"]?.strings ?? [],
                args: node["args"]?.strings ?? [])
        }
        return ImportedApp(
            name: object.name, namespace: object.namespace ?? "default", replicas: object.node.at("spec", "replicas")?.int, containers: containers)
    }

    /// The app's `reload` and `patch`, once its secrets are known.
    mutating func finishApp(_ app: inout ImportedApp, labels: [(String, String)]) {
        guard let index = indices(ofKind: "Deployment").first(where: { objects[$0].name == app.name && (objects[$0].namespace ?? "default") == app.namespace })
        else { return }
        app.reload = reload(index, app: app)
        app.patch = patch(index, app: app, labels: labels)
    }

    /// `reload` from the Reloader annotations (the Deployment's own, else its pod template's).
    mutating func reload(_ index: Int, app: ImportedApp) -> Reload {
        let object = objects[index]
        let places: [[String]] = [["metadata", "annotations"], ["spec", "template", "metadata", "annotations"]]
        var found: [(path: [String], entry: SpecEntry)] = []
        for place in places {
            var node: SpecNode? = object.node
            for key in place { node = node?[key] }
            for entry in node?.entries ?? [] where entry.key.text.contains(WorkloadOwnership.reloaderDomain) {
                explain(index, place + [entry.key.text])
                found.append((place, entry))
            }
        }
        let chosen = found.filter { $0.path == found.first?.path }.map(\.entry)
        let targets = Set(app.secrets.map(\.target))
        for entry in chosen where ![Self.namedReload, Self.autoReload, Self.anyAutoReload].contains(entry.key.text) {
            warning(
                .importFieldDropped, "Reloader annotation '\(entry.key.text)' is not imported: the spec writes only Secret reloads",
                object: index, at: entry.key.range, help: "Keyway writes the Reloader annotation from the app's 'reload'")
        }
        if let named = chosen.first(where: { $0.key.text == Self.namedReload }) {
            checkNames(named, targets: targets, object: index)
            return .named
        }
        if let auto = chosen.first(where: { $0.key.text == Self.autoReload || $0.key.text == Self.anyAutoReload }), auto.value.text == "true" {
            if auto.key.text == Self.anyAutoReload {
                warning(
                    .importReloadChanged, "'\(Self.anyAutoReload)' also reloads on ConfigMaps: the spec's 'reload: auto' watches Secrets only",
                    object: index, at: auto.key.range)
            }
            return .auto
        }
        guard !targets.isEmpty else { return .named }
        warning(
            .importReloadChanged, "\(object.described) has no Reloader annotation: imported with 'reload: none'", object: index,
            at: object.nameRange, help: "remove 'reload: none' from the spec so Reloader rolls it when its Secrets change")
        return .none
    }

    /// The named annotation must name exactly the Secrets the pods read; the spec writes those.
    mutating func checkNames(_ entry: SpecEntry, targets: Set<String>, object: Int) {
        let names = Set((entry.value.text ?? "").split(separator: ",").map { $0.trimmingCharacters(of: " ") })
        guard names != targets else { return }
        let written = names.sorted().map { "'\($0)'" }.joined(separator: ", ")
        let read = targets.sorted().map { "'\($0)'" }.joined(separator: ", ")
        warning(
            .importReloadChanged,
            "the Reloader annotation names \(written.isEmpty ? "no Secret" : written) but \(objects[object].described) reads \(read.isEmpty ? "none" : read): the imported spec names what it reads",
            object: object, at: entry.value.range,
            help: "Reloader restarts pods only for the Secrets named here; Keyway writes the names from the app's secrets")
    }

    /// Everything of the Deployment that the spec's other keys do not write and a patch may set.
    func patch(_ index: Int, app: ImportedApp, labels: [(String, String)]) -> ManifestMap {
        let node = objects[index].node
        var patch = ManifestMap()
        for entry in node.entries where !["apiVersion", "kind", "metadata", "spec", "status"].contains(entry.key.text) {
            patch[entry.key.text] = entry.value.manifestValue
        }
        if let metadata = metadataPatch(node["metadata"], owned: ["name", "namespace"], labels: labels) { patch["metadata"] = .map(metadata) }
        var spec = ManifestMap()
        for entry in node["spec"]?.entries ?? [] where !["replicas", "selector", "template"].contains(entry.key.text) {
            spec[entry.key.text] = entry.value.manifestValue
        }
        var template = ManifestMap()
        if let metadata = metadataPatch(node.at("spec", "template", "metadata"), owned: [], labels: labels) { template["metadata"] = .map(metadata) }
        let pod = podPatch(node.at("spec", "template", "spec"), app: app)
        if !pod.isEmpty { template["spec"] = .map(pod) }
        if !template.isEmpty { spec["template"] = .map(template) }
        if !spec.isEmpty { patch["spec"] = .map(spec) }
        return patch
    }

    /// A metadata's fields a patch may set: labels besides Keyway's and the common ones, annotations
    /// besides Reloader's, and what the API server does not set.
    func metadataPatch(_ metadata: SpecNode?, owned: Set<String>, labels: [(String, String)]) -> ManifestMap? {
        var patch = ManifestMap()
        let ownedLabels: Set = [WorkloadOwnership.appLabel, WorkloadOwnership.managedByLabel]
        for entry in metadata?.entries ?? [] where !owned.contains(entry.key.text) && !Self.serverFields.contains(entry.key.text) {
            switch entry.key.text {
            case "labels":
                let kept = entry.value.entries.filter { label in
                    !ownedLabels.contains(label.key.text) && !labels.contains { $0.0 == label.key.text && $0.1 == label.value.text }
                }
                if !kept.isEmpty { patch["labels"] = .map(ManifestMap(kept.compactMap { e in e.value.manifestValue.map { ManifestEntry(e.key.text, $0) } })) }
            case "annotations":
                let kept = entry.value.entries.filter {
                    !$0.key.text.contains(WorkloadOwnership.reloaderDomain) && !Self.serverAnnotations.contains($0.key.text)
                }
                if !kept.isEmpty {
                    patch["annotations"] = .map(ManifestMap(kept.compactMap { e in e.value.manifestValue.map { ManifestEntry(e.key.text, $0) } }))
                }
            default:
                patch[entry.key.text] = entry.value.manifestValue
            }
        }
        return patch.isEmpty ? nil : patch
    }

    /// The pod spec's fields a patch may set: all but the wiring the app's secrets generate.
    func podPatch(_ pod: SpecNode?, app: ImportedApp) -> ManifestMap {
        let wiring = GeneratedWiring(
            containers: app.containers.map(\.name), secrets: app.secrets.map { $0.modelSecret(allContainers: app.containers.map(\.name)) })
        var patch = ManifestMap()
        for entry in pod?.entries ?? [] {
            switch entry.key.text {
            case "containers":
                let containers = entry.value.items.compactMap { containerPatch($0, wiring: wiring) }
                if !containers.isEmpty { patch["containers"] = .list(containers) }
            case "volumes" where wiring.hasVolumes:
                continue
            default:
                patch[entry.key.text] = entry.value.manifestValue
            }
        }
        return patch
    }

    func containerPatch(_ container: SpecNode, wiring: GeneratedWiring) -> ManifestValue? {
        guard let name = container["name"]?.text else { return nil }
        var patch: ManifestMap = ["name": .string(name)]
        for entry in container.entries where entry.key.text != "name" && !WorkloadOwnership.declaredContainerFields.contains(entry.key.text) {
            if wiring.fields[name]?.contains(entry.key.text) == true { continue }
            patch[entry.key.text] = entry.value.manifestValue
        }
        return patch.entries.count > 1 ? .map(patch) : nil
    }
}

extension ImportedSecret {
    /// The model's secret, for the wiring tables the lowering and the patch check share.
    func modelSecret(allContainers: [String]) -> AppSecret {
        AppSecret(
            name: name, target: target, refreshInterval: GoDuration(text: "1h", seconds: 3_600), creationPolicy: .owner, deletionPolicy: nil,
            source: source, exposure: exposure, containers: containers ?? allContainers)
    }
}

extension StringProtocol {
    func trimmingCharacters(of character: Character) -> String {
        String(drop { $0 == character }.reversed().drop { $0 == character }.reversed())
    }
}
