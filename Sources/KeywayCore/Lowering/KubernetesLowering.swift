/// Lowers the model into the Kubernetes objects: stores, ExternalSecrets, Deployments and the rest.
struct KubernetesLowering {
    static let reloadAnnotation = "secret.reloader.stakater.com/reload"
    static let autoAnnotation = "secret.reloader.stakater.com/auto"

    let environment: Environment
    let scopes: [StoreScope]
    /// Keyway's label, then the spec's `defaults.labels`.
    let labels: [(String, String)]

    init(environment: Environment, scopes: [StoreScope]) {
        self.environment = environment
        self.scopes = scopes
        self.labels = [("app.kubernetes.io/managed-by", "keyway")] + environment.labels.map { ($0.key, $0.value) }
    }

    /// Every object in stream order.
    func objects() -> [KubernetesObject] {
        var objects: [KubernetesObject] = []
        objects.reserveCapacity(environment.apps.count * 3 + scopes.count * 3 + 1)
        objects += serviceAccounts()
        objects += scopes.map(store)
        for app in environment.apps {
            objects += app.secrets.map { externalSecret($0, of: app) }
            objects.append(deployment(app))
        }
        objects += renewalJobs()
        if let monitoring = environment.monitoring { objects.append(prometheusRule(monitoring)) }
        return objects
    }

    // MARK: - Stores

    func store(_ scope: StoreScope) -> KubernetesObject {
        let store = environment.store
        var spec: ManifestMap = ["provider": ["vault": .map(vaultProvider(scope))]]
        if case .cluster(allNamespaces: false) = store.kind {
            spec["conditions"] = [["namespaces": .strings(environment.namespaces)]]
        }
        return KubernetesObject(
            apiVersion: store.apiVersion.rawValue,
            kind: store.kind.kindName,
            name: store.name,
            namespace: scope.namespace,
            labels: labels,
            body: [ManifestEntry("spec", .map(spec))]
        )
    }

    func vaultProvider(_ scope: StoreScope) -> ManifestMap {
        let vault = environment.vault
        let auth: ManifestValue
        switch vault.auth {
        case .token(let token):
            auth = ["tokenSecretRef": secretKeySelector(token.secretRef.name, token.secretRef.key, scope)]
        case .kubernetes(let kubernetes):
            auth = [
                "kubernetes": [
                    "mountPath": .string(kubernetes.mountPath),
                    "role": scope.role.map { .string($0) },
                    "serviceAccountRef": [
                        "name": .string(kubernetes.serviceAccountName),
                        "namespace": scope.namespace == nil ? scope.credentialNamespace.map { .string($0) } : nil,
                        "audiences": kubernetes.audience.map { .strings([$0]) },
                    ],
                ]
            ]
        case .appRole(let appRole):
            auth = [
                "appRole": [
                    "path": .string(appRole.mountPath),
                    "roleRef": secretKeySelector(appRole.secretRef.name, appRole.roleIdKey, scope),
                    "secretRef": secretKeySelector(appRole.secretRef.name, appRole.secretRef.key, scope),
                ]
            ]
        }
        return [
            "server": .string(vault.server),
            "path": .string(vault.mount.path),
            "version": .string(vault.mount.version == .v2 ? "v2" : "v1"),
            "auth": auth,
        ]
    }

    /// A reference to a key of a Secret; a ClusterSecretStore's references carry the namespace.
    func secretKeySelector(_ name: String, _ key: String, _ scope: StoreScope) -> ManifestValue {
        [
            "name": .string(name),
            "key": .string(key),
            "namespace": scope.namespace == nil ? scope.credentialNamespace.map { .string($0) } : nil,
        ]
    }

    /// In SecretStore mode with kubernetes auth, each namespace's store logs in as a service account there.
    func serviceAccounts() -> [KubernetesObject] {
        guard case .kubernetes(let auth) = environment.vault.auth, environment.store.kind == .namespaced else { return [] }
        return scopes.compactMap { scope in
            scope.namespace.map {
                KubernetesObject(
                    apiVersion: "v1",
                    kind: "ServiceAccount",
                    name: auth.serviceAccountName,
                    namespace: $0,
                    labels: labels,
                    body: [ManifestEntry("automountServiceAccountToken", false)]
                )
            }
        }
    }

