/// Reloader's per-workload options beside `reload`, and the checks on what an app does not read.
extension ModelBuilder {
    /// Reads `reloadOptions`, each key one of Reloader's per-workload annotations.
    ///
    /// An option is refused where it contradicts `reload` or does nothing for the kind; `nil` when
    /// one is refused (reported). `place: podTemplate` on a workload owned elsewhere is warned.
    mutating func reloadOptions(_ entry: SpecEntry, reload: Reload, kind: WorkloadKind, external: Bool)
        -> [ReloadOption]?
    {
        guard
            let fields = reader.fields(
                entry.value, path: "reloadOptions", anchor: entry.key.range,
                keys: SpecKey.ReloadOptions.self)
        else {
            return nil
        }
        let mark = reader.errorCount
        var options: [ReloadOption] = []
        for (key, optionEntry) in fields.written {
            if let conflict = reloadOptionConflict(key, reload: reload, kind: kind) {
                reader.report(
                    .reloadOptionConflict, "reloadOptions '\(key.rawValue)' \(conflict)", at: optionEntry.key.range,
                    help: "remove it")
            } else if let option = reloadOption(optionEntry, key, of: fields) {
                if external, option == .place(.podTemplate) { warnPodTemplatePlace(optionEntry, kind: kind) }
                options.append(option)
            }
        }
        return reader.reportedErrors(since: mark) ? nil : options
    }

    /// Warns of `place: podTemplate` on a workload owned elsewhere (a chart's): Reloader reads the pod
    /// template's annotations only while the workload's own carry none of the named, auto or search
    /// annotations (``ReloaderAnnotations/readsWorkload(_:workload:)``), and the patch cannot see
    /// what the chart writes there; on the workload, the patch's annotation is the one Reloader reads.
    mutating func warnPodTemplatePlace(_ entry: SpecEntry, kind: WorkloadKind) {
        reader.report(
            .reloadPlaceUnseen,
            "Reloader reads the pod template's annotations only while the live \(kind.kind)'s own carry no reload annotation, and Keyway does not see that workload's metadata",
            at: entry.value.range,
            help:
                "keep 'place: podTemplate' only if the live \(kind.kind)'s metadata has no '\(ReloaderAnnotations.domain)' reload or auto annotation; 'place: workload' (the default) is read whatever it has"
        )
    }

    /// Why an option cannot go with `reload` and the kind, or `nil`.
    func reloadOptionConflict(_ key: SpecKey.ReloadOptions, reload: Reload, kind: WorkloadKind) -> String? {
        if reload == .none { return "contradicts 'reload: none': Reloader does not restart this app" }
        switch key {
        case .rolloutStrategy:
            return kind == .rollout ? nil : "applies to an Argo Rollout only, and this workload is a \(kind.kind)"
        case .pausePeriod:
            return kind == .deployment ? nil : "applies to a Deployment only, and this workload is a \(kind.kind)"
        case .exclude:
            return reload == .auto
                ? nil : "excludes Secrets from 'reload: auto', and this app's reload is '\(reload.rawValue)'"
        case .watch:
            return reload == .auto
                ? nil : "chooses what 'reload: auto' watches, and this app's reload is '\(reload.rawValue)'"
        case .place:
            return nil
        }
    }

    mutating func reloadOption(
        _ entry: SpecEntry, _ key: SpecKey.ReloadOptions, of fields: KeyedFields<SpecKey.ReloadOptions>
    ) -> ReloadOption? {
        switch key {
        case .rolloutStrategy: reader.choice(entry, key, of: fields).map { .rolloutStrategy($0) }
        case .pausePeriod: reader.duration(entry, key, of: fields).map { .pausePeriod($0.value) }
        case .watch: reader.choice(entry, key, of: fields).map { .watch($0) }
        case .place: reader.choice(entry, key, of: fields).map { .place($0) }
        case .exclude: reader.strings(entry, key, of: fields).map { .exclude($0.map(\.value)) }
        }
    }

    /// Checks that an image pull Secret is of type `kubernetes.io/dockerconfigjson`.
    ///
    /// The type is set by the secret's ESO template: the kubelet reads no other type from
    /// `imagePullSecrets`. Checked where the secret is defined; a `use` of it is checked there.
    mutating func checkPullSecretType(_ secret: AppSecret, at place: LocatedSecret) {
        guard case .imagePullSecret = secret.exposure, secret.origin == .own else { return }
        let type = secret.template?.type
        guard type != Self.dockerConfigJSON else { return }
        reader.report(
            .pullSecretType,
            "image pull Secret '\(secret.target)' is of type '\(type ?? "Opaque")', which the kubelet does not read",
            at: place.expose ?? place.name.range,
            help: "give the secret a 'template' with 'type: \(Self.dockerConfigJSON)' and a '.dockerconfigjson' key"
        )
    }

    static let dockerConfigJSON = "kubernetes.io/dockerconfigjson"
}
