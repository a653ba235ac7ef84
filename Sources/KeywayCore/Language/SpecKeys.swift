/// The keys of one spec mapping, as an enum whose cases are the keys (raw value: the key as written).
///
/// The enums in `SpecKey` are the one table of what each mapping accepts: `reader.fields(_:_:keys:)`
/// reports unknown keys (with "did you mean") and missing required ones from it, lookups are typed
/// (`fields[.server]`), and each key's `summary` is the description a JSON Schema would give it.
///
/// To add a key: add a case (its position is its place in "expected one of" help), give it a
/// `summary`, list it in `required` if it must be written, then read it in the builder.
protocol SpecKeySet: RawRepresentable, CaseIterable, Hashable where RawValue == String {
    /// The keys that must be written.
    static var required: [Self] { get }
    /// The keys that must be written when the store is a ClusterSecretStore (a SecretStore's
    /// credential lives in each app namespace, so it names no namespace).
    static var requiredForClusterStore: [Self] { get }
    /// One line on what the key means.
    var summary: String { get }
}

extension SpecKeySet {
    static var required: [Self] { [] }
    static var requiredForClusterStore: [Self] { [] }

    /// Every key the mapping accepts, in the order help lists them.
    static var allowed: [String] { allCases.map(\.rawValue) }

    /// The keys that must be written, in the order they are reported when missing.
    static func requiredKeys(namespaced: Bool) -> [String] {
        let extra = namespaced ? [] : requiredForClusterStore
        return allCases.filter { required.contains($0) || extra.contains($0) }.map(\.rawValue)
    }

    /// The keys quoted and joined for help: `'token', 'kubernetes', 'appRole'`.
    static var quotedList: String { allowed.map { "'\($0)'" }.joined(separator: ", ") }
}

/// The entries of a spec mapping read against its key table, looked up by typed key.
struct KeyedFields<Key: SpecKeySet> {
    let fields: Fields

    subscript(key: Key) -> SpecEntry? { fields[key.rawValue] }

    /// The entries in the order they are written.
    var entries: [SpecEntry] { fields.entries }

    /// Every written entry of the table with its key, in written order (unknown keys, already
    /// reported, are left out).
    ///
    /// The builder binds them with an exhaustive `switch` over `Key` into one local variable per
    /// key: a key added to the table does not compile until a case binds it, and a variable bound
    /// but never read is a warning, an error in CI (`-warnings-as-errors`). So a key cannot be
    /// added to a table and silently not read.
    var written: [(key: Key, entry: SpecEntry)] { entries(of: Key.self) }

    /// The written entries whose keys are cases of `Subset`, each with its key, in written order.
    func entries<Subset: SpecKeySet>(of _: Subset.Type) -> [(key: Subset, entry: SpecEntry)] {
        entries.compactMap { entry in Subset(rawValue: entry.key.text).map { ($0, entry) } }
    }
}

extension SpecReader {
    /// Reads a mapping whose keys are the cases of `Key`; unknown and missing keys are reported.
    ///
    /// `namespaced` (a SecretStore) drops the keys only a ClusterSecretStore requires.
    mutating func fields<Key: SpecKeySet>(
        _ node: SpecNode,
        _ context: String,
        path: String? = nil,
        anchor: SourceRange? = nil,
        keys _: Key.Type,
        namespaced: Bool = false
    ) -> KeyedFields<Key>? {
        guard
            let fields = fields(
                node, context, path: path, anchor: anchor, allowed: Key.allowed,
                required: Key.requiredKeys(namespaced: namespaced))
        else {
            return nil
        }
        return KeyedFields(fields: fields)
    }

    /// Reads the mapping under key `path`, which messages call by that key: `'token'`, or
    /// `'auth.token'` when it sits `in` the mapping `auth`.
    mutating func fields<Key: SpecKeySet>(
        _ node: SpecNode,
        path: String,
        in parent: String? = nil,
        anchor: SourceRange? = nil,
        keys: Key.Type,
        namespaced: Bool = false
    ) -> KeyedFields<Key>? {
        let context = "'" + (parent.map { "\($0)." } ?? "") + path + "'"
        return fields(node, context, path: path, anchor: anchor, keys: keys, namespaced: namespaced)
    }
}

