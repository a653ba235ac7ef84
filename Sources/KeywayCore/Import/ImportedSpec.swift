/// What `import` found, in the spec's terms, before it is written as a spec document. Values the
/// spec defaults are `nil` where the inputs matched the default.
struct ImportedSpec {
    var name: String
    var vault: ImportedVault
    var store: ImportedStore
    var apps: [ImportedApp] = []
    var labels: [(String, String)] = []
    /// The PrometheusRule's namespace, when the inputs hold Keyway's rule.
    var monitoringNamespace: String?
}

/// The `vault` block.
struct ImportedVault {
    var server: String
    var mount: String
    var version: KVVersion
    var policyName: String?
    var prefix: String?
    var auth: ImportedAuth
}

/// The `vault.auth` block.
enum ImportedAuth {
    case token(period: String, secretRef: SecretKeyReference, schedule: String?, image: String?)
    case kubernetes(mountPath: String, role: String, account: String, accountNamespace: String?, audience: String?)
    case appRole(mountPath: String, role: String, secretRef: SecretKeyReference, roleIdKey: String)
}

/// The `secretStore` block.
struct ImportedStore {
    var name: String
    var kind: StoreKind
    var apiVersion: ESOAPIVersion
}

/// One app: a Deployment and the ExternalSecrets it reads.
struct ImportedApp {
    var name: String
    var namespace: String
    var replicas: Int?
    var containers: [Container]
    var secrets: [ImportedSecret] = []
    var reload: Reload = .named
    var patch = ManifestMap()
}

/// One secret of an app: an ExternalSecret and how the Deployment reads its Secret.
struct ImportedSecret {
    var name: String
    var target: String
    var refreshInterval: String?
    var creationPolicy: String?
    var deletionPolicy: String?
    var source: SecretSource
    var exposure: Exposure = .envFrom
    /// `nil`: every container of the app.
    var containers: [String]?
}

/// Writes an imported spec as the spec document, leaving out what the spec defaults.
enum SpecWriter {
    static func document(_ spec: ImportedSpec) -> ManifestMap {
        var document: ManifestMap = [
            SpecKey.Top.apiVersion.rawValue: .string(ModelBuilder.specAPIVersion),
            SpecKey.Top.kind.rawValue: "Environment",
            SpecKey.Top.metadata.rawValue: [SpecKey.Metadata.name.rawValue: .string(spec.name)],
            SpecKey.Top.vault.rawValue: .map(vault(spec.vault, environment: spec.name)),
        ]
        let store = secretStore(spec.store, environment: spec.name)
        if !store.isEmpty { document[SpecKey.Top.secretStore.rawValue] = .map(store) }
        if !spec.labels.isEmpty { document[SpecKey.Top.defaults.rawValue] = [SpecKey.Defaults.labels.rawValue: .stringMap(spec.labels)] }
        if let namespace = spec.monitoringNamespace {
            document[SpecKey.Top.monitoring.rawValue] = [
                SpecKey.Monitoring.prometheusRule.rawValue: true,
                SpecKey.Monitoring.namespace.rawValue: namespace == "external-secrets" ? nil : .string(namespace),
            ]
        }
        document[SpecKey.Top.apps.rawValue] = .map(ManifestMap(spec.apps.map { ManifestEntry($0.name, .map(app($0))) }))
        return document
    }

    static func vault(_ vault: ImportedVault, environment: String) -> ManifestMap {
        var policy = ManifestMap()
        if let name = vault.policyName, name != "keyway-\(environment)" { policy[SpecKey.Policy.name.rawValue] = .string(name) }
        if let prefix = vault.prefix {
            policy[SpecKey.Policy.scope.rawValue] = "prefix"
            policy[SpecKey.Policy.prefix.rawValue] = .string(prefix)
        }
        return [
            SpecKey.Vault.server.rawValue: .string(vault.server),
            SpecKey.Vault.kv.rawValue: [SpecKey.KV.mount.rawValue: .string(vault.mount), SpecKey.KV.version.rawValue: .int(vault.version.rawValue)],
            SpecKey.Vault.policy.rawValue: policy.isEmpty ? nil : .map(policy),
            SpecKey.Vault.auth.rawValue: auth(vault.auth),
        ]
    }

