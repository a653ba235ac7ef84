/// An app's workload: the kind Keyway writes and its kind's settings, or the workload owned
/// elsewhere that it patches; and Reloader's per-workload options.
extension ModelBuilder {
    /// One app as read before `use` entries are resolved and its patches checked.
    struct DraftApp {
        var name: String
        var anchor: SourceRange
        var context: String
        /// For the checks of which keys are written together.
        var fields: KeyedFields<SpecKey.App>
        var later: LaterEntries
        var ok = true
        var namespace: String?
        var kind = WorkloadKind.deployment
        /// Neither `workload` nor `containers`: the app's ExternalSecrets only.
        var secretsOnly = false
        var owned: OwnedSettings?
        var external: ExternalSettings?
        /// The secrets the app reads from Vault itself, in order; once `resolveUses` has run, every
        /// secret it lists, as `located` lists them.
        var secrets: [AppSecret] = []
        /// Its `use:` entries, in order, until `resolveUses` moves each into `secrets`.
        var uses: [SecretUse] = []
        /// Where every secret the app lists is written, in order (a `use` entry has `use`).
        var located: [LocatedSecret] = []
        /// The Vault paths the app's own secrets read, with their places.
        var paths: [Located<String>] = []

        /// What a `use` between two apps reads of each: its name, how messages call it, its namespace.
        struct Party {
            var name: String
            var context: String
            var namespace: String?
        }

        /// This app as a party to a `use` (three fields, not a copy of the draft).
        var party: Party { Party(name: name, context: context, namespace: namespace) }
    }

    /// A `use: APP` entry: the secret's name, how this app consumes the other app's Secret, and
    /// that secret once `resolveUses` has found it; no target, source or policies of its own.
    struct SecretUse {
        var name: String
        var exposure: Exposure
        var containers: [String]
        /// Where the entry is in the app's `located` (every secret the app lists, in order).
        var position = 0
        var resolved: AppSecret?
    }

    /// An app's keys read once `use` entries are resolved, as `draftApp` binds them.
    struct LaterEntries {
        var selector: SpecEntry?
        var reload: SpecEntry?
        var reloadOptions: SpecEntry?
        var patch: SpecEntry?
    }

    /// The keys of a workload Keyway writes, as `draftApp` binds them.
    struct OwnedEntries {
        var kind: SpecEntry?
        var replicas: SpecEntry?
        var serviceName: SpecEntry?
        var schedule: SpecEntry?
        var serviceAccountName: SpecEntry?
        var hardening: SpecEntry?
        var containers: SpecEntry?
    }

    /// A Keyway-owned workload's settings as read, before its patches are checked.
    struct OwnedSettings {
        var kind: WorkloadKind
        var replicas: Int?
        var serviceName: String?
        var schedule: String?
        var serviceAccountName: String?
        var hardening = SpecDefaults.hardening
        var containers: [Container]
        var containerNames: [String]
    }

    /// A workload owned elsewhere, as `workload:` names it.
    struct ExternalSettings {
        var kind: WorkloadKind
        var workload: ExternalWorkload
    }

    /// The settings of a workload Keyway writes: its kind, the kind's own keys, its containers.
    mutating func ownedSettings(_ entries: OwnedEntries, fields: KeyedFields<SpecKey.App>, app: String, context: String)
        -> OwnedSettings?
    {
        let kind = entries.kind.map { reader.choice($0, .kind, of: fields, as: WorkloadKind.self) } ?? .deployment
        guard let kind else { return nil }
        let mark = reader.errorCount
        checkKindSettings(fields, kind: kind, app: app)
        var settings = OwnedSettings(kind: kind, containers: [], containerNames: [])
        settings.replicas = entries.replicas.flatMap { reader.int($0, .replicas, of: fields) }
        settings.serviceName = entries.serviceName.flatMap { reader.text($0, .serviceName, of: fields)?.value }
        settings.schedule = entries.schedule.flatMap { cronSchedule($0.value, fields.name(of: .schedule)) }
        settings.serviceAccountName = entries.serviceAccountName.flatMap {
            reader.text($0, .serviceAccountName, of: fields)?.value
        }
        if let entry = entries.hardening {
            let hardening = reader.choice(entry, .hardening, of: fields, as: Hardening.self)
            if hardening == Hardening.none { warnHardeningNone(entry, app: app, named: settings.serviceAccountName) }
            settings.hardening = hardening ?? SpecDefaults.hardening
        }
        if let entry = entries.containers {
            (settings.containers, settings.containerNames) = appContainers(entry, context: context)
        } else {
            reader.report(
                .missingKey, "missing key 'containers' in \(context)", at: fields.fields.anchor,
                help: "add 'containers:', or name a workload owned elsewhere with 'workload:'")
        }
        // Every problem above is reported as an error: then there is no workload to build.
        return reader.reportedErrors(since: mark) ? nil : settings
    }

