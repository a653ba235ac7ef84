/// One environment, validated: everything the lowering needs and nothing about YAML.
public struct Environment: Sendable, Equatable {
    /// `metadata.name`: names the output folder and the defaults derived from it.
    public var name: String
    /// The Kubernetes cluster the environment deploys to (`metadata.cluster`).
    ///
    /// Specs of one call are checked for objects both write (KW160) only when their clusters are
    /// equal, `nil` included.
    public var cluster: String?
    /// The Vault server, its KV mount, the policy Keyway writes and how ESO logs in.
    public var vault: VaultConfiguration
    /// The ESO store (ClusterSecretStore or SecretStore) every ExternalSecret reads through.
    public var store: StoreConfiguration
    /// The applications, in spec order.
    public var apps: [App]
    /// `defaults.labels`, added to every generated object after Keyway's own.
    public var labels: [Label]
    /// `monitoring`: the PrometheusRule alerting on ESO's metrics; `nil` writes none.
    public var monitoring: Monitoring?
    /// `operator`: where ESO itself runs, and the service account its controller logs in as.
    public var esoOperator = ESOOperator.standard

    /// The namespaces of the apps, in the order they first appear.
    public var namespaces: [String] { Self.uniqueNamespaces(of: apps) }

    /// The namespaces of some apps, in the order they first appear.
    static func uniqueNamespaces(of apps: [App]) -> [String] {
        var seen = Set<String>()
        return apps.map(\.namespace).filter { seen.insert($0).inserted }
    }
}

/// Where ESO runs: its namespace and its controller's service account (`operator`).
public struct ESOOperator: Sendable, Equatable {
    /// The namespace ESO is installed in.
    public var namespace: String
    /// The service account of ESO's controller: whom a role is bound to when ESO logs in as itself.
    public var serviceAccount: String

    /// ESO's Helm chart's own names: `external-secrets` in `external-secrets`.
    public static let standard = ESOOperator(
        namespace: SpecDefaults.operatorNamespace, serviceAccount: SpecDefaults.operatorName)
}

/// A Kubernetes label.
public struct Label: Sendable, Equatable {
    /// The label key, such as `app.kubernetes.io/part-of`.
    public var key: String
    /// The label value.
    public var value: String
}

/// Where the secrets live and how ESO gets in.
public struct VaultConfiguration: Sendable, Equatable {
    /// The server's address, an http(s) URL.
    public var server: String
    /// The Vault Enterprise / OpenBao namespace everything lives in; `nil` for the root namespace.
    public var namespace: String?
    /// The private CA that signed the server's certificate; `nil` for the system's roots.
    public var ca: VaultCA?
    /// The KV secrets engines the apps' secrets live in, in spec order: never empty; a secret
    /// names one by its index (`AppSecret.mountIndex`), the first by default.
    public var mounts: [KVMount]
    /// The Vault policy granting ESO read access to the apps' paths.
    public var policy: PolicyConfiguration
    /// How ESO authenticates to Vault.
    public var auth: AuthMethod
}

extension VaultConfiguration {
    /// The first KV mount: the one a secret without `mount:` reads.
    public var mount: KVMount { mounts[0] }

    /// The KV mount a secret reads.
    public func mount(of secret: AppSecret) -> KVMount { mounts[secret.mountIndex] }
}

/// Where ESO, the bootstrap script and the renewal job find the CA of Vault's certificate.
public enum VaultCA: Sendable, Equatable {
    /// PEM certificates written in the spec (`vault.caBundle`): not secret, copied where needed.
    case bundle(pem: String)
    /// A key of a Secret or ConfigMap already in the cluster (`vault.caProvider`).
    case provider(CAProvider)
}

/// ESO's `caProvider`: a key of a ConfigMap or Secret holding the CA's PEM.
public struct CAProvider: Sendable, Equatable {
    /// Whether the CA lives in a Secret or a ConfigMap.
    public var type: CAProviderType
    /// The name of the Secret or ConfigMap.
    public var name: String
    /// The key holding the PEM certificates.
    public var key: String
    /// Required for a ClusterSecretStore; `nil` in SecretStore mode (each store's own namespace).
    public var namespace: String?
}

