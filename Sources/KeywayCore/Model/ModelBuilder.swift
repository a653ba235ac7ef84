/// Validates a spec's surface tree into the model, reporting every problem with its place.
///
/// Every value keeps its source range while it is checked here; the `Environment` it returns
/// has none, and the stages after it never need one.
struct ModelBuilder {
    static let specAPIVersion = "keyway.dev/v1alpha1"
    static let maxApps = 50_000
    static let defaultRenewalImage = "hashicorp/vault:1.20"
    static let minimumTokenPeriod = 600.0

    var reader = SpecReader()
    /// Where `metadata.name` is written.
    var nameRange: SourceRange?
    /// Where the Vault names this spec claims are written.
    var vaultSites = VaultNameSites()

    mutating func build(_ root: SpecNode) -> Environment? {
        guard case .mapping = root else {
            reader.error(
                .documentShape,
                "a spec's top level must be a mapping, found \(root.kindDescription)",
                at: root.range,
                help: "start with 'apiVersion: \(Self.specAPIVersion)' and 'kind: Environment'"
            )
            return nil
        }
        guard let top = reader.fields(root, "the spec", anchor: .fileStart, keys: SpecKey.Top.self) else { return nil }

        if let node = top[.apiVersion]?.value, let value = reader.string(node, "'apiVersion'"), value.value != Self.specAPIVersion {
            reader.error(.invalidValue, "unsupported apiVersion '\(value.value)'", at: value.range, help: "write 'apiVersion: \(Self.specAPIVersion)'")
        }
        if let node = top[.kind]?.value, let value = reader.string(node, "'kind'"), value.value != "Environment" {
            reader.error(.invalidValue, "unsupported kind '\(value.value)'", at: value.range, help: "write 'kind: Environment'")
        }
        let name = top[.metadata].flatMap { entry -> String? in
            guard let metadata = reader.fields(entry.value, "'metadata'", anchor: entry.key.range, keys: SpecKey.Metadata.self),
                let node = metadata[.name]?.value
            else { return nil }
            nameRange = node.range
            return reader.dnsLabel(node, "environment name")?.value
        }
        let defaults = top[.defaults].flatMap { defaultsSettings($0) } ?? DefaultSettings()
        let store = storeConfiguration(top[.secretStore], environment: name)
        let vault = top[.vault].flatMap { vaultConfiguration($0, environment: name, store: store) }
        let apps = top[.apps].flatMap { buildApps($0, defaults: defaults, store: store) } ?? BuiltApps()
        let monitoring = top[.monitoring].flatMap { monitoringSettings($0) }

        if let vault, let scope = vault.prefix {
            checkPaths(apps.located, under: scope)
        }
        if let vault { checkCredentialTargets(apps.targets, auth: vault.auth) }
        if let store, let range = (top[.secretStore] ?? top[.apps])?.key.range {
            warnIfSharedStore(store, namespaces: Environment.uniqueNamespaces(of: apps.model), at: range)
        }
        guard let name, let store, let vault, !reader.diagnostics.hasErrors else { return nil }
        return Environment(
            name: name,
            vault: VaultConfiguration(
                server: vault.server,
                mount: vault.mount,
                policy: PolicyConfiguration(name: vault.policyName, scope: vault.prefix.map { .prefix($0.value) } ?? .exact),
                auth: vault.auth
            ),
            store: store,
            apps: apps.model,
            labels: defaults.labels,
            monitoring: monitoring
        )
    }

    // MARK: - Defaults and monitoring

    struct DefaultSettings {
        var refreshInterval: GoDuration?
        var labels: [Label] = []
    }

