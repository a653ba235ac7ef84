/// Builds an app's pod template, the part every workload kind wraps: the pod labels, the declared
/// containers with the env, envFrom and read-only volume mounts its secrets generate, the volumes,
/// the image pull Secrets, and the hardened defaults a patch may relax.
struct PodTemplateLowering {
    let app: App
    /// The spec's `defaults.labels`, written after the `app` label.
    let labels: [(String, String)]
    /// Per secret of the app, its volume's name (used only by volume exposures).
    let volumeNames: [String]
    /// Per container a secret names, what the secrets give it (`wiring(of:)`).
    private let wirings: [String: ManifestMap]

    init(app: App, labels: [(String, String)]) {
        self.app = app
        self.labels = labels
        let volumeNames = PodWiring.volumeNames(app.secrets)
        self.volumeNames = volumeNames
        self.wirings = Self.wirings(app.secrets, volumeNames: volumeNames)
    }

    /// The template of a workload Keyway owns: `metadata.labels` (the selector's, then
    /// `defaults.labels` but those the selector sets), then `spec`.
    func template(_ owned: OwnedWorkload) -> ManifestMap {
        var template = ManifestMap()
        let selected = Set(owned.selector.map(\.key))
        template[.labels] = .stringMap(
            owned.selector.map { ($0.key, $0.value) } + labels.filter { !selected.contains($0.0) })
        template["spec"] = .map(podSpec(owned))
        return template
    }

    /// The pod's spec: hardened unless `hardening: none` (RuntimeDefault seccomp, no service
    /// account token unless the app names its service account), then containers, volumes, image
    /// pull Secrets.
    func podSpec(_ owned: OwnedWorkload) -> ManifestMap {
        var spec = ManifestMap()
        let hardened = owned.hardening == .restricted
        if let account = owned.serviceAccountName {
            spec["serviceAccountName"] = .string(account)
        } else if hardened {
            spec[PodHardening.automountField] = .bool(PodHardening.automount)
        }
        if hardened { spec["securityContext"] = .map(PodHardening.podSecurityContext) }
        switch app.kind {
        case .cronJob: spec["restartPolicy"] = "OnFailure"
        case .deployment, .statefulSet, .daemonSet, .rollout: break
        }
        spec["containers"] = .list(owned.containers.map { .map(container($0, hardened: hardened)) })
        let volumes = volumes()
        if !volumes.isEmpty { spec["volumes"] = .list(volumes) }
        let pull = imagePullSecrets()
        if !pull.isEmpty { spec["imagePullSecrets"] = .list(pull) }
        return spec
    }

    /// One declared container with its secrets' wiring and, `hardened`, a restricted security context.
    func container(_ container: Container, hardened: Bool) -> ManifestMap {
        var map: ManifestMap = [
            "name": .string(container.name),
            "image": .string(container.image),
            "command": container.command.isEmpty ? nil : .strings(container.command),
            "args": container.args.isEmpty ? nil : .strings(container.args),
            "securityContext": hardened ? .map(PodHardening.containerSecurityContext) : nil,
        ]
        for entry in wiring(of: container.name).entries { map[entry.key] = entry.value }
        return map
    }

    /// What the secrets that name a container give it: `env`, `envFrom`, `volumeMounts`, each only when not empty.
    func wiring(of container: String) -> ManifestMap { wirings[container] ?? ManifestMap() }

    /// `wiring(of:)` of every container the secrets name, in one pass over the secrets (a pass
    /// per container cost the containers times the secrets for an app whose each secret reaches one).
    private static func wirings(_ secrets: [AppSecret], volumeNames: [String]) -> [String: ManifestMap] {
        var env: [String: [ManifestValue]] = [:]
        var envFrom: [String: [ManifestValue]] = [:]
        var mounts: [String: [ManifestValue]] = [:]
        var containers: [String] = []
        for (index, secret) in secrets.enumerated() {
            var reached = Set<String>()
            for container in secret.containers where reached.insert(container).inserted {
                if env[container] == nil {
                    containers.append(container)
                    env[container] = []
                }
                switch secret.exposure {
                case .envFrom:
                    envFrom[container, default: []].append(["secretRef": ["name": .string(secret.target)]])
                case .env, .envNamed:
                    // The builder refuses `env` where the Secret's keys are not known.
                    for variable in secret.envVariables {
                        env[container]?.append([
                            "name": .string(variable.name),
                            "valueFrom": [
                                "secretKeyRef": ["name": .string(secret.target), "key": .string(variable.key)]
                            ],
                        ])
                    }
                case .volume(let mountPath):
                    mounts[container, default: []].append(
                        ["name": .string(volumeNames[index]), "mountPath": .string(mountPath), "readOnly": true])
                case .none, .imagePullSecret:
                    break
                }
            }
        }
        var wirings: [String: ManifestMap] = [:]
        for container in containers {
            let (env, envFrom, mounts) = (env[container] ?? [], envFrom[container] ?? [], mounts[container] ?? [])
            wirings[container] = [
                "env": env.isEmpty ? nil : .list(env),
                "envFrom": envFrom.isEmpty ? nil : .list(envFrom),
                "volumeMounts": mounts.isEmpty ? nil : .list(mounts),
            ]
        }
        return wirings
    }

    /// A Secret volume per secret exposed as a volume.
    func volumes() -> [ManifestValue] {
        app.secrets.enumerated().compactMap { index, secret in
            guard case .volume = secret.exposure else { return nil }
            return ["name": .string(volumeNames[index]), "secret": ["secretName": .string(secret.target)]]
        }
    }

    /// The Secrets exposed as `imagePullSecret`, each once.
    func imagePullSecrets() -> [ManifestValue] {
        var seen = Set<String>()
        return app.secrets.compactMap { secret in
            guard case .imagePullSecret = secret.exposure, seen.insert(secret.target).inserted else { return nil }
            return ["name": .string(secret.target)]
        }
    }
}
