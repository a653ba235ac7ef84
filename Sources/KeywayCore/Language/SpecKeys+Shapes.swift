/// The value each spec key takes, beside the key tables in SpecKeys.swift: what `compile schema`
/// turns into the spec's JSON Schema.
///
/// Every key enum conforms to `ShapedKeySet` here, with an exhaustive `switch`: a new key does not
/// compile until its shape is given, and the schema then shows it. Values the builder chooses from
/// an enum (`CreationPolicy`, `ESOAPIVersion`, …) take their cases from that same enum.
protocol ShapedKeySet: SpecKeySet {
    /// The value the key takes.
    var valueShape: ValueShape { get }
    /// Keys of which exactly one must be written (auth methods, a secret's Vault source); empty
    /// when there is no such group.
    static var exactlyOneOf: [Self] { get }
}

extension ShapedKeySet {
    static var exactlyOneOf: [Self] { [] }
}

/// The value of a spec key, as the reader accepts it.
///
/// Only the cases that hold shapes are `indirect`: a scalar's shape, read for every value, is
/// not boxed.
enum ValueShape {
    /// A string (never an unquoted YAML 1.1 number, boolean, null or date).
    case string(StringFormat)
    /// A Go duration string: `90s`, `1h30m`, `0`.
    case duration
    /// A whole number, unquoted, within the bounds.
    case int(ClosedRange<Int>)
    /// `true` or `false`, unquoted.
    case bool
    /// One of these strings.
    case enumeration([String])
    /// A mapping read against a key table: unknown keys are refused.
    case object(any ShapedKeySet.Type)
    /// A mapping keyed by name (`apps`, `containers`, `labels`, …): names of `keys`, values of one
    /// shape, at least `minimum` entries.
    indirect case map(of: ValueShape, keys: StringFormat, minimum: Int)
    /// A list of items of one shape, at least `minimum` of them.
    indirect case list(of: ValueShape, minimum: Int)
    /// Exactly one of these shapes.
    indirect case oneOf([ValueShape])
    /// Any mapping: a patch, checked by the compiler against what it owns.
    case anyMapping
}

/// What a string must look like, where the schema can say so simply; the compiler checks the rest
/// (lengths, reserved names) with a located message.
enum StringFormat: Sendable {
    /// Any string.
    case text
    /// One line of printable text, not empty.
    case line
    /// A DNS-1123 subdomain (a Secret's, a service account's, a store's name).
    case subdomain
    /// A key of a Kubernetes Secret.
    case secretKey
    /// A DNS-1123 label (a namespace, an app's or container's name).
    case dnsLabel
    /// A Vault path relative to the mount: `/`-separated Vault names.
    case vaultPath
    /// A remote key or `find.path` as ESO accepts it: a Vault path, optionally after one `/`
    /// (written relative to the mount or with it: where ESO reads is `ESOVaultPaths`' to say).
    case remoteKey
    /// A Vault policy or role name.
    case vaultName
    /// An http or https URL.
    case url
}

// The names of each enumeration a table offers, built once: a value is read through its key's
// shape for every spec value, and the shape should not build its list each time.
private let caProviderTypeNames = CAProviderType.allCases.map(\.rawValue)
private let conversionStrategyNames = ConversionStrategy.allCases.map(\.rawValue)
private let creationPolicyNames = CreationPolicy.allCases.map(\.rawValue)
private let decodingStrategyNames = DecodingStrategy.allCases.map(\.rawValue)
private let deletionPolicyNames = DeletionPolicy.allCases.map(\.rawValue)
private let esoAPIVersionNames = ESOAPIVersion.allCases.map(\.rawValue)
private let exposeNames = ModelBuilder.ExposeName.allCases.map(\.rawValue)
private let hardeningNames = Hardening.allCases.map(\.rawValue)
private let labelOperatorNames = LabelOperator.allCases.map(\.rawValue)
private let metadataPolicyNames = MetadataPolicy.allCases.map(\.rawValue)
private let policyScopeNames = ModelBuilder.PolicyScopeName.allCases.map(\.rawValue)
private let refreshPolicyNames = RefreshPolicy.allCases.map(\.rawValue)
private let reloadNames = Reload.allCases.map(\.rawValue)
private let reloadPlaceNames = ReloadPlace.allCases.map(\.rawValue)
private let reloadWatchNames = ReloadWatch.allCases.map(\.rawValue)
private let rolloutStrategyNames = RolloutStrategy.allCases.map(\.rawValue)
private let storeKindNames = ModelBuilder.StoreKindName.allCases.map(\.rawValue)
private let templateMergePolicyNames = TemplateMergePolicy.allCases.map(\.rawValue)
private let tokenReviewerNames = TokenReviewer.allCases.map(\.rawValue)
private let workloadKindNames = WorkloadKind.allCases.map(\.rawValue)
private let workloadKindOwnedNames = WorkloadKind.owned.map(\.rawValue)

