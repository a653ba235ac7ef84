/// Deployments as apps: containers, replicas, the Reloader annotation, and the rest as `patch`.
extension ImportContext {
    /// Fields the API server sets: never part of what a user writes.
    static let serverFields: Set<String> = [
        "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "selfLink", "deletionTimestamp",
        "deletionGracePeriodSeconds",
    ]
    static let serverAnnotations: Set<String> = [
        "kubectl.kubernetes.io/last-applied-configuration", "deployment.kubernetes.io/revision",
    ]
    static let namedReload = ReloaderAnnotations.secretReload
    static let autoReload = ReloaderAnnotations.secretAuto
    static let anyAutoReload = ReloaderAnnotations.auto

    static let reloadOptionAnnotations: [String: SpecKey.ReloadOptions] = [
        ReloaderAnnotations.rolloutStrategy: .rolloutStrategy,
        ReloaderAnnotations.pausePeriod: .pausePeriod,
        ReloaderAnnotations.secretExclude: .exclude,
    ]

    /// The workloads among the inputs that become apps (the token's renewal CronJob is Keyway's).
    var workloadIndices: [Int] {
        objects.indices.filter { WorkloadKind(rawValue: objects[$0].kind) != nil && $0 != renewalJob }
    }

    /// An app from a workload; from Keyway's patch file (no container has an image) a `workload:` app.
    mutating func workloadApp(_ index: Int) -> ImportedApp {
        let object = objects[index]
        let kind = WorkloadKind(rawValue: object.kind) ?? .deployment
        if object.namespace == nil {
            report(
                .importValueAssumed, "\(object.described) names no namespace: assumed 'default'", object: index,
                at: object.nameRange,
                help: "set the app's 'namespace' in the spec")
        }
        let pod = podTemplate(index)?["spec"]
        let containerNodes = pod?["containers"]?.items ?? []
        let containers = containerNodes.map { node in
            Container(
                name: node["name"]?.text ?? "", image: node["image"]?.text ?? "",
                command: node["command"]?.strings ?? [],
                args: node["args"]?.strings ?? [])
        }
        var app = ImportedApp(
            name: object.name, namespace: object.namespace ?? KubernetesDefaults.namespace, kind: kind, object: index,
            containers: containers)
        if !containerNodes.isEmpty, containerNodes.allSatisfy({ $0["image"] == nil }) {
            app.external = (object.name, containers.map(\.name))
            return app
        }
        if !WorkloadKind.owned.contains(kind) {
            // Keyway patches a Rollout but does not write it: the user's manifest stays.
            app.external = (object.name, containers.map(\.name))
            kept.insert(index)
            report(
                .importOwnedElsewhere,
                "\(object.described) is imported as a workload owned elsewhere: Keyway writes its patch, not the \(object.kind)",
                object: index, at: object.nameRange,
                help:
                    "keep the \(object.kind)'s manifest without the secrets' wiring, and apply Keyway's patches/\(app.namespace)/\(object.kind.lowercased())-\(object.name).yaml over it (kustomize 'patches:')"
            )
            return app
        }
        app.selector = selector(index, name: object.name)
        app.replicas = object.node.at("spec", "replicas")?.int
        app.serviceName = kind == .statefulSet ? object.node.at("spec", "serviceName")?.text : nil
        app.schedule = kind == .cronJob ? object.node.at("spec", "schedule")?.text : nil
        app.serviceAccountName = pod?["serviceAccountName"]?.text
        return app
    }

    /// The selector's `matchLabels` when they are all it holds and are not Keyway's `app: NAME`.
    func selector(_ index: Int, name: String) -> [(String, String)]? {
        guard let selector = objects[index].node.at("spec", "selector"), selector.entries.count == 1,
            let labels = selector["matchLabels"]?.entries, !labels.isEmpty
        else { return nil }
        let pairs = labels.compactMap { entry in entry.value.text.map { (entry.key.text, $0) } }
        guard pairs.count == labels.count else { return nil }
        return pairs.count == 1 && pairs[0] == (WorkloadOwnership.appLabel, name) ? nil : pairs
    }

    /// The app's `reload` and `patch`, once its secrets are known.
    mutating func finishApp(_ app: inout ImportedApp, labels: [(String, String)]) {
        guard !app.secretsOnly else { return }
        app.reload = reload(app.object, app: &app)
        if app.reload == .search {
            for secret in app.secrets where secret.reloaderMatch && secret.use == nil {
                explain(
                    secret.object,
                    ["spec", "target", "template", "metadata", "annotations", KubernetesLowering.matchAnnotation])
            }
        }
        if app.external == nil {
            hardening(&app)
            app.patch = patch(app.object, app: app, labels: labels)
        }
    }

