/// The last step of an import: every input object against what the imported spec compiles to.
/// A field the compiled object lacks, a value it writes otherwise, secret wiring it adds, an object
/// it does not write: each is a located warning.
extension ImportContext {
    /// The fields whose absence from the input is no news, but whose addition changes what pods read.
    static let wiringFields: Set<String> = ["env", "envFrom", "volumeMounts", "volumes"]
    static let unsupportedWorkloads: Set<String> = ["Job", "ReplicaSet", "Pod"]
    static let importedKinds: Set<String> = [
        "ClusterSecretStore", "SecretStore", "ExternalSecret", "Deployment", "StatefulSet", "DaemonSet", "CronJob",
        "Rollout", "ServiceAccount",
        "PrometheusRule", "ConfigMap", "ClusterRoleBinding",
    ]

    mutating func compare(with compiled: CompiledEnvironment, appNamespace: String?) {
        var byKey: [ObjectKey: ManifestMap] = [:]
        for object in compiled.objects + compiled.patches {
            byKey[ObjectKey(kind: object.kind, namespace: object.namespace, name: object.name)] = object.document
        }
        for index in objects.indices {
            let object = objects[index]
            let assumed = ["ClusterSecretStore", "ClusterRoleBinding"].contains(object.kind) ? nil : "default"
            if let document = byKey[object.key(namespace: assumed)] {
                compareNode(object.node, .map(document), path: [], object: index)
            } else {
                reportUnwritten(index)
            }
        }
        comparePolicies(compiled.policies)
    }

    /// An input object the spec does not write, reported by what it is.
    mutating func reportUnwritten(_ index: Int) {
        let object = objects[index]
        let range = object.nameRange
        if let reason = dropReasons[index] {
            report(reason.code, reason.message, object: index, at: range, help: reason.help)
        } else if object.kind == "Secret" {
            report(
                .importUnsupportedKind, "Secret '\(object.name)' is not imported: a spec never holds secret values",
                object: index, at: range,
                help: "ESO writes the apps' Secrets; the bootstrap script writes the store's credential")
        } else if Self.unsupportedWorkloads.contains(object.kind) {
            report(
                .importUnsupportedWorkload,
                "\(object.described) is not imported: the spec writes Deployments, StatefulSets, DaemonSets, CronJobs and Rollouts",
                object: index, at: range,
                help: "keep it beside Keyway's output; its ExternalSecrets are reported too")
        } else if Self.importedKinds.contains(object.kind) {
            report(
                .importObjectDropped, "\(object.described) is not written by the imported spec", object: index,
                at: range,
                help:
                    "a spec writes one store (a SecretStore per app namespace), and the ExternalSecrets and workloads of its apps"
            )
        } else {
            report(
                .importUnsupportedKind, "kind '\(object.kind)' is not imported: a spec has no place for it",
                object: index, at: range,
                help: "keep '\(object.name)' beside Keyway's output")
        }
    }

    /// Compares one input node with the compiled value at the same place.
    mutating func compareNode(_ node: SpecNode, _ value: ManifestValue, path: [String], object: Int) {
        switch (node, value) {
        case (.mapping(let mapping), .map(let map)):
            compareMapping(mapping, map, path: path, object: object)
        case (.sequence(let sequence), .list(let list)):
            compareSequence(sequence, list, path: path, object: object)
        default:
            guard let input = node.manifestValue, input != value else { return }
            report(
                .importFieldChanged,
                "'\(Self.dotted(path))' of \(objects[object].described) is \(Self.described(input)) here; the imported spec writes \(Self.described(value))",
                object: object, at: node.range)
        }
    }

    mutating func compareMapping(_ mapping: SpecMapping, _ map: ManifestMap, path: [String], object: Int) {
        for entry in mapping.entries {
            let childPath = path + [entry.key.text]
            if isExplained(entry.value, path: childPath, object: object) || entry.value.manifestValue == nil {
                continue
            }
            guard let value = map[entry.key.text] else {
                report(
                    .importFieldDropped,
                    "'\(Self.dotted(childPath))' of \(objects[object].described) is not imported: the spec cannot write it",
                    object: object, at: entry.key.range)
                continue
            }
            compareNode(entry.value, value, path: childPath, object: object)
        }
        let present = Set(mapping.entries.map(\.key.text))
        for entry in map.entries where Self.wiringFields.contains(entry.key) && !present.contains(entry.key) {
            report(
                .importFieldChanged,
                "the imported spec adds '\(entry.key)' to '\(Self.dotted(path))' of \(objects[object].described)",
                object: object, at: SourceRange(start: mapping.range.start, end: mapping.range.start),
                help: "a spec secret is read through envFrom, env or a volume: check how the pods read it")
        }
    }