    mutating func defaultsSettings(_ entry: SpecEntry) -> DefaultSettings? {
        guard let fields = reader.fields(entry.value, "'defaults'", anchor: entry.key.range, keys: SpecKey.Defaults.self) else {
            return nil
        }
        var settings = DefaultSettings()
        if let node = fields[.refreshInterval]?.value, let interval = refreshInterval(node) { settings.refreshInterval = interval }
        if let labelsEntry = fields[.labels] {
            if case .mapping(let labels) = labelsEntry.value {
                settings.labels = labels.entries.compactMap { label($0) }
            } else {
                reader.error(
                    .wrongType,
                    "expected a mapping of labels for 'defaults.labels', found \(labelsEntry.value.kindDescription)",
                    at: labelsEntry.value.range,
                    help: "write each label as 'key: value' below it"
                )
            }
        }
        return settings
    }

    static let ownedLabels: Set<String> = ["app", "app.kubernetes.io/managed-by"]

    mutating func label(_ entry: SpecEntry) -> Label? {
        let key = entry.key.text
        guard Syntax.isLabelKey(key) else {
            reader.error(
                .invalidKubernetesName,
                "label key '\(key)' is not a valid Kubernetes label key",
                at: entry.key.range,
                help: "use an optional DNS prefix and '/', then at most 63 letters, digits, '-', '_' and '.'"
            )
            return nil
        }
        if Self.ownedLabels.contains(key) {
            reader.error(.invalidValue, "label '\(key)' is set by Keyway", at: entry.key.range, help: "choose another label key")
            return nil
        }
        guard let value = reader.string(entry.value, "label '\(key)'") else { return nil }
        guard Syntax.isLabelName(value.value, allowEmpty: true) else {
            reader.error(
                .invalidKubernetesName,
                "label value '\(value.value)' is not a valid Kubernetes label value",
                at: value.range,
                help: "use at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit"
            )
            return nil
        }
        return Label(key: key, value: value.value)
    }

    /// The PrometheusRule's settings, or `nil` when it is not asked for (or the block is invalid, already reported).
    mutating func monitoringSettings(_ entry: SpecEntry) -> Monitoring? {
        guard let fields = reader.fields(entry.value, "'monitoring'", anchor: entry.key.range, keys: SpecKey.Monitoring.self) else {
            return nil
        }
        let enabled = fields[.prometheusRule].flatMap { reader.bool($0.value, "'prometheusRule'") } ?? false
        let namespace = fields[.namespace].flatMap { reader.dnsLabel($0.value, "monitoring namespace")?.value } ?? "external-secrets"
        return enabled ? Monitoring(namespace: namespace) : nil
    }

    // MARK: - Store

    mutating func storeConfiguration(_ entry: SpecEntry?, environment: String?) -> StoreConfiguration? {
        var name = environment
        var kind = StoreKind.cluster(allNamespaces: false)
        var apiVersion = ESOAPIVersion.v1
        guard let entry else { return name.map { StoreConfiguration(name: $0, kind: kind, apiVersion: apiVersion) } }
        guard
            let fields = reader.fields(
                entry.value,
                "'secretStore'",
                anchor: entry.key.range,
                keys: SpecKey.SecretStore.self
            )
        else { return nil }
        var ok = true
        if let node = fields[.name]?.value {
            name = reader.subdomain(node, "store name")?.value
            ok = ok && name != nil
        }
        if let node = fields[.apiVersion]?.value {
            if let version = reader.choice(node, "secretStore apiVersion", ESOAPIVersion.allCases) { apiVersion = version } else { ok = false }
        }
        var isCluster = true
        if let node = fields[.kind]?.value {
            switch reader.choice(node, "secretStore kind", StoreKindName.allCases) {
            case .cluster: isCluster = true
            case .namespaced: isCluster = false
            case nil: ok = false
            }
        }
        if let allEntry = fields[.allNamespaces] {
            if let all = reader.bool(allEntry.value, "'allNamespaces'") {
                if !isCluster {
                    reader.error(
                        .conflictingKeys,
                        "'allNamespaces' applies only to a ClusterSecretStore",
                        at: allEntry.key.range,
                        help: "remove it: each SecretStore serves its own namespace"
                    )
                    ok = false
                } else if all {
                    reader.warning(
                        .storeOpenToAll,
                        "ClusterSecretStore '\(name ?? "")' is open to every namespace",
                        at: allEntry.value.range,
                        help: "any namespace can then read these Vault paths through ESO; remove 'allNamespaces' to limit it to the apps' namespaces"
                    )
                }
                kind = .cluster(allNamespaces: all)
            } else {
                ok = false
            }
        }
        if !isCluster { kind = .namespaced }
        guard ok, let name else { return nil }
        return StoreConfiguration(name: name, kind: kind, apiVersion: apiVersion)
    }

