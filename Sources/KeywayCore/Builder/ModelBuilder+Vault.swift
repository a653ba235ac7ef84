/// The spec's `vault` block: server, KV mount and policy (auth is in ModelBuilder+Auth).
extension ModelBuilder {
    /// The `vault` block as built, with the prefix's place for the path check.
    struct VaultSettings {
        var server: String
        var namespace: String?
        var ca: VaultCA?
        var mounts: [LocatedMount]
        var policyName: String
        var policyNames: [String: String]
        var prefix: Located<String>?
        var auth: AuthMethod
    }

    mutating func vaultConfiguration(_ entry: SpecEntry, environment: String?, store: StoreConfiguration?)
        -> VaultSettings?
    {
        guard
            let fields = reader.fields(
                entry.value, path: "vault", anchor: entry.key.range, keys: SpecKey.Vault.self)
        else { return nil }
        var serverEntry: SpecEntry?
        var namespaceEntry: SpecEntry?
        var caBundleEntry: SpecEntry?
        var caProviderEntry: SpecEntry?
        var kvEntry: SpecEntry?
        var policyEntry: SpecEntry?
        var authEntry: SpecEntry?
        for (key, entry) in fields.written {
            switch key {
            case .server: serverEntry = entry
            case .namespace: namespaceEntry = entry
            case .caBundle: caBundleEntry = entry
            case .caProvider: caProviderEntry = entry
            case .kv: kvEntry = entry
            case .policy: policyEntry = entry
            case .auth: authEntry = entry
            }
        }
        let server = serverEntry.flatMap { serverAddress($0, of: fields) }
        // The namespace and the CA: a problem is an error, and then there is no connection to build.
        let mark = reader.errorCount
        let namespace = namespaceEntry.flatMap { vaultNamespace($0, of: fields) }
        let ca = vaultCA(
            bundle: caBundleEntry, provider: caProviderEntry, namespaced: store?.kind == .namespaced, server: server)
        let connected = !reader.reportedErrors(since: mark)
        let mounts = kvEntry.flatMap { kvMounts($0) }
        kvMountPaths = mounts?.map(\.mount.path)
        kvMountIndex = Dictionary(
            (mounts ?? []).enumerated().map { ($1.mount.path, $0) }, uniquingKeysWith: { first, _ in first })
        vaultSites.policyName = nameRange
        let policy = policySettings(policyEntry, environment: environment, store: store)
        let auth = authEntry.flatMap { authMethod($0, store: store) }
        if let auth { checkCAReachesRenewal(ca, auth: auth) }
        guard let server, connected, let mounts, let policy, let policyName = policy.name, let auth else {
            return nil
        }
        return VaultSettings(
            server: server, namespace: namespace, ca: ca.ca, mounts: mounts, policyName: policyName,
            policyNames: policy.names, prefix: policy.prefix, auth: auth)
    }

    /// `vault.server`: an http(s) URL; plain http is warned about.
    mutating func serverAddress(_ entry: SpecEntry, of fields: KeyedFields<SpecKey.Vault>) -> String? {
        guard let value = reader.text(entry, .server, of: fields) else { return nil }
        if let problem = Syntax.serverURLProblem(value.value) {
            reader.report(
                .invalidURL, "invalid Vault server address '\(value.value)': \(problem)", at: value.range,
                help: "write it as https://vault.example.com:8200")
            return nil
        }
        warnIfPlainText(value)
        return value.value
    }

    /// A KV mount with where it is written, for the checks that need the spec's places.
    struct LocatedMount {
        var mount: KVMount
        /// Where the mount's path is written.
        var range: SourceRange
        /// Where its `version` is written, if it is.
        var versionRange: SourceRange?
    }

    /// `vault.kv`: one mount, or a list of them (each listed once).
    mutating func kvMounts(_ entry: SpecEntry) -> [LocatedMount]? {
        guard case .sequence(let list) = entry.value else { return kvMount(entry.value, "'vault.kv'").map { [$0] } }
        guard !list.items.isEmpty else {
            reader.report(
                .invalidValue, "'vault.kv' lists no mount", at: entry.value.range,
                help: "list at least one mount: '- {mount: secret, version: 2}'")
            return nil
        }
        var mounts: [LocatedMount] = []
        var listed = Set<String>()
        let mark = reader.errorCount
        for (index, item) in list.items.enumerated() {
            guard let mount = kvMount(item, "'vault.kv[\(index)]'") else {
                continue
            }
            if !listed.insert(mount.mount.path).inserted {
                reader.report(
                    .mountStore, "KV mount '\(mount.mount.path)' is listed twice", at: mount.range,
                    help: "list each mount once")
            }
            mounts.append(mount)
        }
        return reader.reportedErrors(since: mark) ? nil : mounts
    }