/// The key tables of every spec mapping (docs/spec.md describes each key at length).
enum SpecKey {
    /// The top level of a spec.
    enum Top: String, SpecKeySet {
        case apiVersion, kind, metadata, `operator`, vault, secretStore, apps, defaults, monitoring
        static let required: [Top] = [.apiVersion, .kind, .metadata, .vault, .apps]
        var summary: String {
            switch self {
            case .apiVersion: "The spec format version: keyway.dev/v1alpha1."
            case .kind: "Always Environment."
            case .metadata: "The environment's name."
            case .operator: "Where ESO runs: its namespace and service account (default external-secrets for both)."
            case .vault: "The Vault server, KV mount, policy and auth method ESO uses."
            case .secretStore: "The ESO store: its name, kind and API version."
            case .apps: "The apps, by name: their workloads and the secrets they read."
            case .defaults: "Settings every app and secret inherits."
            case .monitoring: "Whether to emit a PrometheusRule for ESO's sync errors."
            }
        }
    }

    /// `metadata`.
    enum Metadata: String, SpecKeySet {
        case name, cluster
        static let required: [Metadata] = [.name]
        var summary: String {
            switch self {
            case .name: "The environment name, a DNS label; the default store and policy names derive from it."
            case .cluster:
                "The Kubernetes cluster the environment deploys to: specs naming different clusters may write objects of the same name (default: every spec of one call shares one cluster)."
            }
        }
    }

    /// `operator`: where ESO itself runs.
    enum Operator: String, SpecKeySet {
        case namespace, serviceAccount
        var summary: String {
            switch self {
            case .namespace: "The namespace ESO is installed in (default external-secrets)."
            case .serviceAccount: "The service account of ESO's controller (default external-secrets)."
            }
        }
    }

    /// `defaults`.
    enum Defaults: String, SpecKeySet {
        case refreshInterval, labels, patch
        var summary: String {
            switch self {
            case .refreshInterval:
                "How often every ExternalSecret rereads Vault, a Go duration (default \(SpecDefaults.refreshInterval.text))."
            case .labels: "Labels put on every object Keyway emits."
            case .patch: "A patch merged into every workload Keyway writes, before the app's own."
            }
        }
    }

    /// `monitoring`.
    enum Monitoring: String, SpecKeySet {
        case prometheusRule, namespace
        var summary: String {
            switch self {
            case .prometheusRule: "Whether to emit a PrometheusRule alerting on ESO sync errors."
            case .namespace: "The namespace of the PrometheusRule (default: the operator's namespace)."
            }
        }
    }

    /// `secretStore`.
    enum SecretStore: String, SpecKeySet {
        case name, kind, apiVersion, allNamespaces, conditions
        var summary: String {
            switch self {
            case .name: "The store name (default: the environment name)."
            case .kind: "ClusterSecretStore (the default) or SecretStore, one per app namespace."
            case .apiVersion: "The ESO API version of the emitted objects."
            case .allNamespaces: "Whether a ClusterSecretStore serves every namespace, not only the apps'."
            case .conditions: "More namespaces a ClusterSecretStore serves, beside the apps' own (ESO's conditions)."
            }
        }
    }

    /// One of `secretStore.conditions`, ESO's `ClusterSecretStoreCondition`.
    enum Condition: String, SpecKeySet {
        case namespaceSelector, namespaces, namespaceRegexes
        var summary: String {
            switch self {
            case .namespaceSelector: "Namespaces by label: matchLabels and matchExpressions."
            case .namespaces: "Namespaces by name."
            case .namespaceRegexes: "Namespaces whose name a Go regular expression matches (anywhere in the name)."
            }
        }
    }

    /// A Kubernetes label selector.
    enum LabelSelector: String, SpecKeySet {
        case matchLabels, matchExpressions
        var summary: String {
            switch self {
            case .matchLabels: "Labels a namespace must have, with these values."
            case .matchExpressions: "Requirements on a namespace's labels: key, operator and values."
            }
        }
    }

    /// One of a label selector's `matchExpressions`.
    enum LabelRequirement: String, SpecKeySet {
        case key, `operator`, values
        static let required: [LabelRequirement] = [.key, .operator]
        var summary: String {
            switch self {
            case .key: "The label key."
            case .operator: "In, NotIn, Exists or DoesNotExist."
            case .values: "The values (In and NotIn only)."
            }
        }
    }

