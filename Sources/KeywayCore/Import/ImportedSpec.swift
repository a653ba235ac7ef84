/// What `import` found, in the spec's terms, before it is written as a spec document.
///
/// Values the spec defaults are `nil` where the inputs matched the default.
struct ImportedSpec {
    var name: String
    var vault: ImportedVault
    var store: ImportedStore
    var apps: [ImportedApp] = []
    var labels: [(String, String)] = []
    /// The PrometheusRule's namespace, when the inputs hold Keyway's rule.
    var monitoringNamespace: String?
    /// `operator`: where ESO runs (the standard names unless a role bound to ESO's own account says otherwise).
    var esoOperator = ESOOperator.standard
}

/// The `vault` block.
struct ImportedVault {
    var server: String
    /// `vault.namespace`.
    var namespace: String?
    /// `caBundle` (the PEM) or `caProvider`, as the spec writes them.
    var ca: (key: SpecKey.Vault, value: ManifestValue)?
    /// `vault.kv`: one mount, or several (the first is a secret's default).
    var mounts: [KVMount]
    var policyName: String?
    /// SecretStore mode: `policy.names`, the namespaces whose policy is not `NAME-NAMESPACE`.
    var policyNames: [(namespace: String, name: String)] = []
    var prefix: String?
    var auth: ImportedAuth
    /// SecretStore mode: `roles` (`usernames`), the namespaces whose role is not `ROLE-NAMESPACE`.
    var roleNames: [(namespace: String, name: String)] = []
}

/// The `vault.auth` block.
enum ImportedAuth {
    case token(period: String, secretRef: SecretKeyReference, schedule: String?, image: String?)
    /// `account` is `nil` when ESO logs in as itself (no `serviceAccountRef`).
    case kubernetes(
        mountPath: String, role: String, account: String?, accountNamespace: String?, audience: String?,
        options: ManifestMap)
    /// `account` is `nil` when the store names ESO's own account (the spec's `operator`).
    case jwt(mountPath: String, role: String, account: String?, accountNamespace: String?, options: ManifestMap)
    case appRole(
        mountPath: String, role: String, secretRef: SecretKeyReference, roleIdKey: String, options: ManifestMap)
    case userPass(mountPath: String, username: String, secretRef: SecretKeyReference, options: ManifestMap)
}

extension ImportedAuth {
    /// The auth mount the credential logs in at; `nil` for a token.
    var mountPath: String? {
        switch self {
        case .token: nil
        case .kubernetes(let mountPath, _, _, _, _, _), .jwt(let mountPath, _, _, _, _),
            .appRole(let mountPath, _, _, _, _), .userPass(let mountPath, _, _, _):
            mountPath
        }
    }
}

/// The `secretStore` block.
struct ImportedStore {
    var name: String
    var kind: StoreKind
    var apiVersion: ESOAPIVersion
    /// `conditions` beyond Keyway's own (the apps' namespaces), as ESO writes them.
    var conditions: [ManifestValue] = []
}

/// One app: a workload and the ExternalSecrets it reads.
struct ImportedApp {
    var name: String
    var namespace: String
    var kind: WorkloadKind = .deployment
    /// The object the app came from.
    var object: Int
    /// A workload owned elsewhere, from Keyway's patch file: its name and containers.
    var external: (name: String, containers: [String])?
    var replicas: Int?
    var serviceName: String?
    var schedule: String?
    var serviceAccountName: String?
    var containers: [Container]
    var reloadOptions = ManifestMap()
    /// The workload's selector labels when they are not Keyway's `app: NAME`.
    var selector: [(String, String)]?
    /// `none` when the input's pods lack some of Keyway's hardened settings: kept as they were.
    var hardening = SpecDefaults.hardening
    /// An app of ExternalSecrets no input workload reads (a chart, an operator reads them).
    var secretsOnly = false
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
    var refreshPolicy: String?
    var immutable: ManifestValue?
    /// `dataFrom[0].rewrite`, as the spec writes it.
    var rewrite: ManifestValue?
    /// The spec's `template` map (Reloader's match annotation left out).
    var template: ManifestMap?
    /// Whether the target template carries Reloader's match annotation (`reload: search`).
    var reloaderMatch = false
    /// `use: APP`: another app's ExternalSecret writes the Secret this app reads.
    var use: String?
    /// The ExternalSecret it came from.
    var object = -1
    /// `mount`: the KV mount it reads, when not the first.
    var mount: String?
}