    mutating func compareSequence(_ sequence: SpecSequence, _ list: [ManifestValue], path: [String], object: Int) {
        var matched = Set<Int>()
        for (offset, item) in sequence.items.enumerated() {
            let name = item["name"]?.text
            let label = name ?? String(offset)
            // A named entry matches by name (and namespace, as a binding's subjects do), once.
            let namespace = item["namespace"]?.manifestValue
            let position =
                name.map { name in
                    list.indices.first { index in
                        let map = list[index].mapValue
                        return !matched.contains(index) && map?["name"] == .string(name)
                            && (namespace == nil || map?["namespace"] == namespace)
                    }
                } ?? (offset < list.count ? offset : nil)
            guard let position else {
                report(
                    .importFieldDropped,
                    "'\(Self.dotted(path))[\(label)]' of \(objects[object].described) is not imported: the spec cannot write it",
                    object: object, at: item.range)
                continue
            }
            matched.insert(position)
            compareNode(item, list[position], path: path + ["[\(label)]"], object: object)
        }
        for (position, value) in list.enumerated() where !matched.contains(position) {
            report(
                .importFieldChanged,
                "the imported spec adds \(Self.described(value)) to '\(Self.dotted(path))' of \(objects[object].described)",
                object: object, at: SourceRange(start: sequence.range.start, end: sequence.range.start))
        }
    }

    /// Whether a reader carried this node's meaning into the spec: the node, or every entry of it.
    func isExplained(_ node: SpecNode, path: [String], object: Int) -> Bool {
        if explained[object]?.contains(path) == true { return true }
        guard case .mapping(let mapping) = node, !mapping.entries.isEmpty else { return false }
        return mapping.entries.allSatisfy { isExplained($0.value, path: path + [$0.key.text], object: object) }
    }

    /// Every input policy rule against the compiled policy of the same name.
    mutating func comparePolicies(_ compiled: [VaultPolicy]) {
        for policy in policies {
            guard let match = compiled.first(where: { $0.name == policy.name }) else {
                let names = compiled.map { "'\($0.name)'" }.joined(separator: ", ")
                sink.report(
                    .importPolicyChanged,
                    "policy '\(policy.name)' is not written by the imported spec, which writes \(names)",
                    file: policy.file,
                    at: .fileStart)
                continue
            }
            for rule in policy.rules {
                guard let granted = match.rules.first(where: { $0.path == rule.path }) else {
                    sink.report(
                        .importPolicyChanged,
                        "path \"\(rule.path)\" is not in the imported spec's policy '\(policy.name)'",
                        file: policy.file,
                        at: rule.pathRange,
                        help:
                            "Keyway grants the paths the apps reference (or the policy's prefix), and the token self-paths"
                    )
                    continue
                }
                let missing = rule.capabilities.filter { capability in
                    !granted.capabilities.contains { $0.rawValue == capability }
                }
                guard !missing.isEmpty else { continue }
                sink.report(
                    .importPolicyChanged,
                    "capabilities \(missing.map { "'\($0)'" }.joined(separator: ", ")) on \"\(rule.path)\" are not granted by the imported spec's policy",
                    file: policy.file, at: rule.capabilitiesRange,
                    help: "Keyway grants the least ESO needs on each path")
            }
        }
    }

    static func dotted(_ path: [String]) -> String {
        path.reduce("") { text, key in key.hasPrefix("[") ? text + key : text.isEmpty ? key : text + "." + key }
    }

    static func described(_ value: ManifestValue) -> String {
        switch value {
        case .string(let text): return "'\(text)'"
        case .int(let number): return "\(number)"
        case .bool(let flag): return "\(flag)"
        case .list: return "a list"
        case .map(let map): return map["name"].map { "'\(described($0).dropFirst().dropLast())'" } ?? "a mapping"
        }
    }
}