    /// A pod without every setting of Keyway's hardened pod (`PodHardening`) is kept as it is:
    /// `hardening: none`, its security settings in the patch, warned with what `restricted` would add.
    mutating func hardening(_ app: inout ImportedApp) {
        guard case .map(let pod)? = podTemplate(app.object)?["spec"]?.manifestValue else { return }
        let missing = PodHardening.missing(pod: pod, namesAccount: app.serviceAccountName != nil)
        guard !missing.isEmpty else { return }
        app.hardening = .none
        let object = objects[app.object]
        report(
            .importNotHardened,
            "\(object.described) does not run with Keyway's hardened pod: imported with 'hardening: none'; 'hardening: restricted' would add \(missing.joined(separator: ", "))",
            object: app.object, at: object.nameRange,
            help:
                "keep 'hardening: none', or set 'hardening: restricted' and relax in 'patch' only what the image needs")
    }

    /// `reload` and `reloadOptions` from the Reloader annotations Reloader reads for a Secret's
    /// change (``ReloaderAnnotations/readsWorkload(_:workload:)``: the workload's own, else its pod
    /// template's), in the place the input used (`reloadOptions.place`) and its flavour: named,
    /// search, `reloader.stakater.com/auto` (`reload: auto` with `watch: all`) or
    /// `secret.reloader.stakater.com/auto` (`reload: auto`).
    mutating func reload(_ index: Int, app: inout ImportedApp) -> Reload {
        let found = reloaderAnnotations(index, kind: app.kind)
        let reload = reload(index, found: found, app: &app)
        if reload != .none, !found.read.isEmpty, found.place != SpecDefaults.reloadPlace {
            app.reloadOptions[SpecKey.ReloadOptions.place.rawValue] = .string(found.place.rawValue)
        }
        return reload
    }

    /// `reload` and the options of `reloadOptions` from the annotations `found` in the input.
    mutating func reload(
        _ index: Int, found: (read: [SpecEntry], options: [SpecEntry], place: ReloadPlace), app: inout ImportedApp
    ) -> Reload {
        let object = objects[index]
        for entry in found.options {
            guard let option = Self.reloadOptionAnnotations[entry.key.text], let value = entry.value.manifestValue
            else { continue }
            app.reloadOptions[option.rawValue] =
                option == .exclude ? .strings((entry.value.text ?? "").split(separator: ",").map(String.init)) : value
        }
        let read = Self.strings(found.read)
        let targets = Set(podReads(index, kind: app.kind).secretsRead)
        if read[ReloaderAnnotations.search] == "true" { return .search }
        if let named = found.read.first(where: { $0.key.text == Self.namedReload }) {
            checkNames(named, targets: targets, object: index)
            return .named
        }
        if ReloaderAnnotations.parseBool(read[Self.anyAutoReload])
            || ReloaderAnnotations.parseBool(read[ReloaderAnnotations.configMapAuto])
        {
            app.reloadOptions[SpecKey.ReloadOptions.watch.rawValue] = "all"
            warnRespelledAuto(found.read, object: index, place: found.place)
            return .auto
        }
        if ReloaderAnnotations.parseBool(read[Self.autoReload]) {
            warnRespelledAuto(found.read, object: index, place: found.place)
            return .auto
        }
        guard !targets.isEmpty else { return .named }
        report(
            .importReloadChanged, "\(object.described) has no Reloader annotation: imported with 'reload: none'",
            object: index,
            at: object.nameRange,
            help: "remove 'reload: none' from the spec so Reloader rolls it when its Secrets change")
        return .none
    }

    /// A warning at each auto annotation Reloader reads as true (Go's `strconv.ParseBool`: `1`, `t`,
    /// `True`, …) but not spelt `true`, which the spec writes: on the pod template the changed value
    /// rolls the pods once.
    mutating func warnRespelledAuto(_ read: [SpecEntry], object index: Int, place: ReloadPlace) {
        for entry in read where entry.value.text != "true" && ReloaderAnnotations.parseBool(entry.value.text) {
            let rolls =
                place == .podTemplate ? ": the pod template changes, so the first apply rolls the pods once" : ""
            report(
                .importFieldChanged,
                "'\(entry.key.text): \"\(entry.value.text ?? "")\"' is written '\(entry.key.text): \"true\"'\(rolls)",
                object: index, at: entry.value.range,
                help:
                    "Reloader reads both as true; write \"true\" in the input before adopting to keep the object unchanged"
            )
        }
    }