    /// `vault`.
    enum Vault: String, SpecKeySet {
        case server, namespace, caBundle, caProvider, kv, policy, auth
        static let required: [Vault] = [.server, .kv, .auth]
        var summary: String {
            switch self {
            case .server: "The Vault address, an https URL."
            case .namespace: "The Vault Enterprise / OpenBao namespace, a path from the root namespace."
            case .caBundle: "PEM certificates of the private CA that signed Vault's certificate."
            case .caProvider: "A ConfigMap or Secret key holding that CA (instead of caBundle)."
            case .kv: "The KV secrets engine the apps read, or a list of them (a secret picks one with 'mount')."
            case .policy: "The Vault policy Keyway writes: its name and scope."
            case .auth: "How ESO logs in to Vault: exactly one of token, kubernetes, appRole, jwt."
            }
        }
    }

    /// `vault.caProvider`, ESO's own shape.
    enum CAProvider: String, SpecKeySet {
        case type, name, key, namespace
        static let required: [CAProvider] = [.type, .name, .key]
        static let requiredForClusterStore: [CAProvider] = [.namespace]
        var summary: String {
            switch self {
            case .type: "ConfigMap or Secret."
            case .name: "The ConfigMap or Secret holding the CA."
            case .key: "Its key holding the PEM."
            case .namespace: "Its namespace (ClusterSecretStore only)."
            }
        }
    }

    /// `vault.kv`.
    enum KV: String, SpecKeySet {
        case mount, version
        static let required: [KV] = [.mount]
        var summary: String {
            switch self {
            case .mount: "The path the KV engine is mounted at."
            case .version: "The KV engine version, 1 or 2 (default \(SpecDefaults.kvVersion.rawValue))."
            }
        }
    }

    /// `vault.policy`.
    enum Policy: String, SpecKeySet {
        case name, names, scope, prefix
        var summary: String {
            switch self {
            case .name: "The policy name (default \(SpecDefaults.environmentObjectName("ENVIRONMENT")))."
            case .names: "SecretStore mode: a namespace's policy name (default NAME-NAMESPACE), by namespace."
            case .scope: "exact (the default): the referenced paths only; prefix: everything under 'prefix'."
            case .prefix: "The Vault path a prefix-scoped policy opens."
            }
        }
    }

    /// `vault.auth`: each key is an auth method, and exactly one is written.
    enum Auth: String, SpecKeySet {
        case token, kubernetes, appRole, jwt, userPass
        var summary: String {
            switch self {
            case .userPass: "Vault's userpass auth with a password the bootstrap script generates into a Secret."
            case .token: "A periodic Vault token in a Kubernetes Secret, renewed by a CronJob."
            case .kubernetes: "Vault's Kubernetes auth with a service account token."
            case .appRole: "Vault's AppRole auth with a role-id and secret-id in a Kubernetes Secret."
            case .jwt: "Vault's JWT auth with a service account token checked against the issuer's keys."
            }
        }
    }

    /// `token.secretRef` and `appRole.secretRef`.
    enum SecretRef: String, SpecKeySet {
        case name, key, namespace
        static let required: [SecretRef] = [.name, .key]
        static let requiredForClusterStore: [SecretRef] = [.namespace]
        var summary: String {
            switch self {
            case .name: "The Kubernetes Secret holding the credential."
            case .key: "The key of that Secret holding it."
            case .namespace: "The Secret's namespace (ClusterSecretStore only)."
            }
        }
    }

    /// `auth.token`.
    enum Token: String, SpecKeySet {
        case period, secretRef, renewal
        static let required: [Token] = [.period, .secretRef]
        var summary: String {
            switch self {
            case .period: "The token period, a Go duration of at least 10m."
            case .secretRef: "Where the token is kept."
            case .renewal: "The renewal CronJob's schedule and image."
            }
        }
    }

    /// `token.renewal`.
    enum Renewal: String, SpecKeySet {
        case schedule, image
        var summary: String {
            switch self {
            case .schedule: "A five-field cron schedule (default: four times per period)."
            case .image: "The image with the vault CLI the CronJob runs."
            }
        }
    }

