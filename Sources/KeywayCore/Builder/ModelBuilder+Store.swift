/// The spec's `secretStore` block: the ESO store's name, kind and API version.
extension ModelBuilder {
    mutating func storeConfiguration(_ entry: SpecEntry?, environment: String?) -> StoreConfiguration? {
        var name = environment
        var kind = StoreKind.cluster(allNamespaces: false)
        var apiVersion = ESOAPIVersion.v1
        guard let entry else { return name.map { StoreConfiguration(name: $0, kind: kind, apiVersion: apiVersion) } }
        guard
            let fields = reader.fields(
                entry.value,
                "'secretStore'",
                anchor: entry.key.range,
                keys: SpecKey.SecretStore.self
            )
        else { return nil }
        var ok = true
        if let node = fields[.name]?.value {
            name = reader.subdomain(node, "store name")?.value
            objectSites.storeName = node.range
            ok = ok && name != nil
        }
        if let node = fields[.apiVersion]?.value {
            if let version = reader.choice(node, "secretStore apiVersion", ESOAPIVersion.allCases) {
                apiVersion = version
            } else {
                ok = false
            }
        }
        var isCluster = true
        if let node = fields[.kind]?.value {
            switch reader.choice(node, "secretStore kind", StoreKindName.allCases) {
            case .cluster: isCluster = true
            case .namespaced: isCluster = false
            case nil: ok = false
            }
        }
        if let allEntry = fields[.allNamespaces] {
            if let all = allNamespaces(allEntry, isCluster: isCluster, store: name) {
                kind = .cluster(allNamespaces: all)
            } else {
                ok = false
            }
        }
        if !isCluster { kind = .namespaced }
        guard ok, let name else { return nil }
        return StoreConfiguration(name: name, kind: kind, apiVersion: apiVersion)
    }

    /// `secretStore.allNamespaces`, which only a ClusterSecretStore takes; `nil` when invalid (already reported).
    mutating func allNamespaces(_ entry: SpecEntry, isCluster: Bool, store name: String?) -> Bool? {
        guard let all = reader.bool(entry.value, "'allNamespaces'") else { return nil }
        guard isCluster else {
            reader.error(
                .conflictingKeys,
                "'allNamespaces' applies only to a ClusterSecretStore",
                at: entry.key.range,
                help: "remove it: each SecretStore serves its own namespace"
            )
            return nil
        }
        if all {
            reader.warning(
                .storeOpenToAll,
                "ClusterSecretStore '\(name ?? "")' is open to every namespace",
                at: entry.value.range,
                help:
                    "any namespace can then read these Vault paths through ESO; remove 'allNamespaces' to limit it to the apps' namespaces"
            )
        }
        return all
    }

    /// The values of `secretStore.kind`.
    enum StoreKindName: String, CaseIterable {
        case cluster = "ClusterSecretStore"
        case namespaced = "SecretStore"
    }
}