    /// The Reloader annotations the spec carries, and the workload-only options.
    ///
    /// Those Reloader reads for a Secret's change: the workload's own when it has one of the named,
    /// auto or search annotations, else its pod template's; the options (`reloadOptions`) from the
    /// workload only; the place read is the spec's `reloadOptions.place`. The rest is reported.
    mutating func reloaderAnnotations(_ index: Int, kind: WorkloadKind)
        -> (read: [SpecEntry], options: [SpecEntry], place: ReloadPlace)
    {
        let places: [[String]] = [
            ["metadata", "annotations"], kind.podTemplate.components + ["metadata", "annotations"],
        ]
        let entries = places.map { place in
            let node = place.reduce(objects[index].node as SpecNode?) { $0?[$1] }
            let found = (node?.entries ?? []).filter { containsText($0.key.text, WorkloadOwnership.reloaderDomain) }
            for entry in found { explain(index, place + [entry.key.text]) }
            return found
        }
        let workload = Self.strings(entries[0])
        let fromWorkload = ReloaderAnnotations.readsWorkload(.secret, workload: workload)
        let place = fromWorkload ? entries[0] : entries[1]
        var flavours = [Self.namedReload, Self.autoReload, Self.anyAutoReload, ReloaderAnnotations.search]
        // Both typed auto annotations are `reloader.stakater.com/auto`'s meaning: `watch: all`.
        let typed = Self.strings(place)
        if [Self.autoReload, ReloaderAnnotations.configMapAuto].allSatisfy({ ReloaderAnnotations.parseBool(typed[$0]) })
        {
            flavours.append(ReloaderAnnotations.configMapAuto)
        }
        let read = place.filter { flavours.contains($0.key.text) }
        let options = entries[0].filter { Self.reloadOptionAnnotations[$0.key.text] != nil }
        let readPlace = fromWorkload ? 0 : 1
        for (offset, found) in entries.enumerated() {
            for entry in found
            where !(offset == readPlace && flavours.contains(entry.key.text))
                && !(offset == 0 && Self.reloadOptionAnnotations[entry.key.text] != nil)
            {
                report(
                    .importFieldDropped,
                    "Reloader annotation '\(entry.key.text)' is not imported: the spec writes Secret reloads where Reloader reads them, and the options on the workload",
                    object: index, at: entry.key.range,
                    help: "Keyway writes the Reloader annotation from the app's 'reload' and 'reloadOptions'")
            }
        }
        return (read, options, fromWorkload ? .workload : .podTemplate)
    }

    /// A mapping's entries as Reloader reads annotations: key to text.
    static func strings(_ entries: [SpecEntry]) -> [String: String] {
        Dictionary(entries.map { ($0.key.text, $0.value.text ?? "") }) { first, _ in first }
    }

    /// What the input workload's pods read, Secrets and ConfigMaps, however they are wired (the
    /// table lowering names in Reloader's annotation).
    ///
    /// Only the pod spec is converted (the wiring reads nothing else), once per workload: the
    /// assembly and the comparison both ask.
    mutating func podReads(_ index: Int, kind: WorkloadKind) -> PodWiring {
        if let known = podWiring[index] { return known }
        var wiring = PodWiring(containers: [], secrets: [])
        let path = kind.podSpec.components
        if let pod = objects[index].node.at(path: path)?.manifestValue {
            var document = ManifestMap()
            document.setValue(pod, at: path[...])
            wiring.record(patch: document, kind: kind)
        }
        podWiring[index] = wiring
        return wiring
    }

    /// The named annotation must name exactly the Secrets the pods read; the spec writes those.
    mutating func checkNames(_ entry: SpecEntry, targets: Set<String>, object: Int) {
        let names = Set((entry.value.text ?? "").split(separator: ",").map { $0.trimmingSpaces() })
        guard names != targets else { return }
        reloadWarned.insert(object)
        let written = names.sorted().map { "'\($0)'" }.joined(separator: ", ")
        let read = targets.sorted().map { "'\($0)'" }.joined(separator: ", ")
        report(
            .importReloadChanged,
            "the Reloader annotation names \(written.isEmpty ? "no Secret" : written) but \(objects[object].described) reads \(read.isEmpty ? "none" : read): the imported spec names what it reads",
            object: object, at: entry.value.range,
            help:
                "Reloader restarts pods only for the Secrets named here; Keyway writes the names from the app's secrets"
        )
    }

