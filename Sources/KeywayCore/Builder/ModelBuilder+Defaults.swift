/// The spec's `defaults` (refresh interval, labels) and `monitoring` blocks.
extension ModelBuilder {
    /// What `defaults` sets for every app and secret.
    struct DefaultSettings {
        var refreshInterval: GoDuration?
        var labels: [Label] = []
        /// `defaults.patch`, checked against each owned workload it is merged into.
        var patch: SpecEntry?
        /// Each container list of `defaults.patch` by where it is written, its entries indexed by
        /// name once for every app it is checked against (`ContainerPatchIndex`).
        var patchLists: [SourceRange: ContainerPatchIndex] = [:]
    }

    mutating func defaultsSettings(_ entry: SpecEntry) -> DefaultSettings? {
        guard
            let fields = reader.fields(
                entry.value, path: "defaults", anchor: entry.key.range, keys: SpecKey.Defaults.self)
        else {
            return nil
        }
        var settings = DefaultSettings()
        for (key, entry) in fields.written {
            switch key {
            case .patch:
                settings.patch = entry
                settings.patchLists = containerPatchLists(in: entry.value)
            case .refreshInterval: settings.refreshInterval = refreshInterval(entry, key, of: fields)
            case .labels: settings.labels = labels(entry)
            }
        }
        return settings
    }

    /// `defaults.labels`: each label checked; an invalid one is left out (already reported).
    mutating func labels(_ entry: SpecEntry) -> [Label] {
        guard case .mapping(let labels) = entry.value else {
            reader.report(
                .wrongType,
                "expected a mapping of labels for 'defaults.labels', found \(entry.value.kindDescription)",
                at: entry.value.range,
                help: "write each label as 'key: value' below it"
            )
            return []
        }
        return labels.entries.compactMap { label($0) }
    }

    static let ownedLabels: Set<String> = ["app", "app.kubernetes.io/managed-by"]

    /// One label of `defaults.labels` (or, `allowing` Keyway's `app`, of a `selector`).
    mutating func label(_ entry: SpecEntry, allowing: Set<String> = []) -> Label? {
        let key = entry.key.text
        guard Syntax.isLabelKey(key) else {
            reader.report(
                .invalidKubernetesName,
                "label key '\(key)' is not a valid Kubernetes label key",
                at: entry.key.range,
                help: "use an optional DNS prefix and '/', then at most 63 letters, digits, '-', '_' and '.'"
            )
            return nil
        }
        if Self.ownedLabels.contains(key), !allowing.contains(key) {
            reader.report(
                .invalidValue, "label '\(key)' is set by Keyway", at: entry.key.range, help: "choose another label key")
            return nil
        }
        guard let value = reader.string(entry.value, "label '\(key)'") else { return nil }
        guard Syntax.isLabelName(value.value, allowEmpty: true) else {
            reader.report(
                .invalidKubernetesName,
                "label value '\(value.value)' is not a valid Kubernetes label value",
                at: value.range,
                help: "use at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit"
            )
            return nil
        }
        return Label(key: key, value: value.value)
    }

    /// The PrometheusRule's settings, or `nil` when it is not asked for (or the block is invalid, already reported).
    mutating func monitoringSettings(_ entry: SpecEntry) -> Monitoring? {
        guard
            let fields = reader.fields(
                entry.value, path: "monitoring", anchor: entry.key.range, keys: SpecKey.Monitoring.self)
        else {
            return nil
        }
        var enabled = false
        var namespace = esoOperator.namespace
        for (key, entry) in fields.written {
            switch key {
            case .prometheusRule: enabled = reader.bool(entry, key, of: fields) ?? false
            case .namespace: namespace = objectSites.note(reader.text(entry, key, of: fields)) ?? namespace
            }
        }
        return enabled ? Monitoring(namespace: namespace) : nil
    }

    /// A `refreshInterval` (of `defaults` or a secret), warned when it reads Vault more than once a minute.
    mutating func refreshInterval<Key: ShapedKeySet>(_ entry: SpecEntry, _ key: Key, of fields: KeyedFields<Key>)
        -> GoDuration?
    {
        guard let value = reader.duration(entry, key, of: fields) else { return nil }
        if value.value.seconds > 0, value.value.seconds < 60 {
            reader.report(
                .fastRefresh,
                "refreshInterval '\(value.value.text)' reads Vault more than once a minute",
                at: value.range,
                help: "every ExternalSecret polls Vault at this rate; 1m or more keeps the load down"
            )
        }
        return value.value
    }
}
