/// What the lowering generates into an app's Deployment, so a patch can be kept off it.
struct GeneratedWiring {
    var containers: [String]
    /// Per container: the fields the secrets generate (`env`, `envFrom`, `volumeMounts`).
    var fields: [String: Set<String>] = [:]
    var hasVolumes = false

    init(containers: [String], secrets: [AppSecret]) {
        self.containers = containers
        for secret in secrets {
            let field: String
            switch secret.exposure {
            case .envFrom: field = "envFrom"
            case .env: field = "env"
            case .volume:
                field = "volumeMounts"
                hasVolumes = true
            }
            for container in secret.containers { fields[container, default: []].insert(field) }
        }
    }
}

extension ModelBuilder {
    /// Reads an app's `patch`, refusing every place that the compiler owns.
    mutating func deploymentPatch(_ entry: SpecEntry, context: String, wiring: GeneratedWiring) -> ManifestMap? {
        guard case .mapping = entry.value else {
            reader.error(.wrongType, "expected a mapping for 'patch' of \(context), found \(entry.value.kindDescription)", at: entry.value.range)
            return nil
        }
        var ok = true
        let value = manifestValue(entry.value, path: [], wiring: wiring, ok: &ok)
        guard ok, case .map(let map)? = value else { return nil }
        return map
    }

    /// Why a patch may not set `path`, or `nil` when it may.
    private func ownership(of path: [String], wiring: GeneratedWiring) -> String? {
        let joined = path.joined(separator: ".")
        switch joined {
        case "apiVersion", "kind", "metadata.name", "metadata.namespace", "spec.selector", "spec.template.metadata.labels.app",
            "metadata.labels.app", "metadata.labels.app.kubernetes.io/managed-by":
            return "Keyway derives it from the spec"
        case "spec.replicas":
            return "set the app's 'replicas' instead"
        case "spec.template.spec.volumes" where wiring.hasVolumes:
            return "Keyway mounts the app's secrets there"
        default:
            break
        }
        let isAnnotation =
            (path.count == 3 && path[0] == "metadata" && path[1] == "annotations")
            || (path.count == 5 && path[0...3] == ["spec", "template", "metadata", "annotations"])
        if isAnnotation, path.last?.contains("reloader.stakater.com") == true {
            return "Keyway writes the Reloader annotation from 'reload'"
        }
        return nil
    }

    private mutating func manifestValue(_ node: SpecNode, path: [String], wiring: GeneratedWiring, ok: inout Bool) -> ManifestValue? {
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
                    "a patch cannot remove '\(path.joined(separator: "."))'",
                    at: scalar.range,
                    help: "give it a value; a patch merges into the Deployment and cannot delete fields"
                )
                ok = false
                return nil
            default:
                return .string(scalar.text)
            }
        case .sequence(let sequence):
            if path == ["spec", "template", "spec", "containers"] {
                return containerPatches(sequence, wiring: wiring, ok: &ok)
            }
            return .list(sequence.items.compactMap { manifestValue($0, path: path, wiring: wiring, ok: &ok) })
        case .mapping(let mapping):
            var map = ManifestMap()
            for entry in mapping.entries {
                let childPath = path + [entry.key.text]
                if let reason = ownership(of: childPath, wiring: wiring) {
                    reader.error(
                        .patchTouchesOwnedField,
                        "patch cannot change '\(childPath.joined(separator: "."))': \(reason)",
                        at: entry.key.range,
                        help: "remove it from 'patch'"
                    )
                    ok = false
                    continue
                }
                if let value = manifestValue(entry.value, path: childPath, wiring: wiring, ok: &ok) {
                    map[entry.key.text] = value
                }
            }
            return .map(map)
        }
    }

    /// Container patches are merged by name into the containers the spec declares.
    private mutating func containerPatches(_ sequence: SpecSequence, wiring: GeneratedWiring, ok: inout Bool) -> ManifestValue? {
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
            guard wiring.containers.contains(name.text) else {
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
            let generated = wiring.fields[name.text] ?? []
            for entry in mapping.entries where entry.key.text != "name" {
                let key = entry.key.text
                if ["image", "command", "args"].contains(key) || generated.contains(key) {
                    let reason =
                        generated.contains(key)
                        ? "Keyway wires the app's secrets there" : "set it under the app's 'containers' instead"
                    reader.error(
                        .patchTouchesOwnedField,
                        "patch cannot change '\(key)' of container '\(name.text)': \(reason)",
                        at: entry.key.range,
                        help: "remove it from 'patch'"
                    )
                    ok = false
                    continue
                }
                let path = ["spec", "template", "spec", "containers", name.text, key]
                if let value = manifestValue(entry.value, path: path, wiring: wiring, ok: &ok) { map[key] = value }
            }
            patches.append(.map(map))
        }
        return .list(patches)
    }
}