    enum StoreKindName: String, CaseIterable {
        case cluster = "ClusterSecretStore"
        case namespaced = "SecretStore"
    }

    // MARK: - Vault

    struct VaultSettings {
        var server: String
        var mount: KVMount
        var policyName: String
        var prefix: Located<String>?
        var auth: AuthMethod
    }

    mutating func vaultConfiguration(_ entry: SpecEntry, environment: String?, store: StoreConfiguration?) -> VaultSettings? {
        guard
            let fields = reader.fields(
                entry.value,
                "'vault'",
                anchor: entry.key.range,
                keys: SpecKey.Vault.self
            )
        else { return nil }
        var server: String?
        if let node = fields[.server]?.value, let value = reader.line(node, "'vault.server'") {
            if let problem = Syntax.serverURLProblem(value.value) {
                reader.error(
                    .invalidURL, "invalid Vault server address '\(value.value)': \(problem)", at: value.range,
                    help: "write it as https://vault.example.com:8200")
            } else {
                warnIfPlainText(value)
                server = value.value
            }
        }
        var mount: KVMount?
        if let kvEntry = fields[.kv],
            let kv = reader.fields(kvEntry.value, "'vault.kv'", anchor: kvEntry.key.range, keys: SpecKey.KV.self)
        {
            let path = kv[.mount].flatMap { reader.vaultPath($0.value, "the KV mount") }.flatMap {
                checkMount($0, reserved: Self.reservedMounts, "KV mount") ? $0 : nil
            }
            var version = KVVersion.v2
            if let node = kv[.version]?.value {
                version = reader.int(node, "'kv.version'", in: 1...2).flatMap { KVVersion(rawValue: $0) } ?? .v2
            }
            if let path { mount = KVMount(path: path.value, version: version) }
        }
        var policyName = environment.map { "keyway-\($0)" }
        vaultSites.policyName = nameRange
        var prefix: Located<String>?
        var policyOK = true
        if let policyEntry = fields[.policy],
            let policy = reader.fields(policyEntry.value, "'vault.policy'", anchor: policyEntry.key.range, keys: SpecKey.Policy.self)
        {
            if let node = policy[.name]?.value {
                let name = reader.vaultName(node, "policy name").flatMap { checkPolicyName($0) ? $0 : nil }
                policyName = name?.value
                vaultSites.policyName = node.range
                policyOK = policyOK && policyName != nil
            }
            var isPrefix = false
            if let node = policy[.scope]?.value {
                switch reader.choice(node, "policy scope", PolicyScopeName.allCases) {
                case .prefix? where store?.kind == .namespaced:
                    reader.error(
                        .conflictingKeys,
                        "policy scope 'prefix' would open the whole prefix to every namespace's SecretStore",
                        at: node.range,
                        help: "SecretStore mode isolates namespaces with exact policies: remove 'scope' and 'prefix'"
                    )
                    isPrefix = true
                    policyOK = false
                case .prefix?:
                    isPrefix = true
                    reader.warning(
                        .broadPolicy,
                        "policy scope 'prefix' grants more than the apps read",
                        at: node.range,
                        help: "scope 'exact' (the default) grants read on exactly the referenced paths"
                    )
                case .exact?: break
                case nil: policyOK = false
                }
            }
            if let prefixEntry = policy[.prefix] {
                if !isPrefix {
                    reader.error(.conflictingKeys, "'prefix' needs 'scope: prefix'", at: prefixEntry.key.range, help: "add 'scope: prefix', or remove 'prefix'")
                    policyOK = false
                } else {
                    prefix = reader.vaultPath(prefixEntry.value, "the policy prefix")
                    policyOK = policyOK && prefix != nil
                }
            } else if isPrefix {
                reader.error(
                    .missingKey, "missing key 'prefix' in 'vault.policy'", at: policyEntry.key.range, help: "add 'prefix:', the Vault path the policy opens")
                policyOK = false
            }
        }
        let auth = fields[.auth].flatMap { authMethod($0, store: store) }
        guard let server, let mount, let policyName, policyOK, let auth else { return nil }
        return VaultSettings(server: server, mount: mount, policyName: policyName, prefix: prefix, auth: auth)
    }

