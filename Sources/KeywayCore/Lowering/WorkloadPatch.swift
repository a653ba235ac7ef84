/// The `patch` escape hatch: maps merge, scalars and lists replace, the pod template's containers
/// merge by name, and entries of `env`, `envFrom`, `volumeMounts`, `volumes` and `initContainers`
/// join the generated ones (replacing an earlier patch's entry of the same name; an `envFrom`
/// entry equal to one already there is not added twice).
///
/// Unless the workload is left unhardened (`hardening: none`), a container a patch adds
/// (`initContainers`, `ephemeralContainers`) is hardened as a declared one is.
///
/// The workload changes in place: each map and list on a patched path is taken out of its entry
/// while it changes (`ManifestMap.update`), so it is not copied.
enum WorkloadPatch {
    static func merge(_ patch: ManifestMap, into result: inout ManifestMap, kind: WorkloadKind, hardened: Bool = true) {
        merge(patch, into: &result, path: [], kind: kind)
        guard hardened else { return }
        for list in PodHardening.addedContainerLists {
            let path = kind.podSpec.appending(list)
            if case .list(let containers)? = result[path] {
                result[path] = .list(containers.map(PodHardening.hardened))
            }
        }
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

    private static func merge(
        _ patch: ManifestMap, into result: inout ManifestMap, path: ManifestPath, kind: WorkloadKind
    ) {
        for entry in patch.entries {
            let childPath = path.appending(entry.key)
            result.update(entry.key) { merge(entry.value, into: &$0, path: childPath, kind: kind) }
        }
    }

    /// One patched value into the value at its path: maps merge, the containers merge by name, the
    /// additive lists join, anything else is replaced.
    private static func merge(
        _ patched: ManifestValue, into current: inout ManifestValue?, path: ManifestPath, kind: WorkloadKind
    ) {
        if case .map(var existing)? = current, case .map(let patchMap) = patched {
            current = nil  // `existing` is now the map's only holder
            merge(patchMap, into: &existing, path: path, kind: kind)
            current = .map(existing)
            return
        }
        guard case .list(var existing)? = current, case .list(let patches) = patched else {
            current = patched
            return
        }
        let additive = path == kind.containers ? nil : AdditiveList.at(path, kind: kind)
        guard path == kind.containers || additive != nil else {
            current = patched
            return
        }
        current = nil
        if let additive {
            join(patches, into: &existing, key: additive.mergeKey)
        } else {
            mergeContainers(patches, into: &existing, kind: kind)
        }
        current = .list(existing)
    }

    private static func mergeContainers(
        _ patches: [ManifestValue], into containers: inout [ManifestValue], kind: WorkloadKind
    ) {
        // The patches by container name, in order: one pass over them, not one per container.
        var byName: [String: [ManifestMap]] = [:]
        for case .map(let patch) in patches {
            if case .string(let name)? = patch["name"] { byName[name, default: []].append(patch) }
        }
        for index in containers.indices {
            guard case .map(var map) = containers[index], case .string(let name)? = map["name"],
                let matching = byName[name]
            else { continue }
            containers[index] = .bool(false)  // `map` is now the container's only holder
            for patch in matching { merge(patch, into: &map, path: kind.containers.appending(name), kind: kind) }
            containers[index] = .map(map)
        }
    }

    /// The entries of `existing`, an entry of `patches` replacing the one with its `key` (without
    /// a key, the one equal to it), the others appended.
    private static func join(_ patches: [ManifestValue], into result: inout [ManifestValue], key: String?) {
        guard let key else {
            // No key: an entry equal to one present is not added twice (looked up by its
            // structural description, once per entry).
            var present = Set(result.map { String(describing: $0) })
            for patch in patches where present.insert(String(describing: patch)).inserted { result.append(patch) }
            return
        }
        // Where each (string) key is first, kept up to date: one lookup per patch.
        var positions: [String: Int] = [:]
        for (index, entry) in result.enumerated() {
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
