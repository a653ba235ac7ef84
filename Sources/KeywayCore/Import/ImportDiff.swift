import Dispatch

/// The last step of an import: every input object against what the imported spec compiles to.
/// A field the compiled object lacks, a value it writes otherwise, secret wiring it adds, an object
/// it does not write: each is a located warning.
extension ImportContext {
    static let unsupportedWorkloads: Set<String> = ["Job", "ReplicaSet", "Pod"]
    static let importedKinds: Set<String> = [
        "ClusterSecretStore", "SecretStore", "ExternalSecret", "Deployment", "StatefulSet", "DaemonSet", "CronJob",
        "Rollout", "ServiceAccount",
        "PrometheusRule", "ConfigMap", "ClusterRoleBinding",
    ]

    /// Reads what the comparison needs of other objects than the one compared (the Reloader
    /// checks' input side), then hands over every object's tree to be packed (`PackingJob`): the
    /// trees are not held while the imported spec compiles.
    mutating func takeTrees() -> PackingJob {
        let inputs = reloadInputs()
        reloadBefore = reloadViews(inputs: inputs)
        reloadInputsRead = inputs
        let roots = objects.map(\.root)
        for index in objects.indices {
            objects[index].root = SpecMapping(entries: [], range: objects[index].root.range)
        }
        return PackingJob(roots: roots)
    }

    mutating func compare(with compiled: CompiledOutput, appNamespace: String?) {
        var byKey: [ObjectKey: ManifestMap] = [:]
        byKey.reserveCapacity(compiled.objects.count)
        for object in compiled.objects {
            byKey[ObjectKey(kind: object.kind, namespace: object.namespace, name: object.name)] = object.document
        }
        let reloadInputs = reloadInputsRead ?? self.reloadInputs()
        if reloadInputsRead == nil { reloadBefore = reloadViews(inputs: reloadInputs) }
        // The policies are compared on the other core meanwhile; their diagnostics come after the objects'.
        let policyCheck = PolicyCheck(context: self, compiled: compiled.policies)
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { policyCheck.run() }
        compareObjects(byKey: byKey, reloadInputs: reloadInputs)
        group.wait()
        sink.append(policyCheck.sink)
    }

