/// The lists of a patch that merge by name: the declared containers, and the entries a patch
/// adds next to the generated ones.
extension ModelBuilder {
    /// Container patches are merged by name into the containers the spec declares; in
    /// `defaults.patch`, one that names no container of this app is left out.
    mutating func containerPatches(_ sequence: SpecSequence, check: PatchCheck, ok: inout Bool) -> ManifestValue? {
        var patches: [ManifestValue] = []
        for item in sequence.items {
            guard case .mapping(let mapping) = item,
                let nameEntry = mapping.entries.first(where: { $0.key.text == "name" }),
                case .scalar(let name) = nameEntry.value
            else {
                reader.report(
                    .containerPatchNeedsName,
                    "a container patch needs the 'name' of a container the app declares",
                    at: item.range,
                    help: "containers are declared under the app's 'containers'; a patch adds fields to them by name"
                )
                ok = false
                continue
            }
            guard check.ownership.wiring.containers.contains(name.text) else {
                if check.isDefaults { continue }
                reader.report(
                    .unknownContainer,
                    "patch names container '\(name.text)', which the app does not declare",
                    at: name.range,
                    help: "declare it under the app's 'containers'"
                )
                ok = false
                continue
            }
            patches.append(.map(containerPatch(mapping, name: name.text, check: check, ok: &ok)))
        }
        return .list(patches)
    }

    private mutating func containerPatch(_ mapping: SpecMapping, name: String, check: PatchCheck, ok: inout Bool)
        -> ManifestMap
    {
        var map = ManifestMap()
        map["name"] = .string(name)
        let path = check.kind.containers.appending(name)
        for entry in mapping.entries where entry.key.text != "name" {
            let key = entry.key.text
            if let reason = check.ownership.reason(forContainerField: key, of: name) {
                reader.report(
                    .patchTouchesOwnedField,
                    "patch cannot change '\(key)' of container '\(name)': \(reason)",
                    at: entry.key.range,
                    help: "remove it from 'patch'"
                )
                ok = false
                continue
            }
            guard let field = KubernetesSchema.field(key, of: "core.v1.Container") else {
                let names = KubernetesSchema.fieldNames(of: "core.v1.Container")
                reader.report(
                    .patchUnknownField, "a container has no field '\(key)'", at: entry.key.range,
                    help: Syntax.suggestion(for: key, among: names).map { "did you mean '\($0)'?" }
                        ?? "the fields are: " + names.joined(separator: ", "))
                ok = false
                continue
            }
            if let value = manifestValue(entry.value, path: path.appending(key), schema: field, check: check, ok: &ok) {
                map[key] = value
            }
        }
        return map
    }

    /// Entries a patch adds to `env`, `envFrom`, `volumeMounts` or `volumes` may not take a generated
    /// one's name (for `envFrom`, the Secret a generated entry reads).
    mutating func checkCollisions(
        _ sequence: SpecSequence, list: AdditiveList, path: ManifestPath, check: PatchCheck, ok: inout Bool
    ) {
        let container =
            list == .env || list == .envFrom || list == .volumeMounts ? path.components.dropLast().last : nil
        for case .mapping(let mapping) in sequence.items {
            let text = { (key: String) -> String? in
                guard case .scalar(let scalar)? = mapping.entries.first(where: { $0.key.text == key })?.value else {
                    return nil
                }
                return scalar.text
            }
            var name = text("name")
            if list == .envFrom {
                let reference = mapping.entries.first { $0.key.text == "secretRef" }?.value
                name = nil
                if case .mapping(let reference)? = reference,
                    case .scalar(let secret)? = reference.entries.first(where: { $0.key.text == "name" })?.value
                {
                    name = secret.text
                }
            }
            guard
                let generated = check.ownership.wiring.collision(
                    list: list, container: container, name: name, mountPath: text("mountPath"))
            else { continue }
            reader.report(
                .patchNameCollision,
                "patch adds \(generated) to '\(path.dotted)', which the app's secrets already generate",
                at: mapping.range,
                help: "give the patch's entry another name (or mount path)")
            ok = false
        }
    }
}
