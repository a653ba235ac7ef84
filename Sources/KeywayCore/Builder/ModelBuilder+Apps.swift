/// The apps of a spec as built, with the places of the Vault paths they read (for the prefix check).
struct BuiltApps {
    var model: [App] = []
    var located: [Located<String>] = []
    /// Every ExternalSecret's target Secret with its namespace, for checks against the store's credential.
    var targets: [(namespace: String, target: Located<String>)] = []
}

extension ModelBuilder {
    mutating func buildApps(_ entry: SpecEntry, defaults: DefaultSettings, store: StoreConfiguration?) -> BuiltApps? {
        guard case .mapping(let mapping) = entry.value else {
            reader.report(
                .wrongType, "expected a mapping of apps for 'apps', found \(entry.value.kindDescription)",
                at: entry.value.range,
                help: "write each app's name as a key under 'apps'")
            return nil
        }
        if mapping.entries.count > Self.maxApps {
            reader.report(
                .limitExceeded, "spec has \(mapping.entries.count) apps, more than the limit of \(Self.maxApps)",
                at: entry.key.range,
                help: "split the environment into several specs")
            return nil
        }
        // Each app is read, then finished, on its own (on both cores); `use` entries need every draft.
        var drafts = inChunks(mapping.entries) { $0.draftApp($1, defaults: defaults) }.compactMap { $0 }
        resolveUses(&drafts)
        guard wiringWithinLimit(drafts) else { return nil }
        let apps = inChunks(drafts) { $0.finishApp($1, defaults: defaults) }
        var built = BuiltApps()
        // By index, not `for … in`: each draft and app would be copied, field by field.
        for index in apps.indices where apps[index] != nil { built.located += drafts[index].paths }
        built.model = apps.compactMap { $0 }
        checkTargets(drafts, into: &built)
        if mapping.entries.isEmpty {
            reader.report(.invalidValue, "'apps' is empty", at: entry.key.range, help: "declare at least one app")
        }
        return built
    }

    /// The most entries the secrets add to the containers of a spec's workloads.
    ///
    /// Per secret and container it reaches, one `envFrom` or volume entry, or one `env` entry per
    /// key. Each is output, so this bounds the output, and the time, whatever the spec (a thousand
    /// secrets given to each of a thousand containers would be a million entries).
    static let maxWiring = 200_000

    /// Whether the apps' wiring stays within `maxWiring`; an error at the app that crosses it.
    mutating func wiringWithinLimit(_ drafts: [DraftApp]) -> Bool {
        var total = 0
        // By index: `for … in` would copy each draft and secret, field by field.
        for index in drafts.indices {
            for position in drafts[index].secrets.indices {
                let entries: Int
                if case .env = drafts[index].secrets[position].exposure {
                    entries = max(1, drafts[index].secrets[position].outputKeys?.count ?? 1)
                } else {
                    entries = 1
                }
                total += entries * drafts[index].secrets[position].containers.count
            }
            if total > Self.maxWiring {
                reader.report(
                    .limitExceeded,
                    "the secrets of the apps up to '\(drafts[index].name)' add \(total) entries to their containers, more than the limit of \(Self.maxWiring)",
                    at: drafts[index].anchor,
                    help:
                        "give each secret only the containers that read it ('containers:'), or split the environment into several specs"
                )
                return false
            }
        }
        return true
    }