    /// `auth.kubernetes`.
    enum Kubernetes: String, SpecKeySet {
        case mountPath, ownsMount, role, roles, serviceAccountRef, audience, tokenTTL, tokenReviewer
        static let required: [Kubernetes] = [.role]
        var summary: String {
            switch self {
            case .mountPath: "The auth mount path (default \(SpecDefaults.kubernetesMount))."
            case .ownsMount: "Whether the bootstrap script enables and configures the mount."
            case .role: "The Vault role ESO logs in as."
            case .roles: "SecretStore mode: a namespace's role name (default ROLE-NAMESPACE), by namespace."
            case .serviceAccountRef:
                "The service account whose token ESO presents (default: ESO's own, the operator's)."
            case .audience: "The audience of that token."
            case .tokenTTL: "The TTL of the Vault tokens the role issues."
            case .tokenReviewer:
                "vault (the default): Vault's own reviewer JWT; client: ESO's JWT, bound to system:auth-delegator."
            }
        }
    }

    /// `auth.jwt`.
    enum JWT: String, SpecKeySet {
        case mountPath, ownsMount, role, roles, serviceAccountRef, audiences, boundIssuer, tokenTTL
        static let required: [JWT] = [.role, .audiences, .boundIssuer]
        var summary: String {
            switch self {
            case .mountPath: "The auth mount path (default \(SpecDefaults.jwtMount))."
            case .ownsMount: "Whether the bootstrap script configures an existing mount on every run."
            case .role: "The Vault role ESO logs in as."
            case .roles: "SecretStore mode: a namespace's role name (default ROLE-NAMESPACE), by namespace."
            case .serviceAccountRef:
                "The service account whose token ESO requests and presents (default: the operator's)."
            case .audiences: "The audiences of that token, which the role requires."
            case .boundIssuer: "The issuer (iss claim) the role requires: the cluster's service account issuer."
            case .tokenTTL: "The TTL of the Vault tokens the role issues."
            }
        }
    }

    /// `kubernetes.serviceAccountRef`.
    enum ServiceAccountRef: String, SpecKeySet {
        case name, namespace
        static let required: [ServiceAccountRef] = [.name]
        static let requiredForClusterStore: [ServiceAccountRef] = [.namespace]
        var summary: String {
            switch self {
            case .name: "The service account name."
            case .namespace: "Its namespace (ClusterSecretStore only)."
            }
        }
    }

    /// `auth.appRole`.
    enum AppRole: String, SpecKeySet {
        case mountPath, role, roles, secretRef, roleId, roleIdKey, tokenTTL, secretIdTTL
        static let required: [AppRole] = [.role, .secretRef]
        var summary: String {
            switch self {
            case .mountPath: "The auth mount path (default \(SpecDefaults.appRoleMount))."
            case .role: "The AppRole role name."
            case .roles: "SecretStore mode: a namespace's role name (default ROLE-NAMESPACE), by namespace."
            case .secretRef: "The Secret and key holding the secret-id."
            case .roleId:
                "A fixed role-id, written to the role and inline in the store (the Secret holds only the secret-id)."
            case .roleIdKey: "The key of that Secret holding the role-id (default \(SpecDefaults.roleIdKey))."
            case .tokenTTL: "The TTL of the Vault tokens the role issues."
            case .secretIdTTL: "How long a secret-id lives (default \(SpecDefaults.secretIdTTL.text))."
            }
        }
    }

    /// `auth.userPass`, ESO's `auth.userPass`.
    enum UserPass: String, SpecKeySet {
        case mountPath, username, usernames, secretRef, tokenTTL
        static let required: [UserPass] = [.username, .secretRef]
        var summary: String {
            switch self {
            case .mountPath: "The auth mount path (default userpass)."
            case .username: "The Vault user ESO logs in as."
            case .usernames: "SecretStore mode: a namespace's username (default USERNAME-NAMESPACE), by namespace."
            case .secretRef: "The Secret and key the generated password is stored in."
            case .tokenTTL: "The TTL of the Vault tokens the user gets."
            }
        }
    }