/// The kind of object a `caProvider` names, by ESO's spelling.
public enum CAProviderType: String, Sendable, Equatable, CaseIterable {
    case secret = "Secret"
    case configMap = "ConfigMap"
}

/// The KV secrets engine the secrets live in.
public struct KVMount: Sendable, Equatable {
    /// The mount path, such as `kv`.
    public var path: String
    /// The KV engine version, which decides the `data/` and `metadata/` paths.
    public var version: KVVersion
}

/// The KV engine's version: v2 keeps versions and splits `data/` from `metadata/`.
public enum KVVersion: Int, Sendable, Equatable, CaseIterable {
    case v1 = 1
    case v2 = 2
}

/// The Vault policy the lowering writes.
public struct PolicyConfiguration: Sendable, Equatable {
    /// The policy's name; in SecretStore mode each namespace's policy is `NAME-NAMESPACE`.
    public var name: String
    /// SecretStore mode: the policy names the spec gives some namespaces (`policy.names`), by namespace.
    public var namespaceNames: [String: String] = [:]
    /// Which paths the policy grants: exactly the referenced ones, or a prefix.
    public var scope: PolicyScope
}

/// How much a policy grants.
public enum PolicyScope: Sendable, Equatable {
    /// Exactly the paths the apps reference.
    case exact
    /// Everything under a path prefix (the guide's choice).
    case prefix(String)
}

/// A key of a Kubernetes Secret; `namespace` is `nil` where the referring object's own applies.
public struct SecretKeyReference: Sendable, Equatable {
    /// The Secret's name.
    public var name: String
    /// The key within the Secret.
    public var key: String
    /// The Secret's namespace; `nil` for the referring object's own.
    public var namespace: String?
}

/// How ESO authenticates to Vault.
public enum AuthMethod: Sendable, Equatable {
    case token(TokenAuth)
    case kubernetes(KubernetesAuth)
    case appRole(AppRoleAuth)
    case jwt(JWTAuth)
    case userPass(UserPassAuth)
}

/// ESO logs in with a username and the password Keyway generates into a Kubernetes Secret.
public struct UserPassAuth: Sendable, Equatable {
    /// The path Vault's userpass auth method is mounted at, such as `userpass`.
    public var mountPath: String
    /// The Vault user ESO logs in as; in SecretStore mode each namespace's is `NAME-NAMESPACE`.
    public var username: String
    /// SecretStore mode: the usernames the spec gives some namespaces (`usernames`), by namespace.
    public var namespaceUsernames: [String: String] = [:]
    /// The Secret and its key holding the password.
    public var secretRef: SecretKeyReference
    /// The TTL of the Vault tokens the user gets; `nil` for the mount's default.
    public var tokenTTL: GoDuration?
}

/// A periodic Vault token kept in a Kubernetes Secret, renewed by a CronJob.
public struct TokenAuth: Sendable, Equatable {
    /// The token's period: Vault keeps it alive as long as it is renewed within this.
    public var period: GoDuration
    /// The Kubernetes Secret and key holding the token ESO presents.
    public var secretRef: SecretKeyReference
    /// The CronJob that renews the token.
    public var renewal: TokenRenewal
}

/// The CronJob that renews a periodic token: ESO never does.
public struct TokenRenewal: Sendable, Equatable {
    /// A cron schedule running several times per period.
    public var schedule: String
    /// An image with the `vault` CLI.
    public var image: String
}