extension SpecKey.Top: ShapedKeySet {
    var valueShape: ValueShape {
        switch self {
        case .apiVersion: .enumeration([ModelBuilder.specAPIVersion])
        case .kind: .enumeration(["Environment"])
        case .metadata: .object(SpecKey.Metadata.self)
        case .operator: .object(SpecKey.Operator.self)
        case .vault: .object(SpecKey.Vault.self)
        case .secretStore: .object(SpecKey.SecretStore.self)
        case .apps: .map(of: .object(SpecKey.App.self), keys: .dnsLabel, minimum: 1)
        case .defaults: .object(SpecKey.Defaults.self)
        case .monitoring: .object(SpecKey.Monitoring.self)
        }
    }
}

extension SpecKey.Metadata: ShapedKeySet {
    var valueShape: ValueShape {
        switch self {
        case .name: .string(.dnsLabel)
        case .cluster: .string(.text)
        }
    }
}

extension SpecKey.Operator: ShapedKeySet {
    var valueShape: ValueShape {
        switch self {
        case .namespace: .string(.dnsLabel)
        case .serviceAccount: .string(.subdomain)
        }
    }
}

extension SpecKey.Condition: ShapedKeySet {
    var valueShape: ValueShape {
        switch self {
        case .namespaceSelector: .object(SpecKey.LabelSelector.self)
        case .namespaces: .list(of: .string(.dnsLabel), minimum: 1)
        case .namespaceRegexes: .list(of: .string(.text), minimum: 1)
        }
    }
}

extension SpecKey.LabelSelector: ShapedKeySet {
    var valueShape: ValueShape {
        switch self {
        case .matchLabels: .map(of: .string(.text), keys: .text, minimum: 1)
        case .matchExpressions: .list(of: .object(SpecKey.LabelRequirement.self), minimum: 1)
        }
    }
}

extension SpecKey.LabelRequirement: ShapedKeySet {
    var valueShape: ValueShape {
        switch self {
        case .key: .string(.text)
        case .operator: .enumeration(labelOperatorNames)
        case .values: .list(of: .string(.text), minimum: 1)
        }
    }
}

extension SpecKey.UserPass: ShapedKeySet {
    var valueShape: ValueShape {
        switch self {
        case .mountPath: .string(.vaultPath)
        case .username: .string(.vaultName)
        case .usernames: .map(of: .string(.vaultName), keys: .dnsLabel, minimum: 1)
        case .secretRef: .object(SpecKey.SecretRef.self)
        case .tokenTTL: .duration
        }
    }
}

extension SpecKey.Defaults: ShapedKeySet {
    var valueShape: ValueShape {
        switch self {
        case .refreshInterval: .duration
        case .labels: .map(of: .string(.text), keys: .text, minimum: 0)
        case .patch: .anyMapping
        }
    }
}

extension SpecKey.Monitoring: ShapedKeySet {
    var valueShape: ValueShape {
        switch self {
        case .prometheusRule: .bool
        case .namespace: .string(.dnsLabel)
        }
    }
}

