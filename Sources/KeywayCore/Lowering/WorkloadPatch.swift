/// The `patch` escape hatch: maps merge, scalars and lists replace, the pod template's containers merge by name.
enum WorkloadPatch {
    static func merge(_ patch: ManifestMap, into base: ManifestMap, kind: WorkloadKind) -> ManifestMap {
        merge(patch, into: base, path: [], containers: kind.containers)
    }

    private static func merge(_ patch: ManifestMap, into base: ManifestMap, path: ManifestPath, containers: ManifestPath?) -> ManifestMap {
        var result = base
        for entry in patch.entries {
            let childPath = path.appending(entry.key)
            switch (result[entry.key], entry.value) {
            case (.map(let existing)?, .map(let patchMap)):
                result[entry.key] = .map(merge(patchMap, into: existing, path: childPath, containers: containers))
            case (.list(let existing)?, .list(let patches)) where childPath == containers:
                result[entry.key] = .list(mergeContainers(patches, into: existing))
            default:
                result[entry.key] = entry.value
            }
        }
        return result
    }

    private static func mergeContainers(_ patches: [ManifestValue], into containers: [ManifestValue]) -> [ManifestValue] {
        containers.map { container in
            guard case .map(let map) = container else { return container }
            let name = map["name"]
            var merged = map
            for case .map(let patch) in patches where patch["name"] == name {
                merged = merge(patch, into: merged, path: [], containers: nil)
            }
            return .map(merged)
        }
    }
}