    /// Two ExternalSecrets may not write one Secret, nor share a name, in one namespace.
    mutating func checkTargets(_ drafts: [DraftApp], into built: inout BuiltApps) {
        // Per namespace: who writes each Kubernetes Secret (where, which secret of which app), and
        // who owns each ExternalSecret name. Each is one insertion, a second lookup only for a repeat.
        var targets: [NamespacedName: (range: SourceRange, secret: String, app: String)] = [:]
        var externalSecrets: [NamespacedName: SourceRange] = [:]
        targets.reserveCapacity(drafts.count)
        externalSecrets.reserveCapacity(drafts.count)
        for index in drafts.indices {  // by index: `for … in` would copy each draft
            guard let namespace = drafts[index].namespace else { continue }
            for secret in drafts[index].located where secret.use == nil {
                built.targets.append((namespace, secret.target))
                let targetKey = NamespacedName(namespace: namespace, name: secret.target.value)
                let target = (secret.target.range, secret.name.value, drafts[index].name)
                if let first = targets.updateValue(target, forKey: targetKey) {
                    targets[targetKey] = first
                    reader.report(
                        .duplicateTarget,
                        "Secret '\(secret.target.value)' in namespace '\(namespace)' is written by two ExternalSecrets",
                        at: secret.target.range,
                        help: "give one of them another 'target'",
                        notes: [
                            DiagnosticNote(
                                "also written by secret '\(first.secret)' of app '\(first.app)' here", at: first.range)
                        ]
                    )
                }
                let nameKey = NamespacedName(namespace: namespace, name: secret.name.value)
                if let first = externalSecrets.updateValue(secret.name.range, forKey: nameKey) {
                    externalSecrets[nameKey] = first
                    reader.report(
                        .duplicateExternalSecret,
                        "ExternalSecret '\(secret.name.value)' is defined twice in namespace '\(namespace)'",
                        at: secret.name.range,
                        help: "rename one of the secrets",
                        notes: [DiagnosticNote("first defined here", at: first)]
                    )
                }
            }
        }
    }

    /// A name in a namespace, as `checkTargets` looks names up: two strings hashed as they are,
    /// not joined into a third.
    struct NamespacedName: Hashable {
        var namespace: String
        var name: String
    }

    /// The place of a secret's name and target, and for a `use` entry the app it names.
    struct LocatedSecret {
        var name: Located<String>
        var target: Located<String>
        var use: Located<String>? = nil
        /// Where `expose` is written, if it is.
        var expose: SourceRange? = nil
        /// For a `use` entry with `expose: {env: …}`: the keys it reads, checked once the use is resolved.
        var envKeys: [Located<String>] = []
    }

    /// Reads one app as far as it can be read alone: `use` entries and patches need every app.
    mutating func draftApp(_ entry: SpecEntry, defaults: DefaultSettings) -> DraftApp? {
        let appName = reader.checkDNSLabel(Located(entry.key.text, at: entry.key.range), "app name")
        let context = "app '\(entry.key.text)'"
        guard let fields = reader.fields(entry.value, context, anchor: entry.key.range, keys: SpecKey.App.self) else {
            return nil
        }
        var namespace, kind, replicas, serviceName, schedule, account, selector, hardening, workload, containers,
            secrets, reload, reloadOptions, patch: SpecEntry?
        for (key, entry) in fields.written {
            switch key {
            case .namespace: namespace = entry
            case .kind: kind = entry
            case .replicas: replicas = entry
            case .serviceName: serviceName = entry
            case .schedule: schedule = entry
            case .serviceAccountName: account = entry
            case .selector: selector = entry
            case .hardening: hardening = entry
            case .workload: workload = entry
            case .containers: containers = entry
            case .secrets: secrets = entry
            case .reload: reload = entry
            case .reloadOptions: reloadOptions = entry
            case .patch: patch = entry
            }
        }
        var draft = DraftApp(
            name: entry.key.text, anchor: entry.key.range, context: context, fields: fields,
            later: LaterEntries(selector: selector, reload: reload, reloadOptions: reloadOptions, patch: patch))
        draft.ok = appName != nil
        draft.namespace = namespace.flatMap { objectSites.note(reader.text($0, .namespace, of: fields)) }
        if let workloadEntry = workload {
            draft.external = externalWorkload(workloadEntry, app: entry.key.text, fields: fields)
            draft.kind = draft.external?.kind ?? .deployment
            draft.ok = draft.ok && draft.external != nil
        } else if Self.hasSecretsOnly(fields) {
            draft.secretsOnly = true
            draft.ok = refuseWorkloadKeys(fields, app: entry.key.text) && draft.ok
        } else {
            let owned = OwnedEntries(
                kind: kind, replicas: replicas, serviceName: serviceName, schedule: schedule,
                serviceAccountName: account, hardening: hardening, containers: containers)
            draft.owned = ownedSettings(owned, fields: fields, app: entry.key.text, context: context)
            draft.kind = draft.owned?.kind ?? .deployment
            draft.ok = draft.ok && draft.owned != nil
        }
        // The declared names, even of containers with problems, so secrets can still refer to them.
        var names: [String]? = draft.external?.workload.containers ?? []
        if draft.external == nil, case .mapping(let declared)? = containers?.value {
            names = declared.entries.map(\.key.text)
        }
        if draft.secretsOnly { names = nil }
        if let secretsEntry = secrets {
            appSecrets(
                secretsEntry, app: entry.key.text, context: context, containers: names, defaults: defaults,
                into: &draft)
        }
        return draft
    }

