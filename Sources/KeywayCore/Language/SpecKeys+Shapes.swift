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
indirect enum ValueShape {
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
    case map(of: ValueShape, keys: StringFormat, minimum: Int)
    /// A list of items of one shape, at least `minimum` of them.
    case list(of: ValueShape, minimum: Int)
    /// Exactly one of these shapes.
    case oneOf([ValueShape])
    /// Any mapping: a patch, checked by the compiler against what it owns.
    case anyMapping
}

/// What a string must look like, where the schema can say so simply; the compiler checks the rest
/// (lengths, reserved names) with a located message.
enum StringFormat: Sendable {
    /// Any string.
    case text
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
        case .serviceAccount: .string(.text)
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
        case .operator: .enumeration(LabelOperator.allCases.map(\.rawValue))
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
        case .kind: .enumeration(ModelBuilder.StoreKindName.allCases.map(\.rawValue))
        case .apiVersion: .enumeration(ESOAPIVersion.allCases.map(\.rawValue))
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
        case .type: .enumeration(CAProviderType.allCases.map(\.rawValue))
        case .name: .string(.text)
        case .key: .string(.text)
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
        case .scope: .enumeration(ModelBuilder.PolicyScopeName.allCases.map(\.rawValue))
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
        case .name: .string(.text)
        case .key: .string(.text)
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
        case .schedule: .string(.text)
        case .image: .string(.text)
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
        case .audience: .string(.text)
        case .tokenTTL: .duration
        case .tokenReviewer: .enumeration(TokenReviewer.allCases.map(\.rawValue))
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
        case .boundIssuer: .string(.text)
        case .tokenTTL: .duration
        }
    }
}

extension SpecKey.ServiceAccountRef: ShapedKeySet {
    var valueShape: ValueShape {
        switch self {
        case .name: .string(.text)
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
        case .roleId: .string(.text)
        case .roleIdKey: .string(.text)
        case .tokenTTL: .duration
        case .secretIdTTL: .duration
        }
    }
}

extension SpecKey.App: ShapedKeySet {
    var valueShape: ValueShape {
        switch self {
        case .namespace: .string(.dnsLabel)
        case .kind: .enumeration(WorkloadKind.owned.map(\.rawValue))
        case .replicas: .int(0...10_000)
        case .serviceName: .string(.dnsLabel)
        case .schedule: .string(.text)
        case .serviceAccountName: .string(.text)
        case .selector: .map(of: .string(.text), keys: .text, minimum: 1)
        case .hardening: .enumeration(Hardening.allCases.map(\.rawValue))
        case .workload: .object(SpecKey.Workload.self)
        case .containers: .map(of: .object(SpecKey.Container.self), keys: .dnsLabel, minimum: 1)
        case .secrets: .map(of: .object(SpecKey.Secret.self), keys: .text, minimum: 0)
        case .reload: .enumeration(Reload.allCases.map(\.rawValue))
        case .reloadOptions: .object(SpecKey.ReloadOptions.self)
        case .patch: .anyMapping
        }
    }
}

extension SpecKey.Workload: ShapedKeySet {
    var valueShape: ValueShape {
        switch self {
        case .kind: .enumeration(WorkloadKind.allCases.map(\.rawValue))
        case .name: .string(.text)
        case .containers: .list(of: .string(.dnsLabel), minimum: 1)
        }
    }
}

extension SpecKey.ReloadOptions: ShapedKeySet {
    var valueShape: ValueShape {
        switch self {
        case .rolloutStrategy: .enumeration(RolloutStrategy.allCases.map(\.rawValue))
        case .pausePeriod: .duration
        case .exclude: .list(of: .string(.text), minimum: 1)
        case .watch: .enumeration(ReloadWatch.allCases.map(\.rawValue))
        case .place: .enumeration(ReloadPlace.allCases.map(\.rawValue))
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
        SpecKey.SecretSource.allCases.compactMap { SpecKey.Secret(rawValue: $0.rawValue) } + [.use]
    }

    var valueShape: ValueShape {
        switch self {
        case .target: .string(.text)
        case .refreshInterval: .duration
        case .refreshPolicy: .enumeration(RefreshPolicy.allCases.map(\.rawValue))
        case .creationPolicy: .enumeration(CreationPolicy.allCases.map(\.rawValue))
        case .deletionPolicy: .enumeration(DeletionPolicy.allCases.map(\.rawValue))
        case .immutable: .bool
        case .extract: .oneOf([.string(.remoteKey), .object(SpecKey.Extract.self)])
        case .keys: .map(of: .oneOf([.string(.text), .object(SpecKey.KeyReference.self)]), keys: .text, minimum: 1)
        case .find: .object(SpecKey.Find.self)
        case .rewrite: .list(of: .object(SpecKey.Rewrite.self), minimum: 1)
        case .template: .object(SpecKey.Template.self)
        case .expose:
            .oneOf([.enumeration(ModelBuilder.ExposeName.allCases.map(\.rawValue)), .object(SpecKey.Expose.self)])
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
        case .name: .string(.text)
        case .tags: .map(of: .string(.text), keys: .text, minimum: 1)
        case .decodingStrategy: .enumeration(DecodingStrategy.allCases.map(\.rawValue))
        case .conversionStrategy: .enumeration(ConversionStrategy.allCases.map(\.rawValue))
        }
    }
}

extension SpecKey.Extract: ShapedKeySet {
    var valueShape: ValueShape {
        switch self {
        case .key: .string(.remoteKey)
        case .version: .int(1...Int(Int32.max))
        case .decodingStrategy: .enumeration(DecodingStrategy.allCases.map(\.rawValue))
        case .conversionStrategy: .enumeration(ConversionStrategy.allCases.map(\.rawValue))
        }
    }
}

extension SpecKey.KeyReference: ShapedKeySet {
    var valueShape: ValueShape {
        switch self {
        case .key: .string(.remoteKey)
        case .property: .string(.text)
        case .version: .int(1...Int(Int32.max))
        case .decodingStrategy: .enumeration(DecodingStrategy.allCases.map(\.rawValue))
        case .conversionStrategy: .enumeration(ConversionStrategy.allCases.map(\.rawValue))
        case .metadataPolicy: .enumeration(MetadataPolicy.allCases.map(\.rawValue))
        }
    }
}

extension SpecKey.Template: ShapedKeySet {
    var valueShape: ValueShape {
        switch self {
        case .type: .string(.text)
        case .mergePolicy: .enumeration(TemplateMergePolicy.allCases.map(\.rawValue))
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
    var valueShape: ValueShape { .string(.text) }
}

extension SpecKey.RewriteTransform: ShapedKeySet {
    var valueShape: ValueShape { .string(.text) }
}

extension SpecKey.Expose: ShapedKeySet {
    /// A volume or named variables.
    static var exactlyOneOf: [SpecKey.Expose] { allCases }

    var valueShape: ValueShape {
        switch self {
        case .mountPath: .string(.text)
        case .env: .map(of: .string(.text), keys: .text, minimum: 1)
        }
    }
}