    /// The keys that belong to one kind only: refused on the others, required where they must be.
    mutating func checkKindSettings(_ fields: KeyedFields<SpecKey.App>, kind: WorkloadKind, app: String) {
        let misplaced: [(SpecKey.App, Bool, String)] = [
            (.serviceName, kind != .statefulSet, "a StatefulSet's governing Service"),
            (.schedule, kind != .cronJob, "a CronJob's schedule"),
            (.replicas, kind.replicas == nil, "the replica count of a kind that scales by a count"),
        ]
        for (key, refused, what) in misplaced where refused {
            guard let entry = fields[key] else { continue }
            reader.report(
                .settingOfAnotherKind, "'\(key.rawValue)' is \(what), but app '\(app)' is a \(kind.kind)",
                at: entry.key.range,
                help: "remove it, or set the app's 'kind'")
        }
        if kind == .cronJob, fields[.schedule] == nil {
            reader.report(
                .missingKey, "missing key 'schedule' in app '\(app)': a CronJob needs one",
                at: fields[.kind]?.value.range ?? fields.fields.anchor,
                help: "add a five-field cron schedule, e.g. 'schedule: \"0 3 * * *\"'")
        }
    }

    /// `workload:`: the kind, name and containers of a workload owned elsewhere.
    mutating func externalWorkload(_ entry: SpecEntry, app: String, fields: KeyedFields<SpecKey.App>)
        -> ExternalSettings?
    {
        let mark = reader.errorCount
        for key in SpecKey.App.ownedWorkloadKeys {
            guard let owned = fields[key] else { continue }
            reader.report(
                .ownedWorkloadKey,
                "'\(key.rawValue)' shapes a workload Keyway writes, but app '\(app)' names one owned elsewhere",
                at: owned.key.range,
                help: "remove it: the 'workload' is not Keyway's to shape")
        }
        guard
            let workload = reader.fields(
                entry.value, "'workload' of app '\(app)'", path: "workload", anchor: entry.key.range,
                keys: SpecKey.Workload.self)
        else { return nil }
        var kind: WorkloadKind?
        var name: String? = app
        var containers: [String] = []
        for (key, entry) in workload.written {
            switch key {
            case .kind: kind = reader.choice(entry, key, of: workload)
            case .name: name = reader.text(entry, key, of: workload)?.value
            case .containers: containers = reader.strings(entry, key, of: workload)?.map(\.value) ?? []
            }
        }
        guard !reader.reportedErrors(since: mark), let kind, let name else { return nil }
        return ExternalSettings(kind: kind, workload: ExternalWorkload(name: name, containers: containers))
    }

    /// The characters of a cron schedule's fields.
    static let cronCharacters = Set("0123456789*/,-")

    /// A five-field cron schedule of digits, `*`, `/`, `,` and `-`, its fields joined by one space.
    mutating func cronSchedule(_ node: SpecNode, _ what: @autoclosure () -> String) -> String? {
        guard let value = reader.line(node, what()) else { return nil }
        let fields = value.value.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count == 5, fields.allSatisfy({ $0.allSatisfy { Self.cronCharacters.contains($0) } }) else {
            reader.report(
                .invalidValue, "invalid cron schedule '\(value.value)'", at: value.range,
                help: "write five fields of digits, '*', '/', ',' and '-', e.g. '0 */6 * * *'")
            return nil
        }
        return fields.joined(separator: " ")
    }

    /// The owned workload with its patches: `defaults.patch`, then the app's, each checked
    /// against the kind's schema and what Keyway owns once the secrets' wiring is known.
    mutating func ownedWorkload(
        _ settings: OwnedSettings, draft: DraftApp, defaults: DefaultSettings, wiring: inout PodWiring
    ) -> OwnedWorkload? {
        let selector =
            draft.later.selector.map { appSelector($0, defaults: defaults) }
            ?? SpecDefaults.selector(app: draft.name)
        let ownership = WorkloadOwnership(kind: settings.kind, wiring: wiring, selector: selector?.map(\.key) ?? [])
        var patches: [ManifestMap] = []
        var ok = true
        let hardened = settings.hardening == .restricted
        if let entry = defaults.patch {
            // Checked once per app: the collector drops the problems already reported.
            let patch = workloadPatch(
                entry, context: "'defaults'", ownership: ownership, isDefaults: true, hardened: hardened,
                lists: defaults.patchLists)
            ok = patch != nil
            patches += [patch].compactMap { $0 }
        }
        if let entry = draft.later.patch {
            let patch = workloadPatch(
                entry, context: draft.context, ownership: ownership, isDefaults: false, hardened: hardened)
            ok = ok && patch != nil
            patches += [patch].compactMap { $0 }
        }
        guard ok, let selector else { return nil }
        for patch in patches { wiring.record(patch: patch, kind: settings.kind) }
        return OwnedWorkload(
            replicas: settings.replicas,
            serviceName: settings.serviceName,
            schedule: settings.schedule,
            serviceAccountName: settings.serviceAccountName,
            containers: settings.containers,
            patches: patches,
            selector: selector,
            hardening: settings.hardening
        )
    }
}