    static func auth(_ auth: ImportedAuth) -> ManifestValue {
        switch auth {
        case .token(let period, let secretRef, let schedule, let image):
            var renewal = ManifestMap()
            if let schedule { renewal[SpecKey.Renewal.schedule.rawValue] = .string(schedule) }
            if let image { renewal[SpecKey.Renewal.image.rawValue] = .string(image) }
            return [
                SpecKey.Auth.token.rawValue: [
                    SpecKey.Token.period.rawValue: .string(period),
                    SpecKey.Token.secretRef.rawValue: reference(secretRef),
                    SpecKey.Token.renewal.rawValue: renewal.isEmpty ? nil : .map(renewal),
                ]
            ]
        case .kubernetes(let mountPath, let role, let account, let accountNamespace, let audience):
            return [
                SpecKey.Auth.kubernetes.rawValue: [
                    SpecKey.Kubernetes.mountPath.rawValue: mountPath == "kubernetes" ? nil : .string(mountPath),
                    SpecKey.Kubernetes.role.rawValue: .string(role),
                    SpecKey.Kubernetes.serviceAccountRef.rawValue: [
                        SpecKey.ServiceAccountRef.name.rawValue: .string(account),
                        SpecKey.ServiceAccountRef.namespace.rawValue: accountNamespace.map { .string($0) },
                    ],
                    SpecKey.Kubernetes.audience.rawValue: audience.map { .string($0) },
                ]
            ]
        case .appRole(let mountPath, let role, let secretRef, let roleIdKey):
            return [
                SpecKey.Auth.appRole.rawValue: [
                    SpecKey.AppRole.mountPath.rawValue: mountPath == "approle" ? nil : .string(mountPath),
                    SpecKey.AppRole.role.rawValue: .string(role),
                    SpecKey.AppRole.secretRef.rawValue: reference(secretRef),
                    SpecKey.AppRole.roleIdKey.rawValue: roleIdKey == "role-id" ? nil : .string(roleIdKey),
                ]
            ]
        }
    }

    static func reference(_ reference: SecretKeyReference) -> ManifestValue {
        [
            SpecKey.SecretRef.name.rawValue: .string(reference.name),
            SpecKey.SecretRef.key.rawValue: .string(reference.key),
            SpecKey.SecretRef.namespace.rawValue: reference.namespace.map { .string($0) },
        ]
    }

    static func secretStore(_ store: ImportedStore, environment: String) -> ManifestMap {
        var map = ManifestMap()
        if store.name != environment { map[SpecKey.SecretStore.name.rawValue] = .string(store.name) }
        switch store.kind {
        case .cluster(let allNamespaces):
            if allNamespaces { map[SpecKey.SecretStore.allNamespaces.rawValue] = true }
        case .namespaced:
            map[SpecKey.SecretStore.kind.rawValue] = "SecretStore"
        }
        if store.apiVersion != .v1 { map[SpecKey.SecretStore.apiVersion.rawValue] = .string(store.apiVersion.rawValue) }
        return map
    }

    static func app(_ app: ImportedApp) -> ManifestMap {
        let containers = app.containers.map { container in
            ManifestEntry(
                container.name,
                [
                    SpecKey.Container.image.rawValue: .string(container.image),
                    SpecKey.Container.command.rawValue: container.command.isEmpty ? nil : .strings(container.command),
                    SpecKey.Container.args.rawValue: container.args.isEmpty ? nil : .strings(container.args),
                ])
        }
        return [
            SpecKey.App.namespace.rawValue: .string(app.namespace),
            SpecKey.App.replicas.rawValue: app.replicas.flatMap { $0 == 1 ? nil : .int($0) },
            SpecKey.App.reload.rawValue: app.reload == .named ? nil : .string(app.reload.rawValue),
            SpecKey.App.containers.rawValue: .map(ManifestMap(containers)),
            SpecKey.App.secrets.rawValue: app.secrets.isEmpty ? nil : .map(ManifestMap(app.secrets.map { ManifestEntry($0.name, .map(secret($0))) })),
            SpecKey.App.patch.rawValue: app.patch.isEmpty ? nil : .map(app.patch),
        ]
    }

    static func secret(_ secret: ImportedSecret) -> ManifestMap {
        var map: ManifestMap = [
            SpecKey.Secret.target.rawValue: secret.target == secret.name ? nil : .string(secret.target),
            SpecKey.Secret.refreshInterval.rawValue: secret.refreshInterval.map { .string($0) },
            SpecKey.Secret.creationPolicy.rawValue: secret.creationPolicy.map { .string($0) },
            SpecKey.Secret.deletionPolicy.rawValue: secret.deletionPolicy.map { .string($0) },
        ]
        switch secret.source {
        case .extract(let path):
            map[SpecKey.Secret.extract.rawValue] = .string(path)
        case .keys(let keys):
            map[SpecKey.Secret.keys.rawValue] = .map(ManifestMap(keys.map { ManifestEntry($0.name, keyReference($0)) }))
        case .find(let path, let name):
            map[SpecKey.Secret.find.rawValue] = [SpecKey.Find.path.rawValue: .string(path), SpecKey.Find.name.rawValue: name.map { .string($0) }]
        }
        switch secret.exposure {
        case .envFrom: break
        case .env: map[SpecKey.Secret.expose.rawValue] = "env"
        case .volume(let mountPath): map[SpecKey.Secret.expose.rawValue] = [SpecKey.Expose.mountPath.rawValue: .string(mountPath)]
        }
        if let containers = secret.containers { map[SpecKey.Secret.containers.rawValue] = .strings(containers) }
        return map
    }

    /// `PATH#PROPERTY`, or the long form where either part holds a `#`.
    static func keyReference(_ key: SecretKeySource) -> ManifestValue {
        guard let property = key.property else { return .string(key.path) }
        if key.path.contains("#") || property.contains("#") {
            return [SpecKey.KeyReference.key.rawValue: .string(key.path), SpecKey.KeyReference.property.rawValue: .string(property)]
        }
        return .string("\(key.path)#\(property)")
    }
}