    enum PolicyScopeName: String, CaseIterable {
        case exact
        case prefix
    }

    // MARK: - Auth

    mutating func authMethod(_ entry: SpecEntry, store: StoreConfiguration?) -> AuthMethod? {
        guard let fields = reader.fields(entry.value, "'vault.auth'", anchor: entry.key.range, keys: SpecKey.Auth.self) else { return nil }
        let chosen = fields.entries(of: SpecKey.Auth.self)
        guard chosen.count == 1, let method = chosen.first else {
            reader.error(
                .conflictingKeys,
                chosen.isEmpty ? "'vault.auth' names no auth method" : "'vault.auth' names \(chosen.count) auth methods",
                at: chosen.dropFirst().first?.entry.key.range ?? entry.key.range,
                help: "write exactly one of \(SpecKey.Auth.quotedList)"
            )
            return nil
        }
        // Unknown store (already reported): assume the default, so auth problems still show.
        let namespaced = store?.kind == .namespaced
        switch method.key {
        case .token: return tokenAuth(method.entry, namespaced: namespaced).map { .token($0) }
        case .kubernetes: return kubernetesAuth(method.entry, namespaced: namespaced).map { .kubernetes($0) }
        case .appRole: return appRoleAuth(method.entry, namespaced: namespaced).map { .appRole($0) }
        }
    }

    mutating func secretReference(_ entry: SpecEntry, _ context: String, namespaced: Bool) -> SecretKeyReference? {
        guard
            let fields = reader.fields(
                entry.value,
                context,
                anchor: entry.key.range,
                keys: SpecKey.SecretRef.self,
                namespaced: namespaced
            )
        else { return nil }
        let name = fields[.name].flatMap { reader.subdomain($0.value, "Secret name") }
        let key = fields[.key].flatMap { reader.secretKey($0.value, "Secret key") }
        var namespace: String?
        if let namespaceEntry = fields[.namespace] {
            if namespaced {
                reader.error(
                    .conflictingKeys,
                    "a SecretStore's credential lives in each app namespace; '\(context)' takes no namespace",
                    at: namespaceEntry.key.range,
                    help: "remove 'namespace'"
                )
                return nil
            }
            namespace = reader.dnsLabel(namespaceEntry.value, "namespace")?.value
            if namespace == nil { return nil }
        }
        guard let name, let key else { return nil }
        return SecretKeyReference(name: name.value, key: key.value, namespace: namespace)
    }