/// ESO's service account logs in through Vault's Kubernetes auth method.
public struct KubernetesAuth: Sendable, Equatable {
    /// The path Vault's Kubernetes auth method is mounted at, such as `kubernetes`.
    public var mountPath: String
    /// Whether Keyway owns the auth mount: then the script writes its config on every run;
    /// otherwise only when the script enables the mount itself.
    public var ownsMount: Bool
    /// The Vault role ESO logs in as.
    public var role: String
    /// SecretStore mode: the role names the spec gives some namespaces (`roles`), by namespace.
    public var namespaceRoles: [String: String] = [:]
    /// The service account whose token ESO presents.
    public var serviceAccountName: String
    /// `nil` in SecretStore mode: each namespace's own service account.
    public var serviceAccountNamespace: String?
    /// No `serviceAccountRef`: ESO presents its own pod's token, so the account is the operator's.
    public var operatorAccount = false
    /// The audience ESO requests for the service account token; `nil` for the API server's default.
    public var audience: String?
    /// The TTL of the Vault tokens the role issues; `nil` for the mount's default.
    public var tokenTTL: GoDuration?
    /// Whose JWT Vault presents to the TokenReview API.
    public var tokenReviewer: TokenReviewer
}

/// Who reviews ESO's service account token for Vault's Kubernetes auth.
public enum TokenReviewer: String, Sendable, Equatable, CaseIterable {
    /// Vault's own reviewer identity (its pod's service account, or a reviewer JWT an operator set).
    case vault
    /// The login's own JWT: ESO's service accounts need `system:auth-delegator`, which Keyway binds.
    case client
}

/// ESO's service account token, checked offline by Vault's JWT auth against the issuer's keys.
public struct JWTAuth: Sendable, Equatable {
    /// The path Vault's JWT auth method is mounted at, such as `jwt`.
    public var mountPath: String
    /// Whether Keyway owns the auth mount's config (written on every run), as for kubernetes auth.
    public var ownsMount: Bool
    /// The Vault role ESO logs in as.
    public var role: String
    /// SecretStore mode: the role names the spec gives some namespaces (`roles`), by namespace.
    public var namespaceRoles: [String: String] = [:]
    /// The service account whose token ESO presents.
    public var serviceAccountName: String
    /// `nil` in SecretStore mode: each namespace's own service account.
    public var serviceAccountNamespace: String?
    /// No `serviceAccountRef`: ESO requests a token for its own service account (the operator's).
    public var operatorAccount = false
    /// The `aud` claims ESO requests and the role accepts; at least one.
    public var audiences: [String]
    /// The `iss` claim the role accepts.
    public var boundIssuer: String
    /// The TTL of the Vault tokens the role issues; `nil` for the mount's default.
    public var tokenTTL: GoDuration?
}

/// ESO logs in with an AppRole role-id and secret-id kept in a Kubernetes Secret.
public struct AppRoleAuth: Sendable, Equatable {
    /// The path Vault's AppRole auth method is mounted at, such as `approle`.
    public var mountPath: String
    /// The AppRole role ESO logs in as.
    public var role: String
    /// SecretStore mode: the role names the spec gives some namespaces (`roles`), by namespace.
    public var namespaceRoles: [String: String] = [:]
    /// The Secret and its key holding the secret-id.
    public var secretRef: SecretKeyReference
    /// Where ESO finds the role-id: a key of the same Secret, or written in the store.
    public var roleId: AppRoleID
    /// The TTL of the Vault tokens the role issues; `nil` for the mount's default.
    public var tokenTTL: GoDuration?
    /// How long a secret-id stays valid; `0` never expires (warned).
    public var secretIdTTL: GoDuration
}

/// Where ESO reads an AppRole's role-id (ESO's `roleRef` or `roleId`).
public enum AppRoleID: Sendable, Equatable {
    /// A key of the credential's Secret, holding the role-id Vault generated (`roleRef`).
    case secretKey(String)
    /// A fixed role-id (`roleId`): the script writes it to the role, the store carries it inline.
    case fixed(String)
}

/// The ESO store connecting to Vault.
public struct StoreConfiguration: Sendable, Equatable {
    /// The store's `metadata.name`.
    public var name: String
    /// ClusterSecretStore for all namespaces, or one SecretStore per app namespace.
    public var kind: StoreKind
    /// The API version the store and ExternalSecret objects are written with.
    public var apiVersion: ESOAPIVersion
    /// `conditions`: more namespaces a ClusterSecretStore serves, beside the apps' own.
    public var conditions: [StoreCondition] = []

    /// The store of the KV mount at `index`: the first keeps the store's name, the others `NAME-MOUNT`.
    public func name(forMount index: Int, of mounts: [KVMount]) -> String {
        index == 0 ? name : Self.name(name, mount: mounts[index].path)
    }

