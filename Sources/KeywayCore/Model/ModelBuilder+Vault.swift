/// The spec's `vault` block: server, KV mount and policy (auth is in ModelBuilder+Auth).
extension ModelBuilder {
    struct VaultSettings {
        var server: String
        var mount: KVMount
        var policyName: String
        var prefix: Located<String>?
        var auth: AuthMethod
    }

    mutating func vaultConfiguration(_ entry: SpecEntry, environment: String?, store: StoreConfiguration?) -> VaultSettings? {
        guard
            let fields = reader.fields(
                entry.value,
                "'vault'",
                anchor: entry.key.range,
                keys: SpecKey.Vault.self
            )
        else { return nil }
        var server: String?
        if let node = fields[.server]?.value, let value = reader.line(node, "'vault.server'") {
            if let problem = Syntax.serverURLProblem(value.value) {
                reader.error(
                    .invalidURL, "invalid Vault server address '\(value.value)': \(problem)", at: value.range,
                    help: "write it as https://vault.example.com:8200")
            } else {
                warnIfPlainText(value)
                server = value.value
            }
        }
        var mount: KVMount?
        if let kvEntry = fields[.kv],
            let kv = reader.fields(kvEntry.value, "'vault.kv'", anchor: kvEntry.key.range, keys: SpecKey.KV.self)
        {
            let path = kv[.mount].flatMap { reader.vaultPath($0.value, "the KV mount") }.flatMap {
                checkMount($0, reserved: Self.reservedMounts, "KV mount") ? $0 : nil
            }
            var version = KVVersion.v2
            if let node = kv[.version]?.value {
                version = reader.int(node, "'kv.version'", in: 1...2).flatMap { KVVersion(rawValue: $0) } ?? .v2
            }
            if let path { mount = KVMount(path: path.value, version: version) }
        }
        var policyName = environment.map { "keyway-\($0)" }
        vaultSites.policyName = nameRange
        var prefix: Located<String>?
        var policyOK = true
        if let policyEntry = fields[.policy],
            let policy = reader.fields(policyEntry.value, "'vault.policy'", anchor: policyEntry.key.range, keys: SpecKey.Policy.self)
        {
            if let node = policy[.name]?.value {
                let name = reader.vaultName(node, "policy name").flatMap { checkPolicyName($0) ? $0 : nil }
                policyName = name?.value
                vaultSites.policyName = node.range
                policyOK = policyOK && policyName != nil
            }
            var isPrefix = false
            if let node = policy[.scope]?.value {
                switch reader.choice(node, "policy scope", PolicyScopeName.allCases) {
                case .prefix? where store?.kind == .namespaced:
                    reader.error(
                        .conflictingKeys,
                        "policy scope 'prefix' would open the whole prefix to every namespace's SecretStore",
                        at: node.range,
                        help: "SecretStore mode isolates namespaces with exact policies: remove 'scope' and 'prefix'"
                    )
                    isPrefix = true
                    policyOK = false
                case .prefix?:
                    isPrefix = true
                    reader.warning(
                        .broadPolicy,
                        "policy scope 'prefix' grants more than the apps read",
                        at: node.range,
                        help: "scope 'exact' (the default) grants read on exactly the referenced paths"
                    )
                case .exact?: break
                case nil: policyOK = false
                }
            }
            if let prefixEntry = policy[.prefix] {
                if !isPrefix {
                    reader.error(.conflictingKeys, "'prefix' needs 'scope: prefix'", at: prefixEntry.key.range, help: "add 'scope: prefix', or remove 'prefix'")
                    policyOK = false
                } else {
                    prefix = reader.vaultPath(prefixEntry.value, "the policy prefix")
                    policyOK = policyOK && prefix != nil
                }
            } else if isPrefix {
                reader.error(
                    .missingKey, "missing key 'prefix' in 'vault.policy'", at: policyEntry.key.range, help: "add 'prefix:', the Vault path the policy opens")
                policyOK = false
            }
        }
        let auth = fields[.auth].flatMap { authMethod($0, store: store) }
        guard let server, let mount, let policyName, policyOK, let auth else { return nil }
        return VaultSettings(server: server, mount: mount, policyName: policyName, prefix: prefix, auth: auth)
    }

    enum PolicyScopeName: String, CaseIterable {
        case exact
        case prefix
    }
}