    mutating func tokenAuth(_ entry: SpecEntry, namespaced: Bool) -> TokenAuth? {
        reader.warning(
            .tokenAuth,
            "token auth keeps a long-lived Vault token in a Kubernetes Secret",
            at: entry.key.range,
            help: "prefer 'kubernetes' auth; Keyway emits a CronJob that renews this token, which ESO never does"
        )
        guard
            let fields = reader.fields(
                entry.value,
                "'auth.token'",
                anchor: entry.key.range,
                keys: SpecKey.Token.self
            )
        else { return nil }
        var period = fields[.period].flatMap { reader.duration($0.value, "'period'") }
        if let period { warnIfLongPeriod(period) }
        if let value = period, value.value.seconds < Self.minimumTokenPeriod {
            reader.error(
                .periodTooShort,
                "token period '\(value.value.text)' is too short to renew from a CronJob",
                at: value.range,
                help: "use at least 10m; 24h is usual"
            )
            period = nil
        }
        let secretRef = fields[.secretRef].flatMap { secretReference($0, "'token.secretRef'", namespaced: namespaced) }
        var schedule: String?
        var image = Self.defaultRenewalImage
        if let renewalEntry = fields[.renewal],
            let renewal = reader.fields(renewalEntry.value, "'token.renewal'", anchor: renewalEntry.key.range, keys: SpecKey.Renewal.self)
        {
            if let node = renewal[.schedule]?.value, let value = reader.line(node, "'renewal.schedule'") {
                let fields = value.value.split(separator: " ", omittingEmptySubsequences: true)
                let allowed = Set("0123456789*/,-")
                if fields.count != 5 || !fields.allSatisfy({ $0.allSatisfy { allowed.contains($0) } }) {
                    reader.error(
                        .invalidValue, "invalid cron schedule '\(value.value)'", at: value.range,
                        help: "write five fields of digits, '*', '/', ',' and '-', e.g. '0 */6 * * *'")
                } else {
                    schedule = fields.joined(separator: " ")
                }
            }
            if let node = renewal[.image]?.value, let value = imageReference(node) { image = value }
        }
        guard let period, let secretRef else { return nil }
        return TokenAuth(
            period: period.value,
            secretRef: secretRef,
            renewal: TokenRenewal(schedule: schedule ?? Self.renewalSchedule(forPeriod: period.value.seconds), image: image)
        )
    }

    /// A schedule that renews a token at least four times per period, on the hour or minute.
    static func renewalSchedule(forPeriod seconds: Double) -> String {
        let interval = seconds / 4
        if interval >= 86_400 { return "0 0 * * *" }
        if interval >= 3_600 {
            let hours = [12, 8, 6, 4, 3, 2, 1].first { Double($0) * 3_600 <= interval } ?? 1
            return hours == 1 ? "0 * * * *" : "0 */\(hours) * * *"
        }
        let minutes = [30, 20, 15, 12, 10, 6, 5, 4, 3, 2, 1].first { Double($0) * 60 <= interval } ?? 1
        return minutes == 1 ? "* * * * *" : "*/\(minutes) * * * *"
    }

    mutating func kubernetesAuth(_ entry: SpecEntry, namespaced: Bool) -> KubernetesAuth? {
        guard
            let fields = reader.fields(
                entry.value,
                "'auth.kubernetes'",
                anchor: entry.key.range,
                keys: SpecKey.Kubernetes.self
            )
        else { return nil }
        let mountPath = fields[.mountPath].map { authMount($0.value) } ?? "kubernetes"
        let ownsMount = fields[.ownsMount].map { reader.bool($0.value, "'ownsMount'") } ?? false
        let role = fields[.role].flatMap { reader.vaultName($0.value, "role name") }
        vaultSites.role = role?.range
        var account: (name: String, namespace: String?)?
        if let accountEntry = fields[.serviceAccountRef],
            let ref = reader.fields(
                accountEntry.value,
                "'kubernetes.serviceAccountRef'",
                anchor: accountEntry.key.range,
                keys: SpecKey.ServiceAccountRef.self,
                namespaced: namespaced
            )
        {
            let name = ref[.name].flatMap { reader.subdomain($0.value, "service account name") }
            var namespace: String?? = .some(nil)
            if let namespaceEntry = ref[.namespace] {
                if namespaced {
                    reader.error(
                        .conflictingKeys,
                        "a SecretStore logs in as the service account of its own namespace; 'serviceAccountRef' takes no namespace",
                        at: namespaceEntry.key.range,
                        help: "remove 'namespace'"
                    )
                    namespace = nil
                } else {
                    namespace = reader.dnsLabel(namespaceEntry.value, "namespace").map { .some($0.value) }
                }
            }
            if let name, let namespace { account = (name.value, namespace) }
        }
        let audience = fields[.audience].map { reader.line($0.value, "'audience'")?.value }
        let ttl = fields[.tokenTTL].map { reader.duration($0.value, "'tokenTTL'")?.value }
        guard let mountPath, let ownsMount, let role, let account, audience != .some(nil), ttl != .some(nil) else { return nil }
        return KubernetesAuth(
            mountPath: mountPath,
            ownsMount: ownsMount,
            role: role.value,
            serviceAccountName: account.name,
            serviceAccountNamespace: account.namespace,
            audience: audience ?? nil,
            tokenTTL: ttl ?? nil
        )
    }