    /// The name of a store for a mount other than the first.
    static func name(_ store: String, mount: String) -> String { "\(store)-\(mount)" }
}

/// One of ESO's ClusterSecretStore conditions: namespaces chosen by label, by name or by regex.
public struct StoreCondition: Sendable, Equatable {
    /// `namespaceSelector`; `nil` when not written.
    public var namespaceSelector: LabelSelector?
    /// `namespaces`: by name.
    public var namespaces: [String]
    /// `namespaceRegexes`: Go regular expressions ESO matches (unanchored) against the namespace name.
    public var namespaceRegexes: [String]
}

/// A Kubernetes label selector, as written.
public struct LabelSelector: Sendable, Equatable {
    /// `matchLabels`, in spec order.
    public var matchLabels: [Label]
    /// `matchExpressions`, in spec order.
    public var matchExpressions: [LabelRequirement]
}

/// One `matchExpressions` entry.
public struct LabelRequirement: Sendable, Equatable {
    /// The label key.
    public var key: String
    /// `In`, `NotIn`, `Exists` or `DoesNotExist`.
    public var `operator`: LabelOperator
    /// The values (`In` and `NotIn` only).
    public var values: [String]
}

/// The operators of a label selector's expressions.
public enum LabelOperator: String, Sendable, Equatable, CaseIterable {
    case `in` = "In"
    case notIn = "NotIn"
    case exists = "Exists"
    case doesNotExist = "DoesNotExist"
}

/// One ClusterSecretStore for all apps, or one SecretStore per app namespace.
public enum StoreKind: Sendable, Equatable {
    case cluster(allNamespaces: Bool)
    case namespaced

    /// The store's Kubernetes `kind`: `ClusterSecretStore` or `SecretStore`.
    public var kindName: String {
        switch self {
        case .cluster: "ClusterSecretStore"
        case .namespaced: "SecretStore"
        }
    }
}

/// The API version of ESO's objects.
public enum ESOAPIVersion: String, Sendable, Equatable, CaseIterable {
    case v1 = "external-secrets.io/v1"
    case v1beta1 = "external-secrets.io/v1beta1"
}

/// An application: the workload that runs its pods (written by Keyway, or owned elsewhere and
/// patched), and the secrets its containers read.
public struct App: Sendable, Equatable {
    /// The app's name, which names its workload unless `workload:` names another.
    public var name: String
    /// The Kubernetes namespace the app's workload, ExternalSecrets and Secrets live in.
    public var namespace: String
    /// The kind of the workload that runs the app's pods.
    public var kind: WorkloadKind
    /// Who writes the workload: Keyway, or a chart or another repository.
    public var workload: AppWorkload
    /// The app's secrets: its own ExternalSecrets and those it shares through `use:`.
    public var secrets: [AppSecret]
    /// How Stakater Reloader restarts the workload when the Secrets change.
    public var reload: Reload
    /// Reloader's other per-workload annotations, in the order written.
    public var reloadOptions: [ReloadOption]
    /// What the pod reads, computed once: the secrets' wiring, then what the patches add.
    var wiring: PodWiring

    /// The workload's `metadata.name` (an app with secrets only has none: its own name).
    public var workloadName: String {
        switch workload {
        case .owned, .secretsOnly: name
        case .external(let external): external.name
        }
    }

    /// The names of the containers the secrets can reach.
    public var containerNames: [String] {
        switch workload {
        case .owned(let owned): owned.containers.map(\.name)
        case .external(let external): external.containers
        case .secretsOnly: []
        }
    }

    /// The secrets the app defines itself: one ExternalSecret each.
    public var ownSecrets: [AppSecret] { secrets.filter { $0.origin == .own } }
}

/// Who writes an app's workload.
public enum AppWorkload: Sendable, Equatable {
    /// Keyway writes it whole.
    case owned(OwnedWorkload)
    /// A workload owned elsewhere (`workload:`): Keyway writes a patch file for it.
    case external(ExternalWorkload)
    /// No workload in the spec (neither `containers` nor `workload`): a chart, Argo CD or an
    /// operator reads the Secrets, or nothing yet. Keyway writes the ExternalSecrets only.
    case secretsOnly
}

