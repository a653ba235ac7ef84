/// The spec's `vault` block: server, KV mount and policy (auth is in ModelBuilder+Auth).
extension ModelBuilder {
    /// The `vault` block as built, with the prefix's place for the path check.
    struct VaultSettings {
        var server: String
        var namespace: String?
        var ca: VaultCA?
        var mount: KVMount
        var policyName: String
        var prefix: Located<String>?
        var auth: AuthMethod
    }

    mutating func vaultConfiguration(_ entry: SpecEntry, environment: String?, store: StoreConfiguration?)
        -> VaultSettings?
    {
        guard let fields = reader.fields(entry.value, "'vault'", anchor: entry.key.range, keys: SpecKey.Vault.self)
        else { return nil }
        let server = fields[.server].flatMap { serverAddress($0.value) }
        let namespace = fields[.namespace].map { vaultNamespace($0.value) }
        let ca = vaultCA(fields, namespaced: store?.kind == .namespaced, server: server)
        let mount = fields[.kv].flatMap { kvMount($0) }
        vaultSites.policyName = nameRange
        let policy = policySettings(fields[.policy], environment: environment, store: store)
        let auth = fields[.auth].flatMap { authMethod($0, store: store) }
        if let auth { checkCAReachesRenewal(ca, auth: auth) }
        guard let server, namespace != .some(nil), ca.ok, let mount, let policy, let policyName = policy.name, let auth
        else { return nil }
        return VaultSettings(
            server: server, namespace: namespace ?? nil, ca: ca.ca, mount: mount, policyName: policyName,
            prefix: policy.prefix, auth: auth)
    }

    /// `vault.server`: an http(s) URL; plain http is warned about.
    mutating func serverAddress(_ node: SpecNode) -> String? {
        guard let value = reader.line(node, "'vault.server'") else { return nil }
        if let problem = Syntax.serverURLProblem(value.value) {
            reader.error(
                .invalidURL, "invalid Vault server address '\(value.value)': \(problem)", at: value.range,
                help: "write it as https://vault.example.com:8200")
            return nil
        }
        warnIfPlainText(value)
        return value.value
    }

    /// `vault.kv`: the KV mount and its version.
    mutating func kvMount(_ entry: SpecEntry) -> KVMount? {
        guard let kv = reader.fields(entry.value, "'vault.kv'", anchor: entry.key.range, keys: SpecKey.KV.self) else {
            return nil
        }
        let path = kv[.mount].flatMap { reader.vaultPath($0.value, "the KV mount") }.flatMap {
            checkMount($0, reserved: Self.reservedMounts, "KV mount") ? $0 : nil
        }
        var version = SpecDefaults.kvVersion
        if let node = kv[.version]?.value {
            version =
                reader.int(node, "'kv.version'", in: 1...2).flatMap { KVVersion(rawValue: $0) }
                ?? SpecDefaults.kvVersion
        }
        return path.map { KVMount(path: $0.value, version: version) }
    }

    /// The policy's name (`nil` when there is no environment name to derive it from) and prefix.
    struct PolicySettings {
        var name: String?
        var prefix: Located<String>?
    }

    /// `vault.policy`, or its defaults; `nil` when it is invalid (already reported).
    mutating func policySettings(_ entry: SpecEntry?, environment: String?, store: StoreConfiguration?)
        -> PolicySettings?
    {
        var settings = PolicySettings(name: environment.map(SpecDefaults.environmentObjectName))
        guard let entry,
            let policy = reader.fields(
                entry.value, "'vault.policy'", anchor: entry.key.range, keys: SpecKey.Policy.self)
        else {
            return settings
        }
        var ok = true
        if let node = policy[.name]?.value {
            let name = reader.vaultName(node, "policy name").flatMap { checkPolicyName($0) ? $0 : nil }
            settings.name = name?.value
            vaultSites.policyName = node.range
            ok = name != nil
        }
        let scope = policy[.scope].map { policyScope($0.value, store: store) } ?? (isPrefix: false, ok: true)
        ok = ok && scope.ok
        if let prefixEntry = policy[.prefix] {
            if !scope.isPrefix {
                reader.error(
                    .conflictingKeys, "'prefix' needs 'scope: prefix'", at: prefixEntry.key.range,
                    help: "add 'scope: prefix', or remove 'prefix'")
                ok = false
            } else {
                settings.prefix = reader.vaultPath(prefixEntry.value, "the policy prefix")
                ok = ok && settings.prefix != nil
            }
        } else if scope.isPrefix {
            reader.error(
                .missingKey, "missing key 'prefix' in 'vault.policy'", at: entry.key.range,
                help: "add 'prefix:', the Vault path the policy opens")
            ok = false
        }
        return ok ? settings : nil
    }

    /// `policy.scope`: whether it is `prefix`, and whether it is valid with this store.
    mutating func policyScope(_ node: SpecNode, store: StoreConfiguration?) -> (isPrefix: Bool, ok: Bool) {
        switch reader.choice(node, "policy scope", PolicyScopeName.allCases) {
        case .prefix? where store?.kind == .namespaced:
            reader.error(
                .conflictingKeys,
                "policy scope 'prefix' would open the whole prefix to every namespace's SecretStore",
                at: node.range,
                help: "SecretStore mode isolates namespaces with exact policies: remove 'scope' and 'prefix'"
            )
            return (true, false)
        case .prefix?:
            reader.warning(
                .broadPolicy,
                "policy scope 'prefix' grants more than the apps read",
                at: node.range,
                help: "scope 'exact' (the default) grants read on exactly the referenced paths"
            )
            return (true, true)
        case .exact?: return (false, true)
        case nil: return (false, false)
        }
    }

    /// The values of `policy.scope`.
    enum PolicyScopeName: String, CaseIterable {
        case exact
        case prefix
    }
}