    mutating func appRoleAuth(_ entry: SpecEntry, namespaced: Bool) -> AppRoleAuth? {
        guard
            let fields = reader.fields(
                entry.value,
                "'auth.appRole'",
                anchor: entry.key.range,
                keys: SpecKey.AppRole.self
            )
        else { return nil }
        let mountPath = fields[.mountPath].map { authMount($0.value) } ?? "approle"
        let role = fields[.role].flatMap { reader.vaultName($0.value, "role name") }
        vaultSites.role = role?.range
        let secretRef = fields[.secretRef].flatMap { secretReference($0, "'appRole.secretRef'", namespaced: namespaced) }
        var roleIdKey: String? = "role-id"
        if let node = fields[.roleIdKey]?.value {
            let key = reader.secretKey(node, "'roleIdKey'")
            roleIdKey = key?.value
            if let key, let secretRef, key.value == secretRef.key {
                reader.error(
                    .conflictingKeys, "'roleIdKey' and 'secretRef.key' are both '\(key.value)'", at: key.range,
                    help: "the role-id and the secret-id need keys of their own")
                roleIdKey = nil
            }
        } else if secretRef?.key == "role-id" {
            reader.error(
                .conflictingKeys, "'secretRef.key' is 'role-id', the default key of the role-id", at: entry.key.range, help: "set 'roleIdKey' to another key")
            roleIdKey = nil
        }
        let tokenTTL = fields[.tokenTTL].map { reader.duration($0.value, "'tokenTTL'")?.value }
        let secretIdTTL = fields[.secretIdTTL].map { node -> GoDuration? in
            let ttl = reader.duration(node.value, "'secretIdTTL'")
            if let ttl { warnIfNeverExpires(ttl) }
            return ttl?.value
        }
        guard let mountPath, let role, let secretRef, let roleIdKey, tokenTTL != .some(nil), secretIdTTL != .some(nil) else { return nil }
        return AppRoleAuth(
            mountPath: mountPath,
            role: role.value,
            secretRef: secretRef,
            roleIdKey: roleIdKey,
            tokenTTL: tokenTTL ?? nil,
            secretIdTTL: (secretIdTTL ?? nil) ?? Self.defaultSecretIdTTL
        )
    }

    /// An auth method's mount path, refused where Vault keeps its own token store.
    mutating func authMount(_ node: SpecNode) -> String? {
        guard let path = reader.vaultPath(node, "the auth mount") else { return nil }
        return checkMount(path, reserved: Self.reservedAuthMounts, "auth mount") ? path.value : nil
    }

    // MARK: - Images and durations

    mutating func imageReference(_ node: SpecNode) -> String? {
        guard let value = reader.line(node, "'image'") else { return nil }
        if value.value.contains(where: \.isWhitespace) {
            reader.error(.invalidValue, "image '\(value.value)' contains whitespace", at: value.range, help: "write a reference such as alpine:3.20")
            return nil
        }
        return value.value
    }

    mutating func refreshInterval(_ node: SpecNode) -> GoDuration? {
        guard let value = reader.duration(node, "'refreshInterval'") else { return nil }
        if value.value.seconds > 0, value.value.seconds < 60 {
            reader.warning(
                .fastRefresh,
                "refreshInterval '\(value.value.text)' reads Vault more than once a minute",
                at: value.range,
                help: "every ExternalSecret polls Vault at this rate; 1m or more keeps the load down"
            )
        }
        return value.value
    }
}