    /// Builds an app from its draft once `use` entries are resolved: its wiring checks, reload and patches.
    mutating func finishApp(_ draft: DraftApp, defaults: DefaultSettings) -> App? {
        // A `use` still unresolved is reported, so the app is not built: its secrets are the known ones.
        let secrets = draft.secrets
        checkContainerWiring(secrets, draft.located)
        for (secret, place) in zip(secrets, draft.located) { checkPullSecretType(secret, at: place) }
        var wiring = PodWiring(
            containers: draft.owned?.containerNames ?? draft.external?.workload.containers ?? [], secrets: secrets)
        if draft.secretsOnly {
            guard draft.ok, let namespace = draft.namespace else { return nil }
            return App(
                name: draft.name, namespace: namespace, kind: draft.kind, workload: .secretsOnly,
                secrets: secrets, reload: .none, reloadOptions: [], wiring: wiring)
        }
        let reload = reloadMode(draft.later.reload, of: draft.fields, context: draft.context, secrets: draft.located)
        let options =
            draft.later.reloadOptions.map {
                reloadOptions($0, reload: reload, kind: draft.kind, external: draft.external != nil)
            } ?? []
        let workload: AppWorkload?
        if let external = draft.external {
            workload = .external(external.workload)
        } else if let owned = draft.owned {
            workload = ownedWorkload(owned, draft: draft, defaults: defaults, wiring: &wiring).map { .owned($0) }
        } else {
            workload = nil
        }
        guard draft.ok, let namespace = draft.namespace, let workload, let options else { return nil }
        return App(
            name: draft.name,
            namespace: namespace,
            kind: draft.kind,
            workload: workload,
            secrets: secrets,
            reload: reload,
            reloadOptions: options,
            wiring: wiring
        )
    }

    /// An app's `containers`: the valid ones, and the declared names, even of containers with
    /// problems, so secrets can still refer to them.
    mutating func appContainers(_ entry: SpecEntry, context: String) -> (containers: [Container], names: [String]) {
        guard case .mapping(let mapping) = entry.value else {
            reader.report(
                .wrongType,
                "expected a mapping of containers for \(context), found \(entry.value.kindDescription)",
                at: entry.value.range,
                help: "write each container's name as a key under 'containers', with its 'image'"
            )
            return ([], [])
        }
        let names = mapping.entries.map(\.key.text)
        let containers = mapping.entries.compactMap { container($0) }
        if mapping.entries.isEmpty {
            reader.report(
                .invalidValue, "'containers' of \(context) is empty", at: entry.key.range,
                help: "declare at least one container")
        }
        return (containers, names)
    }

    /// An app's `secrets`, the valid ones with their places, read into its draft.
    mutating func appSecrets(
        _ entry: SpecEntry,
        app: String,
        context: String,
        containers: [String]?,
        defaults: DefaultSettings,
        into draft: inout DraftApp
    ) {
        guard case .mapping(let mapping) = entry.value else {
            reader.report(
                .wrongType, "expected a mapping of secrets for \(context), found \(entry.value.kindDescription)",
                at: entry.value.range)
            return
        }
        appContainerPlaces = Dictionary(grouping: (containers ?? []).indices) { containers?[$0] ?? "" }
        // Room for every entry, `use` entries included once they are placed among the app's own.
        draft.secrets.reserveCapacity(mapping.entries.count)
        draft.located.reserveCapacity(mapping.entries.count)
        for secretEntry in mapping.entries {
            secret(secretEntry, app: app, containers: containers, defaults: defaults, into: &draft)
        }
    }