    // MARK: - ExternalSecrets

    func externalSecret(_ secret: AppSecret, of app: App) -> KubernetesObject {
        let target: ManifestMap = [
            "name": .string(secret.target),
            "creationPolicy": .string(secret.creationPolicy.rawValue),
            "deletionPolicy": secret.deletionPolicy.map { .string($0.rawValue) },
        ]
        var spec: ManifestMap = [
            "refreshInterval": .string(secret.refreshInterval.text),
            "secretStoreRef": ["name": .string(environment.store.name), "kind": .string(environment.store.kind.kindName)],
            "target": .map(target),
        ]
        switch secret.source {
        case .extract(let path):
            spec["dataFrom"] = [["extract": ["key": .string(path)]]]
        case .find(let path, let name):
            spec["dataFrom"] = [["find": ["path": .string(path), "name": ["regexp": .string(name ?? ".*")]]]]
        case .keys(let keys):
            spec["data"] = .list(
                keys.map { key in
                    [
                        "secretKey": .string(key.name),
                        "remoteRef": ["key": .string(key.path), "property": key.property.map { .string($0) }],
                    ]
                }
            )
        }
        return KubernetesObject(
            apiVersion: environment.store.apiVersion.rawValue,
            kind: "ExternalSecret",
            name: secret.name,
            namespace: app.namespace,
            labels: labels + [("app", app.name)],
            body: [ManifestEntry("spec", .map(spec))]
        )
    }

    // MARK: - Deployments

    func deployment(_ app: App) -> KubernetesObject {
        var annotations: [(String, String)] = []
        if !app.secrets.isEmpty {
            switch app.reload {
            case .named: annotations.append((Self.reloadAnnotation, Self.reloaderNames(app)))
            case .auto: annotations.append((Self.autoAnnotation, "true"))
            case .none: break
            }
        }
        let volumeNames = Self.volumeNames(app)
        let containers: [ManifestValue] = app.containers.map { container in
            var env: [ManifestValue] = []
            var envFrom: [ManifestValue] = []
            var mounts: [ManifestValue] = []
            for (index, secret) in app.secrets.enumerated() where secret.containers.contains(container.name) {
                switch secret.exposure {
                case .envFrom:
                    envFrom.append(["secretRef": ["name": .string(secret.target)]])
                case .env:
                    guard case .keys(let keys) = secret.source else { continue }
                    for key in keys {
                        env.append([
                            "name": .string(key.name),
                            "valueFrom": ["secretKeyRef": ["name": .string(secret.target), "key": .string(key.name)]],
                        ])
                    }
                case .volume(let mountPath):
                    mounts.append(["name": .string(volumeNames[index]), "mountPath": .string(mountPath), "readOnly": true])
                }
            }
            return [
                "name": .string(container.name),
                "image": .string(container.image),
                "command": container.command.isEmpty ? nil : .strings(container.command),
                "args": container.args.isEmpty ? nil : .strings(container.args),
                "env": env.isEmpty ? nil : .list(env),
                "envFrom": envFrom.isEmpty ? nil : .list(envFrom),
                "volumeMounts": mounts.isEmpty ? nil : .list(mounts),
            ]
        }
        var volumes: [ManifestValue] = []
        for (index, secret) in app.secrets.enumerated() {
            if case .volume = secret.exposure {
                volumes.append(["name": .string(volumeNames[index]), "secret": ["secretName": .string(secret.target)]])
            }
        }
        let podLabels = [("app", app.name)] + environment.labels.map { ($0.key, $0.value) }
        let spec: ManifestMap = [
            "replicas": .int(app.replicas),
            "selector": ["matchLabels": ["app": .string(app.name)]],
            "template": [
                "metadata": ["labels": .stringMap(podLabels)],
                "spec": [
                    "containers": .list(containers),
                    "volumes": volumes.isEmpty ? nil : .list(volumes),
                ],
            ],
        ]
        var object = KubernetesObject(
            apiVersion: "apps/v1",
            kind: "Deployment",
            name: app.name,
            namespace: app.namespace,
            labels: [("app", app.name)] + labels,
            annotations: annotations,
            body: [ManifestEntry("spec", .map(spec))]
        )
        if let patch = app.patch { object.document = DeploymentPatch.merge(patch, into: object.document) }
        return object
    }