extension SpecKey.SecretStore: ShapedKeySet {
    var valueShape: ValueShape {
        switch self {
        case .name: .string(.text)
        case .kind: .enumeration(storeKindNames)
        case .apiVersion: .enumeration(esoAPIVersionNames)
        case .allNamespaces: .bool
        case .conditions: .list(of: .object(SpecKey.Condition.self), minimum: 1)
        }
    }
}

extension SpecKey.Vault: ShapedKeySet {
    var valueShape: ValueShape {
        switch self {
        case .server: .string(.url)
        case .namespace: .string(.vaultPath)
        case .caBundle: .string(.text)
        case .caProvider: .object(SpecKey.CAProvider.self)
        case .kv: .oneOf([.object(SpecKey.KV.self), .list(of: .object(SpecKey.KV.self), minimum: 1)])
        case .policy: .object(SpecKey.Policy.self)
        case .auth: .object(SpecKey.Auth.self)
        }
    }
}

extension SpecKey.CAProvider: ShapedKeySet {
    var valueShape: ValueShape {
        switch self {
        case .type: .enumeration(caProviderTypeNames)
        case .name: .string(.subdomain)
        case .key: .string(.secretKey)
        case .namespace: .string(.dnsLabel)
        }
    }
}

extension SpecKey.KV: ShapedKeySet {
    var valueShape: ValueShape {
        switch self {
        case .mount: .string(.vaultPath)
        case .version: .int(1...2)
        }
    }
}

extension SpecKey.Policy: ShapedKeySet {
    var valueShape: ValueShape {
        switch self {
        case .name: .string(.vaultName)
        case .names: .map(of: .string(.vaultName), keys: .dnsLabel, minimum: 1)
        case .scope: .enumeration(policyScopeNames)
        case .prefix: .string(.vaultPath)
        }
    }
}

extension SpecKey.Auth: ShapedKeySet {
    static var exactlyOneOf: [SpecKey.Auth] { allCases }

    var valueShape: ValueShape {
        switch self {
        case .token: .object(SpecKey.Token.self)
        case .kubernetes: .object(SpecKey.Kubernetes.self)
        case .appRole: .object(SpecKey.AppRole.self)
        case .jwt: .object(SpecKey.JWT.self)
        case .userPass: .object(SpecKey.UserPass.self)
        }
    }
}

extension SpecKey.SecretRef: ShapedKeySet {
    var valueShape: ValueShape {
        switch self {
        case .name: .string(.subdomain)
        case .key: .string(.secretKey)
        case .namespace: .string(.dnsLabel)
        }
    }
}

extension SpecKey.Token: ShapedKeySet {
    var valueShape: ValueShape {
        switch self {
        case .period: .duration
        case .secretRef: .object(SpecKey.SecretRef.self)
        case .renewal: .object(SpecKey.Renewal.self)
        }
    }
}

extension SpecKey.Renewal: ShapedKeySet {
    var valueShape: ValueShape {
        switch self {
        case .schedule: .string(.line)
        case .image: .string(.line)
        }
    }
}

extension SpecKey.Kubernetes: ShapedKeySet {
    var valueShape: ValueShape {
        switch self {
        case .mountPath: .string(.vaultPath)
        case .ownsMount: .bool
        case .role: .string(.vaultName)
        case .roles: .map(of: .string(.vaultName), keys: .dnsLabel, minimum: 1)
        case .serviceAccountRef: .object(SpecKey.ServiceAccountRef.self)
        case .audience: .string(.line)
        case .tokenTTL: .duration
        case .tokenReviewer: .enumeration(tokenReviewerNames)
        }
    }
}

extension SpecKey.JWT: ShapedKeySet {
    var valueShape: ValueShape {
        switch self {
        case .mountPath: .string(.vaultPath)
        case .ownsMount: .bool
        case .role: .string(.vaultName)
        case .roles: .map(of: .string(.vaultName), keys: .dnsLabel, minimum: 1)
        case .serviceAccountRef: .object(SpecKey.ServiceAccountRef.self)
        case .audiences: .list(of: .string(.text), minimum: 1)
        case .boundIssuer: .string(.line)
        case .tokenTTL: .duration
        }
    }
}

