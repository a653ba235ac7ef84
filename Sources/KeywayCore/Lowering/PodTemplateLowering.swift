/// Builds an app's pod template, the part every workload kind wraps: the pod labels, the declared
/// containers with the env, envFrom and read-only volume mounts its secrets generate, and the volumes.
struct PodTemplateLowering {
    let app: App
    /// The spec's `defaults.labels`, written after the `app` label.
    let labels: [(String, String)]
    /// Per secret of the app, its volume's name (used only by volume exposures).
    let volumeNames: [String]

    init(app: App, labels: [(String, String)]) {
        self.app = app
        self.labels = labels
        self.volumeNames = Self.volumeNames(app)
    }

    /// The template: `metadata.labels`, then `spec.containers` and `spec.volumes`.
    func template() -> ManifestMap {
        var template = ManifestMap()
        template[.labels] = .stringMap([(WorkloadOwnership.appLabel, app.name)] + labels)
        template[.podContainers] = .list(app.containers.map { .map(container($0)) })
        let volumes = volumes()
        if !volumes.isEmpty { template[.podVolumes] = .list(volumes) }
        return template
    }

    /// One declared container with its secrets' wiring.
    func container(_ container: Container) -> ManifestMap {
        let wiring = wiring(of: container)
        return [
            "name": .string(container.name),
            "image": .string(container.image),
            "command": container.command.isEmpty ? nil : .strings(container.command),
            "args": container.args.isEmpty ? nil : .strings(container.args),
            "env": wiring.env.isEmpty ? nil : .list(wiring.env),
            "envFrom": wiring.envFrom.isEmpty ? nil : .list(wiring.envFrom),
            "volumeMounts": wiring.mounts.isEmpty ? nil : .list(wiring.mounts),
        ]
    }

    /// What the secrets that name a container give it.
    struct ContainerWiring {
        var env: [ManifestValue] = []
        var envFrom: [ManifestValue] = []
        var mounts: [ManifestValue] = []
    }

    func wiring(of container: Container) -> ContainerWiring {
        var wiring = ContainerWiring()
        for (index, secret) in app.secrets.enumerated() where secret.containers.contains(container.name) {
            switch secret.exposure {
            case .envFrom:
                wiring.envFrom.append(["secretRef": ["name": .string(secret.target)]])
            case .env:
                // The builder refuses `env` where the Secret's keys are not known.
                for key in secret.outputKeys ?? [] {
                    wiring.env.append([
                        "name": .string(key),
                        "valueFrom": ["secretKeyRef": ["name": .string(secret.target), "key": .string(key)]],
                    ])
                }
            case .volume(let mountPath):
                wiring.mounts.append(["name": .string(volumeNames[index]), "mountPath": .string(mountPath), "readOnly": true])
            }
        }
        return wiring
    }

    /// A Secret volume per secret exposed as a volume.
    func volumes() -> [ManifestValue] {
        app.secrets.enumerated().compactMap { index, secret in
            guard case .volume = secret.exposure else { return nil }
            return ["name": .string(volumeNames[index]), "secret": ["secretName": .string(secret.target)]]
        }
    }

    /// A volume name per secret: its target Secret's name where that is a DNS label, else by position.
    static func volumeNames(_ app: App) -> [String] {
        app.secrets.enumerated().map { index, secret in
            Syntax.isDNSLabel(secret.target) && !secret.target.hasPrefix("keyway-volume-") ? secret.target : "keyway-volume-\(index)"
        }
    }
}