/// Writes an imported spec as the spec document, leaving out what the spec defaults.
enum SpecWriter {
    static func document(_ spec: ImportedSpec) -> ManifestMap {
        var document: ManifestMap = [
            SpecKey.Top.apiVersion.rawValue: .string(ModelBuilder.specAPIVersion),
            SpecKey.Top.kind.rawValue: "Environment",
            SpecKey.Top.metadata.rawValue: [SpecKey.Metadata.name.rawValue: .string(spec.name)],
            SpecKey.Top.operator.rawValue: esoOperator(spec.esoOperator),
            SpecKey.Top.vault.rawValue: .map(vault(spec.vault, environment: spec.name)),
        ]
        let store = secretStore(spec.store, environment: spec.name)
        if !store.isEmpty { document[SpecKey.Top.secretStore.rawValue] = .map(store) }
        if !spec.labels.isEmpty {
            document[SpecKey.Top.defaults.rawValue] = [SpecKey.Defaults.labels.rawValue: .stringMap(spec.labels)]
        }
        if let namespace = spec.monitoringNamespace {
            document[SpecKey.Top.monitoring.rawValue] = [
                SpecKey.Monitoring.prometheusRule.rawValue: true,
                SpecKey.Monitoring.namespace.rawValue: namespace == spec.esoOperator.namespace
                    ? nil : .string(namespace),
            ]
        }
        document[SpecKey.Top.apps.rawValue] = .map(ManifestMap(spec.apps.map { ManifestEntry($0.name, .map(app($0))) }))
        return document
    }

    /// `operator`, when ESO runs under other names than its chart's.
    static func esoOperator(_ settings: ESOOperator) -> ManifestValue? {
        let standard = ESOOperator.standard
        guard settings != standard else { return nil }
        return [
            SpecKey.Operator.namespace.rawValue: settings.namespace == standard.namespace
                ? nil : .string(settings.namespace),
            SpecKey.Operator.serviceAccount.rawValue: settings.serviceAccount == standard.serviceAccount
                ? nil : .string(settings.serviceAccount),
        ]
    }

    static func vault(_ vault: ImportedVault, environment: String) -> ManifestMap {
        var policy = ManifestMap()
        if let name = vault.policyName, name != SpecDefaults.environmentObjectName(environment) {
            policy[SpecKey.Policy.name.rawValue] = .string(name)
        }
        if !vault.policyNames.isEmpty {
            policy[SpecKey.Policy.names.rawValue] = .stringMap(vault.policyNames.map { ($0.namespace, $0.name) })
        }
        let mounts = vault.mounts.map { mount -> ManifestValue in
            [
                SpecKey.KV.mount.rawValue: .string(mount.path),
                SpecKey.KV.version.rawValue: .int(mount.version.rawValue),
            ]
        }
        if let prefix = vault.prefix {
            policy[SpecKey.Policy.scope.rawValue] = "prefix"
            policy[SpecKey.Policy.prefix.rawValue] = .string(prefix)
        }
        return [
            SpecKey.Vault.server.rawValue: .string(vault.server),
            SpecKey.Vault.namespace.rawValue: vault.namespace.map { .string($0) },
            SpecKey.Vault.caBundle.rawValue: vault.ca?.key == .caBundle ? vault.ca?.value : nil,
            SpecKey.Vault.caProvider.rawValue: vault.ca?.key == .caProvider ? vault.ca?.value : nil,
            SpecKey.Vault.kv.rawValue: mounts.count == 1 ? mounts[0] : .list(mounts),
            SpecKey.Vault.policy.rawValue: policy.isEmpty ? nil : .map(policy),
            SpecKey.Vault.auth.rawValue: auth(vault.auth, names: vault.roleNames),
        ]
    }