extension SpecKey.ServiceAccountRef: ShapedKeySet {
    var valueShape: ValueShape {
        switch self {
        case .name: .string(.subdomain)
        case .namespace: .string(.dnsLabel)
        }
    }
}

extension SpecKey.AppRole: ShapedKeySet {
    var valueShape: ValueShape {
        switch self {
        case .mountPath: .string(.vaultPath)
        case .role: .string(.vaultName)
        case .roles: .map(of: .string(.vaultName), keys: .dnsLabel, minimum: 1)
        case .secretRef: .object(SpecKey.SecretRef.self)
        case .roleId: .string(.line)
        case .roleIdKey: .string(.secretKey)
        case .tokenTTL: .duration
        case .secretIdTTL: .duration
        }
    }
}

extension SpecKey.App: ShapedKeySet {
    var valueShape: ValueShape {
        switch self {
        case .namespace: .string(.dnsLabel)
        case .kind: .enumeration(workloadKindOwnedNames)
        case .replicas: .int(0...10_000)
        case .serviceName: .string(.dnsLabel)
        case .schedule: .string(.text)
        case .serviceAccountName: .string(.text)
        case .selector: .map(of: .string(.text), keys: .text, minimum: 1)
        case .hardening: .enumeration(hardeningNames)
        case .workload: .object(SpecKey.Workload.self)
        case .containers: .map(of: .object(SpecKey.Container.self), keys: .dnsLabel, minimum: 1)
        case .secrets: .map(of: .object(SpecKey.Secret.self), keys: .text, minimum: 0)
        case .reload: .enumeration(reloadNames)
        case .reloadOptions: .object(SpecKey.ReloadOptions.self)
        case .patch: .anyMapping
        }
    }
}

extension SpecKey.Workload: ShapedKeySet {
    var valueShape: ValueShape {
        switch self {
        case .kind: .enumeration(workloadKindNames)
        case .name: .string(.text)
        case .containers: .list(of: .string(.dnsLabel), minimum: 1)
        }
    }
}

extension SpecKey.ReloadOptions: ShapedKeySet {
    var valueShape: ValueShape {
        switch self {
        case .rolloutStrategy: .enumeration(rolloutStrategyNames)
        case .pausePeriod: .duration
        case .exclude: .list(of: .string(.subdomain), minimum: 1)
        case .watch: .enumeration(reloadWatchNames)
        case .place: .enumeration(reloadPlaceNames)
        }
    }
}

extension SpecKey.Container: ShapedKeySet {
    var valueShape: ValueShape {
        switch self {
        case .image: .string(.text)
        case .command: .list(of: .string(.text), minimum: 0)
        case .args: .list(of: .string(.text), minimum: 0)
        }
    }
}

extension SpecKey.Secret: ShapedKeySet {
    /// A Vault source, or `use` of another app's secret.
    static var exactlyOneOf: [SpecKey.Secret] {
        vaultSourceKeys + [.use]
    }

    var valueShape: ValueShape {
        switch self {
        case .target: .string(.subdomain)
        case .refreshInterval: .duration
        case .refreshPolicy: .enumeration(refreshPolicyNames)
        case .creationPolicy: .enumeration(creationPolicyNames)
        case .deletionPolicy: .enumeration(deletionPolicyNames)
        case .immutable: .bool
        case .extract: .oneOf([.string(.remoteKey), .object(SpecKey.Extract.self)])
        case .keys: .map(of: .oneOf([.string(.text), .object(SpecKey.KeyReference.self)]), keys: .text, minimum: 1)
        case .find: .object(SpecKey.Find.self)
        case .rewrite: .list(of: .object(SpecKey.Rewrite.self), minimum: 1)
        case .template: .object(SpecKey.Template.self)
        case .expose:
            .oneOf([.enumeration(exposeNames), .object(SpecKey.Expose.self)])
        case .containers: .list(of: .string(.dnsLabel), minimum: 1)
        case .use: .string(.dnsLabel)
        case .mount: .string(.vaultPath)
        }
    }
}

