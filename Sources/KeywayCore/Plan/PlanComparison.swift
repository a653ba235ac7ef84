/// Each Vault object the script writes, compared with its live value.
enum PlanComparison {
    /// KV mount: missing, another engine, or another version.
    ///
    /// The script reads it and never writes it; a difference means ESO reads the wrong paths until the operator mounts it as the spec says.
    static func kvMount(_ mount: KVMount, live: LiveVault) -> PlanChange? {
        let path = PlanReads.kvMountPath(mount)
        let version = ManifestValue.string(String(mount.version.rawValue))
        let note = "bootstrap.sh does not mount secrets engines: mount it as the spec says before ESO reads"
        guard let data = live.data[path] else {
            return PlanChange(
                action: .create, kind: .kvMount, path: path,
                fields: [
                    PlanField(name: "type", from: nil, to: "kv"), PlanField(name: "version", from: nil, to: version),
                ],
                notes: [note])
        }
        var liveVersion: ManifestValue = "1"
        if case .map(let options)? = data["options"], let given = options["version"] { liveVersion = given }
        let fields = [
            PlanField(name: "type", from: data["type"], to: "kv"),
            PlanField(name: "version", from: liveVersion, to: version),
        ]
        .filter { !same($0.to, $0.from) }
        return fields.isEmpty
            ? nil : PlanChange(action: .update, kind: .kvMount, path: path, fields: fields, notes: [note])
    }

    /// Auth mount: missing (the script enables and configures it), of another type (the script
    /// leaves it), or, where Keyway owns it, a config that differs from what the script writes.
    static func authMount(_ mount: AuthMount, live: LiveVault) -> [PlanChange] {
        let path = PlanReads.authMountPath(mount)
        let type = ManifestValue.string(mount.type.rawValue)
        guard let data = live.data[path] else {
            var changes = [
                PlanChange(
                    action: .create, kind: .authMount, path: path,
                    fields: [PlanField(name: "type", from: nil, to: type)])
            ]
            let config = desiredConfig(mount, operatorConfig: live.operatorConfig)
            if !config.isEmpty {
                changes.append(
                    PlanChange(
                        action: .create, kind: .authMount, path: mount.configPath,
                        fields: config.entries.map { PlanField(name: $0.key, from: nil, to: $0.value) }))
            }
            return changes
        }
        if !same(type, data["type"]) {
            return [
                PlanChange(
                    action: .update, kind: .authMount, path: path,
                    fields: [PlanField(name: "type", from: data["type"], to: type)],
                    notes: [
                        "bootstrap.sh does not change a mount's type: it would write its roles to this '\(text(data["type"]))' mount; disable it or choose another mountPath"
                    ])
            ]
        }
        guard mount.configuration.ownedByKeyway else { return [] }
        let config = live.data[mount.configPath]
        var written = desiredConfig(mount, operatorConfig: live.operatorConfig)
        for entry in mount.configDefaults.entries where written[entry.key] == nil { written[entry.key] = entry.value }
        let fields = written.entries.compactMap { entry in
            same(entry.value, config?[entry.key])
                ? nil : PlanField(name: entry.key, from: config?[entry.key], to: entry.value)
        }
        guard !fields.isEmpty else { return [] }
        return [
            PlanChange(
                action: config == nil ? .create : .update, kind: .authMount, path: mount.configPath, fields: fields)
        ]
    }

    /// The config the script writes: the operator's settings that are set, then the spec's fields.
    static func desiredConfig(_ mount: AuthMount, operatorConfig: ManifestMap) -> ManifestMap {
        var config: ManifestMap = [:]
        for setting in mount.operatorSettings {
            if let value = operatorConfig[setting.field] { config[setting.field] = value }
        }
        for entry in mount.specConfig.entries { config[entry.key] = entry.value }
        return config
    }