/// The settings of a workload Keyway writes.
public struct OwnedWorkload: Sendable, Equatable {
    /// `nil`: `spec.replicas` is not written (an autoscaler owns it).
    public var replicas: Int?
    /// A StatefulSet's governing Service.
    public var serviceName: String?
    /// A CronJob's schedule.
    public var schedule: String?
    /// When set, the pod runs as this service account with its token mounted.
    public var serviceAccountName: String?
    /// The pod's containers, in spec order.
    public var containers: [Container]
    /// `defaults.patch`, then the app's own `patch`, each checked; merged in this order.
    public var patches: [ManifestMap]
    /// The selector's labels, also the pod template's: `app: NAME` unless `selector:` says otherwise.
    public var selector: [Label]
    /// Whether Keyway hardens the pod (`restricted`, the default) or leaves it as written (`none`).
    public var hardening: Hardening
}

/// How far Keyway hardens the pods of a workload it writes.
public enum Hardening: String, Sendable, Equatable, CaseIterable {
    /// No service account token unless named, RuntimeDefault seccomp, no privilege escalation,
    /// every capability dropped (Pod Security "restricted" but `runAsNonRoot`, the image's business).
    case restricted
    /// The pod as the containers and the patch give it (images that start as root, bind port 80).
    case none
}

/// A workload Keyway does not write (`workload:`).
public struct ExternalWorkload: Sendable, Equatable {
    /// The workload's `metadata.name`.
    public var name: String
    /// The containers that get the secrets.
    public var containers: [String]
}

/// One of Reloader's per-workload annotations besides the one `reload` writes.
public enum ReloadOption: Sendable, Equatable {
    /// `reloader.stakater.com/rollout-strategy` (Argo Rollouts): `rollout` or `restart`.
    case rolloutStrategy(RolloutStrategy)
    /// `deployment.reloader.stakater.com/pause-period`: pause the Deployment after a reload.
    case pausePeriod(GoDuration)
    /// `secrets.exclude.reloader.stakater.com/reload`: Secrets `reload: auto` ignores.
    case exclude([String])
    /// What `reload: auto` watches: `all` writes `reloader.stakater.com/auto` (Secrets and
    /// ConfigMaps) in place of `secret.reloader.stakater.com/auto`.
    case watch(ReloadWatch)
    /// Where the annotations Reloader reads for a change go: the workload's own metadata or its
    /// pod template's (the options Reloader reads from the workload only stay there).
    case place(ReloadPlace)
}

/// Where an app's Reloader annotations are written (Reloader reads them in either place; see
/// ``ReloaderAnnotations/readsWorkload(_:workload:)``).
public enum ReloadPlace: String, Sendable, Equatable, CaseIterable {
    /// The workload's own `metadata.annotations` (the default).
    case workload
    /// The pod template's `metadata.annotations` (a CronJob's `spec.jobTemplate.spec.template`).
    case podTemplate
}

/// What `reload: auto` watches.
public enum ReloadWatch: String, Sendable, Equatable, CaseIterable {
    /// The Secrets the pod reads (`secret.reloader.stakater.com/auto`, the default).
    case secrets
    /// The Secrets and ConfigMaps the pod reads (`reloader.stakater.com/auto`).
    case all
}

/// How Reloader restarts an Argo Rollout.
public enum RolloutStrategy: String, Sendable, Equatable, CaseIterable {
    /// Through the Rollout's own strategy (Reloader's default).
    case rollout
    /// By restarting the pods (`spec.restartAt`), leaving the template unchanged for GitOps.
    case restart
}

/// A container of an app's pods.
public struct Container: Sendable, Equatable {
    /// The container's name.
    public var name: String
    /// The container's image reference.
    public var image: String
    /// The container's `command`; empty keeps the image's entrypoint.
    public var command: [String]
    /// The container's `args`; empty keeps the image's default.
    public var args: [String]
}

