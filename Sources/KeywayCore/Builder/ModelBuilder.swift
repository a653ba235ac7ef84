/// Validates a spec's surface tree into the model, reporting every problem with its place.
///
/// Every value keeps its source range while it is checked here; the `Environment` it returns
/// has none, and the stages after it never need one.
struct ModelBuilder {
    static let specAPIVersion = "keyway.dev/v1alpha1"
    static let maxApps = 50_000

    var reader = SpecReader()
    /// Where `metadata.name` is written.
    var nameRange: SourceRange?
    /// Where the Vault names this spec claims are written.
    var vaultSites = VaultNameSites()
    /// Where the Kubernetes objects this spec writes are placed.
    var objectSites = ObjectSites()
    /// Where the secrets use what only KV v2 has (a version, tags, metadata), checked once the
    /// KV version is known.
    var kvV2Uses: [Located<String>] = []

    mutating func build(_ root: SpecNode) -> Environment? {
        guard case .mapping = root else {
            reader.error(
                .documentShape,
                "a spec's top level must be a mapping, found \(root.kindDescription)",
                at: root.range,
                help: "start with 'apiVersion: \(Self.specAPIVersion)' and 'kind: Environment'"
            )
            return nil
        }
        guard let top = reader.fields(root, "the spec", anchor: .fileStart, keys: SpecKey.Top.self) else { return nil }

        if let node = top[.apiVersion]?.value, let value = reader.string(node, "'apiVersion'"),
            value.value != Self.specAPIVersion
        {
            reader.error(
                .invalidValue, "unsupported apiVersion '\(value.value)'", at: value.range,
                help: "write 'apiVersion: \(Self.specAPIVersion)'")
        }
        if let node = top[.kind]?.value, let value = reader.string(node, "'kind'"), value.value != "Environment" {
            reader.error(
                .invalidValue, "unsupported kind '\(value.value)'", at: value.range, help: "write 'kind: Environment'")
        }
        let name = top[.metadata].flatMap { entry -> String? in
            guard
                let metadata = reader.fields(
                    entry.value, "'metadata'", anchor: entry.key.range, keys: SpecKey.Metadata.self),
                let node = metadata[.name]?.value
            else { return nil }
            nameRange = node.range
            return reader.dnsLabel(node, "environment name")?.value
        }
        let defaults = top[.defaults].flatMap { defaultsSettings($0) } ?? DefaultSettings()
        let store = storeConfiguration(top[.secretStore], environment: name)
        let vault = top[.vault].flatMap { vaultConfiguration($0, environment: name, store: store) }
        let apps = top[.apps].flatMap { buildApps($0, defaults: defaults, store: store) } ?? BuiltApps()
        let monitoring = top[.monitoring].flatMap { monitoringSettings($0) }

        if let vault, let scope = vault.prefix {
            checkPaths(apps.located, under: scope)
        }
        if let vault { checkCredentialTargets(apps.targets, auth: vault.auth) }
        if let vault {
            let versionNode = top[.vault].flatMap { Self.entry(at: ["kv", "version"], in: $0.value) }
            checkKVv2Uses(version: vault.mount.version, at: versionNode?.value.range)
        }
        if let store, let range = (top[.secretStore] ?? top[.apps])?.key.range {
            warnIfSharedStore(store, namespaces: Environment.uniqueNamespaces(of: apps.model), at: range)
        }
        guard let name, let store, let vault, !reader.diagnostics.hasErrors else { return nil }
        return Environment(
            name: name,
            vault: VaultConfiguration(
                server: vault.server,
                namespace: vault.namespace,
                ca: vault.ca,
                mount: vault.mount,
                policy: PolicyConfiguration(
                    name: vault.policyName, scope: vault.prefix.map { .prefix($0.value) } ?? .exact),
                auth: vault.auth
            ),
            store: store,
            apps: apps.model,
            labels: defaults.labels,
            monitoring: monitoring
        )
    }

    /// The entry at a path of keys below a mapping, if it is written.
    static func entry(at keys: [String], in node: SpecNode) -> SpecEntry? {
        guard let key = keys.first, case .mapping(let mapping) = node,
            let found = mapping.entries.first(where: { $0.key.text == key })
        else {
            return nil
        }
        return keys.count == 1 ? found : entry(at: Array(keys.dropFirst()), in: found.value)
    }
}