    /// A policy compared as rules (path -> capabilities, same-path rules merged as Vault merges them),
    /// not as text; a rule path that loses a capability narrows the live policy.
    static func policy(_ policy: VaultPolicy, live: LiveVault) -> PlanChange? {
        let path = PlanReads.policyPath(policy.name)
        let wanted = MergedRules(policy.rules.map { ($0.path, $0.capabilities.map(\.rawValue)) })
        guard let data = live.data[path] else {
            return PlanChange(
                action: .create, kind: .policy, path: path,
                fields: wanted.paths.map { PlanField(name: $0, from: nil, to: wanted.value($0)) })
        }
        var notes: [String] = []
        let read = HCLPolicyReader.read(text(data["policy"]))
        if let problem = read.problems.first(where: \.isError) {
            notes.append(
                "the live policy cannot be read as path rules (\(problem.message)): whatever it grants, bootstrap.sh replaces it whole"
            )
        }
        let current = MergedRules(read.rules.map { ($0.path, $0.capabilities) })
        let paths = wanted.paths + current.paths.filter { wanted.capabilities[$0] == nil }
        let fields = paths.compactMap { rule -> PlanField? in
            wanted.capabilities[rule] == current.capabilities[rule]
                ? nil : PlanField(name: rule, from: current.value(rule), to: wanted.value(rule))
        }
        let losses = paths.compactMap { rule -> String? in
            let lost = MergedRules.ordered(
                current.capabilities[rule, default: []].subtracting(wanted.capabilities[rule, default: []]))
            return lost.isEmpty ? nil : "'\(rule)' loses \(lost.joined(separator: ", "))"
        }
        if !losses.isEmpty { notes.append("narrows a live policy: " + losses.joined(separator: "; ")) }
        guard !fields.isEmpty || !notes.isEmpty else { return nil }
        return PlanChange(action: .update, kind: .policy, path: path, fields: fields, notes: notes)
    }

    /// A role, a user or a role's setting: each field the script writes, live value -> written value.
    static func write(_ write: VaultWrite, kind: PlanChange.Kind, live: LiveVault) -> PlanChange? {
        guard let data = live.data[write.path] else {
            return PlanChange(
                action: .create, kind: kind, path: write.path,
                fields: write.body.entries.map { PlanField(name: $0.key, from: nil, to: $0.value) })
        }
        let fields = write.body.entries.compactMap { entry in
            same(entry.value, data[entry.key])
                ? nil : PlanField(name: entry.key, from: data[entry.key], to: entry.value)
        }
        return fields.isEmpty ? nil : PlanChange(action: .update, kind: kind, path: write.path, fields: fields)
    }

    /// What Vault can say about a credential without the cluster (plan never reads Kubernetes).
    static func credential(_ credential: VaultCredential, role: VaultWrite?, live: LiveVault) -> PlanCredential {
        switch credential {
        case .periodicToken(let token):
            return PlanCredential(
                path: "auth/token", present: nil,
                note:
                    "the token in Secret \(token.stored.namespace)/\(token.stored.secretName) is known to Vault only by its accessor, which is in the cluster: not checked; bootstrap.sh issues a fresh one on every run"
            )
        case .kubernetesRole, .jwtRole:
            return existence(
                role, live: live, present: "nothing is stored: ESO logs in through this role",
                missing: "nothing is stored: ESO logs in through this role, which bootstrap.sh creates")
        case .userPass:
            return existence(
                role, live: live,
                present: "the user exists; its password is never readable: bootstrap.sh sets a new one on every run",
                missing: "no user: ESO cannot log in until bootstrap.sh runs")
        case .appRole(let appRole):
            let path = PlanReads.secretIDsPath(appRole)
            var count = 0
            if case .list(let keys)? = live.data[path]?["keys"] { count = keys.count }
            return PlanCredential(
                path: path, present: count > 0,
                note: count > 0
                    ? "\(count) live secret-id(s); Secret \(appRole.stored.namespace)/\(appRole.stored.secretName) holds one of them or an expired one; bootstrap.sh issues a fresh one on every run"
                    : "no live secret-id: ESO cannot log in until bootstrap.sh runs")
        }
    }

    /// Whether the role or user a credential logs in through exists, with the sentence for each case.
    static func existence(_ write: VaultWrite?, live: LiveVault, present: String, missing: String) -> PlanCredential {
        let path = write?.path ?? ""
        let exists = live.data[path] != nil
        return PlanCredential(path: path, present: exists, note: exists ? present : missing)
    }
}