    /// The app's target Secrets, sorted, each once, comma-joined without spaces: what Reloader matches.
    static func reloaderNames(_ app: App) -> String {
        Set(app.secrets.map(\.target)).sorted().joined(separator: ",")
    }

    /// A volume name per secret: its target Secret's name where that is a DNS label, else by position.
    static func volumeNames(_ app: App) -> [String] {
        app.secrets.enumerated().map { index, secret in
            Syntax.isDNSLabel(secret.target) && !secret.target.hasPrefix("keyway-volume-") ? secret.target : "keyway-volume-\(index)"
        }
    }

    // MARK: - Token renewal

    /// One CronJob per token: ESO never renews a token it reads from `tokenSecretRef`.
    func renewalJobs() -> [KubernetesObject] {
        guard case .token(let token) = environment.vault.auth else { return [] }
        return scopes.compactMap { scope in
            guard let namespace = scope.credentialNamespace else { return nil }
            return renewalJob(token, namespace: namespace)
        }
    }

    static func renewalJobName(_ secretName: String) -> String {
        var name = String((secretName + "-renewal").prefix(52))
        while name.hasSuffix("-") || name.hasSuffix(".") { name.removeLast() }
        return name
    }

    /// The job's uid and gid: not root, and above the ranges images and hosts hand out (checkov CKV_K8S_40).
    static let renewalUser = 10_001
    /// The job's HOME, where the token Secret is mounted read-only as the CLI's `~/.vault-token`.
    static let renewalHome = "/var/run/secrets/keyway"

    func renewalJob(_ token: TokenAuth, namespace: String) -> KubernetesObject {
        let spec: ManifestMap = [
            "schedule": .string(token.renewal.schedule),
            "concurrencyPolicy": "Forbid",
            "startingDeadlineSeconds": 600,
            "successfulJobsHistoryLimit": 1,
            "failedJobsHistoryLimit": 3,
            "jobTemplate": [
                "spec": [
                    "backoffLimit": 3,
                    "activeDeadlineSeconds": 600,
                    "template": [
                        "metadata": ["labels": .stringMap(labels)],
                        "spec": .map(renewalPod(token)),
                    ],
                ]
            ],
        ]
        return KubernetesObject(
            apiVersion: "batch/v1",
            kind: "CronJob",
            name: Self.renewalJobName(token.secretRef.name),
            namespace: namespace,
            labels: labels,
            body: [ManifestEntry("spec", .map(spec))]
        )
    }

    /// The pod: no service account token, a high uid, and the token Secret as a file only its group reads.
    func renewalPod(_ token: TokenAuth) -> ManifestMap {
        let user = ManifestValue.int(Self.renewalUser)
        let tokenFile: ManifestValue = ["key": .string(token.secretRef.key), "path": ".vault-token"]
        return [
            "restartPolicy": "OnFailure",
            "automountServiceAccountToken": false,
            "securityContext": [
                "runAsNonRoot": true,
                "runAsUser": user,
                "runAsGroup": user,
                "fsGroup": user,
                "seccompProfile": ["type": "RuntimeDefault"],
            ],
            "containers": [.map(renewalContainer(token))],
            "volumes": [
                [
                    "name": "vault-token",
                    // 0440: the owner (root) and fsGroup read it, nobody else.
                    "secret": ["secretName": .string(token.secretRef.name), "items": [tokenFile], "defaultMode": 0o440],
                ]
            ],
        ]
    }

    /// The vault CLI renews its own token. It reads the token with its default token helper from
    /// `$HOME/.vault-token` (the mounted Secret), so the token is never in the environment
    /// (checkov CKV_K8S_35). `vault write … -field=token_duration` prints the new duration only:
    /// `vault token renew` would print the token itself into the pod's log. The root filesystem
    /// stays read-only and no emptyDir is needed: the CLI writes `~/.vault-token` only on
    /// `vault login`, and nothing else here writes a file.
    func renewalContainer(_ token: TokenAuth) -> ManifestMap {
        [
            "name": "renew",
            "image": .string(token.renewal.image),
            "imagePullPolicy": "Always",
            "command": ["vault", "write", "-force", "-field=token_duration", "auth/token/renew-self"],
            "env": [
                ["name": "VAULT_ADDR", "value": .string(environment.vault.server)],
                ["name": "HOME", "value": .string(Self.renewalHome)],
            ],
            "volumeMounts": [["name": "vault-token", "mountPath": .string(Self.renewalHome), "readOnly": true]],
            // The CLI peaks near 70 MiB; the limits leave room for a slow Vault and a larger CLI.
            "resources": [
                "requests": ["cpu": "50m", "memory": "64Mi"],
                "limits": ["cpu": "500m", "memory": "256Mi"],
            ],
            "securityContext": [
                "allowPrivilegeEscalation": false,
                "readOnlyRootFilesystem": true,
                "capabilities": ["drop": ["ALL"]],
            ],
        ]
    }