/// Whose ExternalSecret writes a secret's Secret.
public enum SecretOrigin: Sendable, Equatable {
    /// The app's own ExternalSecret.
    case own
    /// `use: APP`: the ExternalSecret of that app of the namespace; this app only consumes the Secret.
    case shared(from: String)

    /// The app whose ExternalSecret writes the Secret, `app` being the app that lists the secret.
    func owner(listedBy app: String) -> String {
        switch self {
        case .own: app
        case .shared(let owner): owner
        }
    }
}

/// One ExternalSecret of an app, and how its Secret reaches the containers.
public struct AppSecret: Sendable, Equatable {
    /// The ExternalSecret's name.
    public var name: String
    /// The Kubernetes Secret's name.
    public var target: String
    /// How often ESO refreshes the Secret from Vault (`refreshInterval`).
    public var refreshInterval: GoDuration
    /// Whether ESO owns the Secret it writes (ESO's `target.creationPolicy`).
    public var creationPolicy: CreationPolicy
    /// What ESO does with the Secret when the values go from Vault; `nil` leaves ESO's default.
    public var deletionPolicy: DeletionPolicy?
    /// Where in Vault the values come from.
    public var source: SecretSource
    /// How the Secret reaches the containers.
    public var exposure: Exposure
    /// The containers that get the Secret, in the app's order (none for `none` and `imagePullSecret`).
    public var containers: [String]
    /// Whose ExternalSecret writes the Secret: this app's own, or another app's (`use: APP`).
    public var origin: SecretOrigin = .own
    /// ESO's `target.template`; `nil` writes the fetched values as they are.
    public var template: SecretTemplate?
    /// ESO's `refreshPolicy`, when written.
    public var refreshPolicy: RefreshPolicy?
    /// ESO's `target.immutable`, when written.
    public var immutable: Bool?
    /// Renames of fetched keys (`extract` and `find` only), in order.
    public var rewrite: [KeyRewrite] = []
    /// The KV mount it reads (`mount:`), an index into `VaultConfiguration.mounts`; 0, the first, by default.
    public var mountIndex = 0

    /// The keys of the Secret ESO writes, where the spec names them all: the template's data
    /// keys (after the fetched ones with `mergePolicy: Merge`), else the `keys:` names.
    public var outputKeys: [String]? {
        var fetched: [String]?
        if case .keys(let keys) = source { fetched = keys.map(\.name) }
        return Self.outputKeys(fetched: fetched, template: template)
    }

    /// The Secret's keys from the fetched ones (`nil`: not known) and the template, as ESO
    /// writes them: the fetched keys without a template or with one without data.
    static func outputKeys(fetched: [String]?, template: SecretTemplate?) -> [String]? {
        guard let template, !template.data.isEmpty else { return fetched }
        let own = template.data.map(\.key)
        switch template.mergePolicy {
        case .replace: return own
        case .merge: return fetched.map { fetched in fetched + own.filter { !fetched.contains($0) } }
        }
    }

    /// Whether the app's pod reads the Secret (env, envFrom, a volume), so Reloader must restart it.
    public var isRead: Bool {
        switch exposure {
        case .envFrom, .env, .envNamed, .volume: true
        case .none, .imagePullSecret: false
        }
    }

    /// The variables `env` and `envNamed` give each container: name and Secret key.
    public var envVariables: [EnvVariable] {
        switch exposure {
        case .env: (outputKeys ?? []).map { EnvVariable(name: $0, key: $0) }
        case .envNamed(let variables): variables
        case .envFrom, .volume, .none, .imagePullSecret: []
        }
    }
}

/// An environment variable from one key of a Secret.
public struct EnvVariable: Sendable, Equatable {
    /// The variable's name.
    public var name: String
    /// The Secret's key it is read from.
    public var key: String
}

/// Where a secret's values come from in Vault; paths are relative to the KV mount.
public enum SecretSource: Sendable, Equatable {
    /// Every key of one Vault secret (`dataFrom.extract`).
    case extract(ExtractSource)
    /// Chosen keys (`data[].remoteRef`).
    case keys([SecretKeySource])
    /// Every secret under a path (`dataFrom.find`), by name or by tags.
    case find(FindSource)

