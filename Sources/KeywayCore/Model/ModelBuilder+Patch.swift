extension ModelBuilder {
    /// Reads an app's `patch` of its Deployment, refusing every place that the compiler owns.
    mutating func deploymentPatch(_ entry: SpecEntry, context: String, wiring: GeneratedWiring) -> ManifestMap? {
        workloadPatch(entry, context: context, ownership: WorkloadOwnership(kind: .deployment, wiring: wiring))
    }

    /// Reads an app's `patch`, refusing every place that `ownership` says the compiler owns.
    mutating func workloadPatch(_ entry: SpecEntry, context: String, ownership: WorkloadOwnership) -> ManifestMap? {
        guard case .mapping = entry.value else {
            reader.error(.wrongType, "expected a mapping for 'patch' of \(context), found \(entry.value.kindDescription)", at: entry.value.range)
            return nil
        }
        var ok = true
        let value = manifestValue(entry.value, path: [], ownership: ownership, ok: &ok)
        guard ok, case .map(let map)? = value else { return nil }
        return map
    }

    private mutating func manifestValue(_ node: SpecNode, path: ManifestPath, ownership: WorkloadOwnership, ok: inout Bool) -> ManifestValue? {
        switch node {
        case .scalar(let scalar):
            guard scalar.style == .plain else { return .string(scalar.text) }
            switch YAMLResolver.resolve(plain: scalar.text) {
            case .bool(let value):
                return .bool(value)
            case .int:
                if let value = Int(scalar.text) { return .int(value) }
                return .string(scalar.text)
            case .null:
                reader.error(
                    .invalidValue,
                    "a patch cannot remove '\(path.dotted)'",
                    at: scalar.range,
                    help: "give it a value; a patch merges into the \(ownership.kind.kind) and cannot delete fields"
                )
                ok = false
                return nil
            default:
                return .string(scalar.text)
            }
        case .sequence(let sequence):
            if path == ownership.kind.containers {
                return containerPatches(sequence, ownership: ownership, ok: &ok)
            }
            return .list(sequence.items.compactMap { manifestValue($0, path: path, ownership: ownership, ok: &ok) })
        case .mapping(let mapping):
            var map = ManifestMap()
            for entry in mapping.entries {
                let childPath = path.appending(entry.key.text)
                if let reason = ownership.reason(for: childPath) {
                    reader.error(
                        .patchTouchesOwnedField,
                        "patch cannot change '\(childPath.dotted)': \(reason)",
                        at: entry.key.range,
                        help: "remove it from 'patch'"
                    )
                    ok = false
                    continue
                }
                if let value = manifestValue(entry.value, path: childPath, ownership: ownership, ok: &ok) {
                    map[entry.key.text] = value
                }
            }
            return .map(map)
        }
    }

    /// Container patches are merged by name into the containers the spec declares.
    private mutating func containerPatches(_ sequence: SpecSequence, ownership: WorkloadOwnership, ok: inout Bool) -> ManifestValue? {
        var patches: [ManifestValue] = []
        for item in sequence.items {
            guard case .mapping(let mapping) = item,
                let nameEntry = mapping.entries.first(where: { $0.key.text == "name" }),
                case .scalar(let name) = nameEntry.value
            else {
                reader.error(
                    .containerPatchNeedsName,
                    "a container patch needs the 'name' of a container the app declares",
                    at: item.range,
                    help: "containers are declared under the app's 'containers'; a patch adds fields to them by name"
                )
                ok = false
                continue
            }
            guard ownership.wiring.containers.contains(name.text) else {
                reader.error(
                    .unknownContainer,
                    "patch names container '\(name.text)', which the app does not declare",
                    at: name.range,
                    help: "declare it under the app's 'containers'"
                )
                ok = false
                continue
            }
            var map = ManifestMap()
            map["name"] = .string(name.text)
            for entry in mapping.entries where entry.key.text != "name" {
                let key = entry.key.text
                if let reason = ownership.reason(forContainerField: key, of: name.text) {
                    reader.error(
                        .patchTouchesOwnedField,
                        "patch cannot change '\(key)' of container '\(name.text)': \(reason)",
                        at: entry.key.range,
                        help: "remove it from 'patch'"
                    )
                    ok = false
                    continue
                }
                let path = ownership.kind.containers + [name.text, key]
                if let value = manifestValue(entry.value, path: path, ownership: ownership, ok: &ok) { map[key] = value }
            }
            patches.append(.map(map))
        }
        return .list(patches)
    }
}