    /// An app's `reload` (default `named`), with warnings where Reloader would not do what is meant.
    mutating func reloadMode(
        _ entry: SpecEntry?, of fields: KeyedFields<SpecKey.App>, context: String, secrets: [LocatedSecret]
    ) -> Reload {
        var reload = Reload.named
        if let entry {
            reload = reader.choice(entry, .reload, of: fields) ?? .named
            if reload == .none, !secrets.isEmpty {
                reader.report(
                    .noReload,
                    "\(context) reads secrets but is not restarted when they change",
                    at: entry.value.range,
                    help: "use 'reload: named' (the default) so Reloader rolls the workload when its Secrets change"
                )
            }
        }
        if reload == .named {
            for secret in secrets where secret.target.value.contains(".") {
                reader.report(
                    .reloaderRegex,
                    "Reloader reads Secret name '\(secret.target.value)' as a regular expression, where '.' matches any character",
                    at: secret.target.range,
                    help: "use a Secret name without '.' so the annotation names exactly this Secret"
                )
            }
        }
        return reload
    }

    /// Two secrets may not give one container the same variable or the same mount path.
    mutating func checkContainerWiring(_ secrets: [AppSecret], _ located: [LocatedSecret]) {
        var variables: [String: String] = [:]
        var mounts: [String: String] = [:]
        for (secret, place) in zip(secrets, located) {
            for container in secret.containers {
                switch secret.exposure {
                case .env, .envNamed:
                    for key in secret.envVariables.map(\.name) {
                        if let first = variables.updateValue(secret.name, forKey: container + "/" + key),
                            first != secret.name
                        {
                            reader.report(
                                .duplicateEnvVar,
                                "container '\(container)' gets variable '\(key)' from secrets '\(first)' and '\(secret.name)'",
                                at: place.name.range,
                                help: "rename one of the keys, or limit one secret with 'containers:'"
                            )
                        }
                    }
                case .volume(let path):
                    if let first = mounts.updateValue(secret.name, forKey: container + "/" + path) {
                        reader.report(
                            .duplicateMountPath,
                            "container '\(container)' mounts secrets '\(first)' and '\(secret.name)' at '\(path)'",
                            at: place.name.range,
                            help: "give each secret its own 'mountPath'"
                        )
                    }
                case .envFrom, .none, .imagePullSecret:
                    break
                }
            }
        }
    }

    mutating func container(_ entry: SpecEntry) -> Container? {
        let name = reader.checkDNSLabel(Located(entry.key.text, at: entry.key.range), "container name")
        guard
            let fields = reader.fields(
                entry.value,
                "container '\(entry.key.text)'",
                anchor: entry.key.range,
                keys: SpecKey.Container.self
            )
        else { return nil }
        var image: String?
        var command: [String]? = []
        var args: [String]? = []
        for (key, entry) in fields.written {
            switch key {
            case .image: image = imageReference(entry.value, fields.name(of: key))
            case .command: command = reader.strings(entry, key, of: fields)?.map(\.value)
            case .args: args = reader.strings(entry, key, of: fields)?.map(\.value)
            }
        }
        guard let name, let image, let command, let args else { return nil }
        return Container(name: name.value, image: image, command: command, args: args)
    }

    mutating func imageReference(_ node: SpecNode, _ what: @autoclosure () -> String) -> String? {
        guard let value = reader.line(node, what()) else { return nil }
        if Syntax.containsWhitespace(value.value) {
            reader.report(
                .invalidValue, "image '\(value.value)' contains whitespace", at: value.range,
                help: "write a reference such as alpine:3.20")
            return nil
        }
        return value.value
    }
}
