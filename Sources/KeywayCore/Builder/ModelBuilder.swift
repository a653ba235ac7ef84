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
    var kvV2Uses: [(use: Located<String>, mount: Int)] = []
    /// `operator`: where ESO runs (read before `vault`, whose auth may bind ESO's own account).
    var esoOperator = ESOOperator.standard
    /// The KV mounts' paths, once `vault.kv` is read: what a secret's `mount` may name.
    var kvMountPaths: [String]?
    /// Each KV mount's path with its index (the first, if listed twice): a secret's `mount` is
    /// found in it without walking the list.
    var kvMountIndex: [String: Int] = [:]
    /// The mount of the secret being read: where its KV v2 uses are checked.
    var currentMount = 0
    /// The maps of per-namespace Vault names, checked once the namespaces are known.
    var namespaceNameMaps: [NamespaceNames] = []
    /// The container names of the app whose secrets are being read, each with its places in the
    /// app's list: built once per app, so checking and choosing a secret's `containers` costs its
    /// own length, not the app's.
    var appContainerPlaces: [String: [Int]] = [:]
    /// The KV mounts, once read: where ESO reads each remote key follows from its secret's mount.
    var kvMounts: [KVMount]?
    /// The KV mount of the secret being read.
    var kvMount: KVMount? { kvMounts.flatMap { currentMount < $0.count ? $0[currentMount] : nil } }

    mutating func build(_ root: SpecNode) -> Environment? {
        guard case .mapping = root else {
            reader.report(
                .documentShape,
                "a spec's top level must be a mapping, found \(root.kindDescription)",
                at: root.range,
                help: "start with 'apiVersion: \(Self.specAPIVersion)' and 'kind: Environment'"
            )
            return nil
        }
        guard let top = reader.fields(root, "the spec", anchor: .fileStart, keys: SpecKey.Top.self) else { return nil }

        var apiVersionEntry: SpecEntry?
        var kindEntry: SpecEntry?
        var metadataEntry: SpecEntry?
        var operatorEntry: SpecEntry?
        var vaultEntry: SpecEntry?
        var secretStoreEntry: SpecEntry?
        var appsEntry: SpecEntry?
        var defaultsEntry: SpecEntry?
        var monitoringEntry: SpecEntry?
        for (key, entry) in top.written {
            switch key {
            case .apiVersion: apiVersionEntry = entry
            case .kind: kindEntry = entry
            case .metadata: metadataEntry = entry
            case .`operator`: operatorEntry = entry
            case .vault: vaultEntry = entry
            case .secretStore: secretStoreEntry = entry
            case .apps: appsEntry = entry
            case .defaults: defaultsEntry = entry
            case .monitoring: monitoringEntry = entry
            }
        }
        if let node = apiVersionEntry?.value, let value = reader.string(node, "'apiVersion'"),
            value.value != Self.specAPIVersion
        {
            reader.report(
                .invalidValue, "unsupported apiVersion '\(value.value)'", at: value.range,
                help: "write 'apiVersion: \(Self.specAPIVersion)'")
        }
        if let node = kindEntry?.value, let value = reader.string(node, "'kind'"), value.value != "Environment" {
            reader.report(
                .invalidValue, "unsupported kind '\(value.value)'", at: value.range, help: "write 'kind: Environment'")
        }
        let metadata = metadataEntry.map { metadataSettings($0) }
        let name = metadata?.name
        let defaults = defaultsEntry.flatMap { defaultsSettings($0) } ?? DefaultSettings()
        if let entry = operatorEntry { esoOperator = operatorSettings(entry) ?? esoOperator }
        let store = storeConfiguration(secretStoreEntry, environment: name)
        let vault = vaultEntry.flatMap { vaultConfiguration($0, environment: name, store: store) }
        kvMounts = vault?.mounts.map(\.mount)
        let apps = appsEntry.flatMap { buildApps($0, defaults: defaults, store: store) } ?? BuiltApps()
        let monitoring = monitoringEntry.flatMap { monitoringSettings($0) }
        let namespaces = Environment.uniqueNamespaces(of: apps.model)
        checkNamespaceNames(namespaced: store?.kind == .namespaced, namespaces: namespaces)
        if let store, let vault { checkMountStores(store, vault.mounts) }

        if let vault, let scope = vault.prefix {
            checkPaths(apps.located, under: scope)
        }
        if let vault { checkCredentialTargets(apps.targets, auth: vault.auth) }
        if let vault { checkKVv2Uses(mounts: vault.mounts.map(\.mount), at: vault.mounts.map(\.versionRange)) }
        if let store, let range = (secretStoreEntry ?? appsEntry)?.key.range {
            warnIfSharedStore(store, namespaces: namespaces, at: range)
        }
        if let store, let vault {
            checkPlanPolicyName(
                vault.policyName, store: store, namespaces: Environment.uniqueNamespaces(of: apps.model))
        }
        guard let name, let store, let vault, !reader.diagnostics.hasErrors else { return nil }
        return Environment(
            name: name,
            cluster: metadata?.cluster,
            vault: VaultConfiguration(
                server: vault.server,
                namespace: vault.namespace,
                ca: vault.ca,
                mounts: vault.mounts.map(\.mount),
                policy: PolicyConfiguration(
                    name: vault.policyName, namespaceNames: vault.policyNames,
                    scope: vault.prefix.map { .prefix($0.value) } ?? .exact),
                auth: vault.auth
            ),
            store: store,
            apps: apps.model,
            labels: defaults.labels,
            monitoring: monitoring,
            esoOperator: esoOperator
        )
    }

    /// `metadata`: the environment's name (a DNS label) and the cluster it deploys to.
    mutating func metadataSettings(_ entry: SpecEntry) -> (name: String?, cluster: String?) {
        guard
            let metadata = reader.fields(
                entry.value, path: "metadata", anchor: entry.key.range, keys: SpecKey.Metadata.self)
        else { return (nil, nil) }
        var name: String?
        var cluster: String?
        for (key, entry) in metadata.written {
            switch key {
            case .name:
                nameRange = entry.value.range
                name = reader.text(entry, key, of: metadata)?.value
            case .cluster: cluster = reader.text(entry, key, of: metadata)?.value
            }
        }
        return (name, cluster)
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
