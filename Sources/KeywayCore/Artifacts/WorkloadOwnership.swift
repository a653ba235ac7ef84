/// What the lowering generates into an app's workload from its secrets, so a patch can be kept off it.
struct GeneratedWiring: Sendable {
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

/// A field of a workload that Keyway writes, and why a `patch` may not.
struct OwnedField: Sendable {
    /// How much of the tree under `path` Keyway owns.
    enum Extent: Sendable {
        /// The field itself, and so all below it.
        case exactly
        /// The keys directly under `path` whose name contains the text (annotations of a tool).
        case childrenContaining(String)
    }

    var path: ManifestPath
    var extent: Extent
    var reason: String

    func covers(_ candidate: ManifestPath) -> Bool {
        switch extent {
        case .exactly: candidate == path
        case .childrenContaining(let text): candidate.isChild(of: path) && candidate.components.last?.contains(text) == true
        }
    }
}

/// What Keyway owns of a workload it writes: the table the patch check reads, kept beside the
/// paths the lowering writes (`WorkloadKind`, `WorkloadOwnership.appLabel`, …) so both agree.
struct WorkloadOwnership: Sendable {
    /// The pod label the selector matches: the app's name.
    static let appLabel = "app"
    /// Keyway's label on every object it writes.
    static let managedByLabel = "app.kubernetes.io/managed-by"
    /// Every Reloader annotation carries this in its name.
    static let reloaderDomain = "reloader.stakater.com"
    /// The container fields the app's `containers` declare.
    static let declaredContainerFields: Set<String> = ["image", "command", "args"]

    let kind: WorkloadKind
    let wiring: GeneratedWiring
    /// The object-level fields Keyway owns, in the order they are checked.
    let fields: [OwnedField]

    init(kind: WorkloadKind, wiring: GeneratedWiring) {
        self.kind = kind
        self.wiring = wiring
        self.fields = Self.fields(of: kind, wiring: wiring)
    }

    /// Why a patch may not set `path`, or `nil` when it may.
    func reason(for path: ManifestPath) -> String? {
        fields.first { $0.covers(path) }?.reason
    }

    /// Why a patch may not set `field` of a declared container, or `nil` when it may.
    func reason(forContainerField field: String, of container: String) -> String? {
        if wiring.fields[container]?.contains(field) == true { return "Keyway wires the app's secrets there" }
        if Self.declaredContainerFields.contains(field) { return "set it under the app's 'containers' instead" }
        return nil
    }

    private static func fields(of kind: WorkloadKind, wiring: GeneratedWiring) -> [OwnedField] {
        let derived = "Keyway derives it from the spec"
        var identity: [ManifestPath] = [.apiVersion, .kind, .name, .namespace]
        identity += [kind.selector].compactMap { $0 }
        identity += [
            kind.podTemplate + ManifestPath.labels.appending(appLabel),
            ManifestPath.labels.appending(appLabel),
            ManifestPath.labels.appending(managedByLabel),
        ]
        var fields = identity.map { OwnedField(path: $0, extent: .exactly, reason: derived) }
        if let replicas = kind.replicas {
            fields.append(OwnedField(path: replicas, extent: .exactly, reason: "set the app's 'replicas' instead"))
        }
        if wiring.hasVolumes {
            let volumes = kind.podTemplate + .podVolumes
            fields.append(OwnedField(path: volumes, extent: .exactly, reason: "Keyway mounts the app's secrets there"))
        }
        let reloader = "Keyway writes the Reloader annotation from 'reload'"
        for annotations in [ManifestPath.annotations, kind.podTemplate + .annotations] {
            fields.append(OwnedField(path: annotations, extent: .childrenContaining(reloaderDomain), reason: reloader))
        }
        return fields
    }
}
