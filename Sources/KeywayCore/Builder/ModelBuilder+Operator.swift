/// The spec's `operator` (where ESO runs), and the names a spec gives each namespace's Vault
/// objects in SecretStore mode (`roles`, `usernames`, `policy.names`), checked once the apps'
/// namespaces are known.
extension ModelBuilder {
    /// `operator`: ESO's namespace and service account, each defaulting to ESO's Helm chart's.
    mutating func operatorSettings(_ entry: SpecEntry) -> ESOOperator? {
        guard
            let fields = reader.fields(
                entry.value, path: "operator", anchor: entry.key.range, keys: SpecKey.Operator.self)
        else { return nil }
        // An invalid value is reported as an error, so no model is built: the default stands in.
        var settings = ESOOperator.standard
        for (key, entry) in fields.written {
            switch key {
            case .namespace: settings.namespace = reader.text(entry, key, of: fields)?.value ?? settings.namespace
            case .serviceAccount:
                settings.serviceAccount = reader.text(entry, key, of: fields)?.value ?? settings.serviceAccount
            }
        }
        return settings
    }

    /// Names a spec gives some namespaces' Vault objects: one map (`roles`, `usernames`, `policy.names`).
    struct NamespaceNames {
        /// The map's key as messages quote it: `'kubernetes.roles'`.
        var context: String
        /// What the names name: `role`, `user`, `policy`.
        var what: String
        /// Where the map's key is written.
        var keyRange: SourceRange
        /// The derived name of a namespace without an entry: `BASE-NAMESPACE`.
        var base: String
        /// The entries in spec order: the namespace and the name.
        var entries: [(namespace: Located<String>, name: Located<String>)]

        /// The names by namespace.
        var byNamespace: [String: String] {
            Dictionary(entries.map { ($0.namespace.value, $0.name.value) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// Reads a map of namespace to Vault name (`kubernetes.roles`, `policy.names`, …); `nil`
    /// when invalid (reported).
    ///
    /// Its entries are checked against the apps' namespaces later (`checkNamespaceNames`).
    mutating func namespaceNames<Key: ShapedKeySet>(
        _ entry: SpecEntry, _ key: Key, of fields: KeyedFields<Key>, what: String, base: String?
    ) -> [String: String]? {
        guard
            let items = reader.stringMap(
                entry, key, of: fields, help: "write one 'NAMESPACE: NAME' per line, the \(what) of that namespace")
        else { return nil }
        let mark = reader.errorCount
        if what == "policy" { for item in items { _ = checkPolicyName(item.value) } }
        guard !reader.reportedErrors(since: mark), let base else { return nil }
        let names = NamespaceNames(
            context: fields.name(of: key), what: what, keyRange: entry.key.range, base: base,
            entries: items.map { ($0.key, $0.value) })
        namespaceNameMaps.append(names)
        return names.byNamespace
    }

    /// Each map of names applies only in SecretStore mode, to namespaces that have a store, and
    /// gives every namespace its own name (two namespaces writing one role would replace each other's).
    mutating func checkNamespaceNames(namespaced: Bool, namespaces: [String]) {
        let known = Set(namespaces)
        for map in namespaceNameMaps {
            guard namespaced else {
                reader.report(
                    .namespaceNameUnused,
                    "\(map.context) names each namespace's \(map.what), but a ClusterSecretStore has one",
                    at: map.keyRange, help: "remove it, or use 'secretStore.kind: SecretStore'")
                continue
            }
            for entry in map.entries where !known.contains(entry.namespace.value) {
                reader.report(
                    .namespaceNameUnused, "no app runs in namespace '\(entry.namespace.value)' of \(map.context)",
                    at: entry.namespace.range,
                    help: "name one of the apps' namespaces: \(namespaces.map { "'\($0)'" }.joined(separator: ", "))")
            }
            let given = map.byNamespace
            var owner: [String: String] = [:]
            for namespace in namespaces {
                let name = given[namespace] ?? "\(map.base)-\(namespace)"
                let folded = map.what == "policy" ? name.lowercased() : name
                if let first = owner[folded] {
                    let site = map.entries.first { $0.namespace.value == namespace || $0.namespace.value == first }
                    reader.report(
                        .namespaceNameCollision,
                        "namespaces '\(first)' and '\(namespace)' would both use \(map.what) '\(name)'",
                        at: site?.name.range ?? map.keyRange,
                        help: "give each namespace its own \(map.what): the second would replace the first's")
                } else {
                    owner[folded] = namespace
                }
            }
        }
    }
}
