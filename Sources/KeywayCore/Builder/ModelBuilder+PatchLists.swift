/// The lists of a patch that merge by name: the declared containers, and the entries a patch
/// adds next to the generated ones.
extension ModelBuilder {
    /// Container patches are merged by name into the containers the spec declares; in
    /// `defaults.patch`, one that names no container of this app is left out.
    mutating func containerPatches(_ sequence: SpecSequence, check: PatchCheck, ok: inout Bool) -> ManifestValue? {
        var patches: [ManifestValue] = []
        let declared = Set(check.ownership.wiring.containers)
        var patched: [String: SourceRange] = [:]
        // In `defaults.patch`, only the entries naming this app's containers, in the list's order:
        // the others would be skipped, and walking them for every app would cost the apps times the
        // list. Its problem entries were reported once, with `defaults` (`containerPatchLists`).
        let positions = check.lists[sequence.range].map { index in
            if !index.problems.isEmpty { ok = false }
            return declared.compactMap { index.first[$0] }.sorted()
        }
        for position in positions ?? Array(sequence.items.indices) {
            let item = sequence.items[position]
            guard let (mapping, name) = ContainerPatchIndex.named(item) else {
                reportUnnamedContainerPatch(item)
                ok = false
                continue
            }
            if let first = patched[name.text] {
                reportContainerPatchedTwice(name, first: first)
                ok = false
                continue
            }
            patched[name.text] = name.range
            guard declared.contains(name.text) else {
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

    private mutating func reportUnnamedContainerPatch(_ item: SpecNode) {
        reader.report(
            .containerPatchNeedsName,
            "a container patch needs the 'name' of a container the app declares",
            at: item.range,
            help: "containers are declared under the app's 'containers'; a patch adds fields to them by name"
        )
    }

    /// Twice in one list: Kubernetes would merge them; here it is a slip, and patching one
    /// container again and again would cost the square of the list.
    private mutating func reportContainerPatchedTwice(_ name: SpecScalar, first: SourceRange) {
        reader.report(
            .containerPatchedTwice, "patch names container '\(name.text)' twice in one list", at: name.range,
            help: "write everything for '\(name.text)' in one entry",
            notes: [DiagnosticNote("first patched here", at: first)])
    }

    /// `defaults.patch`'s container lists indexed by name, by where each is written; their entries
    /// with no name or with a name written before are reported here, once, and each app's check
    /// then only refuses the patch.
    ///
    /// Reported where `defaults` is read, not at the first app the patch is merged into: the apps
    /// are checked in chunks on both cores, and each chunk walking these entries again cost the
    /// apps times the list (and a collector holding the list for every chunk). The lists are those
    /// at a kind's containers path as written (`spec.template` stands for each kind's template).
    mutating func containerPatchLists(in patch: SpecNode) -> [SourceRange: ContainerPatchIndex] {
        var lists: [SourceRange: ContainerPatchIndex] = [:]
        var paths: [ManifestPath] = []
        for kind in WorkloadKind.allCases where !paths.contains(kind.containers) { paths.append(kind.containers) }
        for path in paths {
            var node: SpecNode? = patch
            for key in path.components {
                guard case .mapping(let mapping)? = node else { break }
                node = mapping.entries.first { $0.key.text == key }?.value
            }
            guard case .sequence(let sequence)? = node else { continue }
            let index = ContainerPatchIndex(sequence)
            lists[sequence.range] = index
            var patched: [String: SourceRange] = [:]
            for position in index.problems.sorted() {
                guard let (_, name) = ContainerPatchIndex.named(sequence.items[position]) else {
                    reportUnnamedContainerPatch(sequence.items[position])
                    continue
                }
                if let first = patched[name.text] {
                    reportContainerPatchedTwice(name, first: first)
                } else {
                    patched[name.text] = name.range
                }
            }
        }
        return lists
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
                    help: Syntax.didYouMean(key, among: names)
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

/// A container list of `defaults.patch` with its entries indexed by name: the patch is checked
/// against every app, and each app walks only the entries naming its containers, not the whole list.
struct ContainerPatchIndex: Sendable {
    /// The positions of the entries with no name or a name written before, and of the first entry
    /// of each such name (where the repeat points): reported once, where `defaults` is read.
    var problems: Set<Int> = []
    /// The position of the first entry naming each container.
    var first: [String: Int] = [:]

    init(_ sequence: SpecSequence) {
        for (position, item) in sequence.items.enumerated() {
            guard let (_, name) = Self.named(item) else {
                problems.insert(position)
                continue
            }
            if let earlier = first[name.text] {
                problems.formUnion([earlier, position])
            } else {
                first[name.text] = position
            }
        }
    }

    /// An entry's mapping and its `name`, or `nil` when it has none.
    static func named(_ item: SpecNode) -> (SpecMapping, SpecScalar)? {
        guard case .mapping(let mapping) = item,
            let nameEntry = mapping.entries.first(where: { $0.key.text == "name" }),
            case .scalar(let name) = nameEntry.value
        else { return nil }
        return (mapping, name)
    }
}