extension SpecKey.Find: ShapedKeySet {
    var valueShape: ValueShape {
        switch self {
        case .path: .string(.remoteKey)
        case .name: .string(.line)
        case .tags: .map(of: .string(.line), keys: .line, minimum: 1)
        case .decodingStrategy: .enumeration(decodingStrategyNames)
        case .conversionStrategy: .enumeration(conversionStrategyNames)
        }
    }
}

extension SpecKey.Extract: ShapedKeySet {
    var valueShape: ValueShape {
        switch self {
        case .key: .string(.remoteKey)
        case .version: .int(1...Int(Int32.max))
        case .decodingStrategy: .enumeration(decodingStrategyNames)
        case .conversionStrategy: .enumeration(conversionStrategyNames)
        }
    }
}

extension SpecKey.KeyReference: ShapedKeySet {
    var valueShape: ValueShape {
        switch self {
        case .key: .string(.remoteKey)
        case .property: .string(.line)
        case .version: .int(1...Int(Int32.max))
        case .decodingStrategy: .enumeration(decodingStrategyNames)
        case .conversionStrategy: .enumeration(conversionStrategyNames)
        case .metadataPolicy: .enumeration(metadataPolicyNames)
        }
    }
}

extension SpecKey.Template: ShapedKeySet {
    var valueShape: ValueShape {
        switch self {
        case .type: .string(.line)
        case .mergePolicy: .enumeration(templateMergePolicyNames)
        case .data, .labels, .annotations: .map(of: .string(.text), keys: .text, minimum: 0)
        }
    }
}

extension SpecKey.Rewrite: ShapedKeySet {
    static var exactlyOneOf: [SpecKey.Rewrite] { allCases }

    var valueShape: ValueShape {
        switch self {
        case .regexp: .object(SpecKey.RewriteRegexp.self)
        case .transform: .object(SpecKey.RewriteTransform.self)
        }
    }
}

extension SpecKey.RewriteRegexp: ShapedKeySet {
    var valueShape: ValueShape {
        switch self {
        case .source: .string(.line)
        case .target: .string(.text)
        }
    }
}

extension SpecKey.RewriteTransform: ShapedKeySet {
    var valueShape: ValueShape {
        switch self {
        case .template: .string(.line)
        }
    }
}

extension SpecKey.Expose: ShapedKeySet {
    /// A volume or named variables.
    static var exactlyOneOf: [SpecKey.Expose] { allCases }

    var valueShape: ValueShape {
        switch self {
        case .mountPath: .string(.line)
        case .env: .map(of: .string(.text), keys: .text, minimum: 1)
        }
    }
}

/// The keys Vault's Kubernetes and JWT auth share (`auth.kubernetes`, `auth.jwt`): one reader
/// (`ModelBuilder.login`) reads them for both, through either table.
protocol LoginKeySet: ShapedKeySet {
    /// The auth mount path.
    static var mountPath: Self { get }
    /// Whether the script configures the mount.
    static var ownsMount: Self { get }
    /// The Vault role ESO logs in as.
    static var role: Self { get }
    /// SecretStore mode: a role name per namespace.
    static var roles: Self { get }
    /// The service account ESO presents.
    static var serviceAccountRef: Self { get }
    /// The TTL of the tokens the role issues.
    static var tokenTTL: Self { get }
}

extension SpecKey.Kubernetes: LoginKeySet {}
extension SpecKey.JWT: LoginKeySet {}

/// The keys of a remote reference's value strategies (`extract`, `find`, a key of `keys`): one
/// reader (`ModelBuilder.valueStrategies`) reads them through any of the three tables.
protocol StrategyKeySet: ShapedKeySet {
    /// ESO's `decodingStrategy`.
    static var decodingStrategy: Self { get }
    /// ESO's `conversionStrategy`.
    static var conversionStrategy: Self { get }
}

extension SpecKey.Extract: StrategyKeySet {}
extension SpecKey.Find: StrategyKeySet {}
extension SpecKey.KeyReference: StrategyKeySet {}
