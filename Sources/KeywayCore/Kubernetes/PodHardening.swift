/// The hardened pod settings Keyway writes, in one place.
///
/// They cover the app workloads' pods and containers (a patch may relax them), the renewal
/// CronJob's, and the service accounts'. `import` reads them back from the same values, so a setting changed here changes what is written and what is
/// recognised as Keyway's.
enum PodHardening {
    /// The field that stops a service account token from being mounted into a pod (or by a ServiceAccount).
    static let automountField = "automountServiceAccountToken"
    /// Its value: no token unless the app names its service account.
    static let automount = false

    /// The `RuntimeDefault` seccomp profile.
    static let seccompProfile: ManifestMap = ["type": "RuntimeDefault"]

    /// An app pod's `securityContext`.
    static let podSecurityContext: ManifestMap = ["seccompProfile": .map(seccompProfile)]

    /// An app container's `securityContext`: no privilege escalation, every capability dropped.
    static let containerSecurityContext: ManifestMap = [
        "allowPrivilegeEscalation": false, "capabilities": ["drop": ["ALL"]],
    ]

    /// The renewal pod's `securityContext`: a fixed non-root user, group and filesystem group.
    static func renewalPodSecurityContext(user: Int) -> ManifestMap {
        [
            "runAsNonRoot": true,
            "runAsUser": .int(user),
            "runAsGroup": .int(user),
            "fsGroup": .int(user),
            "seccompProfile": .map(seccompProfile),
        ]
    }

    /// The renewal container's `securityContext`: the app container's, with a read-only root filesystem.
    static let renewalContainerSecurityContext: ManifestMap = [
        "allowPrivilegeEscalation": false,
        "readOnlyRootFilesystem": true,
        "capabilities": ["drop": ["ALL"]],
    ]
}

/// What in a patch undoes the hardened pod: every container Keyway writes, declared or added by a
/// patch, gets `containerSecurityContext`, the pod `podSecurityContext`; a patch may still set
/// anything the Kubernetes schema allows, and `relaxation` names what a patched value gives up.
extension PodHardening {
    /// The pod spec's lists of containers other than the declared `containers`: a patch adds whole
    /// containers there.
    static let addedContainerLists = ["initContainers", "ephemeralContainers"]

    /// What setting `value` at `path` in a workload of `kind` gives up of the hardened pod, or `nil`.
    ///
    /// The one place that knows the relaxations: privileged, privilege escalation, added or
    /// no-longer-dropped capabilities, root (`runAsUser: 0`, `runAsNonRoot: false`), an unconfined
    /// seccomp profile, the host's PID, network or IPC namespace, a `hostPath` volume.
    static func relaxation(at path: ManifestPath, value: ManifestValue, kind: WorkloadKind) -> String? {
        let pod = kind.podSpec.components
        guard path.components.starts(with: pod) else { return nil }
        let inPod = Array(path.components.dropFirst(pod.count))
        switch (inPod.first, inPod.count) {
        case ("hostPID"?, 1), ("hostNetwork"?, 1), ("hostIPC"?, 1):
            return value == .bool(true) ? "'\(inPod[0]): true' shares the node's namespace with the pod" : nil
        case ("volumes"?, 2) where inPod[1] == "hostPath":
            return "a 'hostPath' volume gives the pod the node's files"
        case ("securityContext"?, _):
            return securityContext(Array(inPod.dropFirst()), value: value)
        case ("containers"?, _):
            return container(Array(inPod.dropFirst(2)), value: value)
        case (let list?, _) where addedContainerLists.contains(list):
            return container(Array(inPod.dropFirst()), value: value)
        default:
            return nil
        }
    }

    /// A relaxation at `path` inside one container.
    private static func container(_ path: [String], value: ManifestValue) -> String? {
        guard path.first == "securityContext" else { return nil }
        let field = Array(path.dropFirst())
        switch field {
        case ["privileged"]:
            return value == .bool(true)
                ? "'privileged: true' gives the container the node's devices and every capability" : nil
        case ["allowPrivilegeEscalation"]:
            return value == .bool(true)
                ? "'allowPrivilegeEscalation: true' lets a process gain privileges (setuid)" : nil
        case ["capabilities", "add"]:
            guard case .list(let added) = value, !added.isEmpty else { return nil }
            return "'capabilities.add' gives the container capabilities back after the drop of ALL"
        case ["capabilities", "drop"]:
            guard case .list(let dropped) = value, !dropped.contains(.string("ALL")) else { return nil }
            return "'capabilities.drop' without ALL replaces the drop of ALL: the runtime's default capabilities return"
        default:
            return securityContext(field, value: value)
        }
    }