    /// Everything of the Deployment that the spec's other keys do not write and a patch may set.
    func patch(_ index: Int, app: ImportedApp, labels: [(String, String)]) -> ManifestMap {
        let node = objects[index].node
        var patch = ManifestMap()
        for entry in node.entries where !["apiVersion", "kind", "metadata", "spec", "status"].contains(entry.key.text) {
            patch[entry.key.text] = entry.value.manifestValue
        }
        if let metadata = metadataPatch(node["metadata"], owned: ["name", "namespace"], labels: labels) {
            patch["metadata"] = .map(metadata)
        }
        let owned: Set = ["replicas", "selector", "serviceName", "schedule", "status"]
        let spec = patchAlong(node["spec"], path: Array(app.kind.podTemplate.components.dropFirst()), owned: owned) {
            template in
            var map = ManifestMap()
            if let metadata = metadataPatch(template?["metadata"], owned: [], labels: labels + (app.selector ?? [])) {
                map["metadata"] = .map(metadata)
            }
            let pod = podPatch(template?["spec"], app: app)
            if !pod.isEmpty { map["spec"] = .map(pod) }
            return map
        }
        if !spec.isEmpty { patch["spec"] = .map(spec) }
        return patch
    }

    /// The entries of `node` but the `owned` ones, with the one at `path` built by `leaf`: the pod
    /// template's place differs by kind (a CronJob's is `jobTemplate.spec.template`).
    func patchAlong(_ node: SpecNode?, path: [String], owned: Set<String>, leaf: (SpecNode?) -> ManifestMap)
        -> ManifestMap
    {
        guard let head = path.first else { return leaf(node) }
        var map = ManifestMap()
        for entry in node?.entries ?? [] where !owned.contains(entry.key.text) && entry.key.text != head {
            map[entry.key.text] = entry.value.manifestValue
        }
        let child = patchAlong(node?[head], path: Array(path.dropFirst()), owned: [], leaf: leaf)
        if !child.isEmpty { map[head] = .map(child) }
        return map
    }

    /// A metadata's fields a patch may set: labels besides Keyway's and the common ones, annotations
    /// besides Reloader's, and what the API server does not set.
    func metadataPatch(_ metadata: SpecNode?, owned: Set<String>, labels: [(String, String)]) -> ManifestMap? {
        var patch = ManifestMap()
        let ownedLabels: Set = [WorkloadOwnership.appLabel, WorkloadOwnership.managedByLabel]
        for entry in metadata?.entries ?? []
        where !owned.contains(entry.key.text) && !Self.serverFields.contains(entry.key.text) {
            switch entry.key.text {
            case "labels":
                let kept = entry.value.entries.filter { label in
                    !ownedLabels.contains(label.key.text)
                        && !labels.contains { $0.0 == label.key.text && $0.1 == label.value.text }
                }
                if !kept.isEmpty {
                    patch["labels"] = .map(
                        ManifestMap(
                            kept.compactMap { e in e.value.manifestValue.map { ManifestEntry(e.key.text, $0) } }))
                }
            case "annotations":
                let kept = entry.value.entries.filter {
                    !containsText($0.key.text, WorkloadOwnership.reloaderDomain)
                        && !Self.serverAnnotations.contains($0.key.text)
                }
                if !kept.isEmpty {
                    patch["annotations"] = .map(
                        ManifestMap(
                            kept.compactMap { e in e.value.manifestValue.map { ManifestEntry(e.key.text, $0) } }))
                }
            default:
                patch[entry.key.text] = entry.value.manifestValue
            }
        }
        return patch.isEmpty ? nil : patch
    }

    /// The pod spec's fields a patch may set: all but the wiring the app's secrets generate and
    /// the hardened defaults Keyway writes itself.
    func podPatch(_ pod: SpecNode?, app: ImportedApp) -> ManifestMap {
        let names = app.containers.map(\.name)
        let wiring = PodWiring(
            containers: names, secrets: app.secrets.map { $0.modelSecret(allContainers: names) })
        let hardened = app.hardening == .restricted
        var patch = ManifestMap()
        for entry in pod?.entries ?? [] {
            switch entry.key.text {
            case "containers":
                let containers = entry.value.items.compactMap { containerPatch($0, wiring: wiring, hardened: hardened) }
                if !containers.isEmpty { patch["containers"] = .list(containers) }
            case "volumes":
                let kept = entry.value.items.filter { !wiring.volumes.contains($0["name"]?.text ?? "") }.compactMap(
                    \.manifestValue)
                if !kept.isEmpty { patch["volumes"] = .list(kept) }
            case "imagePullSecrets" where wiring.hasImagePullSecrets, "serviceAccountName":
                continue
            case PodHardening.automountField
            where hardened && app.serviceAccountName == nil
                && entry.value.manifestValue == .bool(PodHardening.automount):
                continue
            case "restartPolicy" where app.kind == .cronJob && entry.value.text == "OnFailure":
                continue
            case "securityContext" where hardened:
                if let rest = Self.without(entry.value, PodHardening.podSecurityContext) {
                    patch["securityContext"] = .map(rest)
                }
            default:
                patch[entry.key.text] = entry.value.manifestValue
            }
        }
        return patch
    }

