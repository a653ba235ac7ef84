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
                path: "secretStore",
                anchor: entry.key.range,
                keys: SpecKey.SecretStore.self
            )
        else { return nil }
        var nameEntry: SpecEntry?
        var kindEntry: SpecEntry?
        var apiVersionEntry: SpecEntry?
        var allNamespacesEntry: SpecEntry?
        var conditionsEntry: SpecEntry?
        for (key, entry) in fields.written {
            switch key {
            case .name: nameEntry = entry
            case .kind: kindEntry = entry
            case .apiVersion: apiVersionEntry = entry
            case .allNamespaces: allNamespacesEntry = entry
            case .conditions: conditionsEntry = entry
            }
        }
        let mark = reader.errorCount
        if let entry = nameEntry {
            name = reader.text(entry, .name, of: fields)?.value
            objectSites.storeName = entry.value.range
        }
        apiVersion = apiVersionEntry.flatMap { reader.choice($0, .apiVersion, of: fields) } ?? apiVersion
        let isCluster =
            kindEntry.flatMap { reader.choice($0, .kind, of: fields, as: StoreKindName.self) } != .namespaced
        if let all = allNamespacesEntry.flatMap({ allNamespaces($0, of: fields, isCluster: isCluster, store: name) }) {
            kind = .cluster(allNamespaces: all)
        }
        if !isCluster { kind = .namespaced }
        let conditions =
            conditionsEntry.flatMap { storeConditions($0, kind: isCluster ? kind : .namespaced, store: name) } ?? []
        // Every problem above is an error: then there is no store to build.
        guard !reader.reportedErrors(since: mark), let name else { return nil }
        return StoreConfiguration(name: name, kind: kind, apiVersion: apiVersion, conditions: conditions)
    }

    /// `secretStore.allNamespaces`, which only a ClusterSecretStore takes; `nil` when invalid (already reported).
    mutating func allNamespaces(
        _ entry: SpecEntry, of fields: KeyedFields<SpecKey.SecretStore>, isCluster: Bool, store name: String?
    ) -> Bool? {
        guard let all = reader.bool(entry, .allNamespaces, of: fields) else { return nil }
        guard isCluster else {
            reader.report(
                .conflictingKeys,
                "'allNamespaces' applies only to a ClusterSecretStore",
                at: entry.key.range,
                help: "remove it: each SecretStore serves its own namespace"
            )
            return nil
        }
        if all {
            reader.report(
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

/// `secretStore.conditions`: ESO's ClusterSecretStore conditions, written after the one naming the
/// apps' namespaces. ESO serves a namespace when any condition matches it: its labels match a
/// `namespaceSelector`, it is one of `namespaces`, or a `namespaceRegexes` entry matches its name
/// anywhere (Go's `regexp.MatchString`, unanchored): `shouldProcessSecret` in
/// pkg/controllers/secretstore/client_manager.go of external-secrets/external-secrets at
/// cc5bfbc2234ace9cb0caff4ea89c435cf517b27b.
extension ModelBuilder {
    mutating func storeConditions(_ entry: SpecEntry, kind: StoreKind, store: String?) -> [StoreCondition]? {
        switch kind {
        case .namespaced:
            reader.report(
                .conflictingKeys, "'conditions' applies only to a ClusterSecretStore", at: entry.key.range,
                help: "remove it: each SecretStore serves its own namespace")
            return nil
        case .cluster(allNamespaces: true):
            reader.report(
                .conflictingKeys, "'conditions' has no effect with 'allNamespaces: true'", at: entry.key.range,
                help: "remove one of them")
            return nil
        case .cluster(allNamespaces: false): break
        }
        guard case .sequence(let list) = entry.value, !list.items.isEmpty else {
            reader.report(
                .wrongType, "expected a list of conditions for 'secretStore.conditions'", at: entry.value.range,
                help: "write '- namespaceSelector: {matchLabels: {team: a}}'")
            return nil
        }
        var conditions: [StoreCondition] = []
        var ok = true
        for (index, item) in list.items.enumerated() {
            if let condition = storeCondition(item, "'secretStore.conditions[\(index)]'") {
                conditions.append(condition)
            } else {
                ok = false
            }
        }
        guard ok else { return nil }
        reader.report(
            .storeConditions,
            "ClusterSecretStore '\(store ?? "")' also serves the namespaces its 'conditions' choose",
            at: entry.key.range,
            help:
                "every namespace they match, now or later, can read these Vault paths through ESO; 'compile explain' lists them beside the apps'"
        )
        return conditions
    }

    mutating func storeCondition(_ node: SpecNode, _ context: String) -> StoreCondition? {
        guard let fields = reader.fields(node, context, keys: SpecKey.Condition.self) else { return nil }
        guard !fields.entries.isEmpty else {
            reader.report(
                .missingKey, "\(context) chooses no namespace", at: node.range,
                help: "write \(SpecKey.Condition.quotedList)")
            return nil
        }
        var namespaceSelectorEntry: SpecEntry?
        var namespacesEntry: SpecEntry?
        var namespaceRegexesEntry: SpecEntry?
        for (key, entry) in fields.written {
            switch key {
            case .namespaceSelector: namespaceSelectorEntry = entry
            case .namespaces: namespacesEntry = entry
            case .namespaceRegexes: namespaceRegexesEntry = entry
            }
        }
        let mark = reader.errorCount
        let selector = namespaceSelectorEntry.flatMap { labelSelector($0, context) }
        let namespaces = namespacesEntry.flatMap { reader.strings($0, .namespaces, of: fields) } ?? []
        let regexes = namespaceRegexesEntry.flatMap { reader.strings($0, .namespaceRegexes, of: fields) } ?? []
        for item in regexes where item.value.isEmpty || !Syntax.isSingleLinePrintable(item.value) {
            reader.report(
                .invalidValue, "a namespace regex is empty or not one line of text", at: item.range,
                help: "write each regex on one line; ESO matches it anywhere in a namespace's name")
        }
        guard !reader.reportedErrors(since: mark) else { return nil }
        return StoreCondition(
            namespaceSelector: selector, namespaces: namespaces.map(\.value), namespaceRegexes: regexes.map(\.value))
    }

    /// A label selector: `matchLabels` and `matchExpressions`, as Kubernetes checks them.
    mutating func labelSelector(_ entry: SpecEntry, _ context: String) -> LabelSelector? {
        guard
            let fields = reader.fields(
                entry.value, "'namespaceSelector'", anchor: entry.key.range, keys: SpecKey.LabelSelector.self)
        else { return nil }
        var matchLabelsEntry: SpecEntry?
        var matchExpressionsEntry: SpecEntry?
        for (key, entry) in fields.written {
            switch key {
            case .matchLabels: matchLabelsEntry = entry
            case .matchExpressions: matchExpressionsEntry = entry
            }
        }
        let mark = reader.errorCount
        var labels: [Label] = []
        if let labelsEntry = matchLabelsEntry {
            if case .mapping(let mapping) = labelsEntry.value, !mapping.entries.isEmpty {
                for item in mapping.entries {
                    if let label = selectorLabel(item) { labels.append(label) }
                }
            } else {
                reader.report(
                    .wrongType, "expected a mapping of labels for 'matchLabels'", at: labelsEntry.value.range,
                    help: "write each label as 'key: value' below it")
            }
        }
        var expressions: [LabelRequirement] = []
        if let expressionsEntry = matchExpressionsEntry {
            if case .sequence(let list) = expressionsEntry.value, !list.items.isEmpty {
                for item in list.items {
                    if let requirement = labelRequirement(item) { expressions.append(requirement) }
                }
            } else {
                reader.report(
                    .wrongType, "expected a list for 'matchExpressions'", at: expressionsEntry.value.range,
                    help: "write '- {key: team, operator: In, values: [a]}'")
            }
        }
        if !reader.reportedErrors(since: mark), labels.isEmpty, expressions.isEmpty {
            reader.report(
                .missingKey, "'namespaceSelector' of \(context) is empty: it would match every namespace",
                at: entry.key.range, help: "write 'matchLabels' or 'matchExpressions'")
        }
        return reader.reportedErrors(since: mark)
            ? nil : LabelSelector(matchLabels: labels, matchExpressions: expressions)
    }

    /// One `matchLabels` entry: a label key and value as Kubernetes allows them.
    mutating func selectorLabel(_ entry: SpecEntry) -> Label? {
        guard Syntax.isLabelKey(entry.key.text) else {
            reader.report(
                .invalidKubernetesName, "label key '\(entry.key.text)' is not a valid Kubernetes label key",
                at: entry.key.range,
                help: "use an optional DNS prefix and '/', then at most 63 letters, digits, '-', '_' and '.'")
            return nil
        }
        guard let value = reader.string(entry.value, "label '\(entry.key.text)'") else { return nil }
        guard Syntax.isLabelName(value.value, allowEmpty: true) else {
            reader.report(
                .invalidKubernetesName, "label value '\(value.value)' is not a valid Kubernetes label value",
                at: value.range,
                help: "use at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit")
            return nil
        }
        return Label(key: entry.key.text, value: value.value)
    }

    /// One `matchExpressions` entry: `In` and `NotIn` need values, `Exists` and `DoesNotExist` take none.
    mutating func labelRequirement(_ node: SpecNode) -> LabelRequirement? {
        guard let fields = reader.fields(node, "a 'matchExpressions' entry", keys: SpecKey.LabelRequirement.self)
        else { return nil }
        var keyEntry: SpecEntry?
        var operatorEntry: SpecEntry?
        var valuesEntry: SpecEntry?
        for (key, entry) in fields.written {
            switch key {
            case .key: keyEntry = entry
            case .`operator`: operatorEntry = entry
            case .values: valuesEntry = entry
            }
        }
        let mark = reader.errorCount
        let key = keyEntry.flatMap { reader.text($0, .key, of: fields) }
        if let key, !Syntax.isLabelKey(key.value) {
            reader.report(
                .invalidKubernetesName, "label key '\(key.value)' is not a valid Kubernetes label key", at: key.range)
        }
        let op = operatorEntry.flatMap { reader.choice($0, .operator, of: fields, as: LabelOperator.self) }
        let values = valuesEntry.flatMap { reader.strings($0.value, "'values'") }
        if let values {
            for value in values where !Syntax.isLabelName(value.value, allowEmpty: true) {
                reader.report(
                    .invalidKubernetesName, "label value '\(value.value)' is not a valid Kubernetes label value",
                    at: value.range)
            }
        }
        switch op {
        case .in?, .notIn?:
            if values?.isEmpty ?? true {
                reader.report(
                    .missingKey, "operator '\(op?.rawValue ?? "")' needs 'values'", at: node.range,
                    help: "list the label values it matches")
            }
        case .exists?, .doesNotExist?:
            if let entry = valuesEntry {
                reader.report(
                    .conflictingKeys, "operator '\(op?.rawValue ?? "")' takes no 'values'", at: entry.key.range,
                    help: "remove 'values'")
            }
        case nil: break
        }
        guard !reader.reportedErrors(since: mark), let key, let op else { return nil }
        return LabelRequirement(key: key.value, operator: op, values: values?.map(\.value) ?? [])
    }
}