    /// An app under `apps`.
    enum App: String, SpecKeySet {
        case namespace, kind, replicas, serviceName, schedule, serviceAccountName, selector, hardening, workload,
            containers, secrets, reload, reloadOptions, patch
        static let required: [App] = [.namespace]
        /// The keys that shape a workload Keyway writes: refused next to `workload`.
        static let ownedWorkloadKeys: [App] = [
            .kind, .replicas, .serviceName, .schedule, .serviceAccountName, .selector, .hardening, .containers, .patch,
        ]
        /// The keys that make an app without `containers` one whose workload Keyway writes (then
        /// `containers` is missing); without any of them and `workload`, the app has secrets only.
        static let ownedWorkloadShape: [App] = [
            .kind, .replicas, .serviceName, .schedule, .serviceAccountName, .selector, .hardening,
        ]
        /// The keys that act on a workload: refused on an app with secrets only.
        static let workloadOnlyKeys: [App] = [.reload, .reloadOptions, .patch]
        var summary: String {
            switch self {
            case .namespace: "The app's namespace."
            case .kind: "The workload Keyway writes: Deployment (the default), StatefulSet, DaemonSet or CronJob."
            case .replicas: "The replicas; omitted, spec.replicas is not written (an autoscaler owns it)."
            case .serviceName: "A StatefulSet's governing Service (default: the app's name)."
            case .schedule: "A CronJob's cron schedule (required for a CronJob)."
            case .serviceAccountName: "The pod's service account; without it no service account token is mounted."
            case .selector: "The workload's selector labels, also its pod template's (default: app: NAME)."
            case .hardening:
                "restricted (the default): the hardened pod; none: the pod as containers and patch give it."
            case .workload: "A workload owned elsewhere (a Helm chart): its kind, name and containers."
            case .containers: "The containers, by name."
            case .secrets: "The ExternalSecrets the app reads, by name."
            case .reload: "named (the default), auto, search or none: how Reloader restarts the app."
            case .reloadOptions:
                "Reloader's other per-workload annotations: rollout-strategy, pause-period, exclude, watch, place."
            case .patch: "A patch merged into the generated workload."
            }
        }
    }

    /// An app's `workload`: a workload Keyway does not write.
    enum Workload: String, SpecKeySet {
        case kind, name, containers
        static let required: [Workload] = [.kind]
        var summary: String {
            switch self {
            case .kind: "Deployment, StatefulSet, DaemonSet, CronJob or Rollout."
            case .name: "The workload's name (default: the app's name)."
            case .containers: "The containers that get the secrets; required with env, envFrom or volume exposure."
            }
        }
    }

    /// An app's `reloadOptions`, named as Reloader's annotations are.
    enum ReloadOptions: String, SpecKeySet {
        case rolloutStrategy = "rollout-strategy"
        case pausePeriod = "pause-period"
        case exclude
        case watch
        case place
        var summary: String {
            switch self {
            case .rolloutStrategy: "An Argo Rollout's reload: rollout (Reloader's default) or restart."
            case .pausePeriod: "A Deployment's pause after a reload, a Go duration."
            case .exclude: "Secrets 'reload: auto' does not watch."
            case .watch: "What 'reload: auto' watches: secrets (the default) or all (Secrets and ConfigMaps)."
            case .place:
                "Where the reload annotation goes: workload (the default) or podTemplate (the pod template's metadata)."
            }
        }
    }

    /// A container under an app's `containers`.
    enum Container: String, SpecKeySet {
        case image, command, args
        static let required: [Container] = [.image]
        var summary: String {
            switch self {
            case .image: "The container image."
            case .command: "The entrypoint, a list of strings."
            case .args: "The arguments, a list of strings."
            }
        }
    }

    /// A secret under an app's `secrets`.
    enum Secret: String, SpecKeySet {
        case target, refreshInterval, refreshPolicy, creationPolicy, deletionPolicy, immutable, extract, keys, find,
            rewrite, template, expose,
            containers, use, mount
        /// The keys a `use` entry takes.
        static let useKeys: [Secret] = [.use, .expose, .containers]
        /// The keys naming the secret's Vault source, of which a secret without `use` writes exactly one.
        static let vaultSourceKeys: [Secret] = [.extract, .keys, .find]
        var summary: String {
            switch self {
            case .use: "Another app of the namespace whose secret of this name this app consumes."
            case .mount: "The KV mount it reads, one of 'vault.kv' (default: the first)."
            case .target: "The Kubernetes Secret written (default: the secret's name)."
            case .refreshInterval: "How often ESO rereads Vault, a Go duration."
            case .refreshPolicy: "ESO's refreshPolicy: Periodic (the default), OnChange or CreatedOnce."
            case .creationPolicy: "ESO's creationPolicy: Owner (the default), Orphan, Merge or None."
            case .deletionPolicy: "ESO's deletionPolicy: Retain, Delete or Merge."
            case .immutable: "Whether the Secret is immutable (ESO's target.immutable)."
            case .extract: SecretSource.extract.summary
            case .keys: SecretSource.keys.summary
            case .find: SecretSource.find.summary
            case .rewrite: "Renames of the fetched keys of 'extract' or 'find', in order (ESO's dataFrom rewrite)."
            case .template: "ESO's target.template: the Secret's type, data, labels and annotations as Go templates."
            case .expose: "envFrom (the default), env, a volume at 'mountPath', imagePullSecret or none."
            case .containers: "The containers that get the secret (default: all)."
            }
        }
    }