    /// One KV mount: its path and version.
    mutating func kvMount(_ node: SpecNode, _ context: String) -> LocatedMount? {
        guard let kv = reader.fields(node, context, path: "kv", keys: SpecKey.KV.self) else { return nil }
        var path: Located<String>?
        var version = SpecDefaults.kvVersion
        var versionRange: SourceRange?
        for (key, entry) in kv.written {
            switch key {
            case .mount:
                path = reader.text(entry, key, of: kv).flatMap {
                    checkMount($0, reserved: Self.reservedMounts, "KV mount") ? $0 : nil
                }
            case .version:
                versionRange = entry.value.range
                version = reader.int(entry, key, of: kv).flatMap(KVVersion.init(rawValue:)) ?? version
            }
        }
        return path.map {
            LocatedMount(mount: KVMount(path: $0.value, version: version), range: $0.range, versionRange: versionRange)
        }
    }

    /// Each mount after the first gets a store `NAME-MOUNT`: it must be a valid name, and no other mount's.
    mutating func checkMountStores(_ store: StoreConfiguration, _ mounts: [LocatedMount]) {
        for mount in mounts.dropFirst() {
            let name = StoreConfiguration.name(store.name, mount: mount.mount.path)
            guard !Syntax.isDNSSubdomain(name) else { continue }
            reader.report(
                .mountStore,
                "the store of KV mount '\(mount.mount.path)' would be named '\(name)', not a valid Kubernetes name",
                at: mount.range,
                help:
                    "each mount after the first gets a store 'STORE-MOUNT': use a mount path of lowercase letters, digits and '-'"
            )
        }
    }

    /// The policy's name (`nil` when there is no environment name to derive it from) and prefix.
    struct PolicySettings {
        var name: String?
        var names: [String: String] = [:]
        var prefix: Located<String>?
    }

    /// `vault.policy`, or its defaults; `nil` when it is invalid (already reported).
    mutating func policySettings(_ entry: SpecEntry?, environment: String?, store: StoreConfiguration?)
        -> PolicySettings?
    {
        var settings = PolicySettings(name: environment.map(SpecDefaults.environmentObjectName))
        guard let entry,
            let policy = reader.fields(
                entry.value, path: "policy", in: "vault", anchor: entry.key.range, keys: SpecKey.Policy.self)
        else {
            return settings
        }
        var nameEntry: SpecEntry?
        var namesEntry: SpecEntry?
        var scopeEntry: SpecEntry?
        var prefixEntry: SpecEntry?
        for (key, entry) in policy.written {
            switch key {
            case .name: nameEntry = entry
            case .names: namesEntry = entry
            case .scope: scopeEntry = entry
            case .prefix: prefixEntry = entry
            }
        }
        let mark = reader.errorCount
        if let entry = nameEntry, let name = reader.text(entry, .name, of: policy), checkPolicyName(name) {
            settings.name = name.value
        } else if nameEntry != nil {
            settings.name = nil
        }
        if nameEntry != nil { vaultSites.policyName = nameEntry?.value.range }
        settings.names =
            namesEntry.flatMap {
                namespaceNames($0, .names, of: policy, what: "policy", base: settings.name)
            } ?? [:]
        let isPrefix = scopeEntry.map { policyScope($0, of: policy, store: store) } ?? false
        if let prefixEntry {
            if !isPrefix {
                reader.report(
                    .conflictingKeys, "'prefix' needs 'scope: prefix'", at: prefixEntry.key.range,
                    help: "add 'scope: prefix', or remove 'prefix'")
            } else {
                settings.prefix = reader.text(prefixEntry, .prefix, of: policy)
            }
        } else if isPrefix {
            reader.report(
                .missingKey, "missing key 'prefix' in 'vault.policy'", at: entry.key.range,
                help: "add 'prefix:', the Vault path the policy opens")
        }
        // Every problem above is an error: then the policy is not built.
        return reader.reportedErrors(since: mark) ? nil : settings
    }

    /// `policy.scope`: whether it is `prefix` (refused, reported, with this store).
    mutating func policyScope(_ entry: SpecEntry, of fields: KeyedFields<SpecKey.Policy>, store: StoreConfiguration?)
        -> Bool
    {
        let node = entry.value
        switch reader.choice(entry, .scope, of: fields, as: PolicyScopeName.self) {
        case .prefix? where store?.kind == .namespaced:
            reader.report(
                .conflictingKeys,
                "policy scope 'prefix' would open the whole prefix to every namespace's SecretStore",
                at: node.range,
                help: "SecretStore mode isolates namespaces with exact policies: remove 'scope' and 'prefix'"
            )
            return true
        case .prefix?:
            reader.report(
                .broadPolicy,
                "policy scope 'prefix' grants more than the apps read",
                at: node.range,
                help: "scope 'exact' (the default) grants read on exactly the referenced paths"
            )
            return true
        case .exact?, nil: return false
        }
    }

    /// The values of `policy.scope`.
    enum PolicyScopeName: String, CaseIterable {
        case exact
        case prefix
    }
}
