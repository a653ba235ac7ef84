/// What an app's pod reads, computed once (by the model builder) and handed to the patch check
/// and to Reloader's annotation: which Secrets and ConfigMaps each container reads, the wiring
/// Keyway generates from the secrets (a patch may add `env`, `envFrom`, `volumeMounts` and
/// `volumes` entries next to it, not take its names), and what the patches add.
struct PodWiring: Sendable, Equatable {
    /// A Secret or ConfigMap the pod reads.
    struct Source: Sendable, Hashable {
        var resource: ReloaderAnnotations.Resource
        var name: String
    }

    var containers: [String]
    /// Per container: the variables its generated `env` gets.
    var env: [String: Set<String>] = [:]
    /// The containers whose `envFrom` the secrets write.
    var envFrom: Set<String> = []
    /// Per container: the Secrets its generated `envFrom` reads.
    var envFromSecrets: [String: Set<String>] = [:]
    /// Per container: the volumes it mounts and where.
    var mounts: [String: Set<String>] = [:]
    var mountPaths: [String: Set<String>] = [:]
    /// The pod's Secret volumes.
    var volumes: Set<String> = []
    /// Whether the pod's `imagePullSecrets` are written.
    var hasImagePullSecrets = false
    /// The Secrets and ConfigMaps the pod reads (env, envFrom, volumes; not image pull Secrets),
    /// generated and patched.
    private(set) var reads: Set<Source> = []

    init(containers: [String], secrets: [AppSecret]) {
        self.containers = containers
        let volumeNames = Self.volumeNames(secrets)
        for (secret, volume) in zip(secrets, volumeNames) {
            if secret.isRead { reads.insert(Source(resource: .secret, name: secret.target)) }
            switch secret.exposure {
            case .envFrom:
                envFrom.formUnion(secret.containers)
                for container in secret.containers { envFromSecrets[container, default: []].insert(secret.target) }
            case .env, .envNamed:
                let names = secret.envVariables.map(\.name)
                for container in secret.containers { env[container, default: []].formUnion(names) }
            case .volume(let path):
                volumes.insert(volume)
                for container in secret.containers {
                    mounts[container, default: []].insert(volume)
                    mountPaths[container, default: []].insert(path)
                }
            case .imagePullSecret:
                hasImagePullSecrets = true
            case .none:
                break
            }
        }
    }

    /// A volume name per secret: its target Secret's name where that is a DNS label, else by position.
    static func volumeNames(_ secrets: [AppSecret]) -> [String] {
        secrets.enumerated().map { index, secret in
            Syntax.isDNSLabel(secret.target) && !secret.target.hasPrefix(volumePrefix)
                ? secret.target : "\(volumePrefix)\(index)"
        }
    }

    private static let volumePrefix = "keyway-volume-"

    /// The Secrets the pod reads, sorted: what Reloader's named annotation lists.
    var secretsRead: [String] { reads.filter { $0.resource == .secret }.map(\.name).sorted() }
    /// The ConfigMaps the pod reads, sorted.
    var configMapsRead: [String] { reads.filter { $0.resource == .configMap }.map(\.name).sorted() }

    /// Records what a checked patch makes the pod read: `env` and `envFrom` of its containers and
    /// init containers, and its Secret, ConfigMap and projected volumes.
    mutating func record(patch: ManifestMap, kind: WorkloadKind) {
        guard case .map(let pod)? = patch[kind.podSpec] else { return }
        for list in ["containers", "initContainers"] {
            for case .map(let container) in pod[list]?.listValue ?? [] {
                for case .map(let source) in container["envFrom"]?.listValue ?? [] {
                    note(.secret, source["secretRef"]?.mapValue?["name"])
                    note(.configMap, source["configMapRef"]?.mapValue?["name"])
                }
                for case .map(let variable) in container["env"]?.listValue ?? [] {
                    let from = variable["valueFrom"]?.mapValue
                    note(.secret, from?["secretKeyRef"]?.mapValue?["name"])
                    note(.configMap, from?["configMapKeyRef"]?.mapValue?["name"])
                }
            }
        }
        for case .map(let volume) in pod["volumes"]?.listValue ?? [] {
            note(.secret, volume["secret"]?.mapValue?["secretName"])
            note(.configMap, volume["configMap"]?.mapValue?["name"])
            for case .map(let projected) in volume["projected"]?.mapValue?["sources"]?.listValue ?? [] {
                note(.secret, projected["secret"]?.mapValue?["name"])
                note(.configMap, projected["configMap"]?.mapValue?["name"])
            }
        }
    }

    private mutating func note(_ resource: ReloaderAnnotations.Resource, _ name: ManifestValue?) {
        if case .string(let name)? = name { reads.insert(Source(resource: resource, name: name)) }
    }