    /// A mapping's entries but those equal to `defaults`' at the same key; `nil` when none is left.
    static func without(_ node: SpecNode, _ defaults: ManifestMap) -> ManifestMap? {
        let kept = node.entries.filter {
            defaults[$0.key.text] == nil || defaults[$0.key.text] != $0.value.manifestValue
        }
        let map = ManifestMap(
            kept.compactMap { entry in entry.value.manifestValue.map { ManifestEntry(entry.key.text, $0) } })
        return map.isEmpty ? nil : map
    }

    /// A container's fields a patch may set: all but its declared ones, the wiring its secrets
    /// generate and, `hardened`, Keyway's security context.
    func containerPatch(_ container: SpecNode, wiring: PodWiring, hardened: Bool) -> ManifestValue? {
        guard let name = container["name"]?.text else { return nil }
        var patch: ManifestMap = ["name": .string(name)]
        for entry in container.entries
        where entry.key.text != "name" && !WorkloadOwnership.declaredContainerFields.contains(entry.key.text) {
            switch entry.key.text {
            case "envFrom":
                // A ConfigMap's (or another Secret's) envFrom stays beside the generated one.
                let generated = wiring.envFromSecrets[name] ?? []
                let kept = entry.value.items.filter { item in
                    item.at("secretRef", "name")?.text.map { !generated.contains($0) } ?? true
                }.compactMap(\.manifestValue)
                if !kept.isEmpty { patch["envFrom"] = .list(kept) }
            case "env", "volumeMounts":
                let generated = (entry.key.text == "env" ? wiring.env[name] : wiring.mounts[name]) ?? []
                let kept = entry.value.items.filter { !generated.contains($0["name"]?.text ?? "") }.compactMap(
                    \.manifestValue)
                if !kept.isEmpty { patch[entry.key.text] = .list(kept) }
            case "securityContext" where hardened:
                if let rest = Self.without(entry.value, PodHardening.containerSecurityContext) {
                    patch["securityContext"] = .map(rest)
                }
            default:
                patch[entry.key.text] = entry.value.manifestValue
            }
        }
        return patch.entries.count > 1 ? .map(patch) : nil
    }
}

extension Exposure {
    /// Whether the pods read the Secret, so Reloader's named annotation lists it.
    var isReadByPods: Bool {
        switch self {
        case .envFrom, .env, .envNamed, .volume: true
        case .none, .imagePullSecret: false
        }
    }
}

extension ImportedSecret {
    /// The model's secret, for the wiring tables the lowering and the patch check share.
    func modelSecret(allContainers: [String]) -> AppSecret {
        let data =
            template?[SpecKey.Template.data.rawValue]?.mapValue?.entries.map { TemplateEntry(key: $0.key, value: "") }
            ?? []
        let written = TemplateMergePolicy.allCases.first {
            template?[SpecKey.Template.mergePolicy.rawValue] == .string($0.rawValue)
        }
        let merge = written ?? SpecDefaults.mergePolicy
        let shape = template.map { _ in
            SecretTemplate(type: nil, mergePolicy: merge, data: data, labels: [], annotations: [])
        }
        return AppSecret(
            name: name, target: target, refreshInterval: SpecDefaults.refreshInterval,
            creationPolicy: SpecDefaults.creationPolicy,
            deletionPolicy: nil,
            source: source, exposure: exposure, containers: exposure.isReadByPods ? containers ?? allContainers : [],
            template: shape)
    }
}

extension Substring {
    /// The text without the spaces at either end (an ASCII text by its bytes, where going through
    /// `Character`s cost 50 000 instructions a name).
    func trimmingSpaces() -> String {
        let ascii = utf8.withContiguousStorageIfAvailable { bytes -> String? in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            var start = 0
            var end = bytes.count
            while start < end, bytes[start] == UInt8(ascii: " ") { start += 1 }
            while end > start, bytes[end - 1] == UInt8(ascii: " ") { end -= 1 }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        }
        if let ascii = ascii.flatMap({ $0 }) { return ascii }
        return String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