    /// `vault.auth`, with the per-namespace names (`roles`, `usernames`) after the base name.
    static func auth(_ auth: ImportedAuth, names: [(namespace: String, name: String)]) -> ManifestValue {
        let written = Self.auth(auth)
        guard !names.isEmpty, case .map(let methods) = written, let method = methods.entries.first,
            case .map(let fields) = method.value
        else { return written }
        let (base, key): (String, String) =
            if case .userPass = auth {
                (SpecKey.UserPass.username.rawValue, SpecKey.UserPass.usernames.rawValue)
            } else {
                (SpecKey.Kubernetes.role.rawValue, SpecKey.Kubernetes.roles.rawValue)
            }
        var entries = fields.entries
        let position = (entries.firstIndex { $0.key == base } ?? entries.count - 1) + 1
        entries.insert(ManifestEntry(key, .stringMap(names.map { ($0.namespace, $0.name) })), at: position)
        return .map(ManifestMap([ManifestEntry(method.key, .map(ManifestMap(entries)))]))
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
        case .kubernetes(let mountPath, let role, let account, let accountNamespace, let audience, let options):
            let head: ManifestMap = [
                SpecKey.Kubernetes.mountPath.rawValue: mountPath == SpecDefaults.kubernetesMount
                    ? nil : .string(mountPath),
                SpecKey.Kubernetes.role.rawValue: .string(role),
                SpecKey.Kubernetes.serviceAccountRef.rawValue: account.map { serviceAccount($0, accountNamespace) },
                SpecKey.Kubernetes.audience.rawValue: audience.map { .string($0) },
            ]
            return [SpecKey.Auth.kubernetes.rawValue: .map(ManifestMap(head.entries + options.entries))]
        case .jwt(let mountPath, let role, let account, let accountNamespace, let options):
            let head: ManifestMap = [
                SpecKey.JWT.mountPath.rawValue: mountPath == SpecDefaults.jwtMount ? nil : .string(mountPath),
                SpecKey.JWT.role.rawValue: .string(role),
                SpecKey.JWT.serviceAccountRef.rawValue: account.map { serviceAccount($0, accountNamespace) },
            ]
            return [SpecKey.Auth.jwt.rawValue: .map(ManifestMap(head.entries + options.entries))]
        case .appRole(let mountPath, let role, let secretRef, let roleIdKey, let options):
            let head: ManifestMap = [
                SpecKey.AppRole.mountPath.rawValue: mountPath == SpecDefaults.appRoleMount ? nil : .string(mountPath),
                SpecKey.AppRole.role.rawValue: .string(role),
                SpecKey.AppRole.secretRef.rawValue: reference(secretRef),
                SpecKey.AppRole.roleIdKey.rawValue: roleIdKey == SpecDefaults.roleIdKey ? nil : .string(roleIdKey),
            ]
            return [SpecKey.Auth.appRole.rawValue: .map(ManifestMap(head.entries + options.entries))]
        case .userPass(let mountPath, let username, let secretRef, let options):
            let head: ManifestMap = [
                SpecKey.UserPass.mountPath.rawValue: mountPath == AuthMountType.userPass.rawValue
                    ? nil : .string(mountPath),
                SpecKey.UserPass.username.rawValue: .string(username),
                SpecKey.UserPass.secretRef.rawValue: reference(secretRef),
            ]
            return [SpecKey.Auth.userPass.rawValue: .map(ManifestMap(head.entries + options.entries))]
        }
    }

    static func serviceAccount(_ name: String, _ namespace: String?) -> ManifestValue {
        [
            SpecKey.ServiceAccountRef.name.rawValue: .string(name),
            SpecKey.ServiceAccountRef.namespace.rawValue: namespace.map { .string($0) },
        ]
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
        if !store.conditions.isEmpty { map[SpecKey.SecretStore.conditions.rawValue] = .list(store.conditions) }
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
        var map: ManifestMap = [
            SpecKey.App.namespace.rawValue: .string(app.namespace),
            SpecKey.App.kind.rawValue: app.kind == .deployment || app.external != nil
                ? nil : .string(app.kind.rawValue),
            SpecKey.App.replicas.rawValue: app.replicas.map { .int($0) },
            SpecKey.App.serviceName.rawValue: app.serviceName.map { .string($0) },
            SpecKey.App.schedule.rawValue: app.schedule.map { .string($0) },
            SpecKey.App.serviceAccountName.rawValue: app.serviceAccountName.map { .string($0) },
            SpecKey.App.selector.rawValue: app.selector.map { .stringMap($0) },
            SpecKey.App.hardening.rawValue: app.hardening == SpecDefaults.hardening
                ? nil : .string(app.hardening.rawValue),
            SpecKey.App.reload.rawValue: app.reload == .named ? nil : .string(app.reload.rawValue),
            SpecKey.App.reloadOptions.rawValue: app.reloadOptions.isEmpty ? nil : .map(app.reloadOptions),
            SpecKey.App.containers.rawValue: .map(ManifestMap(containers)),
            SpecKey.App.secrets.rawValue: app.secrets.isEmpty
                ? nil : .map(ManifestMap(app.secrets.map { ManifestEntry($0.name, .map(secret($0))) })),
            SpecKey.App.patch.rawValue: app.patch.isEmpty ? nil : .map(app.patch),
        ]
        if app.secretsOnly {
            return [
                SpecKey.App.namespace.rawValue: .string(app.namespace),
                SpecKey.App.secrets.rawValue: .map(
                    ManifestMap(app.secrets.map { ManifestEntry($0.name, .map(secret($0, exposed: false))) })),
            ]
        }
        if let external = app.external {
            map[SpecKey.App.containers.rawValue] = nil
            map[SpecKey.App.workload.rawValue] = [
                SpecKey.Workload.kind.rawValue: .string(app.kind.rawValue),
                SpecKey.Workload.name.rawValue: .string(external.name),
                SpecKey.Workload.containers.rawValue: .strings(external.containers),
            ]
        }
        return map
    }

    /// A secret's entry; `exposed: false` (an app with secrets only) writes no exposure.
    static func secret(_ secret: ImportedSecret, exposed: Bool = true) -> ManifestMap {
        var map: ManifestMap = [SpecKey.Secret.use.rawValue: secret.use.map { .string($0) }]
        // A `use` entry names the defining app's secret; the target is written there only.
        if secret.use == nil {
            map[SpecKey.Secret.mount.rawValue] = secret.mount.map { .string($0) }
            map[SpecKey.Secret.target.rawValue] = secret.target == secret.name ? nil : .string(secret.target)
            map[SpecKey.Secret.refreshInterval.rawValue] = secret.refreshInterval.map { .string($0) }
            map[SpecKey.Secret.refreshPolicy.rawValue] = secret.refreshPolicy.map { .string($0) }
            map[SpecKey.Secret.creationPolicy.rawValue] = secret.creationPolicy.map { .string($0) }
            map[SpecKey.Secret.deletionPolicy.rawValue] = secret.deletionPolicy.map { .string($0) }
            map[SpecKey.Secret.immutable.rawValue] = secret.immutable
            source(secret.source, into: &map)
            map[SpecKey.Secret.rewrite.rawValue] = secret.rewrite
            map[SpecKey.Secret.template.rawValue] = secret.template.map { .map($0) }
        }
        guard exposed else { return map }
        switch secret.exposure {
        case .envFrom: if secret.use != nil { map[SpecKey.Secret.expose.rawValue] = "envFrom" }
        case .env: map[SpecKey.Secret.expose.rawValue] = "env"
        case .envNamed(let variables):
            map[SpecKey.Secret.expose.rawValue] = [
                SpecKey.Expose.env.rawValue: .stringMap(variables.map { ($0.name, $0.key) })
            ]
        case .volume(let mountPath):
            map[SpecKey.Secret.expose.rawValue] = [SpecKey.Expose.mountPath.rawValue: .string(mountPath)]
        case .none: map[SpecKey.Secret.expose.rawValue] = "none"
        case .imagePullSecret: map[SpecKey.Secret.expose.rawValue] = "imagePullSecret"
        }
        if let containers = secret.containers { map[SpecKey.Secret.containers.rawValue] = .strings(containers) }
        return map
    }

    static func source(_ source: SecretSource, into map: inout ManifestMap) {
        switch source {
        case .extract(let extract):
            var long: ManifestMap = [SpecKey.Extract.version.rawValue: extract.version.map { .int($0) }]
            strategies(extract.strategies, into: &long)
            guard !long.isEmpty else { return map[SpecKey.Secret.extract.rawValue] = .string(extract.writtenKey) }
            map[SpecKey.Secret.extract.rawValue] = .map(
                ManifestMap([ManifestEntry(SpecKey.Extract.key.rawValue, .string(extract.writtenKey))] + long.entries))
        case .keys(let keys):
            map[SpecKey.Secret.keys.rawValue] = .map(ManifestMap(keys.map { ManifestEntry($0.name, keyReference($0)) }))
        case .find(let find):
            var entries: ManifestMap = [
                SpecKey.Find.path.rawValue: find.writtenPath.map { .string($0) },
                SpecKey.Find.name.rawValue: find.name.map { .string($0) },
                SpecKey.Find.tags.rawValue: find.tags.isEmpty ? nil : .stringMap(find.tags.map { ($0.key, $0.value) }),
            ]
            strategies(find.strategies, into: &entries)
            map[SpecKey.Secret.find.rawValue] = .map(entries)
        }
    }

    static func strategies(_ strategies: ValueStrategies, into map: inout ManifestMap) {
        map[SpecKey.Extract.decodingStrategy.rawValue] = strategies.decoding.map { .string($0.rawValue) }
        map[SpecKey.Extract.conversionStrategy.rawValue] = strategies.conversion.map { .string($0.rawValue) }
    }

    /// `PATH#PROPERTY`, or the long form where either part holds a `#` or options are set.
    static func keyReference(_ key: SecretKeySource) -> ManifestValue {
        var options: ManifestMap = [
            SpecKey.KeyReference.version.rawValue: key.version.map { .int($0) },
            SpecKey.KeyReference.metadataPolicy.rawValue: key.metadataPolicy.map { .string($0.rawValue) },
        ]
        strategies(key.strategies, into: &options)
        let hashed = key.writtenKey.contains("#") || key.property?.contains("#") == true
        guard let property = key.property, !hashed, options.isEmpty else {
            let head: ManifestMap = [
                SpecKey.KeyReference.key.rawValue: .string(key.writtenKey),
                SpecKey.KeyReference.property.rawValue: key.property.map { .string($0) },
            ]
            return .map(ManifestMap(head.entries + options.entries))
        }
        return .string("\(key.writtenKey)#\(property)")
    }
}