    // MARK: - Monitoring

    func prometheusRule(_ monitoring: Monitoring) -> KubernetesObject {
        let namespaces = environment.namespaces.joined(separator: "|")
        let store = environment.store
        let storeExpression: String
        switch store.kind {
        case .cluster:
            storeExpression =
                "max by (name) (clustersecretstore_status_condition{condition=\"Ready\",status=\"False\",name=\"\(store.name)\"}) == 1"
        case .namespaced:
            storeExpression =
                "max by (namespace, name) (secretstore_status_condition{condition=\"Ready\",status=\"False\",name=\"\(store.name)\",namespace=~\"\(namespaces)\"}) == 1"
        }
        func rule(_ alert: String, _ expression: String, _ wait: String, _ summary: String) -> ManifestValue {
            [
                "alert": .string(alert),
                "expr": .string(expression),
                "for": .string(wait),
                "labels": ["severity": "warning"],
                "annotations": ["summary": .string(summary)],
            ]
        }
        let rules: [ManifestValue] = [
            rule(
                "ExternalSecretNotReady",
                "max by (namespace, name) (externalsecret_status_condition{condition=\"Ready\",status=\"False\",namespace=~\"\(namespaces)\"}) == 1",
                "10m",
                "ExternalSecret {{ $labels.namespace }}/{{ $labels.name }} is not Ready: its Secret is stale"
            ),
            rule(
                "ExternalSecretSyncErrors",
                "sum by (namespace, name) (increase(externalsecret_sync_calls_error{namespace=~\"\(namespaces)\"}[15m])) > 0",
                "15m",
                "ExternalSecret {{ $labels.namespace }}/{{ $labels.name }} fails to sync from Vault"
            ),
            rule(
                "SecretStoreNotReady",
                storeExpression,
                "5m",
                "\(store.kind.kindName) {{ $labels.name }} cannot reach Vault: check its credential"
            ),
        ]
        return KubernetesObject(
            apiVersion: "monitoring.coreos.com/v1",
            kind: "PrometheusRule",
            name: "keyway-\(environment.name)",
            namespace: monitoring.namespace,
            labels: labels,
            body: [ManifestEntry("spec", ["groups": [["name": .string("keyway-\(environment.name)"), "rules": .list(rules)]]])]
        )
    }
}

/// The `patch` escape hatch: maps merge, scalars and lists replace, containers merge by name.
enum DeploymentPatch {
    static func merge(_ patch: ManifestMap, into base: ManifestMap) -> ManifestMap {
        merge(patch, into: base, path: [])
    }

    private static func merge(_ patch: ManifestMap, into base: ManifestMap, path: [String]) -> ManifestMap {
        var result = base
        for entry in patch.entries {
            let childPath = path + [entry.key]
            switch (result[entry.key], entry.value) {
            case (.map(let existing)?, .map(let patchMap)):
                result[entry.key] = .map(merge(patchMap, into: existing, path: childPath))
            case (.list(let existing)?, .list(let patches)) where childPath == ["spec", "template", "spec", "containers"]:
                result[entry.key] = .list(mergeContainers(patches, into: existing))
            default:
                result[entry.key] = entry.value
            }
        }
        return result
    }

    private static func mergeContainers(_ patches: [ManifestValue], into containers: [ManifestValue]) -> [ManifestValue] {
        containers.map { container in
            guard case .map(let map) = container else { return container }
            let name = map["name"]
            var merged = map
            for case .map(let patch) in patches where patch["name"] == name {
                merged = merge(patch, into: merged, path: ["container"])
            }
            return .map(merged)
        }
    }
}
