/// The `patch` escape hatch: maps merge, scalars and lists replace, the pod template's containers
/// merge by name, and entries of `env`, `envFrom`, `volumeMounts`, `volumes` and `initContainers`
/// join the generated ones (replacing an earlier patch's entry of the same name; an `envFrom`
/// entry equal to one already there is not added twice).
///
/// Unless the workload is left unhardened (`hardening: none`), a container a patch adds
/// (`initContainers`, `ephemeralContainers`) is hardened as a declared one is.
enum WorkloadPatch {
    static func merge(_ patch: ManifestMap, into base: ManifestMap, kind: WorkloadKind, hardened: Bool = true)
        -> ManifestMap
    {
        var result = merge(patch, into: base, path: [], kind: kind)
        guard hardened else { return result }
        for list in PodHardening.addedContainerLists {
            let path = kind.podSpec.appending(list)
            if case .list(let containers)? = result[path] {
                result[path] = .list(containers.map(PodHardening.hardened))
            }
        }
        return result
    }

    /// Maps merge, anything else replaces: a patch of a plain map such as a security context.
    static func merge(_ patch: ManifestMap, into base: ManifestMap) -> ManifestMap {
        var result = base
        for entry in patch.entries {
            if case .map(let existing)? = result[entry.key], case .map(let patchMap) = entry.value {
                result[entry.key] = .map(merge(patchMap, into: existing))
            } else {
                result[entry.key] = entry.value
            }
        }
        return result
    }

    private static func merge(_ patch: ManifestMap, into base: ManifestMap, path: ManifestPath, kind: WorkloadKind)
        -> ManifestMap
    {
        var result = base
        for entry in patch.entries {
            let childPath = path.appending(entry.key)
            switch (result[entry.key], entry.value) {
            case (.map(let existing)?, .map(let patchMap)):
                result[entry.key] = .map(merge(patchMap, into: existing, path: childPath, kind: kind))
            case (.list(let existing)?, .list(let patches)) where childPath == kind.containers:
                result[entry.key] = .list(mergeContainers(patches, into: existing, kind: kind))
            case (.list(let existing)?, .list(let patches)):
                guard let list = AdditiveList.at(childPath, kind: kind) else {
                    result[entry.key] = entry.value
                    continue
                }
                result[entry.key] = .list(join(patches, into: existing, key: list.mergeKey))
            default:
                result[entry.key] = entry.value
            }
        }
        return result
    }

    private static func mergeContainers(
        _ patches: [ManifestValue], into containers: [ManifestValue], kind: WorkloadKind
    ) -> [ManifestValue] {
        // The patches by container name, in order: one pass over them, not one per container.
        var byName: [String: [ManifestMap]] = [:]
        for case .map(let patch) in patches {
            if case .string(let name)? = patch["name"] { byName[name, default: []].append(patch) }
        }
        return containers.map { container in
            guard case .map(let map) = container, case .string(let name)? = map["name"] else { return container }
            var merged = map
            for patch in byName[name] ?? [] {
                merged = merge(patch, into: merged, path: kind.containers.appending(name), kind: kind)
            }
            return .map(merged)
        }
    }

    /// The entries of `existing`, an entry of `patches` replacing the one with its `key` (without
    /// a key, the one equal to it), the others appended.
    private static func join(_ patches: [ManifestValue], into existing: [ManifestValue], key: String?)
        -> [ManifestValue]
    {
        var result = existing
        guard let key else {
            // No key: an entry equal to one present is not added twice (looked up by its
            // structural description, once per entry).
            var present = Set(existing.map { String(describing: $0) })
            for patch in patches where present.insert(String(describing: patch)).inserted { result.append(patch) }
            return result
        }
        // Where each (string) key is first, kept up to date: one lookup per patch.
        var positions: [String: Int] = [:]
        for (index, entry) in existing.enumerated() {
            if case .string(let name)? = entry.mapValue?[key], positions[name] == nil { positions[name] = index }
        }
        for patch in patches {
            let value = patch.mapValue?[key]
            let index: Int?
            if case .string(let name)? = value {
                index = positions[name]
                if index == nil { positions[name] = result.count }
            } else {
                index = value.flatMap { value in result.firstIndex { $0.mapValue?[key] == value } }
            }
            if let index { result[index] = patch } else { result.append(patch) }
        }
        return result
    }
}

extension AdditiveList {
    /// The field that identifies an entry, as Kubernetes' strategic merge keys them; `nil` for
    /// `envFrom`, whose entries have none (an entry is the same as an equal one).
    var mergeKey: String? {
        switch self {
        case .env, .volumes, .initContainers: "name"
        case .volumeMounts: "mountPath"
        case .envFrom: nil
        }
    }
}
