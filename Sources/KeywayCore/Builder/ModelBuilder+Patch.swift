extension ModelBuilder {
    /// What a patch is checked with: what Keyway owns of the workload, and whether it is
    /// `defaults.patch` (whose container entries apply only where the app has that container).
    struct PatchCheck {
        let ownership: WorkloadOwnership
        let isDefaults: Bool
        /// Whether the workload is hardened (`hardening: restricted`), so that what a patch relaxes of
        /// it is warned (KW161); with `hardening: none` there is nothing to relax.
        let hardened: Bool
        /// `defaults.patch`'s lists, indexed by container name once per spec.
        var lists: [SourceRange: ContainerPatchIndex] = [:]
        var kind: WorkloadKind { ownership.kind }

        /// The path of `key` below `path`.
        ///
        /// In `defaults.patch`, `spec.template` is each kind's pod template (a CronJob's
        /// `spec.jobTemplate.spec.template`), so one patch fits every kind.
        func path(of key: String, under path: ManifestPath) -> ManifestPath {
            isDefaults && key == "template" && path == ["spec"] ? kind.podTemplate : path.appending(key)
        }
    }

    /// Reads a `patch`, checking every field against the Kubernetes schema of the workload's kind
    /// and refusing every place that `ownership` says the compiler owns.
    mutating func workloadPatch(
        _ entry: SpecEntry, context: String, ownership: WorkloadOwnership, isDefaults: Bool, hardened: Bool,
        lists: [SourceRange: ContainerPatchIndex] = [:]
    ) -> ManifestMap? {
        guard case .mapping = entry.value else {
            reader.report(
                .wrongType, "expected a mapping for 'patch' of \(context), found \(entry.value.kindDescription)",
                at: entry.value.range)
            return nil
        }
        var ok = true
        let check = PatchCheck(ownership: ownership, isDefaults: isDefaults, hardened: hardened, lists: lists)
        let root = KubernetesSchema.rootType(of: ownership.kind).map { SchemaField.object($0) }
        let value = manifestValue(entry.value, path: [], schema: root, check: check, ok: &ok)
        guard ok, case .map(var map)? = value else { return nil }
        if isDefaults, case .map(var spec)? = map["spec"], let template = spec["template"],
            ownership.kind.podTemplate != ["spec", "template"]
        {
            spec["template"] = nil
            map["spec"] = .map(spec)
            map[ownership.kind.podTemplate] = template
        }
        return map
    }

    mutating func manifestValue(
        _ node: SpecNode, path: ManifestPath, schema: SchemaField?, check: PatchCheck, ok: inout Bool
    ) -> ManifestValue? {
        switch node {
        case .scalar(let scalar):
            guard checkShape(node, path: path, schema: schema, ok: &ok) else { return nil }
            if check.kind == .cronJob, path.components.last == "restartPolicy", path.isChild(of: check.kind.podSpec),
                scalar.text != "OnFailure", scalar.text != "Never"
            {
                reader.report(
                    .invalidValue, "a CronJob's pods cannot have restartPolicy '\(scalar.text)'", at: scalar.range,
                    help: "a Job's pods restart 'OnFailure' (the default) or 'Never'")
                ok = false
                return nil
            }
            let value = scalarValue(scalar, path: path, check: check, ok: &ok)
            if let value { warnIfRelaxes(path, value, at: node.range, check: check) }
            return value
        case .sequence(let sequence):
            guard checkShape(node, path: path, schema: schema, ok: &ok) else { return nil }
            if path == check.kind.containers {
                return containerPatches(sequence, check: check, ok: &ok)
            }
            if let list = AdditiveList.at(path, kind: check.kind) {
                checkCollisions(sequence, list: list, path: path, check: check, ok: &ok)
            }
            let item: SchemaField? =
                if case .list(let type)? = schema { .object(type) } else if case .values? = schema { .value } else {
                    nil
                }
            if check.isDefaults, check.addsContainers(at: path) { warnAddedEverywhere(sequence) }
            let list = ManifestValue.list(
                sequence.items.compactMap { manifestValue($0, path: path, schema: item, check: check, ok: &ok) })
            warnIfRelaxes(path, list, at: node.range, check: check)
            return list
        case .mapping(let mapping):
            guard checkShape(node, path: path, schema: schema, ok: &ok) else { return nil }
            var map = ManifestMap()
            if check.addsContainers(at: path) { checkAddedContainer(mapping, ok: &ok) }
            for entry in mapping.entries {
                let childPath = check.path(of: entry.key.text, under: path)
                guard let field = patchField(entry, path: childPath, schema: schema, check: check, ok: &ok) else {
                    continue
                }
                if let value = manifestValue(entry.value, path: childPath, schema: field, check: check, ok: &ok) {
                    map[entry.key.text] = value
                    if case .map = value { warnIfRelaxes(childPath, value, at: entry.key.range, check: check) }
                }
            }
            return .map(map)
        }
    }

    /// The schema of a mapping entry's value (`.map` below a free-form map), or `nil` when the
    /// entry is refused: Keyway owns it, or the kind's schema has no such field.
    private mutating func patchField(
        _ entry: SpecEntry, path: ManifestPath, schema: SchemaField?, check: PatchCheck, ok: inout Bool
    ) -> SchemaField?? {
        if let reason = check.ownership.reason(for: path) {
            reader.report(
                .patchTouchesOwnedField, "patch cannot change '\(path.dotted)': \(reason)", at: entry.key.range,
                help: "remove it from 'patch'")
            ok = false
            return nil
        }
        if path == check.kind.podTemplate { return .some(.object("core.v1.PodTemplateSpec")) }
        guard case .object(let type)? = schema else { return .some(nil) }
        guard let field = KubernetesSchema.field(entry.key.text, of: type) else {
            let names = KubernetesSchema.fieldNames(of: type)
            reader.report(
                .patchUnknownField, "a \(check.kind.kind) has no field '\(path.dotted)'", at: entry.key.range,
                help: Syntax.didYouMean(entry.key.text, among: names)
                    ?? "the fields there are: " + names.joined(separator: ", "))
            ok = false
            return nil
        }
        return .some(field)
    }

    /// Whether the node has the shape the schema gives the field (a map, a list, a value).
    private mutating func checkShape(_ node: SpecNode, path: ManifestPath, schema: SchemaField?, ok: inout Bool) -> Bool
    {
        let expected: String
        switch (schema, node) {
        case (nil, _), (.value?, .scalar), (.object?, .mapping), (.map?, .mapping), (.list?, .sequence),
            (.values?, .sequence):
            return true
        case (.value?, _): expected = "a value"
        case (.object?, _), (.map?, _): expected = "a mapping"
        case (.list?, _), (.values?, _): expected = "a list"
        }
        reader.report(
            .patchUnknownField, "expected \(expected) for '\(path.dotted)', found \(node.kindDescription)",
            at: node.range,
            help: "write it as the Kubernetes schema has it")
        ok = false
        return false
    }

    private mutating func scalarValue(_ scalar: SpecScalar, path: ManifestPath, check: PatchCheck, ok: inout Bool)
        -> ManifestValue?
    {
        guard scalar.style == .plain else { return .string(scalar.text) }
        switch YAMLResolver.resolve(plain: scalar.text) {
        case .bool(let value):
            return .bool(value)
        case .int:
            if let value = Int(scalar.text) { return .int(value) }
            return .string(scalar.text)
        case .null:
            reader.report(
                .invalidValue,
                "a patch cannot remove '\(path.dotted)'",
                at: scalar.range,
                help: "give it a value; a patch merges into the \(check.kind.kind) and cannot delete fields"
            )
            ok = false
            return nil
        default:
            return .string(scalar.text)
        }
    }
}