    /// The generated entry of a list that a patch entry named `name` (or, for a mount, at `path`;
    /// for `envFrom`, the Secret it reads) would collide with: `nil` when there is none.
    func collision(list: AdditiveList, container: String?, name: String?, mountPath: String?) -> String? {
        switch list {
        case .env:
            guard let container, let name, env[container]?.contains(name) == true else { return nil }
            return "variable '\(name)'"
        case .envFrom:
            guard let container, let name, envFromSecrets[container]?.contains(name) == true else { return nil }
            return "the envFrom of Secret '\(name)'"
        case .volumeMounts:
            guard let container else { return nil }
            if let name, mounts[container]?.contains(name) == true { return "the mount of volume '\(name)'" }
            if let mountPath, mountPaths[container]?.contains(mountPath) == true {
                return "the mount at '\(mountPath)'"
            }
            return nil
        case .volumes:
            guard let name, volumes.contains(name) else { return nil }
            return "volume '\(name)'"
        case .initContainers:
            return nil
        }
    }
}

/// The lists a patch adds entries to, next to the generated ones (merged by `name`).
enum AdditiveList: String, Sendable, CaseIterable {
    case env, envFrom, volumeMounts, volumes, initContainers

    /// The additive list at `path` of a workload of `kind`, if it is one.
    static func at(_ path: ManifestPath, kind: WorkloadKind) -> AdditiveList? {
        if path.isChild(of: kind.podSpec) {
            switch path.components.last {
            case "volumes": return .volumes
            case "initContainers": return .initContainers
            default: return nil
            }
        }
        guard path.components.count == kind.containers.components.count + 2,
            path.components.starts(with: kind.containers.components)
        else {
            return nil
        }
        switch path.components.last {
        case "env": return .env
        case "envFrom": return .envFrom
        case "volumeMounts": return .volumeMounts
        default: return nil
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
        case .childrenContaining(let text):
            candidate.isChild(of: path) && candidate.components.last?.contains(text) == true
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
    static let reloaderDomain = ReloaderAnnotations.domain
    /// The container fields the app's `containers` declare.
    static let declaredContainerFields: Set<String> = ["image", "command", "args"]

    let kind: WorkloadKind
    let wiring: PodWiring
    /// The object-level fields Keyway owns, in the order they are checked.
    let fields: [OwnedField]

    /// What Keyway owns of a workload of `kind` whose pod template carries the `selector` labels.
    init(kind: WorkloadKind, wiring: PodWiring, selector: [String] = [appLabel]) {
        self.kind = kind
        self.wiring = wiring
        self.fields = Self.fields(of: kind, wiring: wiring, selector: selector)
    }

    /// Why a patch may not set `path`, or `nil` when it may.
    func reason(for path: ManifestPath) -> String? {
        fields.first { $0.covers(path) }?.reason
    }

    /// Why a patch may not set `field` of a declared container, or `nil` when it may.
    func reason(forContainerField field: String, of container: String) -> String? {
        if Self.declaredContainerFields.contains(field) { return "set it under the app's 'containers' instead" }
        return nil
    }

    private static func fields(of kind: WorkloadKind, wiring: PodWiring, selector: [String]) -> [OwnedField] {
        let derived = "Keyway derives it from the spec"
        var identity: [ManifestPath] = [.apiVersion, .kind, .name, .namespace]
        identity += [kind.selector].compactMap { $0 }
        identity += selector.map { kind.podTemplate + ManifestPath.labels.appending($0) }
        identity += [
            ManifestPath.labels.appending(appLabel),
            ManifestPath.labels.appending(managedByLabel),
        ]
        var fields = identity.map { OwnedField(path: $0, extent: .exactly, reason: derived) }
        if let replicas = kind.replicas {
            fields.append(OwnedField(path: replicas, extent: .exactly, reason: "set the app's 'replicas' instead"))
        }
        switch kind {
        case .statefulSet:
            fields.append(
                OwnedField(
                    path: ["spec", "serviceName"], extent: .exactly, reason: "set the app's 'serviceName' instead"))
        case .cronJob:
            fields.append(
                OwnedField(path: ["spec", "schedule"], extent: .exactly, reason: "set the app's 'schedule' instead"))
        case .deployment, .daemonSet, .rollout:
            break
        }
        if wiring.hasImagePullSecrets {
            let pull = kind.podSpec.appending("imagePullSecrets")
            fields.append(
                OwnedField(path: pull, extent: .exactly, reason: "Keyway lists the app's image pull Secrets there"))
        }
        let reloader = "Keyway writes the Reloader annotation from 'reload'"
        for annotations in [ManifestPath.annotations, kind.podTemplate + .annotations] {
            fields.append(OwnedField(path: annotations, extent: .childrenContaining(reloaderDomain), reason: reloader))
        }
        return fields
    }
}