    /// Every input object against the compiled object of the same kind, namespace and name.
    ///
    /// Each packed tree is unpacked (`UnpackingJob`, a chunk ahead on the other core) for its
    /// object's comparison, and released after it.
    mutating func compareObjects(byKey: [ObjectKey: ManifestMap], reloadInputs: ReloadInputs) {
        let unpacking = packed.isEmpty ? nil : UnpackingJob(packed: packed)
        unpacking?.start(0)
        var chunk: [SpecMapping] = []
        for index in objects.indices {
            if let unpacking {
                if index % UnpackingJob.chunkSize == 0 {
                    let done = chunk
                    chunk = unpacking.take(index / UnpackingJob.chunkSize)
                    unpacking.start(index / UnpackingJob.chunkSize + 1, releasing: done)
                }
                objects[index].root = chunk[index % UnpackingJob.chunkSize]
            }
            defer { if unpacking != nil { objects[index].root.entries = [] } }
            let object = objects[index]
            let assumed =
                ["ClusterSecretStore", "ClusterRoleBinding"].contains(object.kind) ? nil : KubernetesDefaults.namespace
            if let document = byKey[object.key(namespace: assumed)] {
                var path: [String] = []
                compareNode(object.node, .map(document), path: &path, explained: explained[index], object: index)
                compareReloads(index, compiled: document, byKey: byKey, inputs: reloadInputs)
            } else {
                reportUnwritten(index)
            }
        }
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
                    "a spec writes one store per KV mount (the first named as the spec's store, the others 'NAME-MOUNT'; a SecretStore per app namespace), and the ExternalSecrets and workloads of its apps"
            )
        } else {
            report(
                .importUnsupportedKind, "kind '\(object.kind)' is not imported: a spec has no place for it",
                object: index, at: range,
                help: "keep '\(object.name)' beside Keyway's output")
        }
    }

    /// Compares one input node with the compiled value at the same place.
    ///
    /// `path` is the node's place (a stack: each level appends its key and removes it again),
    /// `explained` the tree of explained paths below that place, `nil` when none leads through it.
    mutating func compareNode(
        _ node: SpecNode, _ value: ManifestValue, path: inout [String], explained: ExplainedPaths?, object: Int
    ) {
        switch (node, value) {
        case (.mapping(let mapping), .map(let map)):
            compareMapping(mapping, map, path: &path, explained: explained, object: object)
        case (.sequence(let sequence), .list(let list)):
            compareSequence(sequence, list, path: &path, explained: explained, object: object)
        default:
            guard let input = node.manifestValue, input != value else { return }
            report(
                .importFieldChanged,
                "'\(Self.dotted(path))' of \(objects[object].described) is \(Self.described(input)) here; the imported spec writes \(Self.described(value))",
                object: object, at: node.range)
        }
    }

    mutating func compareMapping(
        _ mapping: SpecMapping, _ map: ManifestMap, path: inout [String], explained: ExplainedPaths?, object: Int
    ) {
        for entry in mapping.entries {
            let key = entry.key.text
            let below = explained?.children[key]
            if entry.value.isNull || below?.covers(entry.value) == true { continue }
            path.append(key)
            defer { path.removeLast() }
            guard let value = map[key] else {
                if kept.contains(object) { continue }
                report(
                    .importFieldDropped,
                    "'\(Self.dotted(path))' of \(objects[object].described) is not imported: the spec cannot write it",
                    object: object, at: entry.key.range)
                continue
            }
            if path.count == 2, path[0] == "spec", key == "selector",
                WorkloadKind(rawValue: objects[object].kind) != nil,
                !kept.contains(object), let input = entry.value.manifestValue, input != value
            {
                sink.report(
                    .importMeaningChanged,
                    "the selector of \(objects[object].described) is \(Self.labels(input)); the imported spec writes \(Self.labels(value)): Kubernetes refuses to change a workload's selector, and its pods would be replaced",
                    file: objects[object].file, at: entry.value.range,
                    help:
                        "label the workload 'app: \(objects[object].name)' in its selector and pod template before importing"
                )
                continue
            }
            compareNode(entry.value, value, path: &path, explained: below, object: object)
        }
        for entry in map.entries where Self.isWiringField(entry.key) {
            guard !mapping.entries.contains(where: { $0.key.text == entry.key }) else { continue }
            report(
                .importFieldChanged,
                "the imported spec adds '\(entry.key)' to '\(Self.dotted(path))' of \(objects[object].described)",
                object: object, at: SourceRange(start: mapping.range.start, end: mapping.range.start),
                help: "a spec secret is read through envFrom, env or a volume: check how the pods read it")
        }
    }

    /// The fields whose absence from the input is no news, but whose addition changes what pods read.
    static func isWiringField(_ key: String) -> Bool {
        switch key {
        case "env", "envFrom", "volumeMounts", "volumes": return true
        default: return false
        }
    }

    mutating func compareSequence(
        _ sequence: SpecSequence, _ list: [ManifestValue], path: inout [String], explained: ExplainedPaths?,
        object: Int
    ) {
        var matcher = ListMatcher(list)
        for (offset, item) in sequence.items.enumerated() {
            let name = item["name"]?.text
            let label = name ?? String(offset)
            // A named entry matches by name (and namespace, as a binding's subjects do), once; an
            // unnamed mapping (an envFrom source) an equal one, else the entry at its place.
            let position: Int?
            if let name {
                position = matcher.take(.name(name, namespace: item["namespace"]?.manifestValue))
            } else if let value = item.manifestValue, case .map = value, let equal = matcher.take(.value(value)) {
                position = equal
            } else {
                position = offset < list.count && matcher.take(position: offset) ? offset : nil
            }
            path.append("[\(label)]")
            defer { path.removeLast() }
            guard let position else {
                if kept.contains(object) { continue }
                report(
                    .importFieldDropped,
                    "'\(Self.dotted(path))' of \(objects[object].described) is not imported: the spec cannot write it",
                    object: object, at: item.range)
                continue
            }
            compareNode(
                item, list[position], path: &path, explained: explained?.children[path[path.count - 1]], object: object)
        }
        for (position, value) in list.enumerated() where !matcher.matched.contains(position) {
            report(
                .importFieldChanged,
                "the imported spec adds \(Self.described(value)) to '\(Self.dotted(path))' of \(objects[object].described)",
                object: object, at: SourceRange(start: sequence.range.start, end: sequence.range.start))
        }
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
            reportWidening(of: policy, by: match)
            var byPath: [String: PolicyRule] = [:]
            for rule in match.rules where byPath[rule.path] == nil { byPath[rule.path] = rule }
            for rule in policy.rules {
                guard let granted = byPath[rule.path] else {
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

    /// The paths Vault's default policy lets every token call on itself (OpenBao's
    /// `internal/vault/policy/policy_store.go`, `defaultPolicy`): an input token has them unless it
    /// is created without the default policy, which Keyway's credentials are; the imported policy
    /// grants them instead.
    static let defaultPolicySelfPaths: Set = [
        "auth/token/lookup-self read", "auth/token/renew-self update", "auth/token/revoke-self update",
    ]

    /// Every capability the compiled policy grants on a path where the input policy grants it not
    /// (or denies it), compared by Vault's rules (`VaultACL`): an error, at the input rule that
    /// decides that path (the file's start when none does).
    mutating func reportWidening(of policy: InputPolicy, by compiled: VaultPolicy) {
        let input = policy.acl
        for widened in VaultACL(compiled).widening(over: input)
        where !Self.defaultPolicySelfPaths.contains("\(widened.path) \(widened.capability)") {
            let decider = input.governing(widened.probe, list: widened.capability == "list")
            let denied = decider?.capabilities.contains(VaultACL.deny) == true
            let rule = decider.flatMap { decider in policy.rules.last { $0.path == decider.path } }
            let scope =
                widened.path.hasSuffix("*") ? "every path below \"\(widened.path.dropLast())\"" : "\"\(widened.path)\""
            let reason =
                denied
                ? "which rule \"\(decider?.path ?? "")\" of the input denies"
                : "which the input policy does not grant"
            let at =
                widened.probe.hasSuffix(VaultACL.elsewhere) || widened.probe == widened.path
                ? "" : " (at \"\(widened.probe)\")"
            sink.report(
                .importPolicyWidened,
                "the imported spec's policy '\(compiled.name)' grants '\(widened.capability)' on \(scope)\(at), \(reason)",
                file: policy.file, at: rule?.pathRange ?? .fileStart,
                help:
                    "narrow the spec's secrets (or 'vault.policy') to what the input policy grants, or change the input policy, then import again"
            )
        }
    }

    /// A selector as `{key: value, …}` of its `matchLabels`, for messages.
    static func labels(_ selector: ManifestValue) -> String {
        let labels = selector.mapValue?["matchLabels"]?.mapValue?.entries ?? []
        let text = labels.map { entry in
            if case .string(let value) = entry.value { return "\(entry.key): \(value)" }
            return "\(entry.key): \(described(entry.value))"
        }
        return "{" + text.joined(separator: ", ") + "}"
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

/// The entries of a compiled list, each taken once: by name (and namespace) or, for an unnamed
/// mapping, by value, in list order; linear in the list however the input orders its entries.
struct ListMatcher {
    enum Key: Hashable {
        case name(String, namespace: ManifestValue?)
        case value(ManifestValue)
    }

    /// The positions taken so far.
    private(set) var matched = Set<Int>()
    private var positions: [Key: [Int]] = [:]
    /// Per key, where its first position not yet taken may be: each cursor only moves forward.
    private var cursors: [Key: Int] = [:]

    init(_ list: [ManifestValue]) {
        for (index, value) in list.enumerated() {
            guard case .map(let map) = value else { continue }
            guard case .string(let name)? = map["name"] else {
                positions[.value(value), default: []].append(index)
                continue
            }
            positions[.name(name, namespace: nil), default: []].append(index)
            if let namespace = map["namespace"] {
                positions[.name(name, namespace: namespace), default: []].append(index)
            }
        }
    }

    /// The first position of `key` not taken yet, now taken.
    mutating func take(_ key: Key) -> Int? {
        guard let found = positions[key] else { return nil }
        var cursor = cursors[key] ?? 0
        while cursor < found.count, matched.contains(found[cursor]) { cursor += 1 }
        cursors[key] = cursor
        guard cursor < found.count else { return nil }
        matched.insert(found[cursor])
        return found[cursor]
    }

    /// Takes `position` when it is not taken yet.
    mutating func take(position: Int) -> Bool { matched.insert(position).inserted }
}

/// The comparison of the input policies with the compiled ones, run on its own copy of the
/// import's state: only its diagnostics (`sink`) are read back.
final class PolicyCheck: @unchecked Sendable {
    private var context: ImportContext
    private let compiled: [VaultPolicy]

    init(context: ImportContext, compiled: [VaultPolicy]) {
        self.context = context
        self.compiled = compiled
    }

    var sink: ImportSink { context.sink }

    func run() {
        context.sink = ImportSink()
        context.comparePolicies(compiled)
    }
}