    /// Whether ESO reads KV v2 metadata for it (a find by tags, `metadataPolicy: Fetch`).
    public var readsMetadata: Bool {
        switch self {
        case .extract: false
        case .find(let find): find.readsMetadata
        case .keys(let keys): keys.contains { $0.metadataPolicy == .fetch }
        }
    }

    /// The Vault paths read, in order, each once (a `find` without a path names none).
    public var paths: [String] {
        switch self {
        case .extract(let source): return [source.path]
        case .find(let source): return source.path.map { [$0] } ?? []
        case .keys(let keys):
            var seen = Set<String>()
            return keys.map(\.path).filter { seen.insert($0).inserted }
        }
    }
}

/// One key of a `keys:` secret.
public struct SecretKeySource: Sendable, Equatable {
    /// The key in the Kubernetes Secret (and the variable name with `expose: env`).
    public var name: String
    /// Where ESO reads the secret (its data, or its metadata with `metadataPolicy: Fetch`),
    /// relative to the root of that kind (`ESOVaultPaths.relative`).
    public var path: String
    /// The property of the Vault secret to read; `nil` reads the whole secret as JSON.
    public var property: String?
    /// A KV v2 version to read; `nil` reads the current one.
    public var version: Int? = nil
    /// How ESO decodes and converts the fetched value.
    public var strategies = ValueStrategies()
    /// `fetch` reads the secret's KV v2 metadata instead of its data.
    public var metadataPolicy: MetadataPolicy? = nil
    /// The key as written when it is not `path` (with the mount or a leading `/`): the
    /// ExternalSecret carries it as written, ESO's rules lead it to `path`.
    public var remoteKey: String? = nil

    /// The key the ExternalSecret's `remoteRef.key` carries.
    public var writtenKey: String { remoteKey ?? path }
}

/// How a Secret reaches the containers.
public enum Exposure: Sendable, Equatable {
    /// `envFrom.secretRef`: every key as an environment variable.
    case envFrom
    /// One `env` entry per key, `valueFrom.secretKeyRef`.
    case env
    /// `env` entries named by the spec, each from a key of the Secret (`expose: {env: {VAR: KEY}}`).
    case envNamed([EnvVariable])
    /// A read-only volume of the Secret's keys as files.
    case volume(mountPath: String)
    /// Not at all: the ExternalSecret and its Secret only (a chart mounts it itself).
    case none
    /// The pod's `imagePullSecrets`: the kubelet reads it, the app does not.
    case imagePullSecret
}

/// How Stakater Reloader rolls the workload when its Secrets change.
public enum Reload: String, Sendable, Equatable, CaseIterable {
    /// `secret.reloader.stakater.com/reload` naming exactly the app's Secrets.
    case named
    /// `secret.reloader.stakater.com/auto: "true"`.
    case auto
    /// `reloader.stakater.com/search: "true"` on the workload and `reloader.stakater.com/match: "true"`
    /// on each of its Secrets but image pull Secrets: a constant a chart's annotations can carry.
    case search
    /// No annotation.
    case none
}

/// Whether ESO or something else owns the Secret (ESO's `creationPolicy`).
public enum CreationPolicy: String, Sendable, Equatable, CaseIterable {
    case owner = "Owner"
    case orphan = "Orphan"
    case merge = "Merge"
    case none = "None"
}

/// What ESO does with the Secret when the values are deleted in Vault (ESO's `deletionPolicy`).
public enum DeletionPolicy: String, Sendable, Equatable, CaseIterable {
    case delete = "Delete"
    case merge = "Merge"
    case retain = "Retain"
}

/// Alerts on ESO's metrics.
public struct Monitoring: Sendable, Equatable {
    /// Where the PrometheusRule goes.
    public var namespace: String
}

/// A Go duration (`90s`, `1h30m`), kept as written and as seconds.
public struct GoDuration: Sendable, Equatable {
    /// The duration as written in the spec.
    public var text: String
    /// The duration in seconds.
    public var seconds: Double
}
