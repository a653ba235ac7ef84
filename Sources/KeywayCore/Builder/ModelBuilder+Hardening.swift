/// What a patch does to the hardened pod: each relaxation warned at its line, and the containers a
/// patch adds checked as declared ones are (their hardening is the lowering's).
extension ModelBuilder.PatchCheck {
    /// Whether `path` is a pod spec list whose entries are whole containers a patch adds.
    func addsContainers(at path: ManifestPath) -> Bool {
        // Compared in place: building each list's path cost an array per patched node.
        let pod = kind.podSpec.components
        return path.components.count == pod.count + 1
            && PodHardening.addedContainerLists.contains(path.components[pod.count])
            && path.components.starts(with: pod)
    }
}

extension ModelBuilder {
    /// Warns when the patched `value` at `path` gives up part of the hardened pod (KW161).
    mutating func warnIfRelaxes(_ path: ManifestPath, _ value: ManifestValue, at range: SourceRange, check: PatchCheck)
    {
        guard check.hardened, let relaxation = PodHardening.relaxation(at: path, value: value, kind: check.kind) else {
            return
        }
        reader.report(
            .patchRelaxesHardening,
            "patch relaxes the hardened pod: \(relaxation)",
            at: range,
            help: "remove it from the patch unless the workload cannot run without it"
        )
    }

    /// `defaults.patch` adding a container adds it to every workload Keyway writes (KW162).
    mutating func warnAddedEverywhere(_ sequence: SpecSequence) {
        for item in sequence.items {
            var name: String?
            if case .mapping(let mapping) = item,
                case .scalar(let scalar)? = mapping.entries.first(where: { $0.key.text == "name" })?.value
            {
                name = scalar.text
            }
            reader.report(
                .patchAddsContainerEverywhere,
                "'defaults.patch' adds container \(name.map { "'\($0)'" } ?? "without a name") to every workload",
                at: item.range,
                help: "add it in the 'patch' of the apps that need it"
            )
        }
    }

    /// A container a patch adds: its name, image, command and args checked as a declared
    /// container's are.
    mutating func checkAddedContainer(_ mapping: SpecMapping, ok: inout Bool) {
        for entry in mapping.entries {
            switch entry.key.text {
            case "name":
                guard case .scalar(let name) = entry.value else { continue }
                if reader.checkDNSLabel(Located(name.text, at: name.range), "container name") == nil { ok = false }
            case "image":
                if imageReference(entry.value, "'image'") == nil { ok = false }
            case "command", "args":
                guard case .sequence = entry.value else { continue }
                if reader.strings(entry.value, "'\(entry.key.text)'") == nil { ok = false }
            default:
                continue
            }
        }
    }
}