    /// A relaxation in a pod's or a container's security context.
    private static func securityContext(_ field: [String], value: ManifestValue) -> String? {
        switch field {
        case ["runAsUser"]: value == .int(0) ? "'runAsUser: 0' runs as root" : nil
        case ["runAsNonRoot"]: value == .bool(false) ? "'runAsNonRoot: false' lets the container run as root" : nil
        case ["seccompProfile", "type"]:
            value == .string("Unconfined") ? "'seccompProfile.type: Unconfined' turns the seccomp filter off" : nil
        default: nil
        }
    }

    /// A container a patch added, with the hardened security context under its own.
    static func hardened(_ container: ManifestValue) -> ManifestValue {
        guard case .map(var map) = container else { return container }
        var context = containerSecurityContext
        if case .map(let own)? = map["securityContext"] { context = WorkloadPatch.merge(own, into: context) }
        map["securityContext"] = .map(context)
        return .map(map)
    }
}

/// What `hardening: restricted` adds to a pod, read from the same values the lowering writes:
/// `hardening: none` is warned with all of it (KW182), and `import` keeps a pod that lacks some
/// of it as it is (`hardening: none`) and lists what it lacks (KW135).
extension PodHardening {
    /// One hardened setting: its path below the pod spec (or a container) and its value.
    typealias Setting = (path: [String], value: ManifestValue)

    /// The pod spec's settings: no service account token unless the app names its account, then
    /// the pod's `securityContext`.
    static func podSettings(namesAccount: Bool) -> [Setting] {
        (namesAccount ? [] : [([automountField], .bool(automount))])
            + leaves(podSecurityContext, under: ["securityContext"])
    }

    /// Each container's settings: its `securityContext`, in the declared containers and in those a
    /// patch adds (`addedContainerLists`).
    static var containerSettings: [Setting] { leaves(containerSecurityContext, under: ["securityContext"]) }

    /// Every setting `hardening: restricted` adds, in words: the pod's, then each container's
    /// (`'automountServiceAccountToken: false', …, and in each container '…'`).
    static func added(namesAccount: Bool) -> String {
        let pod = podSettings(namesAccount: namesAccount).map { described($0.path, $0.value) }
        let container = containerSettings.map { described($0.path, $0.value) }.joined(separator: ", ")
        return (pod + ["and in each container " + container]).joined(separator: ", ")
    }

    /// The settings of the hardened pod that the `pod` spec (with its containers and init containers) lacks.
    ///
    /// Each is `'FIELD: VALUE'` (a container's with its name); none when the pod is hardened as
    /// Keyway hardens it. A list setting is had when the pod's list holds its items (`drop: [ALL, …]`).
    static func missing(pod: ManifestMap, namesAccount: Bool) -> [String] {
        let settings = podSettings(namesAccount: namesAccount)
        var missing = settings.filter { !has(pod, $0.path, $0.value) }.map { described($0.path, $0.value) }
        // Restricted hardens the containers a patch adds (`initContainers`) as the declared ones.
        let containers = (["containers"] + addedContainerLists).flatMap { pod[$0]?.listValue ?? [] }
        for case .map(let container) in containers {
            let name = container["name"].flatMap { if case .string(let text) = $0 { text } else { nil } } ?? "?"
            missing += containerSettings.filter { !has(container, $0.path, $0.value) }.map {
                "\(described($0.path, $0.value)) in container '\(name)'"
            }
        }
        return missing
    }

    /// The scalar and list values of a map, each with its path below `prefix`.
    private static func leaves(_ map: ManifestMap, under prefix: [String]) -> [Setting] {
        map.entries.flatMap { entry -> [Setting] in
            if case .map(let child) = entry.value { return leaves(child, under: prefix + [entry.key]) }
            return [(prefix + [entry.key], entry.value)]
        }
    }

    private static func has(_ map: ManifestMap, _ path: [String], _ value: ManifestValue) -> Bool {
        let found = path.dropLast().reduce(map as ManifestMap?) { $0?[$1]?.mapValue }?[path.last ?? ""]
        guard case .list(let wanted) = value else { return found == value }
        let items = found?.listValue ?? []
        return wanted.allSatisfy(items.contains)
    }

    private static func described(_ path: [String], _ value: ManifestValue) -> String {
        "'\(path.joined(separator: ".")): \(text(value))'"
    }

    /// A setting's value as a message writes it (`false`, `RuntimeDefault`, `[ALL]`).
    private static func text(_ value: ManifestValue) -> String {
        switch value {
        case .string(let text): text
        case .int(let number): String(number)
        case .bool(let flag): String(flag)
        case .list(let items): "[" + items.map(text).joined(separator: ", ") + "]"
        case .map(let map): "{" + map.entries.map { "\($0.key): \(text($0.value))" }.joined(separator: ", ") + "}"
        }
    }
}