    /// The keys of a secret that name its Vault source: exactly one is written.
    enum SecretSource: String, SpecKeySet {
        case extract, keys, find
        var summary: String {
            switch self {
            case .extract: "One Vault path, every property of it."
            case .keys: "Secret keys, each with its Vault path and property (PATH#PROPERTY)."
            case .find: "Every secret under a Vault path, optionally filtered by name."
            }
        }
    }

    /// A secret's `find`.
    enum Find: String, SpecKeySet {
        case path, name, tags, decodingStrategy, conversionStrategy
        var summary: String {
            switch self {
            case .path: "The Vault folder searched (default: the whole mount)."
            case .name: "A regular expression the secret names must match."
            case .tags: "KV v2 custom metadata every found secret must carry."
            case .decodingStrategy: Extract.decodingStrategy.summary
            case .conversionStrategy: Extract.conversionStrategy.summary
            }
        }
    }

    /// A secret's `extract`, written as a mapping.
    enum Extract: String, SpecKeySet {
        case key, version, decodingStrategy, conversionStrategy
        static let required: [Extract] = [.key]
        var summary: String {
            switch self {
            case .key: "The Vault path."
            case .version: "The KV v2 version read (default: the current one)."
            case .decodingStrategy: "How ESO decodes each value: None (the default), Base64, Base64URL or Auto."
            case .conversionStrategy: "How ESO converts key names: Default or Unicode."
            }
        }
    }

    /// A Secret key under `keys`, written as a mapping rather than PATH#PROPERTY.
    enum KeyReference: String, SpecKeySet {
        case key, property, version, decodingStrategy, conversionStrategy, metadataPolicy
        static let required: [KeyReference] = [.key]
        var summary: String {
            switch self {
            case .key: "The Vault path."
            case .property: "The property of that Vault secret."
            case .version: Extract.version.summary
            case .decodingStrategy: Extract.decodingStrategy.summary
            case .conversionStrategy: Extract.conversionStrategy.summary
            case .metadataPolicy: "Fetch: read the secret's KV v2 custom metadata instead of its data."
            }
        }
    }

    /// A secret's `template`.
    enum Template: String, SpecKeySet {
        case type, mergePolicy, data, labels, annotations
        var summary: String {
            switch self {
            case .type: "The Kubernetes Secret type, e.g. kubernetes.io/tls (default Opaque)."
            case .mergePolicy:
                "Replace (the default): the Secret holds the templated keys only; Merge: the fetched ones too."
            case .data: "The Secret's keys, each a Go template over the fetched keys ({{ .NAME }})."
            case .labels: "Labels of the Secret; values may be Go templates."
            case .annotations: "Annotations of the Secret; values may be Go templates."
            }
        }
    }

    /// An item of a secret's `rewrite`: exactly one key.
    enum Rewrite: String, SpecKeySet {
        case regexp, transform
        var summary: String {
            switch self {
            case .regexp: "Replace each key's matches of 'source' by 'target'."
            case .transform: "Replace each key by a Go template over it ({{ .value }})."
            }
        }
    }

    /// A rewrite's `regexp`.
    enum RewriteRegexp: String, SpecKeySet {
        case source, target
        static let required: [RewriteRegexp] = [.source, .target]
        var summary: String {
            switch self {
            case .source: "A Go regular expression matched against each key."
            case .target: "The replacement; $1 names a group."
            }
        }
    }

    /// A rewrite's `transform`.
    enum RewriteTransform: String, SpecKeySet {
        case template
        static let required: [RewriteTransform] = [.template]
        var summary: String {
            switch self {
            case .template: "A Go template over each key, as '.value'."
            }
        }
    }

    /// A secret's `expose`, written as a mapping: a volume.
    enum Expose: String, SpecKeySet {
        case mountPath, env
        var summary: String {
            switch self {
            case .mountPath: "The absolute path the Secret is mounted at."
            case .env: "Environment variables by name, each from a key of the Secret: {VAR: KEY}."
            }
        }
    }
}
